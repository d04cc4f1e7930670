/**
 * Managed data stores in the private subnets, reachable only through their security group:
 * - postgres, mysql → RDS: engine version from the module version, class and storage from
 *   sizing.ts, Multi-AZ when availability high, encrypted gp3 storage, backups kept `backup.retain`
 *   days (default 7), deletion protection and a final snapshot, never publicly accessible.
 * - redis → ElastiCache replication group: encryption in transit and at rest, the generated
 *   password as auth token, a replica with automatic failover when high, snapshots kept.
 * - mongodb → DocumentDB cluster (WARN_AWS_DOCUMENTDB_COMPAT), encrypted, backups, protection.
 * - rabbitmq → Amazon MQ for RabbitMQ, private, single instance or a Multi-AZ cluster when high.
 * Every one is kept on destroy (its data); --delete-data is the only way it goes.
 *
 * Codes: WARN_AWS_DOCUMENTDB_COMPAT.
 */
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { StoreNode } from '../../compiler/lower/ir.js';
import { literalOf } from '../../compiler/resolve/value.js';
import { add, tagsOf, type AwsContext } from './context.js';
import { securityGroupId } from './lower-security.js';
import { awsNode, KEEP_DATA, net, out, type AwsNode } from './model.js';
import { limitedName } from './names.js';
import { brokerSize, cacheSize, databaseSize, documentDbSize } from './sizing.js';

const DEFAULT_RETAIN = 7;
/** RDS, DocumentDB and ElastiCache keep automated backups at most 35 days. */
const retainDays = (n: StoreNode): number => Math.min(35, Math.max(1, n.backup?.retain ?? DEFAULT_RETAIN));

/** A literal output of the module (user, database name) from the design's outputs. */
function outputText(ctx: AwsContext, module: string, name: string, fallback: string): string {
  const o = ctx.outputOf(module, name);
  return (o ? literalOf(o.value) : undefined) ?? fallback;
}

const secretKey = (ctx: AwsContext, module: string): string => {
  const keys = ctx.secretKeysOf(module);
  return keys.includes('password') ? 'password' : (keys[0] ?? 'password');
};

/** Major versions as RDS and ElastiCache take them. */
const RDS_VERSIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = { mysql: { '8': '8.0', '8.0': '8.0', '8.4': '8.4' } };
const CACHE_VERSIONS: Readonly<Record<string, string>> = { '6': '6.2', '7': '7.1', '8': '7.1' };

export function lowerRds(ctx: AwsContext, n: StoreNode): void {
  const p = n.provenance;
  const tags = tagsOf(ctx, p);
  const size = databaseSize(n);
  const subnets = awsNode('aws.rds.SubnetGroup', n.module, p, { subnetIds: net('privateSubnetIds'), tags });
  const db = awsNode(
    'aws.rds.Instance',
    n.module,
    p,
    {
      identifier: limitedName([ctx.system, n.module], 63),
      engine: n.engine,
      engineVersion: RDS_VERSIONS[n.engine]?.[n.version] ?? n.version,
      instanceClass: size.instanceClass,
      allocatedStorage: size.storageGib,
      storageType: 'gp3',
      storageEncrypted: true,
      multiAz: size.multiAz,
      dbName: outputText(ctx, n.module, 'database', n.module.replace(/-/g, '_')),
      username: outputText(ctx, n.module, 'user', 'app'),
      password: { $secret: n.module, key: secretKey(ctx, n.module) },
      dbSubnetGroupName: out(subnets, 'name'),
      vpcSecurityGroupIds: [out(securityGroupId(n.module), 'id')],
      publiclyAccessible: false,
      backupRetentionPeriod: retainDays(n),
      deletionProtection: KEEP_DATA,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: limitedName([ctx.system, n.module, 'final'], 255),
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      tags,
    },
    [],
    { retainOnDelete: true },
  );
  add(ctx, subnets, db);
}

export function lowerCache(ctx: AwsContext, n: StoreNode): void {
  const p = n.provenance;
  const tags = tagsOf(ctx, p);
  const size = cacheSize(n);
  const high = n.availability === 'high';
  const subnets = awsNode('aws.elasticache.SubnetGroup', n.module, p, { name: limitedName([ctx.system, n.module], 255), subnetIds: net('privateSubnetIds'), tags });
  const group = awsNode(
    'aws.elasticache.ReplicationGroup',
    n.module,
    p,
    {
      replicationGroupId: limitedName([ctx.system, n.module], 40),
      description: `aninfra ${ctx.system}/${n.module}`,
      engine: 'redis',
      engineVersion: CACHE_VERSIONS[n.version] ?? n.version,
      nodeType: size.nodeType,
      numCacheClusters: size.nodes,
      automaticFailoverEnabled: high,
      multiAzEnabled: high,
      port: 6379,
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: { $secret: n.module, key: secretKey(ctx, n.module) },
      subnetGroupName: out(subnets, 'name'),
      securityGroupIds: [out(securityGroupId(n.module), 'id')],
      snapshotRetentionLimit: retainDays(n),
      tags,
    },
    [],
    { retainOnDelete: true },
  );
  add(ctx, subnets, group);
}

export function lowerDocumentDb(ctx: AwsContext, n: StoreNode): void {
  ctx.diagnostics.push(diagnostic('WARN_AWS_DOCUMENTDB_COMPAT', { module: n.module, version: n.version }, { path: `/modules/${n.module}` }));
  const p = n.provenance;
  const tags = tagsOf(ctx, p);
  const size = documentDbSize(n);
  const subnets = awsNode('aws.docdb.SubnetGroup', n.module, p, { subnetIds: net('privateSubnetIds'), tags });
  const cluster = awsNode(
    'aws.docdb.Cluster',
    n.module,
    p,
    {
      clusterIdentifier: limitedName([ctx.system, n.module], 63),
      engine: 'docdb',
      masterUsername: outputText(ctx, n.module, 'user', 'app'),
      masterPassword: { $secret: n.module, key: secretKey(ctx, n.module) },
      dbSubnetGroupName: out(subnets, 'name'),
      vpcSecurityGroupIds: [out(securityGroupId(n.module), 'id')],
      storageEncrypted: true,
      backupRetentionPeriod: retainDays(n),
      deletionProtection: KEEP_DATA,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: limitedName([ctx.system, n.module, 'final'], 255),
      tags,
    },
    [],
    { retainOnDelete: true },
  );
  const instances: AwsNode[] = Array.from({ length: size.instances }, (_, i) =>
    awsNode('aws.docdb.ClusterInstance', `${n.module}-${i + 1}`, p, { clusterIdentifier: out(cluster, 'id'), instanceClass: size.instanceClass, tags }, [], { retainOnDelete: true }),
  );
  add(ctx, subnets, cluster, ...instances);
}

export function lowerBroker(ctx: AwsContext, n: StoreNode): void {
  const p = n.provenance;
  const size = brokerSize(n);
  const broker = awsNode(
    'aws.mq.Broker',
    n.module,
    p,
    {
      brokerName: limitedName([ctx.system, n.module], 50),
      engineType: 'RabbitMQ',
      engineVersion: '3.13',
      hostInstanceType: size.instanceType,
      deploymentMode: size.deploymentMode,
      publiclyAccessible: false,
      subnetIds: size.deploymentMode === 'SINGLE_INSTANCE' ? [net('firstPrivateSubnetId')] : net('privateSubnetIds'),
      securityGroups: [out(securityGroupId(n.module), 'id')],
      autoMinorVersionUpgrade: true,
      encryptionOptions: { useAwsOwnedKey: true },
      users: [{ username: outputText(ctx, n.module, 'user', 'app'), password: { $secret: n.module, key: secretKey(ctx, n.module) } }],
      tags: tagsOf(ctx, p),
    },
    [],
    { retainOnDelete: true },
  );
  add(ctx, broker);
}
