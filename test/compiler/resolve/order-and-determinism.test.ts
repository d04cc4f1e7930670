/**
 * Order and determinism: dependencies come first with ties broken by name, and the same spec gives
 * the same IR and the same emitted bytes, compiled twice or with every mapping's keys shuffled.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import type { TargetName } from '../../../src/compiler/validate/spec-types.js';
import { compileYaml, modules } from '../../helpers/spec.js';

const examplesDir = join(import.meta.dirname, '../../../specs/examples');
const examples = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml')).sort();

const svc = (name: string, uses = '') => `${name}: { type: service, with: { runtime: node, build: ./${name} }${uses ? `, uses: [${uses}]` : ''} }`;

describe('topological order', () => {
  it.each([
    { name: 'independent modules by name', spec: modules(`zeta: { type: redis }\nalpha: { type: redis }\nmid: { type: redis }`), order: ['alpha', 'mid', 'zeta'] },
    { name: 'dependencies first', spec: modules(`${svc('api', 'db')}\ndb: { type: postgres }`), order: ['db', 'api'] },
    {
      name: 'ties among ready modules by name, whatever the spec order',
      spec: modules([svc('web', 'api'), svc('api', 'db, cache'), 'db: { type: postgres }', 'cache: { type: redis }', svc('admin', 'db')].join('\n')),
      order: ['cache', 'db', 'admin', 'api', 'web'],
    },
    {
      name: 'a gateway after every route target',
      spec: modules([`edge: { type: gateway, with: { routes: [{ path: /b, to: b }, { path: /a, to: a }] } }`, svc('b'), svc('a')].join('\n')),
      order: ['a', 'b', 'edge'],
    },
    { name: 'an env reference orders like a use', spec: modules(`${svc('a')}\nb: { type: service, with: { runtime: node, build: ./b }, env: { X: "\${a.url}" } }`.replace(svc('a'), svc('z')).replace('${a.url}', '${z.url}')), order: ['z', 'b'] },
  ])('$name', ({ spec, order }) => {
    expect(compileYaml(spec).graph?.order).toEqual(order);
  });
});

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every mapping's keys in a random order; lists keep theirs (their order means something). */
function shuffleKeys(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, next));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
  }
  return Object.fromEntries(keys.map((k) => [k, shuffleKeys((value as Record<string, unknown>)[k], next)]));
}

function build(text: string, target: TargetName) {
  const c = compileYaml(text, { until: 'emit', target, file: join(examplesDir, 'spec.yaml') });
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { ir: JSON.stringify(c.ir), files: c.files?.map((f) => `${f.path}\n${f.content}`) ?? [] };
}

/** A spec with many keys in every mapping, so a shuffle really reorders them. */
const busy = modules(`
  db: { type: postgres, version: "16", with: { database: shop, user: owner, storage: 5Gi } }
  cache: { type: redis }
  files: { type: object-store }
  api:
    type: service
    with: { runtime: node, build: ./api, port: 8080, replicas: 3, protocol: http, publish: 18080 }
    uses: [db, cache, files]
    env: { ZED: z, ALPHA: a, MIDDLE: "\${db.host}", BETA: b, DSN: "\${db.url}", OMEGA: o }
    labels: { tier: backend, owner: platform, zone: a }
  jobs: { type: worker, with: { runtime: python, build: ./jobs }, uses: [db, api] }
  edge: { type: gateway, with: { port: 18443, routes: [{ path: /api, to: api }, { path: /, to: api, stripPrefix: true }] } }
`, 'metadata: { name: busy, labels: { b: "2", a: "1" } }').replace('metadata: { name: demo }\n', '');

const cases: [string, string][] = [...examples.map((f): [string, string] => [f, readFileSync(join(examplesDir, f), 'utf8')]), ['an inline spec with busy mappings', busy]];

describe.each(cases)('determinism of %s', (_name, text) => {

  it.each(['docker', 'compose'] as const)('compiles twice to identical IR and files (%s)', (target) => {
    const first = build(text, target);
    expect(first.files.length).toBeGreaterThan(0);
    expect(build(text, target)).toEqual(first);
  });

  it.each(['docker', 'compose'] as const)('gives identical IR and files with shuffled keys (%s)', (target) => {
    const first = build(text, target);
    for (const seed of [1, 2, 3]) {
      const shuffled = stringify(shuffleKeys(parse(text), random(seed)));
      expect(shuffled).not.toBe(text);
      const again = build(shuffled, target);
      expect(again.files).toEqual(first.files);
      expect(JSON.parse(again.ir)).toEqual(JSON.parse(first.ir));
      expect(again.ir).toBe(first.ir);
    }
  });
});
