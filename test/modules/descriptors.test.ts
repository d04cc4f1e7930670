/**
 * Invariants every descriptor in src/modules keeps: file and export names, schema hygiene under
 * strict ajv, examples that validate and lower, outputs that match their declarations, inject maps
 * over declared outputs, and IR that is well formed (ids, dependencies, exec-form health checks).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DockerNode } from '../../src/targets/docker-family/model.js';
import type { ModuleDescriptor } from '../../src/modules/descriptor.js';
import { cronJob } from '../../src/modules/cron-job.js';
import { external } from '../../src/modules/external.js';
import { gateway } from '../../src/modules/gateway.js';
import { mongodb } from '../../src/modules/mongodb.js';
import { mysql } from '../../src/modules/mysql.js';
import { nats } from '../../src/modules/nats.js';
import { objectStore } from '../../src/modules/object-store.js';
import { postgres } from '../../src/modules/postgres.js';
import { rabbitmq } from '../../src/modules/rabbitmq.js';
import { redis } from '../../src/modules/redis.js';
import { service } from '../../src/modules/service.js';
import { staticSite } from '../../src/modules/static-site.js';
import { worker } from '../../src/modules/worker.js';
import { checkInputs, depView, designModule, lowerInstance, makeAjv, makeInstance, NETWORK } from './fixtures.js';
import { targetsRealizing } from '../../src/targets/index.js';

const all: Record<string, ModuleDescriptor> = {
  'cron-job': cronJob,
  external,
  gateway,
  mongodb,
  mysql,
  nats,
  'object-store': objectStore,
  postgres,
  rabbitmq,
  redis,
  service,
  'static-site': staticSite,
  worker,
};

const camel = (file: string) => file.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

describe.each(Object.entries(all))('%s descriptor', (file, d) => {
  it('is named after its file, exported once, and opens with a doc comment', () => {
    expect(d.kind).toBe(file);
    const source = readFileSync(new URL(`../../src/modules/${file}.ts`, import.meta.url), 'utf8');
    expect(source.startsWith('/**\n')).toBe(true);
    expect(source.match(/^export /gm)).toEqual(['export ']);
    expect(source).toContain(`export const ${camel(file)}: ModuleDescriptor = {`);
  });

  it('has an input schema ajv compiles in strict mode, every property described', () => {
    expect(() => makeAjv().compile(d.inputs as object)).not.toThrow();
    expect(d.inputs.type).toBe('object');
    expect(d.inputs.additionalProperties).toBe(false);
    const props = d.inputs.properties as Record<string, { description?: unknown }>;
    for (const [key, schema] of Object.entries(props)) expect(typeof schema.description, key).toBe('string');
    for (const key of (d.inputs.required as string[] | undefined) ?? []) expect(props).toHaveProperty(key);
  });

  it('declares versions, images, targets and ports consistently', () => {
    expect(d.versions.supported).toContain(d.versions.default);
    for (const v of Object.keys(d.images)) expect(d.versions.supported).toContain(v);
    expect(targetsRealizing(d.realizes)).toEqual(expect.arrayContaining(['compose', 'docker']));
    expect(d.summary.length).toBeGreaterThan(10);
    for (const p of d.ports) expect(Number.isInteger(p.port)).toBe(true);
  });

  it('names outputs in camelCase and injects only declared outputs', () => {
    for (const name of Object.keys(d.outputs)) expect(name).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    for (const [suffix, output] of Object.entries(d.inject)) {
      expect(suffix).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(d.outputs).toHaveProperty(output);
    }
  });

  it.each(d.examples.map((e) => [e.title, e] as const))('example %s sets only env it declares owned (ownedEnv cannot drift)', (_title, example) => {
    const m = exampleInstance(d, example);
    const set = new Set<string>();
    for (const n of lowerInstance(d, m)) if (n.kind === 'container') for (const key of Object.keys(n.env)) set.add(key);
    // The instance has no env of its own, so every key comes from the lowering.
    for (const key of set) expect(d.ownedEnv, `${d.kind} sets ${key}`).toContain(key);
    expect([...d.ownedEnv].sort()).toEqual(d.ownedEnv);
    for (const key of d.ownedEnv) expect(key).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  it('declares a data path exactly when stateful, and its stores keep their data there', () => {
    expect(d.dataPath !== undefined).toBe(d.stateful);
    for (const example of d.examples) {
      for (const n of designModule(d, exampleInstance(d, example))) if (n.kind === 'store') expect(n.data.path).toBe(d.dataPath);
    }
  });

  it('owns exactly the env its lowering sets across all examples', () => {
    const set = new Set<string>();
    for (const example of d.examples) {
      const m = exampleInstance(d, example);
      for (const n of lowerInstance(d, m)) if (n.kind === 'container') for (const key of Object.keys(n.env)) set.add(key);
    }
    expect([...set].sort()).toEqual(d.ownedEnv);
  });

  it.each(d.examples.map((e) => [e.title, e] as const))('example %s validates, computes every output and lowers', (_title, example) => {
    expect(example.module.type).toBe(d.kind);
    if (example.module.version !== undefined) expect(d.versions.supported).toContain(example.module.version);
    const checked = checkInputs(d, example.module.with ?? {});
    expect(checked.errors).toEqual([]);
    expect(d.conflicts?.(checked.value) ?? []).toEqual([]);

    const edges = d.edges?.({ name: example.name, with: checked.value }) ?? [];
    const deps = Object.fromEntries(edges.map((e) => [e.target, depView(service, e.target, { runtime: 'node', build: `./${e.target}` })]));
    const m = makeInstance(d, example.name, example.module.with ?? {}, { deps, ...(example.module.version ? { version: example.module.version } : {}) });

    const outputs = d.outputValues(m);
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(d.outputs).sort());
    const secretKeys = Object.keys(d.secrets(m));
    for (const [name, decl] of Object.entries(d.outputs)) {
      const value = outputs[name] ?? [];
      if (!decl.secret) expect(value.every((p) => p.kind === 'text' || p.kind === 'ref'), name).toBe(true);
      for (const p of value) if (p.kind === 'secret') expect(secretKeys).toContain(p.name);
    }

    const nodes = lowerInstance(d, m);
    expectWellFormed(nodes, secretKeys, m.name);
  });
});

/** An example as lowering sees it, with every dependency its inputs imply (a gateway's routes) as a node service. */
function exampleInstance(d: ModuleDescriptor, example: ModuleDescriptor['examples'][number]) {
  const checked = checkInputs(d, example.module.with ?? {});
  const edges = d.edges?.({ name: example.name, with: checked.value }) ?? [];
  const deps = Object.fromEntries(edges.map((e) => [e.target, depView(service, e.target, { runtime: 'node', build: `./${e.target}` })]));
  return makeInstance(d, example.name, example.module.with ?? {}, { deps, ...(example.module.version ? { version: example.module.version } : {}) });
}

function expectWellFormed(nodes: readonly DockerNode[], secretKeys: string[], module: string): void {
  const ids = nodes.map((n) => n.id);
  expect(new Set(ids).size).toBe(ids.length);
  const known = new Set([...ids, NETWORK]);
  for (const n of nodes) {
    expect(n.id.startsWith(`${n.kind}:`)).toBe(true);
    for (const dep of n.dependsOn) expect(known.has(dep), `${n.id} → ${dep}`).toBe(true);
    if (n.kind !== 'container') continue;
    expect(ids).toContain(n.image);
    expect(n.dependsOn).toContain(NETWORK);
    expect(n.dependsOn).toContain(n.image);
    expect(n.labels['aninfra.module']).toBe(module);
    if (n.healthcheck) expect(['CMD', 'CMD-SHELL']).toContain(n.healthcheck.test[0]);
    for (const p of n.ports) expect(p.hostIp).toBe('127.0.0.1');
    for (const mount of n.mounts) if (mount.kind === 'volume') expect(n.dependsOn).toContain(mount.volume);
    for (const value of Object.values(n.env)) for (const p of value) if (p.kind === 'secret') expect(secretKeys).toContain(p.name);
  }
}

describe('modules describe', () => {
  it('shows the env each module owns', async () => {
    const { describeDocument } = await import('../../src/operations/modules.js');
    for (const d of Object.values(all)) expect(describeDocument(d).ownedEnv, d.kind).toEqual(d.ownedEnv);
    expect(describeDocument(postgres).ownedEnv).toEqual(['PGDATA', 'POSTGRES_DB', 'POSTGRES_PASSWORD', 'POSTGRES_USER']);
  });
});
