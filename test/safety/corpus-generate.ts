/**
 * Generated hostile specs: systematic mutations of the example specs, each of which must be
 * refused. Every mutation is chosen so the result is invalid whatever the rest of the spec says:
 * a required field deleted, a value replaced by one of another JSON type, an unknown key inserted
 * where keys are fixed, a module renamed to something that is not a DNS label, a reference or a
 * dependency pointed at nothing, and a few size and shape extremes.
 */
import { readFileSync } from 'node:fs';
import YAML from 'yaml';
import { registry } from '../../src/modules/index.js';
import { ALL_FRAGMENTS } from './hostile-strings.js';

export interface GeneratedSpec {
  readonly name: string;
  readonly text: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const clone = <T>(x: T): T => structuredClone(x);
const isObj = (x: Json | undefined): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const typeOf = (x: Json): string => (x === null ? 'null' : Array.isArray(x) ? 'array' : typeof x);

/** One value of each JSON type; a replacement is only used when its type differs from the original. */
const WRONG: readonly Json[] = [12345, true, null, ['x'], { unexpected: 1 }, 'str'];

/** Maps whose keys are user data (env names, labels, image refs): an extra key there is valid. */
const FREE_KEYS = /^\/(modules\/[^/]+\/(env|labels)|metadata\/labels|images)$/;

function walk(value: Json, path: string[], visit: (path: string[], value: Json) => void): void {
  visit(path, value);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, String(i)], visit));
  else if (isObj(value)) for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
}

function parentOf(root: Json, path: readonly string[]): Json | undefined {
  let node: Json | undefined = root;
  for (const p of path.slice(0, -1)) node = Array.isArray(node) ? node[Number(p)] : isObj(node) ? node[p] : undefined;
  return node;
}

function setAt(root: Json, path: readonly string[], value: Json | undefined): void {
  const parent = parentOf(root, path);
  const key = path[path.length - 1] as string;
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(Number(key), 1);
    else parent[Number(key)] = value;
  } else if (isObj(parent)) {
    if (value === undefined) delete parent[key];
    else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
  }
}

const pointer = (path: readonly string[]): string => (path.length === 0 ? '' : `/${path.join('/')}`);
const toText = (spec: Json): string => YAML.stringify(spec, { lineWidth: 0, aliasDuplicateObjects: false });

/** Where a wrong-type replacement could still be valid (a schema that takes several types). */
function typeFlexible(path: readonly string[], replacement: Json): boolean {
  // service `health` takes an object, 'none' or false.
  return /\/with\/health$/.test(pointer(path)) && (replacement === false || replacement === 'none');
}

function mutations(example: string, spec: Obj): GeneratedSpec[] {
  const out: GeneratedSpec[] = [];
  const add = (what: string, mutated: Json): void => void out.push({ name: `${example}: ${what}`, text: toText(mutated) });

  // 1. Required fields deleted (top level, metadata, each module's type, each required input).
  for (const key of ['apiVersion', 'kind', 'metadata', 'modules']) {
    const s = clone(spec);
    delete s[key];
    add(`without ${key}`, s);
  }
  {
    const s = clone(spec);
    if (isObj(s.metadata)) delete s.metadata.name;
    add('without metadata.name', s);
  }
  const modules = isObj(spec.modules) ? spec.modules : {};
  for (const [name, m] of Object.entries(modules)) {
    if (!isObj(m)) continue;
    const s = clone(spec);
    delete ((s.modules as Obj)[name] as Obj).type;
    add(`module ${name} without type`, s);
    const d = registry.get(String(m.type));
    const required = ((d?.inputs as { required?: string[] } | undefined)?.required ?? []).filter((r) => isObj(m.with) && r in m.with);
    for (const r of required) {
      const t = clone(spec);
      delete ((t.modules as Obj)[name] as Obj & { with: Obj }).with[r];
      add(`module ${name} without with.${r}`, t);
    }
  }

  // 2. Every value replaced by each value of another JSON type.
  walk(spec, [], (path, value) => {
    if (path.length === 0) return;
    for (const replacement of WRONG) {
      // (A string where a uses entry object stood names module 'str', which does not exist: still refused.)
      if (typeOf(replacement) === typeOf(value) || typeFlexible(path, replacement)) continue;
      const s = clone(spec);
      setAt(s, path, clone(replacement));
      add(`${pointer(path)} as ${typeOf(replacement)}`, s);
    }
  });

  // 3. An unknown key in every mapping whose keys are fixed.
  walk(spec, [], (path, value) => {
    if (!isObj(value) || FREE_KEYS.test(pointer(path))) return;
    const s = clone(spec);
    const target = path.length === 0 ? s : (parentOf(s, [...path, 'x']) as Obj);
    target.unexpectedField = 'surprise';
    add(`unknown key in ${pointer(path) || '/'}`, s);
  });

  // 4. A module renamed to names that are not DNS labels.
  const first = Object.keys(modules)[0];
  if (first) {
    for (const bad of ['Bad_Name', '1abc', 'a'.repeat(45), 'has space', '-lead', 'trail-', 'd\u00e9j\u00e0', 'a.b', '__proto__', '', 'x"; process.exit(1); "', '${a.b}']) {
      const s = clone(spec);
      const renamed: Obj = {};
      for (const [k, v] of Object.entries(s.modules as Obj)) Object.defineProperty(renamed, k === first ? bad : k, { value: v, enumerable: true, writable: true, configurable: true });
      s.modules = renamed;
      add(`module ${first} renamed to ${JSON.stringify(bad)}`, s);
    }
  }

  // 5. Semantic breakage: unknown type, version, target, dependency, reference; self use.
  if (first) {
    const edits: [string, (s: Obj) => void][] = [
      ['unknown module type', (s) => void (((s.modules as Obj)[first] as Obj).type = 'postgress')],
      ['unsupported version', (s) => void (((s.modules as Obj)[first] as Obj).version = '0.0.1')],
      ['unknown target', (s) => void (s.target = 'kubernetes')],
      ['old apiVersion', (s) => void (s.apiVersion = 'aninfra/v0')],
      ['wrong kind', (s) => void (s.kind = 'Systems')],
      ['uses an unknown module', (s) => void (((s.modules as Obj)[first] as Obj).uses = ['no-such-module'])],
      ['uses itself', (s) => void (((s.modules as Obj)[first] as Obj).uses = [first])],
      ['env references an unknown output', (s) => void (((s.modules as Obj)[first] as Obj).env = { X: `\${${first}.noSuchOutput}` })],
      ['env references an unknown module', (s) => void (((s.modules as Obj)[first] as Obj).env = { X: '${nowhere.host}' })],
      ['env holds a broken reference', (s) => void (((s.modules as Obj)[first] as Obj).env = { X: '${' })],
      ['env name is hostile', (s) => void (((s.modules as Obj)[first] as Obj).env = { [ALL_FRAGMENTS.slice(0, 40)]: 'x' })],
      ['label key is hostile', (s) => void (((s.modules as Obj)[first] as Obj).labels = { [ALL_FRAGMENTS.slice(0, 40)]: 'x' })],
      ['system name is hostile', (s) => void ((s.metadata as Obj).name = ALL_FRAGMENTS)],
      ['module type is hostile', (s) => void (((s.modules as Obj)[first] as Obj).type = ALL_FRAGMENTS)],
      ['env value too long', (s) => void (((s.modules as Obj)[first] as Obj).env = { X: 'x'.repeat(70_000) })],
      ['description too long', (s) => void ((s.metadata as Obj).description = 'd'.repeat(5000))],
    ];
    for (const [what, edit] of edits) {
      const s = clone(spec);
      edit(s);
      add(what, s);
    }
  }
  return out;
}

/** All mutations of the given example specs, in a stable order. */
export function generateCorpus(examples: readonly { name: string; path: string }[]): GeneratedSpec[] {
  return examples.flatMap((e) => mutations(e.name, YAML.parse(readFileSync(e.path, 'utf8')) as Obj));
}

/** One mapping with `count` keys (a label map: valid keys, too many of them). */
export function manyKeysSpec(count: number): string {
  return `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: extreme\nmodules:\n  db:\n    type: redis\n    labels: { ${Array.from({ length: count }, (_, i) => `k${i}: x`).join(', ')} }\n`;
}

/** Size and shape extremes that need no example: written as text. */
export function extremeSpecs(): GeneratedSpec[] {
  const head = 'apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: extreme\nmodules:\n';
  const many = Array.from({ length: 1000 }, (_, i) => `  m${i}: { type: redis }\n`).join('');
  return [
    { name: 'a thousand modules, one of an unknown type', text: `${head}${many}  broken: { type: postgress }\n` },
    { name: 'a 2 MB description', text: `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: extreme\n  description: "${'x'.repeat(2_000_000)}"\nmodules: {}\n` },
    { name: 'a 2 MB single line of flow brackets', text: `${head}  db: ${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n` },
    { name: '10,000 levels of compact block sequences', text: `${head}  db:\n    ${'- '.repeat(10_000)}x\n` },
    { name: '500 aliases to one anchor', text: `${head}  db:\n    type: redis\n    env: &e { A: x }\n    labels: { ${Array.from({ length: 500 }, (_, i) => `k${i}: *e`).join(', ')} }\n` },
    { name: 'a very long key', text: `${head}  ${'k'.repeat(100_000)}: { type: redis }\n` },
  ];
}
