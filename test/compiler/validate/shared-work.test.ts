/**
 * Work validation shares between rules and modules: the host is asked each question once per
 * compile (many modules build one context), and the answers and diagnostics stay those of a host
 * asked every time.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/pipeline.js';
import { memoizedHostFiles, type HostFiles } from '../../../src/compiler/source/host-files.js';
import { cloneData } from '../../../src/compiler/validate/validate-spec.js';
import { registry } from '../../../src/modules/index.js';
import { modules } from '../../helpers/spec.js';

/** Files under /proj (directories implied), counting every question asked. */
function countingHost(files: readonly string[]): { host: HostFiles; asked: string[] } {
  const all = new Set(files.map((f) => `/proj/${f}`));
  const dirs = new Set(['/', '/proj']);
  for (const path of all) for (let p = path; p.lastIndexOf('/') > 0; ) dirs.add((p = p.slice(0, p.lastIndexOf('/'))));
  const asked: string[] = [];
  const kind = (path: string) => (dirs.has(path) ? 'directory' : all.has(path) ? 'file' : 'missing') as ReturnType<HostFiles['kind']>;
  const host: HostFiles = {
    realpath: (path) => {
      asked.push(`realpath ${path}`);
      return kind(path) === 'missing' ? undefined : path;
    },
    kind: (path) => {
      asked.push(`kind ${path}`);
      return kind(path);
    },
    readText: (path) => {
      asked.push(`read ${path}`);
      return all.has(path) ? '{"scripts":{"start":"node s.js"}}' : undefined;
    },
  };
  return { host, asked };
}

const services = (n: number, build: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => `s${i}: { type: service, with: { runtime: node, build: ${build(i)}, port: 8080 } }`).join('\n');

const check = (body: string, host: HostFiles) =>
  compile({ path: '/proj/aninfra.yaml', text: modules(body) }, { registry, files: host, until: 'validate' }).diagnostics.map((d) => `${d.code} ${d.path} ${d.range?.start.line}:${d.range?.start.column}`);

describe('validation asks the host once per question', () => {
  it('checks a build context forty services share with as many questions as one service needs', () => {
    const one = countingHost(['svc/package.json']);
    expect(check(services(1, () => './svc'), one.host)).toEqual([]);
    const forty = countingHost(['svc/package.json']);
    expect(check(services(40, () => './svc'), forty.host)).toEqual([]);
    expect(forty.asked.length).toBe(one.asked.length);
    expect(new Set(forty.asked).size).toBe(forty.asked.length);
  });

  it('reports every module of a shared context that is missing, at its own place', () => {
    const { host } = countingHost([]);
    const found = check(services(3, () => './gone'), host);
    expect(found).toEqual(['ERR_PATH_NOT_FOUND /modules/s0/with/build 5:54', 'ERR_PATH_NOT_FOUND /modules/s1/with/build 6:54', 'ERR_PATH_NOT_FOUND /modules/s2/with/build 7:54']);
  });

  it('gives the answers of the host it wraps', () => {
    const { host, asked } = countingHost(['a/Dockerfile']);
    const cached = memoizedHostFiles(host);
    for (let i = 0; i < 3; i++) {
      expect(cached.realpath('/proj/a')).toBe('/proj/a');
      expect(cached.realpath('/proj/b')).toBeUndefined();
      expect(cached.kind('/proj/a/Dockerfile')).toBe('file');
      expect(cached.kind('/proj/b')).toBe('missing');
      expect(cached.readText?.('/proj/a/Dockerfile', 10)).toBeDefined();
      expect(cached.readText?.('/proj/b/x', 10)).toBeUndefined();
    }
    expect(asked).toHaveLength(6);
    const { host: noRead } = countingHost([]);
    const { readText: _, ...withoutRead } = noRead;
    expect(memoizedHostFiles(withoutRead).readText).toBeUndefined();
  });
});

describe('cloneData (the copy validation fills defaults into)', () => {
  it('copies as structuredClone does: equal, unshared with the source, aliases still shared, __proto__ kept as data', () => {
    const shared = { a: [1, 'x', null, true, { deep: Number.NaN }] };
    const source = JSON.parse('{"__proto__": {"polluted": true}, "n": -0}') as Record<string, unknown>;
    Object.assign(source, { one: shared, two: shared, inf: Number.POSITIVE_INFINITY, list: [shared], nullProto: Object.assign(Object.create(null) as object, { k: 'v' }) });
    const copy = cloneData(source) as Record<string, unknown>;
    const reference = structuredClone(source);
    expect(copy).toEqual(reference);
    expect(Object.keys(copy)).toEqual(Object.keys(reference));
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(copy.nullProto)).toBe(Object.getPrototypeOf(reference.nullProto));
    expect(Object.hasOwn(copy, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(copy.one).toBe(copy.two);
    expect((copy.list as unknown[])[0]).toBe(copy.one);
    expect(copy.one).not.toBe(shared);
    expect(Object.is(copy.n, -0)).toBe(true);
    const date = new Date(0);
    expect(cloneData({ date })).toEqual({ date });
  });
});
