/**
 * The aws programs run under Pulumi's mocks (no CLI, no AWS): teamdocs, a generated spec with
 * availability high and longer backups, and the every-module spec (static site uploaded, cron job,
 * DocumentDB, Amazon MQ, S3, NATS). Each registers exactly the model's resources with its
 * dependencies; then the policy suite over each registered graph (no public database, encryption
 * at rest, least-privilege security groups, Multi-AZ when high, backups retained, secrets only
 * from Secrets Manager, deletion protection), and every rule rejects a mutated graph (its
 * negative control).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceType } from '../../../src/targets/aws/index.js';
import { mockPassword, runUnderMocks, type MockedRun } from '../../helpers/pulumi-mocks.js';
import { ALL_MODULES_SPEC, EXAMPLES_DIR } from '../fixtures.js';
import { designOf, graphOf, POLICIES, type Design, type Graph, type Res } from './policies.js';
import { compileAws, examplePath, generatedSpec, type CompiledAws } from './program.js';

const HOST_ENV: Record<string, string> = { STRIPE_SECRET_KEY: 'sk-host-env-sentinel', STRIPE_WEBHOOK_SECRET: 'whsec-host-env-sentinel', STRIPE_KEY: 'sk-other-sentinel', STRIPE_WEBHOOK: 'wh-other-sentinel' };
const ZONES = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
/** What the mocked managed services report as their endpoint, by type: output name and value. */
const ENDPOINTS: Readonly<Record<string, readonly [string, (name: string) => unknown]>> = {
  'aws:rds/instance:Instance': ['address', (n) => `${n}.rds.mock`],
  'aws:elasticache/replicationGroup:ReplicationGroup': ['primaryEndpointAddress', (n) => `${n}.cache.mock`],
  'aws:docdb/cluster:Cluster': ['endpoint', (n) => `${n}.docdb.mock`],
  'aws:mq/broker:Broker': ['instances', (n) => [{ endpoints: [`amqps://${n}.mq.mock:5671`] }]],
  'aws:lb/loadBalancer:LoadBalancer': ['dnsName', (n) => `${n}.elb.mock`],
  'aws:cloudfront/distribution:Distribution': ['domainName', (n) => `${n}.cloudfront.mock`],
};

interface Case {
  readonly name: string;
  readonly path: string;
  readonly text: string;
  compiled: CompiledAws;
  run?: MockedRun;
  graph?: Graph;
  design?: Design;
}

const genText = generatedSpec(21, 'gen21');
const cases: Case[] = [
  { name: 'teamdocs', path: examplePath('teamdocs'), text: readFileSync(examplePath('teamdocs'), 'utf8') },
  { name: 'gen21', path: join(EXAMPLES_DIR, 'gen21.yaml'), text: genText },
  { name: 'all-modules', path: ALL_MODULES_SPEC, text: readFileSync(ALL_MODULES_SPEC, 'utf8') },
] as Case[];
let root = '';
const saved: Record<string, string | undefined> = {};

const arnOf = (type: string, name: string): string => {
  const service = type.split(':')[1]?.split('/')[0] ?? 'x';
  return service === 'secretsmanager' ? `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}` : `arn:aws:${service}:us-east-1:123456789012:${name}`;
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-aws-mocks-'));
  for (const [k, v] of Object.entries(HOST_ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  for (const c of cases) {
    // The program runs where it is emitted, so build contexts and the site's root resolve from there.
    c.compiled = compileAws(c.path, c.text, {}, join(root, c.name));
    c.run = await runUnderMocks(c.compiled.files, {
      dir: join(root, c.name),
      project: `aninfra-${c.compiled.model.system}`,
      state: (type, name) => ({ arn: arnOf(type, name), ...(ENDPOINTS[type] ? { [ENDPOINTS[type][0]]: ENDPOINTS[type][1](name) } : {}) }),
      call: (token) => {
        if (token.includes('getAvailabilityZones')) return { names: ZONES, zoneIds: ZONES, id: 'zones' };
        if (token.includes('getAuthorizationToken')) return { userName: 'AWS', password: 'mock-ecr-token', authorizationToken: 'x', expiresAt: '', proxyEndpoint: '', id: 'token' };
        return undefined;
      },
    });
    const passwords = c.run.resources.filter((r) => r.type === 'random:index/randomPassword:RandomPassword').map((r) => mockPassword(r.name));
    c.graph = graphOf(c.run.resources);
    c.design = designOf(c.text, [...passwords, ...Object.values(HOST_ENV)]);
  }
}, 240_000);
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(root, { recursive: true, force: true });
});

const byName = (c: Case) => ({ run: c.run as MockedRun, graph: c.graph as Graph, design: c.design as Design });

describe.each(cases.map((c) => [c.name, c] as const))('%s under mocks', (_name, c) => {
  it('registers every model resource once, by its type and name', () => {
    const { run } = byName(c);
    const registered = run.resources.filter((r) => r.custom && !r.type.startsWith('pulumi:providers:') && r.type !== 'aws:s3/bucketObjectv2:BucketObjectv2').map((r) => `${r.type}::${r.name}`).sort();
    const expected = c.compiled.model.nodes.filter((n) => !n.kind.startsWith('aninfra.')).map((n) => `${resourceType(n)}::${n.name}`).sort();
    expect(registered).toEqual(expected);
    expect(run.resources.filter((r) => r.type === 'pulumi:providers:aws')).toHaveLength(1);
  });

  it('wires the model dependencies', () => {
    const { run } = byName(c);
    const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
    for (const n of c.compiled.model.nodes.filter((x) => !x.kind.startsWith('aninfra.'))) {
      const r = run.resources.find((x) => x.type === resourceType(n) && x.name === n.name);
      const deps = new Set((r?.dependencies ?? []).map((u) => { const d = byUrn.get(u); return d ? `${d.type}::${d.name}` : u; }));
      for (const d of n.dependsOn) {
        const dn = c.compiled.model.nodes.find((x) => x.id === d);
        if (!dn || dn.kind.startsWith('aninfra.')) continue;
        expect(deps.has(`${resourceType(dn)}::${dn.name}`), `${n.id} → ${d}`).toBe(true);
      }
    }
  });

  it.each(Object.keys(POLICIES))('complies with %s', (rule) => {
    const { graph, design } = byName(c);
    expect((POLICIES[rule] as (g: Graph, d: Design) => string[])(graph, design)).toEqual([]);
  });
});

describe('what the programs realize', () => {
  it('gives consumers the apply-time endpoints, with TLS schemes and ports, as secret outputs', () => {
    const { run } = byName(cases[0] as Case);
    expect(run.outputs['accounts-db']?.url).toEqual({ value: `postgres://app:${mockPassword('accounts-db-password')}@accounts-db.rds.mock:5432/accounts`, secret: true });
    expect(run.outputs.sessions?.url).toEqual({ value: `rediss://:${mockPassword('sessions-password')}@sessions.cache.mock:6379/0`, secret: true });
    const all = byName(cases[2] as Case).run;
    expect(String(all.outputs.rabbit?.url?.value)).toMatch(/^amqps:\/\/app:[^@]+@rabbit\.mq\.mock:5671\//);
    expect(all.outputs.files?.endpoint?.value).toBe('https://s3.us-east-1.amazonaws.com');
    expect(all.outputs.site?.url?.value).toBe('https://site.cloudfront.mock:443');
  });

  it('uploads the static site files and builds images from the spec directory into ECR', () => {
    const { run } = byName(cases[2] as Case);
    const objects = run.resources.filter((r) => r.type === 'aws:s3/bucketObjectv2:BucketObjectv2');
    expect(objects.length).toBeGreaterThan(0);
    const image = run.resources.find((r) => r.type === 'docker:index/image:Image' && r.name === 'api');
    expect(String((image?.inputs.build as { context?: string } | undefined)?.context)).toBe(join(ALL_MODULES_SPEC, '..', 'everything', 'api'));
  });

  it('runs a high-availability design over 3 zones with a NAT gateway each', () => {
    const { graph } = byName(cases[1] as Case);
    expect(graph.filter((r) => r.type === 'aws:ec2/natGateway:NatGateway')).toHaveLength(3);
    expect(new Set(graph.filter((r) => r.type === 'aws:ec2/subnet:Subnet').map((r) => r.inputs.availabilityZone))).toEqual(new Set(ZONES));
  });
});

describe('destroy with --delete-data (stack config aninfra:deleteData)', () => {
  it('lifts deletion protection and retention of every data resource, so destroy deletes them', async () => {
    const c = cases[0] as Case;
    const run = await runUnderMocks(c.compiled.files, {
      dir: join(root, 'delete-data'),
      project: `aninfra-${c.compiled.model.system}`,
      config: { 'aninfra:deleteData': 'true' },
      call: (token) => (token.includes('getAvailabilityZones') ? { names: ZONES } : undefined),
    });
    const graph = graphOf(run.resources);
    expect(graph.filter((r) => r.retainOnDelete)).toEqual([]);
    expect(graph.filter((r) => r.type === 'aws:rds/instance:Instance').map((r) => r.inputs.deletionProtection)).toEqual([false]);
    expect(graph.filter((r) => r.type === 'aws:docdb/cluster:Cluster').map((r) => r.inputs.deletionProtection)).toEqual([false]);
    // The final snapshot is still taken.
    expect(graph.find((r) => r.type === 'aws:rds/instance:Instance')?.inputs.skipFinalSnapshot).toBe(false);
    expect((POLICIES.deletionProtection as (g: Graph, d: Design) => string[])(graph, byName(c).design).length).toBeGreaterThan(0);
  }, 120_000);
});

/** A graph with one resource changed (deep copy). */
function mutate(g: Graph, pick: (r: Res) => boolean, change: (r: Res) => void): Res[] {
  const copy = structuredClone(g) as Res[];
  const target = copy.find(pick);
  if (!target) throw new Error('nothing to mutate');
  change(target);
  return copy;
}

describe('every policy rejects its negative control', () => {
  const controls: readonly (readonly [string, number, (g: Graph) => Res[]])[] = [
    ['noPublicDatabase', 0, (g) => mutate(g, (r) => r.type === 'aws:rds/instance:Instance', (r) => (r.inputs.publiclyAccessible = true))],
    ['noPublicDatabase', 0, (g) => mutate(g, (r) => r.type === 'aws:rds/subnetGroup:SubnetGroup', (r) => (r.inputs.subnetIds = ['public-a-id', 'public-b-id']))],
    ['encryptionAtRest', 0, (g) => mutate(g, (r) => r.type === 'aws:elasticache/replicationGroup:ReplicationGroup', (r) => (r.inputs.atRestEncryptionEnabled = false))],
    ['encryptionAtRest', 2, (g) => g.filter((r) => r.type !== 'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration')],
    ['leastPrivilegeSecurityGroups', 0, (g) => [...g, { type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', name: 'db-open', inputs: { securityGroupId: 'accounts-db-id', cidrIpv4: '0.0.0.0/0', fromPort: 5432, toPort: 5432 }, secretInputs: [], retainOnDelete: false }]],
    ['leastPrivilegeSecurityGroups', 0, (g) => [...g, { type: 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule', name: 'extra-edge', inputs: { securityGroupId: 'docs-db-id', referencedSecurityGroupId: 'payments-id', fromPort: 27017, toPort: 27017 }, secretInputs: [], retainOnDelete: false }]],
    ['leastPrivilegeSecurityGroups', 0, (g) => mutate(g, (r) => r.type === 'aws:ecs/service:Service', (r) => (r.inputs.networkConfiguration = { subnets: [] }))],
    ['multiAzWhenHigh', 1, (g) => mutate(g, (r) => r.type === 'aws:rds/instance:Instance' && r.name === 'db-0', (r) => (r.inputs.multiAz = false))],
    ['multiAzWhenHigh', 1, (g) => mutate(g, (r) => r.type === 'aws:elasticache/replicationGroup:ReplicationGroup' && r.name === 'cache-0', (r) => (r.inputs.numCacheClusters = 1))],
    ['backupsRetained', 1, (g) => mutate(g, (r) => r.type === 'aws:rds/instance:Instance' && r.name === 'db-0', (r) => (r.inputs.backupRetentionPeriod = 7))],
    ['secretsOnlyFromSecretsManager', 0, (g) => mutate(g, (r) => r.type === 'aws:ecs/taskDefinition:TaskDefinition' && r.name === 'auth', (r) => {
      const defs = JSON.parse(String(r.inputs.containerDefinitions)) as { environment: { name: string; value: string }[] }[];
      (defs[0] as { environment: { name: string; value: string }[] }).environment.push({ name: 'LEAKED', value: `postgres://app:${mockPassword('accounts-db-password')}@db` });
      r.inputs.containerDefinitions = JSON.stringify(defs);
    })],
    ['secretsOnlyFromSecretsManager', 0, (g) => mutate(g, (r) => r.type === 'aws:ecs/taskDefinition:TaskDefinition' && r.name === 'payments', (r) => {
      const defs = JSON.parse(String(r.inputs.containerDefinitions)) as { secrets: { name: string; valueFrom: string }[] }[];
      (defs[0] as { secrets: { name: string; valueFrom: string }[] }).secrets.push({ name: 'FROM_SSM', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/x' });
      r.inputs.containerDefinitions = JSON.stringify(defs);
    })],
    ['deletionProtection', 0, (g) => mutate(g, (r) => r.type === 'aws:rds/instance:Instance', (r) => (r.inputs.deletionProtection = false))],
    ['deletionProtection', 2, (g) => mutate(g, (r) => r.type === 'aws:docdb/cluster:Cluster', (r) => (r.retainOnDelete = false))],
  ];
  it.each(controls.map(([rule, at, f], i) => [`${rule} #${i}`, rule, at, f] as const))('%s', (_label, rule, at, f) => {
    const c = cases[at] as Case;
    const { graph, design } = byName(c);
    const policy = POLICIES[rule] as (g: Graph, d: Design) => string[];
    expect(policy(graph, design)).toEqual([]);
    expect(policy(f(graph), design).length).toBeGreaterThan(0);
  });
});
