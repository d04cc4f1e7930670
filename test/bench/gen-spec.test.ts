/**
 * The benchmark's spec generator (bench/lib/gen-spec.mjs): the mix it promises, names and host
 * ports that cannot collide, gateways that route to services, determinism, and specs that
 * validate, in process and through the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FULL_MIX_TYPES, GATEWAY_BASE_PORT, SERVICES_PER_GATEWAY, generateSpec, planCounts, writeGeneratedSpec } from '../../bench/lib/gen-spec.mjs';
import { CLI, ROOT } from '../../bench/lib/trace.mjs';
import { compileYaml } from '../helpers/spec.js';

const SIZES = [1, 2, 5, 10, 37, 100, 1000];
const DNS_LABEL = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

describe('planCounts', () => {
  it.each(SIZES)('adds up to %i modules with at least one database', (size) => {
    const c = planCounts(size);
    expect(c.postgres + c.redis + c.mongodb + c.service + c.worker + c.gateway).toBe(size);
    expect(c.postgres + c.redis + c.mongodb).toBeGreaterThanOrEqual(1);
    expect(c.gateway).toBe(c.service > 0 ? Math.ceil(c.service / SERVICES_PER_GATEWAY) : 0);
  });

  it('has every role from 10 modules up', () => {
    for (const size of [10, 100, 1000, 10000]) {
      const c = planCounts(size);
      for (const t of FULL_MIX_TYPES) expect(c[t as keyof typeof c], `${t} at ${size}`).toBeGreaterThan(0);
    }
  });

  it('folds roles whose type the catalog lacks into postgres', () => {
    expect(planCounts(100, ['postgres'])).toEqual({ postgres: 100, redis: 0, mongodb: 0, service: 0, worker: 0, gateway: 0 });
    const noGateway = planCounts(100, ['postgres', 'service']);
    expect(noGateway.gateway).toBe(0);
    expect(noGateway.service + noGateway.postgres).toBe(100);
  });
});

describe('generateSpec', () => {
  it.each(SIZES)('%i modules: the YAML says what the model says', (size) => {
    const g = generateSpec(size);
    const doc = parse(g.text, { uniqueKeys: true }) as { apiVersion: string; kind: string; modules: Record<string, unknown> };
    expect(doc.apiVersion).toBe('aninfra/v1');
    expect(doc.kind).toBe('System');
    expect(Object.keys(doc.modules)).toHaveLength(size);
    expect(doc.modules).toEqual(JSON.parse(JSON.stringify(Object.fromEntries(g.modules))));
  });

  it('uses DNS-label names and unique host ports, published by gateways only', () => {
    const g = generateSpec(1000);
    for (const name of g.modules.keys()) expect(name).toMatch(DNS_LABEL);
    expect(new Set(g.hostPorts).size).toBe(g.hostPorts.length);
    const published = [...g.modules.values()].filter((m) => m.with && ('port' in m.with || 'publish' in m.with) && m.type !== 'service');
    expect(published.every((m) => m.type === 'gateway')).toBe(true);
    expect(published.map((m) => m.with?.port)).toEqual(g.hostPorts);
    expect(g.hostPorts[0]).toBe(GATEWAY_BASE_PORT);
    // Replicas name containers <module>-1, <module>-2: none of those may be a module name.
    for (const [name, m] of g.modules) if (m.with?.replicas) expect(g.modules.has(`${name}-1`)).toBe(false);
  });

  it('wires services and workers to 1–3 existing databases and every service behind one gateway', () => {
    const g = generateSpec(1000);
    const dbs = new Set([...g.modules].filter(([, m]) => ['postgres', 'redis', 'mongodb'].includes(m.type)).map(([n]) => n));
    const routed = new Map<string, number>();
    for (const [name, m] of g.modules) {
      if (m.type === 'service') {
        expect(m.with).toMatchObject({ runtime: 'node', build: './svc', port: 8080 });
        expect(m.uses?.length).toBeGreaterThanOrEqual(1);
        expect(m.uses?.length).toBeLessThanOrEqual(3);
      }
      if (m.type === 'worker') expect(m.uses?.length).toBeGreaterThanOrEqual(1);
      for (const u of m.uses ?? []) expect(dbs.has(u), `${name} uses ${u}`).toBe(true);
      if (m.uses) expect(new Set(m.uses).size).toBe(m.uses.length);
      if (m.type === 'gateway') {
        const routes = m.with?.routes as { path: string; to: string }[];
        expect(routes.length).toBeGreaterThan(0);
        expect(routes.length).toBeLessThanOrEqual(SERVICES_PER_GATEWAY);
        for (const r of routes) {
          expect(g.modules.get(r.to)?.type).toBe('service');
          expect(r.path).toBe(`/s${r.to.slice('svc-'.length)}`);
          routed.set(r.to, (routed.get(r.to) ?? 0) + 1);
        }
      }
    }
    const services = [...g.modules].filter(([, m]) => m.type === 'service').map(([n]) => n);
    expect(services.every((s) => routed.get(s) === 1)).toBe(true);
    expect([...g.modules.values()].some((m) => m.type === 'service' && m.with?.replicas === 2)).toBe(true);
  });

  it('is deterministic for a seed and varies with it', () => {
    expect(generateSpec(300).text).toBe(generateSpec(300).text);
    expect(generateSpec(300, { seed: 7 }).text).not.toBe(generateSpec(300).text);
  });

  it.each([10, 100, 1000])('%i modules validate and resolve with no diagnostics (in process)', (size) => {
    const c = compileYaml(generateSpec(size).text, { until: 'resolve' });
    expect(c.diagnostics).toEqual([]);
    expect(c.ok).toBe(true);
  });
});

describe('generated specs through the CLI', () => {
  let dir: string;
  beforeAll(() => {
    if (!existsSync(CLI)) spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'ignore' });
    dir = mkdtempSync(join(tmpdir(), 'aninfra-gen-spec-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([10, 100])('validate exits 0 on %i modules, and plan emits both targets', (size) => {
    const spec = join(dir, `spec-${size}.yaml`);
    writeGeneratedSpec(spec, size);
    const v = spawnSync(process.execPath, [CLI, 'validate', spec, '--json'], { encoding: 'utf8' });
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, modules: size, diagnostics: [] });
    for (const target of ['compose', 'docker']) {
      const emit = join(dir, `emit-${size}-${target}`);
      const p = spawnSync(process.execPath, [CLI, 'plan', spec, '--json', '--target', target, '--emit-dir', emit, '--state-dir', join(dir, 'state')], { encoding: 'utf8', maxBuffer: 1 << 26 });
      expect(p.status, p.stderr).toBe(0);
      expect(existsSync(join(emit, target === 'compose' ? 'docker-compose.yml' : 'index.ts'))).toBe(true);
    }
  });
});
