/**
 * How Pulumi's AWS provider applies changes, as far as plans need it: tags, sizes, counts, task
 * definitions, policies and rules change in place (a new task definition revision rolls the
 * service); a resource's name, class, engine, identifiers, subnet group or VPC replaces it. Data
 * lives in databases, caches, brokers, object-store buckets and the generated passwords.
 */
import type { PlanRules } from '../../compiler/emit/target.js';
import type { AwsNode } from './model.js';

/** Argument paths whose change replaces the resource. */
const REPLACING = ['args.identifier', 'args.engine', 'args.dbName', 'args.username', 'args.clusterIdentifier', 'args.replicationGroupId', 'args.brokerName', 'args.engineType', 'args.bucketPrefix', 'args.bucket', 'args.vpcId', 'args.cidrBlock', 'args.availabilityZone', 'args.name', 'args.family', 'args.length', 'args.special', 'args.storageEncrypted', 'args.atRestEncryptionEnabled', 'args.dbSubnetGroupName', 'args.subnetGroupName', 'args.masterUsername'];

const DATA_KINDS = new Set(['aws.rds.Instance', 'aws.elasticache.ReplicationGroup', 'aws.docdb.Cluster', 'aws.docdb.ClusterInstance', 'aws.mq.Broker', 'random.RandomPassword', 'aws.secretsmanager.Secret', 'aws.secretsmanager.SecretVersion']);

export const awsPlanRules: PlanRules<AwsNode> = {
  inPlace(_node, field) {
    if (field === 'id' || field === 'kind' || field === 'name') return false;
    return !REPLACING.some((p) => field === p || field.startsWith(`${p}.`));
  },
  holdsData(node) {
    if (node.kind === 'aws.s3.Bucket') return node.retainOnDelete === true;
    return DATA_KINDS.has(node.kind) && node.retainOnDelete === true;
  },
};
