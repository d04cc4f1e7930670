/**
 * lower produces InfraIR v2, a system design: one node per thing that runs (workload, store,
 * gateway, schedule) plus the images, data volumes and secrets they need, with no platform notion
 * in it (no containers, networks, aliases, Docker restart values, CMD arrays, host IPs, load
 * balancers or shell loops), host outputs as apply-time references, and the L4 fields of `with:`
 * carried into the design.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';
import type { GatewayNode, InfraIR, IrNode, ScheduleNode, StoreNode, WorkloadNode } from '../../../src/compiler/lower/ir.js';
import { outputRef } from '../../../src/compiler/resolve/value.js';
import { gateway } from '../../../src/modules/gateway.js';
import { postgres } from '../../../src/modules/postgres.js';
import { service } from '../../../src/modules/service.js';
import type { ModuleDescriptor, ModuleInstance } from '../../../src/modules/descriptor.js';
import { designModule, depView } from '../../modules/fixtures.js';
import { ALL_MODULES } from '../../targets/fixtures.js';

function design(): InfraIR {
  const c = compileText(ALL_MODULES.path, readFileSync(ALL_MODULES.path, 'utf8'), { until: 'lower' });
  if (!c.design) throw new Error(JSON.stringify(c.diagnostics));
  return c.design;
}

function node<N extends IrNode>(ir: InfraIR, id: string): N {
  const found = ir.nodes.find((n) => n.id === id);
  if (!found) throw new Error(`no ${id} in ${ir.nodes.map((n) => n.id).join(', ')}`);
  return found as N;
}

/** An instance with `with` as given, unvalidated: the L4 fields' schemas are another change's. */
function raw(d: ModuleDescriptor, name: string, w: Record<string, unknown>, deps: ModuleInstance['deps'] = {}): ModuleInstance {
  return { system: 'shop', name, type: d.kind, version: d.versions.default, with: w, env: {}, labels: {}, deps };
}

describe('the system design', () => {
  it('has one design node per running module and none of a platform', () => {
    const ir = design();
    expect(ir.irVersion).toBe(2);
    const kinds = Object.fromEntries(ir.nodes.filter((n) => 'process' in n).map((n) => [n.id, n.kind]));
    expect(kinds).toEqual({
      'store:bus': 'store',
      'workload:cache': 'workload',
      'store:files': 'store',
      'store:maria': 'store',
      'store:mongo': 'store',
      'store:pg': 'store',
      'schedule:nightly': 'schedule',
      'store:rabbit': 'store',
      'workload:jobs': 'workload',
      'workload:py': 'workload',
      'workload:site': 'workload',
      'workload:api': 'workload',
      'workload:whoami': 'workload',
      'workload:ws': 'workload',
      'gateway:edge': 'gateway',
    });
    const text = JSON.stringify(ir);
    for (const docker of ['"container"', '"network"', 'aliases', 'hostIp', 'unless-stopped', '"CMD"', 'CMD-SHELL', '127.0.0.11', 'while :;', '--lb', '--replicas', '"kind":"ref"']) {
      expect(text.includes(docker), docker).toBe(docker === '"kind":"ref"');
    }
  });

  it('gives a store its data volume, ports, engine and a typed readiness probe', () => {
    const ir = design();
    const pg = node<StoreNode>(ir, 'store:pg');
    expect(pg.engine).toBe('postgres');
    expect(pg.data).toEqual({ volume: 'volume:pg-data', path: '/var/lib/postgresql/data', size: '1Gi' });
    expect(node(ir, 'volume:pg-data')).toMatchObject({ kind: 'volume', purpose: 'data', keep: true, module: 'pg' });
    expect(pg.ports).toEqual([{ name: 'postgres', port: 5432, protocol: 'tcp', publish: 15432 }]);
    expect(pg.process.readiness?.probe).toEqual({ kind: 'exec', command: ['pg_isready', '-U', 'app', '-d', 'main', '-h', '127.0.0.1'] });
    expect(pg.process.restart).toBe('always');
    expect(pg.availability).toBe('standard');
    expect(pg.dependsOn).toEqual(['image:pg', 'secret:pg-password', 'volume:pg-data']);
  });

  it('keeps a replicated service as one workload with a replica count and an http probe on its runtime', () => {
    const api = node<WorkloadNode>(design(), 'workload:api');
    expect(api.replicas).toBe(2);
    expect(api.ports).toEqual([{ name: 'http', port: 8080, protocol: 'http', publish: 18080 }]);
    expect(api.process.readiness?.probe).toEqual({ kind: 'http', path: '/health', port: 8080 });
    expect(api.process.runtime).toBe('node');
    expect(api.dependsOn).toEqual(expect.arrayContaining(['image:api', 'store:pg', 'workload:cache', 'store:files', 'secret:pg-password']));
    expect(api.process.envOrigin.PG_URL).toBe('uses:pg');
    expect(api.process.env.PG_HOST).toEqual(outputRef('pg', 'host'));
  });

  it('routes a gateway to modules and their ports, with no proxy configuration in the design', () => {
    const edge = node<GatewayNode>(design(), 'gateway:edge');
    expect(edge.listen).toBe(8080);
    expect(edge.publish).toBe(18443);
    expect(edge.routes).toEqual([
      { path: '/api', to: 'api', port: 8080, websocket: false, stripPrefix: true },
      { path: '/ws', to: 'ws', port: 9000, websocket: true, stripPrefix: false },
      { path: '/py', to: 'py', port: 8000, websocket: false, stripPrefix: false },
      { path: '/whoami', to: 'whoami', port: 80, websocket: false, stripPrefix: false },
      { path: '/', to: 'site', port: 8080, websocket: false, stripPrefix: false },
    ]);
    expect(edge.process.files).toEqual([]);
  });

  it('schedules a cron job with its interval', () => {
    const job = node<ScheduleNode>(design(), 'schedule:nightly');
    expect([job.schedule, job.everySeconds]).toEqual(['@every 15m', 900]);
    expect(job.process.command).toEqual(['node', 'scripts/cleanup.js', '--older-than=$(date)']);
  });

  it('leaves built images unnamed: the target names them', () => {
    const image = node<IrNode & { kind: 'image' }>(design(), 'image:api');
    expect(image.ref).toBeUndefined();
    expect(image.source).toMatchObject({ kind: 'build', context: './everything/api' });
  });
});

describe('L4 fields in the design', () => {
  it('carries autoscale (replicas = its minimum) and resources of a service', () => {
    const nodes = designModule(service, raw(service, 'api', { runtime: 'image', image: 'nginx:1', port: 80, autoscale: { min: 2, max: 6, cpu: 70 }, resources: { cpu: '500m', memory: '256Mi' } }));
    const w = nodes.find((n): n is WorkloadNode => n.kind === 'workload');
    expect(w?.replicas).toBe(2);
    expect(w?.autoscale).toEqual({ min: 2, max: 6, cpu: 70 });
    expect(w?.process.resources).toEqual({ cpu: '500m', memory: '256Mi' });
  });

  it('carries availability of a store', () => {
    const nodes = designModule(postgres, raw(postgres, 'db', { availability: 'high', storage: '5Gi' }));
    const s = nodes.find((n): n is StoreNode => n.kind === 'store');
    expect(s?.availability).toBe('high');
    expect(s?.data.size).toBe('5Gi');
  });

  it('carries replicas of a gateway', () => {
    const deps = { web: depView(service, 'web', { runtime: 'image', image: 'nginx:1', port: 80 }) };
    const nodes = designModule(gateway, raw(gateway, 'edge', { routes: [{ path: '/', to: 'web' }], replicas: 2 }, deps));
    expect(nodes.find((n): n is GatewayNode => n.kind === 'gateway')?.replicas).toBe(2);
  });
});
