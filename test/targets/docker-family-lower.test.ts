/**
 * The docker family's lowering (src/targets/docker-family/lower.ts), from designs: typed probes
 * become Docker health checks, restart intents Docker restart values, apply-time references the
 * module's name on the network, volumes are named by purpose, and every design field Docker cannot
 * realize gets its coded warning while the model runs what the warning says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../src/operations/compile-file.js';
import type { GatewayNode, InfraIR, IrNode, Readiness, StoreNode, WorkloadNode } from '../../src/compiler/lower/ir.js';
import { lowerDockerFamily } from '../../src/targets/docker-family/lower.js';
import type { ContainerNode, DockerModel, DockerVolumeNode } from '../../src/targets/docker-family/model.js';
import { ALL_MODULES } from './fixtures.js';

function design(): InfraIR {
  const c = compileText(ALL_MODULES.path, readFileSync(ALL_MODULES.path, 'utf8'), { until: 'lower' });
  if (!c.design) throw new Error(JSON.stringify(c.diagnostics));
  return c.design;
}

/** The design with one module node changed. */
function changed<N extends IrNode>(ir: InfraIR, id: string, change: (node: N) => N): InfraIR {
  return { ...ir, nodes: ir.nodes.map((n) => (n.id === id ? change(n as N) : n)) };
}

function lowered(ir: InfraIR): { model: DockerModel; codes: string[][] } {
  const r = lowerDockerFamily(ir, 'compose');
  if (!r.value) throw new Error(JSON.stringify(r.diagnostics));
  return { model: r.value, codes: r.diagnostics.map((d) => [d.code, d.path]) };
}

const containersOf = (model: DockerModel, module: string): ContainerNode[] => model.nodes.filter((n): n is ContainerNode => n.kind === 'container' && n.module === module);
const timing = { intervalSeconds: 3, timeoutSeconds: 4, retries: 5, startPeriodSeconds: 6 };

describe('docker-family lowering of a design', () => {
  it('lowers the every-module design without warnings and without a reference left', () => {
    const { model, codes } = lowered(design());
    expect(codes).toEqual([]);
    expect(JSON.stringify(model)).not.toContain('"kind":"ref"');
    expect(model.nodes[0]?.kind).toBe('network');
  });

  it('resolves apply-time references to the module name, merging the text around them', () => {
    const { model } = lowered(design());
    const api = containersOf(model, 'api').find((c) => c.name === 'api--1');
    expect(api?.env.PG_HOST).toEqual([{ kind: 'text', text: 'pg' }]);
    expect(api?.env.PG_URL).toEqual([
      { kind: 'text', text: 'postgres://app:' },
      { kind: 'secret', module: 'pg', name: 'password' },
      { kind: 'text', text: '@pg:5432/main' },
    ]);
    expect(model.outputs.find((o) => o.module === 'files' && o.name === 'endpoint')?.value).toEqual([{ kind: 'text', text: 'http://files:9000' }]);
  });

  it.each([
    ['exec', { kind: 'exec', command: ['pg_isready', '-h', '127.0.0.1'] }, undefined, ['CMD', 'pg_isready', '-h', '127.0.0.1']],
    ['exec through the shell', { kind: 'exec', command: ['/bin/sh', '-c', 'redis-cli ping | grep -q PONG'] }, undefined, ['CMD-SHELL', 'redis-cli ping | grep -q PONG']],
    ['http on node', { kind: 'http', path: '/health', port: 8080 }, 'node', ['CMD', 'node', '-e', expect.any(String), 'http://127.0.0.1:8080/health']],
    ['http on python', { kind: 'http', path: '/health', port: 8000 }, 'python', ['CMD', 'python3', '-c', expect.any(String), 'http://127.0.0.1:8000/health']],
    ['http on nginx', { kind: 'http', path: '/.aninfra/health', port: 8080 }, 'nginx', ['CMD', 'curl', '-fsS', '-o', '/dev/null', 'http://127.0.0.1:8080/.aninfra/health']],
    ['http on anything else', { kind: 'http', path: '/healthz', port: 9000 }, undefined, ['CMD-SHELL', 'curl -fsS http://127.0.0.1:9000/healthz >/dev/null || wget -qO- http://127.0.0.1:9000/healthz >/dev/null']],
    ['tcp', { kind: 'tcp', port: 4222 }, undefined, ['CMD-SHELL', 'nc -z 127.0.0.1 4222']],
  ] as const)('turns a typed %s probe into a Docker health check with its timing', (_what, probe, runtime, test) => {
    const readiness = { probe, timing } as Readiness;
    const ir = changed<WorkloadNode>(design(), 'workload:whoami', (n) => ({ ...n, process: { ...n.process, readiness, ...(runtime ? { runtime } : {}) } }));
    const [c] = containersOf(lowered(ir).model, 'whoami');
    expect(c?.healthcheck).toEqual({ test, ...timing });
  });

  it.each([
    ['always', 'unless-stopped'],
    ['on-failure', 'on-failure'],
    ['never', 'no'],
  ] as const)('realizes the restart intent %s as %s', (intent, docker) => {
    const ir = changed<WorkloadNode>(design(), 'workload:whoami', (n) => ({ ...n, process: { ...n.process, restart: intent } }));
    expect(containersOf(lowered(ir).model, 'whoami')[0]?.restart).toBe(docker);
  });

  it('names a volume after its purpose; only data volumes have a legacy name', () => {
    const base = design();
    const backups = { kind: 'volume', id: 'volume:pg-backups', module: 'pg', purpose: 'backups', keep: true, provenance: { module: 'pg', rule: 'backup-volume', detail: 'dumps' }, dependsOn: [] } as const;
    const { model } = lowered({ ...base, nodes: [...base.nodes, backups] });
    const volumes = model.nodes.filter((n): n is DockerVolumeNode => n.kind === 'volume' && n.id.startsWith('volume:pg-'));
    expect(volumes.map((v) => [v.name, v.legacyName])).toEqual([
      ['everything--pg--data', 'everything-pg-data'],
      ['everything--pg--backups', undefined],
    ]);
  });

  it('runs autoscale as its minimum, with WARN_TARGET_AUTOSCALE_FIXED at the field', () => {
    const ir = changed<WorkloadNode>(design(), 'workload:whoami', (n) => ({ ...n, replicas: 3, autoscale: { min: 3, max: 10, cpu: 70 } }));
    const { model, codes } = lowered(ir);
    expect(codes).toEqual([['WARN_TARGET_AUTOSCALE_FIXED', '/modules/whoami/with/autoscale']]);
    expect(containersOf(model, 'whoami').map((c) => c.name)).toEqual(['whoami--1', 'whoami--2', 'whoami--3', 'whoami']);
  });

  it('keeps resources out of the containers, with WARN_TARGET_RESOURCES_IGNORED', () => {
    const base = lowered(design()).model;
    const ir = changed<WorkloadNode>(design(), 'workload:whoami', (n) => ({ ...n, process: { ...n.process, resources: { cpu: '500m', memory: '256Mi' } } }));
    const { model, codes } = lowered(ir);
    expect(codes).toEqual([['WARN_TARGET_RESOURCES_IGNORED', '/modules/whoami/with/resources']]);
    expect(model).toEqual(base);
  });

  it('runs a highly available store as one container, with WARN_TARGET_AVAILABILITY_SINGLE_HOST', () => {
    const ir = changed<StoreNode>(design(), 'store:pg', (n) => ({ ...n, availability: 'high' }));
    const { model, codes } = lowered(ir);
    expect(codes).toEqual([['WARN_TARGET_AVAILABILITY_SINGLE_HOST', '/modules/pg/with/availability']]);
    expect(containersOf(model, 'pg').map((c) => c.name)).toEqual(['pg']);
  });

  it('runs a replicated gateway as the one container publishing the port, with WARN_TARGET_GATEWAY_SINGLE', () => {
    const ir = changed<GatewayNode>(design(), 'gateway:edge', (n) => ({ ...n, replicas: 3 }));
    const { model, codes } = lowered(ir);
    expect(codes).toEqual([['WARN_TARGET_GATEWAY_SINGLE', '/modules/edge/with/replicas']]);
    expect(containersOf(model, 'edge').map((c) => [c.name, c.ports.map((p) => p.host)])).toEqual([['edge', [18443]]]);
  });

  it('routes the gateway to each target by its module name through Docker DNS', () => {
    const [edge] = containersOf(lowered(design()).model, 'edge');
    const conf = edge?.files.find((f) => f.path === '/etc/nginx/conf.d/aninfra.conf')?.content ?? '';
    expect(conf).toContain('resolver 127.0.0.11 valid=1s ipv6=off;');
    expect(conf).toContain('set $aninfra_upstream http://ws:9000;');
    expect(conf).toContain('set $aninfra_upstream http://site:8080;');
  });

  it('loops a schedule with its interval in seconds', () => {
    const [job] = containersOf(lowered(design()).model, 'nightly');
    expect(job?.entrypoint?.[2]).toContain('sleep 900 & wait $!');
    expect(job?.command).toEqual(['node', 'scripts/cleanup.js', '--older-than=$(date)']);
  });
});
