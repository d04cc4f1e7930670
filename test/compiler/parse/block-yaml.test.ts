/**
 * parse's fast path (src/compiler/parse/block-yaml.ts) against the yaml library: whatever text it
 * accepts, the library must parse without any error into exactly the same value (key order and own
 * properties included); what it is unsure about it must leave to the library. Checked on every
 * YAML file of the repository, on the benchmark's generated specs and on random documents built
 * from tricky pieces (seeded, so a failure reproduces).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseBlockYaml } from '../../../src/compiler/parse/block-yaml.js';
import { defaultParseLimits, parseSpec } from '../../../src/compiler/parse/parse-spec.js';
import { generateSpec } from '../../../bench/lib/gen-spec.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');

/** What the yaml library makes of the text, as parse-spec's full path asks it. */
function library(text: string): { errors: number; value?: unknown } {
  const parsed = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false, strict: true, stringKeys: false });
  const docs = Array.isArray(parsed) ? parsed : [];
  const doc = docs[0];
  if (docs.length !== 1 || !doc) return { errors: 1 };
  if (doc.errors.length > 0) return { errors: doc.errors.length };
  return { errors: 0, value: doc.toJS({ maxAliasCount: 100 }) };
}

/** The fast path agrees with the library wherever it answers; returns whether it answered. */
function agrees(text: string): boolean {
  const fast = parseBlockYaml(text, 64);
  if (fast === undefined) return false;
  const lib = library(text);
  expect(lib.errors, `the library refuses text the fast path read:\n${text}`).toBe(0);
  expect(same(fast, lib.value), text).toBe(true);
  expect(JSON.stringify(fast), text).toBe(JSON.stringify(lib.value));
  return true;
}

/**
 * Deep equality down to prototypes, own keys in order and property descriptors (vitest's
 * toStrictEqual reads a `constructor` key as the object's class).
 */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b);
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => {
    const da = Object.getOwnPropertyDescriptor(a, k);
    const db = Object.getOwnPropertyDescriptor(b, k);
    return k === kb[i] && da?.enumerable === db?.enumerable && da?.writable === db?.writable && same(da?.value, db?.value);
  });
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.') || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** mulberry32: a small seeded generator, so every run builds the same documents. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const keys = ['a', 'b', 'kind', 'x-y', 'a.b', 'ns/x', '__proto__', 'constructor', 'toString', '1', '0x1', '1.0', 'null', '~', 'true', 'yes', '"q"', "'s'", 'a b', '-k', 'k:v', 'a#b', '<<', 'é', '? k', '[k]', '{k: 1}', '"a\\"b"', 'a ', '&x a', '!!str k', 'K'];
const scalars = [
  ...['1', '-1', '+1', '01', '0o7', '0o8', '0x1F', '0xg', '1.5', '1.50', '1e3', '.5', '-.inf', '.NaN', '.nan', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'False', 'yes', 'no', 'on', '9007199254740993'],
  ...['abc', 'a b', 'a: b', 'a:b', 'a #c', 'a#b', 'a  #c', '"x"', '"x # y"', '"x": y', "'y'", "'a''b'", '"a\\"b"', '"a\\nb"', '""', "''", '"a" #c', '"a"#c', '"a" b'],
  ...['[1, 2]', '[a,b]', '[]', '{}', '[ ]', '{ }', '{ a: 1 }', '{a: 1, b: [x, y]}', '{ a: 1, a: 2 }', '[a: 1]', '[ "q", \'r\' ]', '[a, ]', '[a,,b]', '{a:1}', '{a: }', '{ a }', '[[1], {b: c}]', '[a] # c', '[a] b', '[a]: b', '{ "k": v }', '[1, 2'],
  ...['{a: 1', '&x 1', '*x', '!!str 1', '!x y', '|', '>', '- a', '-', '-x', '-.5', '--', '`x`', '%x', '@x', '?x', ':x', 'a,b', 'http://x:80/y', '2001-12-14', '12:30', '1_000', '0b11', '.', 'x  ', '"open', "'open", 'a]b', 'a}b', 'é ü', '#c'],
];

/** A random block document, mostly well formed, with a chance of every kind of oddity. */
function document(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const lines: string[] = [];
  const shift = (n: number): number => (next() < 0.04 ? Math.max(0, n + pick([-1, 1, 2])) : n);
  const block = (indent: number, depth: number, seq: boolean): void => {
    const count = 1 + Math.floor(next() * 4);
    for (let i = 0; i < count; i++) {
      const pad = ' '.repeat(shift(indent));
      if (next() < 0.05) lines.push(pick(['', '   ', `${pad}# note`, '# top']));
      const head = seq ? `${pad}-` : `${pad}${pick(keys)}:`;
      const r = next();
      if (depth < 4 && r < 0.3) {
        lines.push(head + pick(['', '', ' # c', ' ']));
        const sameSeq = !seq && next() < 0.2;
        block(sameSeq ? indent : indent + pick([2, 2, 2, 4, 1, 3]), depth + 1, sameSeq || next() < 0.35);
      } else if (seq && depth < 4 && r < 0.45) {
        // `- key: value` and more keys under it
        const col = indent + 2;
        lines.push(`${pad}- ${pick(keys)}: ${pick(scalars)}`);
        for (let k = Math.floor(next() * 3); k > 0; k--) lines.push(`${' '.repeat(shift(col))}${pick(keys)}: ${pick(scalars)}`);
      } else lines.push(`${head} ${pick(scalars)}${next() < 0.05 ? pick([' # c', '  ', '\t', '\r']) : ''}`);
    }
  };
  if (next() < 0.03) lines.push(pick(['---', '%YAML 1.2\n---', '- a']));
  block(0, 0, false);
  return lines.join('\n') + (next() < 0.9 ? '\n' : '');
}

describe('the fast path of parse', () => {
  it('reads every YAML file of the repository as the yaml library does, or leaves it to the library', () => {
    const files = [...yamlFiles(join(ROOT, 'specs')), ...yamlFiles(join(ROOT, 'test'))];
    expect(files.length).toBeGreaterThan(100);
    let read = 0;
    for (const file of files) if (agrees(readFileSync(file, 'utf8'))) read++;
    // Most specs are plain block YAML: the fast path must actually take them.
    expect(read).toBeGreaterThan(files.length / 2);
  });

  it('reads the benchmark specs itself (every size: the reason it exists)', () => {
    for (const n of [10, 100, 1000]) expect(agrees(generateSpec(n).text), `${n} modules`).toBe(true);
  });

  it('agrees with the yaml library on random documents, and leaves every odd one to it', () => {
    const next = random(14);
    let read = 0;
    const total = 4000;
    for (let i = 0; i < total; i++) if (agrees(document(next))) read++;
    // Both sides are exercised: many documents are read, many are left.
    expect(read).toBeGreaterThan(total * 0.05);
    expect(read).toBeLessThan(total * 0.95);
  });

  it('resolves plain scalars exactly as the core schema of the yaml library does', () => {
    const plain = [
      ...['0', '-0', '+0', '00', '007', '08', '1_0', '0o', '0o0', '0o17', '0O17', '0x', '0x0', '0xFF', '0XFF', '0xff_', '-0x1', '+0x1', '-0o7', '9'.repeat(25)],
      ...['.', '..', '.0', '0.', '-.0', '+.5e-3', '1.', '1.e5', '1e', 'e5', '1E+5', '1e5.0', '.inf', '+.inf', '-.Inf', '.INF', 'inf', '-inf', '.nan', '+.nan', '.NAN', 'nan', 'NaN'],
      ...['~', '~~', 'null', 'Null', 'NULL', 'nUll', 'n', 'true', 'True', 'TRUE', 'tRUE', 't', 'false', 'False', 'FALSE', 'f', 'Yes', 'off', 'y'],
      ...['-', '-a', '-1a', '+', '+a', '12:30:00', '1-2', '2024-01-01', '1.2.3', '1,000', '0b101', '$1', '_1', '/1', 'é1', '１'],
    ];
    let read = 0;
    for (const s of plain) for (const text of [`k: ${s}\n`, `k: [${s}]\n`, `- ${s}\n`.replace(/^/, 'k:\n')]) if (agrees(text)) read++;
    expect(read).toBeGreaterThan(plain.length * 2);
  });

  it('keeps a __proto__ key as data, as the library does', () => {
    const value = parseBlockYaml('a: 1\n__proto__:\n  polluted: true\n', 64) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['a', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('leaves nesting beyond the limit, duplicate keys, anchors and tags to the library', () => {
    const deep = Array.from({ length: 70 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n') + ' 1\n';
    expect(parseBlockYaml(deep, 64)).toBeUndefined();
    expect(parseBlockYaml(deep, 100)).toBeDefined();
    for (const text of ['a: 1\na: 2\n', 'a: { b: 1, b: 2 }\n', 'a: &x 1\nb: *x\n', 'a: !!binary aGk=\n', 'a: |\n  x\n']) expect(parseBlockYaml(text, 64), text).toBeUndefined();
  });

  it('holds the depth limit exactly where the full parse does', () => {
    const limits = { ...defaultParseLimits, maxDepth: 8 };
    const maps = (n: number) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' x\n';
    const seqs = (n: number) => 'k:\n' + Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}-`).join('\n') + ' x\n';
    const flows = (n: number) => `k: ${'['.repeat(n)}x${']'.repeat(n)}\n`;
    for (const build of [maps, seqs, flows]) {
      for (let n = 5; n <= 11; n++) {
        const text = build(n);
        // A directive sends the same data through the full parse.
        const full = parseSpec({ path: 'spec.yaml', text: `%YAML 1.2\n---\n${text}` }, limits);
        const tooDeep = full.diagnostics.some((d) => d.code === 'ERR_YAML_TOO_DEEP');
        expect(parseBlockYaml(text, limits.maxDepth) === undefined, `${n}: ${text}`).toBe(tooDeep);
        const fast = parseSpec({ path: 'spec.yaml', text }, limits);
        expect(fast.diagnostics.map((d) => d.code)).toEqual(full.diagnostics.map((d) => d.code));
      }
    }
  });

  it('gives the same source ranges as the full parse, built when first asked for', () => {
    const text = 'apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: demo\nmodules:\n  db:\n    type: postgres\n    uses: [a, b]\n';
    expect(parseBlockYaml(text, 64)).toBeDefined();
    const fast = parseSpec({ path: 'spec.yaml', text });
    // A flow sequence the fast path does not read sends the text through the full parse.
    const full = parseSpec({ path: 'spec.yaml', text: text.replace('uses: [a, b]', 'uses: [a, b, ]') });
    for (const p of ['', '/metadata/name', '/modules/db', '/modules/db/type', '/modules/db/uses/1']) {
      expect(fast.value?.index.rangeOf(p), p).toEqual(full.value?.index.rangeOf(p));
      expect(fast.value?.index.keyRangeOf(p), p).toEqual(full.value?.index.keyRangeOf(p));
    }
    expect(fast.value?.index.rangeOf('/modules/db/uses/1')?.start).toEqual({ line: 8, column: 15 });
    expect(fast.value?.document.toJS()).toEqual(fast.value?.value);
  });
});
