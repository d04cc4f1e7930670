/**
 * The policy suite of the aws target, over the resource graph a mocked run registers: each rule
 * returns its violations (empty: the graph complies). The design side comes from the spec text
 * itself (its `uses`, routes, availability and backup settings), not from the target's model, so
 * a rule checks the program against what the user wrote.
 */
import YAML from 'yaml';
import { isSecretValue, reveal, type RegisteredResource } from '../../helpers/pulumi-mocks.js';

/** A registered resource with its inputs revealed (secrets unwrapped) and whether each top-level input was secret. */
export interface Res {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  readonly secretInputs: readonly string[];
  /** Mutable so negative controls can flip it on a copy. */
  retainOnDelete: boolean;
}

export type Graph = readonly Res[];

export interface Design {
  /** `from->to` for each `uses` edge and gateway route. */
  readonly edges: ReadonlySet<string>;
  readonly high: ReadonlySet<string>;
  /** Backup retention per store module (default 7). */
  readonly retain: ReadonlyMap<string, number>;
  readonly types: ReadonlyMap<string, string>;
  /** Values that must never appear in plain env: generated passwords and host-env values. */
  readonly secrets: readonly string[];
}

export function graphOf(resources: readonly RegisteredResource[]): Res[] {
  return resources
    .filter((r) => r.custom)
    .map((r) => ({ type: r.type, name: r.name, inputs: reveal(r.inputs) as Record<string, unknown>, secretInputs: Object.entries(r.inputs).filter(([, v]) => isSecretValue(v)).map(([k]) => k), retainOnDelete: r.retainOnDelete }));
}

export function designOf(specText: string, secrets: readonly string[]): Design {
  const spec = YAML.parse(specText) as { modules: Record<string, { type: string; with?: Record<string, unknown>; uses?: (string | { module: string })[] }> };
  const edges = new Set<string>();
  const high = new Set<string>();
  const retain = new Map<string, number>();
  const types = new Map<string, string>();
  for (const [name, m] of Object.entries(spec.modules)) {
    types.set(name, m.type);
    for (const u of m.uses ?? []) edges.add(`${name}->${typeof u === 'string' ? u : u.module}`);
    for (const r of (m.with?.routes as { to: string }[] | undefined) ?? []) edges.add(`${name}->${r.to}`);
    if (m.with?.availability === 'high') high.add(name);
    retain.set(name, (m.with?.backup as { retain?: number } | undefined)?.retain ?? 7);
  }
  return { edges, high, retain, types, secrets };
}

export type Rule = (g: Graph, d: Design) => string[];

const of = (g: Graph, type: string): Res[] => g.filter((r) => r.type === type);
const TYPES = {
  rds: 'aws:rds/instance:Instance',
  rdsSubnets: 'aws:rds/subnetGroup:SubnetGroup',
  cache: 'aws:elasticache/replicationGroup:ReplicationGroup',
  cacheSubnets: 'aws:elasticache/subnetGroup:SubnetGroup',
  docdb: 'aws:docdb/cluster:Cluster',
  docdbInstance: 'aws:docdb/clusterInstance:ClusterInstance',
  docdbSubnets: 'aws:docdb/subnetGroup:SubnetGroup',
  mq: 'aws:mq/broker:Broker',
  bucket: 'aws:s3/bucket:Bucket',
  sse: 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
  publicBlock: 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  sg: 'aws:ec2/securityGroup:SecurityGroup',
  defaultSg: 'aws:ec2/defaultSecurityGroup:DefaultSecurityGroup',
  ingress: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
  lb: 'aws:lb/loadBalancer:LoadBalancer',
  listener: 'aws:lb/listener:Listener',
  subnet: 'aws:ec2/subnet:Subnet',
  service: 'aws:ecs/service:Service',
  taskDef: 'aws:ecs/taskDefinition:TaskDefinition',
  secret: 'aws:secretsmanager/secret:Secret',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
} as const;

/** The mocked id of a resource is `<name>-id`. */
const nameOfId = (id: unknown): string => String(id).replace(/-id$/, '');

export const noPublicDatabase: Rule = (g) => {
  const out: string[] = [];
  for (const r of [...of(g, TYPES.rds), ...of(g, TYPES.mq)]) if (r.inputs.publiclyAccessible !== false) out.push(`${r.name} is publicly accessible`);
  const privateSubnets = new Set(of(g, TYPES.subnet).filter((s) => s.name.startsWith('private-')).map((s) => `${s.name}-id`));
  for (const r of [...of(g, TYPES.rdsSubnets), ...of(g, TYPES.cacheSubnets), ...of(g, TYPES.docdbSubnets)]) {
    const ids = (r.inputs.subnetIds as unknown[] | undefined) ?? [];
    if (ids.length === 0 || ids.some((id) => !privateSubnets.has(String(id)))) out.push(`${r.type} ${r.name} uses a subnet that is not private`);
  }
  for (const r of of(g, TYPES.mq)) for (const id of (r.inputs.subnetIds as unknown[] | undefined) ?? []) if (!privateSubnets.has(String(id))) out.push(`broker ${r.name} in a non-private subnet`);
  return out;
};

export const encryptionAtRest: Rule = (g) => {
  const out: string[] = [];
  for (const r of of(g, TYPES.rds)) if (r.inputs.storageEncrypted !== true) out.push(`rds ${r.name} unencrypted`);
  for (const r of of(g, TYPES.docdb)) if (r.inputs.storageEncrypted !== true) out.push(`docdb ${r.name} unencrypted`);
  for (const r of of(g, TYPES.cache)) if (r.inputs.atRestEncryptionEnabled !== true || r.inputs.transitEncryptionEnabled !== true) out.push(`cache ${r.name} not encrypted at rest and in transit`);
  for (const r of of(g, TYPES.mq)) if (r.inputs.encryptionOptions === undefined) out.push(`broker ${r.name} without encryption options`);
  for (const b of of(g, TYPES.bucket)) {
    const id = `${b.name}-id`;
    const sse = of(g, TYPES.sse).find((s) => s.inputs.bucket === id);
    if (!sse) out.push(`bucket ${b.name} without default encryption`);
    const block = of(g, TYPES.publicBlock).find((s) => s.inputs.bucket === id);
    if (!block || !['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets'].every((k) => block.inputs[k] === true)) out.push(`bucket ${b.name} not fully blocked from public access`);
  }
  return out;
};

export const leastPrivilegeSecurityGroups: Rule = (g, d) => {
  const out: string[] = [];
  const lbGroups = new Set(of(g, TYPES.lb).flatMap((lb) => ((lb.inputs.securityGroups as unknown[] | undefined) ?? []).map(String)));
  const listenerPorts = new Set(of(g, TYPES.listener).map((l) => Number(l.inputs.port)));
  for (const sg of of(g, TYPES.sg)) if (Array.isArray(sg.inputs.ingress) && sg.inputs.ingress.length > 0) out.push(`security group ${sg.name} has inline ingress`);
  for (const sg of of(g, TYPES.defaultSg)) if (((sg.inputs.ingress as unknown[] | undefined) ?? []).length > 0 || ((sg.inputs.egress as unknown[] | undefined) ?? []).length > 0) out.push('the default security group has rules');
  for (const rule of of(g, TYPES.ingress)) {
    const group = String(rule.inputs.securityGroupId);
    if (rule.inputs.cidrIpv4 !== undefined || rule.inputs.cidrIpv6 !== undefined) {
      if (rule.inputs.cidrIpv4 !== '0.0.0.0/0' && rule.inputs.cidrIpv6 !== '::/0') continue;
      if (!lbGroups.has(group)) out.push(`${rule.name}: ${nameOfId(group)} is open to the internet and is not a load balancer`);
      else if (rule.inputs.fromPort !== rule.inputs.toPort || !listenerPorts.has(Number(rule.inputs.fromPort))) out.push(`${rule.name}: the load balancer is open on a port that is no listener's`);
      continue;
    }
    const from = nameOfId(rule.inputs.referencedSecurityGroupId);
    const to = nameOfId(group);
    if (!d.edges.has(`${from}->${to}`)) out.push(`${rule.name}: ${from} may reach ${to}, which the design does not say`);
  }
  for (const r of [...of(g, TYPES.service), ...of(g, TYPES.rds), ...of(g, TYPES.cache), ...of(g, TYPES.docdb), ...of(g, TYPES.mq), ...of(g, TYPES.lb)]) {
    const groups = (r.inputs.securityGroups ?? r.inputs.vpcSecurityGroupIds ?? r.inputs.securityGroupIds ?? (r.inputs.networkConfiguration as { securityGroups?: unknown } | undefined)?.securityGroups) as unknown[] | undefined;
    if (!groups || groups.length === 0) out.push(`${r.type} ${r.name} would fall back to the default security group`);
  }
  return out;
};

export const multiAzWhenHigh: Rule = (g, d) => {
  const out: string[] = [];
  for (const m of d.high) {
    const type = d.types.get(m);
    if (type === 'postgres' || type === 'mysql') if (of(g, TYPES.rds).find((r) => r.name === m)?.inputs.multiAz !== true) out.push(`rds ${m} is not Multi-AZ`);
    if (type === 'redis') {
      const c = of(g, TYPES.cache).find((r) => r.name === m);
      if (!c || Number(c.inputs.numCacheClusters) < 2 || c.inputs.automaticFailoverEnabled !== true || c.inputs.multiAzEnabled !== true) out.push(`cache ${m} has no replica with failover`);
    }
    if (type === 'mongodb' && of(g, TYPES.docdbInstance).filter((r) => r.name.startsWith(`${m}-`)).length < 2) out.push(`docdb ${m} has one instance`);
    if (type === 'rabbitmq' && of(g, TYPES.mq).find((r) => r.name === m)?.inputs.deploymentMode !== 'CLUSTER_MULTI_AZ') out.push(`broker ${m} is single-instance`);
  }
  if (d.high.size > 0) {
    const zones = new Set(of(g, TYPES.subnet).filter((s) => s.name.startsWith('private-')).map((s) => String(s.inputs.availabilityZone)));
    if (zones.size < 3) out.push(`private subnets span ${zones.size} zones, not 3`);
  }
  return out;
};

export const backupsRetained: Rule = (g, d) => {
  const out: string[] = [];
  const expected = (m: string): number => Math.min(35, d.retain.get(m) ?? 7);
  for (const r of [...of(g, TYPES.rds), ...of(g, TYPES.docdb)]) if (r.inputs.backupRetentionPeriod !== expected(r.name)) out.push(`${r.name} keeps backups ${String(r.inputs.backupRetentionPeriod)} days, not ${expected(r.name)}`);
  for (const r of of(g, TYPES.cache)) if (r.inputs.snapshotRetentionLimit !== expected(r.name)) out.push(`cache ${r.name} keeps snapshots ${String(r.inputs.snapshotRetentionLimit)} days`);
  return out;
};

export const secretsOnlyFromSecretsManager: Rule = (g, d) => {
  const out: string[] = [];
  const secretArns = of(g, TYPES.secret).map((s) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${s.name}`);
  for (const t of of(g, TYPES.taskDef)) {
    if (t.secretInputs.includes('containerDefinitions')) out.push(`task ${t.name}: a secret flowed into the container definitions`);
    const defs = JSON.parse(String(t.inputs.containerDefinitions)) as { environment?: { name: string; value: string }[]; secrets?: { name: string; valueFrom: string }[] }[];
    for (const c of defs) {
      for (const e of c.environment ?? []) for (const s of d.secrets) if (e.value.includes(s)) out.push(`task ${t.name}: ${e.name} holds a secret in plain env`);
      for (const s of c.secrets ?? []) if (!secretArns.some((arn) => s.valueFrom.startsWith(`${arn}:`))) out.push(`task ${t.name}: ${s.name} comes from ${s.valueFrom}, not Secrets Manager`);
    }
  }
  return out;
};

export const deletionProtection: Rule = (g, d) => {
  const out: string[] = [];
  for (const r of [...of(g, TYPES.rds), ...of(g, TYPES.docdb)]) {
    if (r.inputs.deletionProtection !== true) out.push(`${r.name} without deletion protection`);
    if (r.inputs.skipFinalSnapshot !== false || !r.inputs.finalSnapshotIdentifier) out.push(`${r.name} skips its final snapshot`);
  }
  for (const r of [...of(g, TYPES.rds), ...of(g, TYPES.docdb), ...of(g, TYPES.cache), ...of(g, TYPES.mq)]) if (!r.retainOnDelete) out.push(`${r.name} is deleted with the stack`);
  for (const b of of(g, TYPES.bucket)) if (d.types.get(b.name) === 'object-store' && !b.retainOnDelete) out.push(`bucket ${b.name} is deleted with the stack`);
  return out;
};

export const POLICIES: Readonly<Record<string, Rule>> = { noPublicDatabase, encryptionAtRest, leastPrivilegeSecurityGroups, multiAzWhenHigh, backupsRetained, secretsOnlyFromSecretsManager, deletionProtection };
