/**
 * The plan's cost estimate prices what the program deploys: for teamdocs, a generated spec with
 * availability high (Multi-AZ RDS, replicated ElastiCache, clustered Amazon MQ, 3 NAT gateways,
 * autoscaled and replicated services, cron jobs) and the every-module spec, every Fargate task
 * size and count, RDS class/Multi-AZ/storage, ElastiCache node type and count, DocumentDB
 * instance class and count, Amazon MQ broker type and nodes and the NAT gateway count read from
 * the emitted aws model equal what src/targets/aws/cost.ts priced (`pricedResources`). Both sides
 * are read independently, so a change to one alone fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';
import type { AwsModel, AwsNode } from '../../../src/targets/aws/index.js';
import { pricedResources, type PricedResource } from '../../../src/targets/aws/cost.js';
import { ALL_MODULES_SPEC, EXAMPLES_DIR } from '../fixtures.js';
import { examplePath, generatedSpec } from './program.js';

/** Amazon MQ broker nodes per deployment mode (RabbitMQ clusters have 3). */
const BROKER_NODES: Readonly<Record<string, number>> = { SINGLE_INSTANCE: 1, ACTIVE_STANDBY_MULTI_AZ: 2, CLUSTER_MULTI_AZ: 3 };

function compiled(path: string, text = readFileSync(path, 'utf8')) {
  const c = compileText(path, text, { target: 'aws', outDir: join(path, '..', '.aninfra', 'cost-program') });
  if (!c.ok || !c.design || !c.ir) throw new Error(`did not compile: ${JSON.stringify(c.diagnostics.filter((d) => d.severity === 'error'))}`);
  return { design: c.design, model: c.ir as AwsModel };
}

/** What the program deploys, in the estimate's terms, read from the model's resource arguments. */
function deployed(model: AwsModel): PricedResource[] {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const args = (id: string): Readonly<Record<string, unknown>> => {
    const n = byId.get(id);
    if (!n) throw new Error(`no ${id}`);
    return n.args as Readonly<Record<string, unknown>>;
  };
  const task = (module: string) => `${String(args(`aws.ecs.TaskDefinition/${module}`).cpu)}/${String(args(`aws.ecs.TaskDefinition/${module}`).memory)}`;
  const out: PricedResource[] = [];
  const of = (kind: string): AwsNode[] => model.nodes.filter((n) => n.kind === kind);
  for (const s of of('aws.ecs.Service')) out.push({ module: s.name, resource: 'fargate', size: task(s.name), count: Number(s.args.desiredCount) });
  for (const s of of('aws.scheduler.Schedule')) out.push({ module: s.name, resource: 'fargate-run', size: task(s.name), count: 1 });
  for (const r of of('aws.rds.Instance')) out.push({ module: r.name, resource: 'rds', size: `${String(r.args.instanceClass)}${r.args.multiAz === true ? ' multi-az' : ''} ${String(r.args.allocatedStorage)}GiB`, count: 1 });
  for (const r of of('aws.elasticache.ReplicationGroup')) out.push({ module: r.name, resource: 'elasticache', size: String(r.args.nodeType), count: Number(r.args.numCacheClusters) });
  for (const c of of('aws.docdb.Cluster')) {
    const instances = of('aws.docdb.ClusterInstance').filter((i) => (i.args.clusterIdentifier as { $ref?: string }).$ref === c.id);
    const classes = [...new Set(instances.map((i) => String(i.args.instanceClass)))];
    expect(classes, c.id).toHaveLength(1);
    out.push({ module: c.name, resource: 'documentdb', size: classes[0] ?? '', count: instances.length });
  }
  for (const b of of('aws.mq.Broker')) out.push({ module: b.name, resource: 'mq', size: String(b.args.hostInstanceType), count: BROKER_NODES[String(b.args.deploymentMode)] ?? Number.NaN });
  out.push({ module: '(system)', resource: 'nat', size: '', count: of('aws.ec2.NatGateway').length });
  return out;
}

/** The generated 21-module spec (every third group high) plus a broker and a document store with availability high. */
const HIGH = `${generatedSpec(21, 'gen21')}  queue-ha: { type: rabbitmq, with: { availability: high } }\n  docs-ha: { type: mongodb, with: { availability: high } }\n`;

const order = (xs: readonly PricedResource[]) => [...xs].sort((a, b) => `${a.resource} ${a.module}`.localeCompare(`${b.resource} ${b.module}`));

const cases = [
  ['teamdocs', examplePath('teamdocs'), undefined],
  ['high availability (generated, 23 modules)', join(EXAMPLES_DIR, 'gen21.yaml'), HIGH],
  ['every module', ALL_MODULES_SPEC, undefined],
] as const;

describe('cost estimate and aws program agree', () => {
  it.each(cases)('%s: every priced size and count is what the program deploys', (_name, path, text) => {
    const { design, model } = compiled(path, text);
    const priced = order(pricedResources(design));
    expect(priced).toEqual(order(deployed(model)));
    // Not vacuous: the cases cover each kind of priced resource.
    expect(priced.length).toBeGreaterThan(3);
  });

  it('covers Multi-AZ, replicated caches, clustered brokers, 3 NAT gateways and autoscaled services', () => {
    const priced = pricedResources(compiled(join(EXAMPLES_DIR, 'gen21.yaml'), HIGH).design);
    expect(priced.some((p) => p.resource === 'rds' && p.size.includes('multi-az'))).toBe(true);
    expect(priced.some((p) => p.resource === 'elasticache' && p.count > 1)).toBe(true);
    expect(priced.some((p) => p.resource === 'mq' && p.count === 3)).toBe(true);
    expect(priced.find((p) => p.resource === 'nat')?.count).toBe(3);
    expect(priced.some((p) => p.resource === 'fargate' && p.count > 1)).toBe(true);
    expect(priced.some((p) => p.resource === 'fargate-run')).toBe(true);
    expect(priced.some((p) => p.resource === 'documentdb' && p.count > 1)).toBe(true);
  });
});
