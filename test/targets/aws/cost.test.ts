/**
 * The aws cost estimate's arithmetic, against amounts computed by hand from the us-east-1 table
 * (src/targets/aws/prices/us-east-1.json) and the assumptions in src/targets/aws/cost.ts:
 * teamdocs per module and in total, then one rule per case (Multi-AZ, replicas, autoscale, cron
 * jobs, static sites, regions). 730 hours a month throughout.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';
import type { InfraIR, IrNode, StoreNode, WorkloadNode } from '../../../src/compiler/lower/ir.js';
import { estimateCost, regionOf } from '../../../src/targets/aws/cost.js';
import { ALL_MODULES, exampleNamed } from '../fixtures.js';
import { concat, secretRef, text, type Value } from '../../../src/compiler/resolve/value.js';
import { designOf, envOf, image, process as processOf, schedule, secret, store, volume, workload } from '../kubernetes/design-of.js';

function designOfSpec(path: string): InfraIR {
  const c = compileText(path, readFileSync(path, 'utf8'), { target: 'docker', outDir: '/tmp/aninfra-cost-test' });
  if (!c.design) throw new Error(`${path} has no design: ${JSON.stringify(c.diagnostics)}`);
  return c.design;
}

const teamdocs = designOfSpec(exampleNamed('teamdocs').path);
const US = { region: 'us-east-1' };

/** The design with one node replaced. */
function withNode<N extends IrNode>(design: InfraIR, id: string, change: (n: N) => N): InfraIR {
  return { ...design, nodes: design.nodes.map((n) => (n.id === id ? change(n as N) : n)) };
}

describe('teamdocs on us-east-1, by hand', () => {
  // A Fargate task without resources: 0.25 vCPU, 0.5 GB
  //   0.25 × 0.04048 + 0.5 × 0.004445 = 0.01012 + 0.0022225 = 0.0123425 per hour
  //   × 730 = 9.010025 a month; plus 1 GB of logs × 0.50 = 0.50 a month per task.
  // Every service and the worker is built: 1 GB in ECR × 0.10 = 0.10 a month per module.
  // Each of them uses a store whose URL holds a password (payments also Stripe's key from the
  // environment), so its task has its own Secrets Manager secret: 0.40 a month.
  const expected: Record<string, number> = {
    // one task: 9.010025 + 0.50 + 0.10 (ECR) + 0.40 (env secret) = 10.010025
    auth: 10.01,
    // two replicas: 2 × (9.010025 + 0.50) + 0.10 + 0.40 = 19.02005 + 0.50 = 19.52005
    documents: 19.52,
    realtime: 10.01,
    // the worker: as auth
    payments: 10.01,
    // postgres, standard → db.t4g.micro: 0.016 × 730 = 11.68
    //   storage 10Gi, raised to the 20 GB minimum: 20 × 0.115 = 2.30
    //   its generated password in Secrets Manager: 0.40
    //   11.68 + 2.30 + 0.40 = 14.38
    'accounts-db': 14.38,
    // redis, standard → one cache.t4g.micro: 0.016 × 730 = 11.68; password 0.40 → 12.08
    sessions: 12.08,
    // mongodb, standard → DocumentDB db.t4g.medium: 0.078 × 730 = 56.94
    //   storage 1Gi → 20 GB minimum: 20 × 0.10 = 2.00; I/O 10 million × 0.20 = 2.00; password 0.40
    //   56.94 + 2.00 + 2.00 + 0.40 = 61.34
    'docs-db': 61.34,
    // the gateway → an ALB: (0.0225 per hour + 1 LCU × 0.008 + 2 zones × 0.005 public IPv4) × 730
    //   = 0.0405 × 730 = 29.565 → 29.57 (half-up)
    edge: 29.57,
    // the network: 2 zones, no availability high → one NAT gateway, 0.045 + 0.005 (its IPv4) per hour
    //   0.05 × 730 = 36.50; plus 100 GB through NAT × 0.045 = 4.50 → 41.00
    '(system)': 41,
  };
  // stripe (external) produces no design nodes: nothing to pay on AWS.
  // 10.01 + 19.52 + 10.01 + 10.01 + 14.38 + 12.08 + 61.34 + 29.57 + 41.00 = 207.92
  const total = 207.92;

  const estimate = estimateCost(teamdocs, US);

  it('prices each module as computed by hand', () => {
    expect(estimate.perModule).toEqual(expected);
    expect(Object.keys(estimate.perModule)).toEqual(Object.keys(expected).sort());
  });

  it('totals the per-module amounts', () => {
    expect(estimate.monthly).toBe(total);
    const sum = Object.values(estimate.perModule).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - estimate.monthly)).toBeLessThan(1e-9);
  });

  it('names the price table and its assumptions', () => {
    expect(estimate).toMatchObject({ currency: 'USD', region: 'us-east-1', priceDate: '2025-01-01' });
    expect(estimate.assumptions.length).toBeGreaterThan(5);
    expect(estimate.diagnostics).toBeUndefined();
  });

  it('is deterministic', () => {
    expect(JSON.stringify(estimateCost(teamdocs, US))).toBe(JSON.stringify(estimate));
  });

  it('prices the design region by default (platform.aws.region, else us-east-1)', () => {
    expect(regionOf(teamdocs)).toBe('us-east-1');
    expect(estimateCost(teamdocs)).toEqual(estimate);
    const inIreland = { ...teamdocs, platform: { ...teamdocs.platform, aws: { region: 'eu-west-1' } } };
    expect(estimateCost(inIreland).region).toBe('eu-west-1');
  });
});

describe('rules', () => {
  it('availability high runs RDS Multi-AZ: instance and storage × 2', () => {
    const high = withNode<StoreNode>(teamdocs, 'store:accounts-db', (n) => ({ ...n, availability: 'high' }));
    // high → the general-purpose class db.m6g.large (0.159 per hour), Multi-AZ factor 2:
    //   2 × (0.159 × 730 + 20 × 0.115) + 0.40 = 2 × (116.07 + 2.30) + 0.40 = 236.74 + 0.40 = 237.14
    const e = estimateCost(high, US);
    expect(e.perModule['accounts-db']).toBe(237.14);
    // and the network spans 3 zones with a NAT gateway each: 3 × 0.05 × 730 + 4.50 = 109.50 + 4.50 = 114.00
    expect(e.perModule['(system)']).toBe(114);
    // the ALB gets a third public IPv4: (0.0225 + 0.008 + 3 × 0.005) × 730 = 0.0455 × 730 = 33.215 → 33.22
    expect(e.perModule.edge).toBe(33.22);
  });

  it('availability high on the same class is exactly the Multi-AZ factor', () => {
    // 2 vCPU and 8 GiB: standard picks the burstable db.t4g.large, high the general-purpose db.m6g.large.
    const resources = { cpu: '2', memory: '8Gi' };
    const db = (availability: 'standard' | 'high'): InfraIR =>
      designOf('s', [store('db', 'mysql', { process: processOf('db', { resources }), availability, data: { volume: 'volume:db-data', path: '/d', size: '50Gi' } })]);
    // standard: db.t4g.large 0.129 × 730 + 50 × 0.115 = 94.17 + 5.75 = 99.92
    expect(estimateCost(db('standard'), US).perModule.db).toBe(99.92);
    // high: db.m6g.large (mysql) 2 × (0.152 × 730 + 50 × 0.115) = 2 × (110.96 + 5.75) = 233.42
    expect(estimateCost(db('high'), US).perModule.db).toBe(233.42);
  });

  it('replicas multiply the Fargate tasks', () => {
    const api = (replicas: number): InfraIR => designOf('s', [workload('api', { process: processOf('api', { resources: { cpu: '1', memory: '2Gi' } }), replicas })]);
    // 1 vCPU, 2 GB: (1 × 0.04048 + 2 × 0.004445) × 730 = 0.04937 × 730 = 36.0401, + 0.50 logs = 36.5401 per task
    expect(estimateCost(api(1), US).perModule.api).toBe(36.54);
    // 3 × 36.5401 = 109.6203
    expect(estimateCost(api(3), US).perModule.api).toBe(109.62);
  });

  it('autoscale counts its minimum', () => {
    const scaled: WorkloadNode = workload('api', { process: processOf('api'), replicas: 2, autoscale: { min: 2, max: 10, cpu: 70 } });
    // 2 tasks of the default size: 2 × (9.010025 + 0.50) = 19.02005 (not 10 tasks; no env secret)
    expect(estimateCost(designOf('s', [scaled]), US).perModule.api).toBe(19.02);
  });

  it('a cron job pays its runs on Fargate and its Scheduler invocations', () => {
    const job = schedule('job', '@every 15m', 900, processOf('job'));
    // 730 × 3600 / 900 = 2920 runs; 2920 / 1e6 × 1.00 = 0.00292 (Scheduler)
    // 2920 runs × 1 minute = 48.666… hours × 0.0123425 = 0.600668 (Fargate); total 0.603588 → 0.60
    const e = estimateCost(designOf('s', [job]), US);
    expect(e.perModule.job).toBe(0.6);
    // the network is paid by the system
    expect(e.perModule['(system)']).toBe(41);
  });

  it('a cron job faster than a minute runs every minute (Scheduler rates count whole minutes)', () => {
    const job = schedule('job', '@every 30s', 30, processOf('job'));
    // 730 × 60 = 43,800 runs: 0.0438 (Scheduler) + 730 hours × 0.0123425 = 9.010025 (Fargate) → 9.053825 → 9.05
    expect(estimateCost(designOf('s', [job]), US).perModule.job).toBe(9.05);
  });

  it('a static site is S3 and CloudFront', () => {
    const site = workload('site', { process: processOf('site', { mounts: [{ kind: 'bind', source: './site', target: '/usr/share/nginx/html', readOnly: true }] }) });
    // 1 GB × 0.023 + 10 GB out × 0.085 = 0.023 + 0.85 = 0.873 → 0.87
    const e = estimateCost(designOf('s', [site]), US);
    // the program builds the system's network in any case: 41.00
    expect(e.perModule).toEqual({ site: 0.87, '(system)': 41 });
    expect(e.monthly).toBe(41.87);
  });

  it('secrets and built images are billed to their module; volumes to nobody', () => {
    const built = image('api', '', { kind: 'build', context: './api', args: {} });
    const e = estimateCost(designOf('s', [built, secret('api', 'token'), secret('api', 'key'), volume('api', 'backups', '5Gi')]), US);
    // both generated keys in one secret: 0.40; 1 GB in ECR × 0.10 = 0.10 → 0.50
    expect(e.perModule.api).toBe(0.5);
  });

  it('a task whose env holds a secret or a value of the applying environment pays one secret for them', () => {
    const api = (env: Record<string, readonly [Value, string]>): InfraIR => designOf('s', [workload('api', { process: processOf('api', envOf(env)) })]);
    // default task 9.010025 + 0.50 logs = 9.510025
    expect(estimateCost(api({ PLAIN: [text('x'), 'spec'] }), US).perModule.api).toBe(9.51);
    // + one env secret 0.40, however many values it holds = 9.910025
    expect(estimateCost(api({ DB: [concat('postgres://u:', secretRef('db', 'password'), '@db'), 'uses:db'], KEY: [[{ kind: 'host-env', name: 'K' }], 'uses:ext'] }), US).perModule.api).toBe(9.91);
  });

  it('an existing VPC (platform.aws.vpcId) has no network cost', () => {
    const e = estimateCost({ ...teamdocs, platform: { aws: { vpcId: 'vpc-0123456789abcdef0' } } }, US);
    expect(e.perModule).not.toHaveProperty('(system)');
    // 207.92 − 41.00
    expect(e.monthly).toBe(166.92);
  });

  it('an engine without a managed service runs as one Fargate task, whatever its availability, and is named in the assumptions', () => {
    const e = estimateCost(designOf('s', [store('x', 'etcd', { process: processOf('x'), availability: 'high' })]), US);
    // 9.010025 + 0.50 logs = 9.510025
    expect(e.perModule.x).toBe(9.51);
    expect(e.assumptions.some((a) => a.includes("'x'") && a.includes("'etcd'"))).toBe(true);
  });

  it('eu-west-1 uses its own table', () => {
    const e = estimateCost(teamdocs, { region: 'eu-west-1' });
    expect(e.region).toBe('eu-west-1');
    // db.t4g.micro 0.017 × 730 = 12.41; 20 × 0.127 = 2.54; password 0.40 → 15.35
    expect(e.perModule['accounts-db']).toBe(15.35);
    // (0.048 + 0.005) × 730 + 100 × 0.048 = 38.69 + 4.80 = 43.49
    expect(e.perModule['(system)']).toBe(43.49);
  });

  it('a region without a table is priced with us-east-1 and warned about (WARN_AWS_REGION_UNPRICED)', () => {
    const e = estimateCost(teamdocs, { region: 'ap-south-1' });
    expect(e.diagnostics?.map((d) => [d.code, d.severity, d.path])).toEqual([['WARN_AWS_REGION_UNPRICED', 'warning', '/platform/aws/region']]);
    const us = estimateCost(teamdocs, US);
    expect({ ...e, diagnostics: undefined, assumptions: [] }).toEqual({ ...us, diagnostics: undefined, assumptions: [] });
    expect(e.assumptions.some((a) => a.includes('ap-south-1'))).toBe(true);
  });
});

describe('every module type', () => {
  const design = designOfSpec(ALL_MODULES.path);
  const e = estimateCost(design, US);

  it('gives every module of the design a positive amount, and the network one', () => {
    const modules = [...new Set(design.nodes.flatMap((n) => ('module' in n ? [n.module] : [])))].sort();
    expect(Object.keys(e.perModule)).toEqual(['(system)', ...modules].sort());
    for (const [module, amount] of Object.entries(e.perModule)) expect(amount, module).toBeGreaterThan(0);
    expect(e.monthly).toBe(Math.round(Object.values(e.perModule).reduce((a, b) => a + b, 0) * 100) / 100);
  });

  it('prices each engine by its service', () => {
    const generated = (module: string): number => (design.nodes.some((n) => n.kind === 'secret' && n.module === module) ? 0.4 : 0);
    // object-store 'files' (10Gi): 10 × 0.023 = 0.23 in S3; its root password is not created on S3 (IAM)
    expect(generated('files')).toBe(0.4);
    expect(e.perModule.files).toBe(0.23);
    // rabbitmq standard: one mq.t3.micro 0.0216 × 730 = 15.768, plus its generated secret
    expect(e.perModule.rabbit).toBe(Math.round((15.768 + generated('rabbit')) * 100) / 100);
  });
});
