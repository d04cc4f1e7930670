/**
 * The three registries (modules, targets, validation rules): every file is listed exactly once,
 * ids equal file names, modules and targets are sorted, every rule has a test file and never emits
 * a code missing from its `reports`, and every descriptor's examples validate and compile.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readSource } from '../src/compiler/source/read-source.js';
import { parseSpec } from '../src/compiler/parse/parse-spec.js';
import { SchemaChecker } from '../src/compiler/validate/ajv.js';
import type { ValidationContext } from '../src/compiler/validate/rule.js';
import { rules } from '../src/compiler/validate/rules/index.js';
import type { SystemSpec } from '../src/compiler/validate/spec-types.js';
import type { ModuleDescriptor } from '../src/modules/descriptor.js';
import { descriptors, registry } from '../src/modules/index.js';
import { targets, targetsRealizing } from '../src/targets/index.js';
import { compileYaml, diagnosticFixtures, summarize } from './helpers/spec.js';

const root = join(import.meta.dirname, '..');
const tsFiles = (dir: string, except: readonly string[]) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !except.includes(e.name))
    .map((e) => basename(e.name, '.ts'))
    .sort();
const importsOf = (file: string, name: string) => readFileSync(join(root, file), 'utf8').split(`from './${name}.js'`).length - 1;

describe('module registry (src/modules/index.ts)', () => {
  const files = tsFiles('src/modules', ['index.ts', 'descriptor.ts']);
  it('lists every descriptor file exactly once, by kind, sorted', () => {
    expect(descriptors.map((d) => d.kind)).toEqual(files);
    for (const f of files) expect(importsOf('src/modules/index.ts', f), f).toBe(1);
  });
  it('is frozen and looks kinds up', () => {
    expect(Object.isFrozen(descriptors)).toBe(true);
    for (const d of descriptors) expect(registry.get(d.kind)).toBe(d);
    expect(registry.get('nope')).toBeUndefined();
  });
});

describe('target registry (src/targets/index.ts)', () => {
  // A target is a file `src/targets/<name>.ts` or a folder `src/targets/<name>/` with an index.ts;
  // a folder without one is shared lowering (docker-family), not a target.
  const folders = readdirSync(join(root, 'src/targets'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, 'src/targets', e.name, 'index.ts')))
    .map((e) => e.name);
  const files = [...tsFiles('src/targets', ['index.ts']), ...folders].sort();
  it('lists every target file and folder exactly once, by name, sorted', () => {
    expect(targets.map((t) => t.name)).toEqual(files);
    for (const f of files) expect(importsOf('src/targets/index.ts', f) + importsOf('src/targets/index.ts', `${f}/index`), f).toBe(1);
    expect(Object.isFrozen(targets)).toBe(true);
  });
});

describe('rule registry (src/compiler/validate/rules/index.ts)', () => {
  const files = tsFiles('src/compiler/validate/rules', ['index.ts']);
  it('lists every rule file exactly once, ids equal to file names', () => {
    expect([...rules.map((r) => r.id)].sort()).toEqual(files);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
    for (const f of files) expect(importsOf('src/compiler/validate/rules/index.ts', f), f).toBe(1);
    expect(Object.isFrozen(rules)).toBe(true);
  });
  it('runs the schema first', () => {
    expect(rules[0]?.id).toBe('spec-schema');
  });
  it.each(files)('%s has a test file', (id) => {
    expect(existsSync(join(root, 'test/compiler/validate/rules', `${id}.test.ts`))).toBe(true);
  });
  it.each(rules.map((r) => [r.id, r] as const))('%s reports codes of the catalog, each once', (_id, rule) => {
    expect(rule.reports.length).toBeGreaterThan(0);
    expect(new Set(rule.reports).size).toBe(rule.reports.length);
  });
});

/** Every spec the suite has on disk: diagnostic fixtures, the hostile corpus, the examples. */
function corpus(): string[] {
  const dirs = ['test/fixtures/hostile', 'specs/examples'].map((d) => join(root, d)).filter(existsSync);
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.yaml')).map((f) => join(d, f)));
  return [...diagnosticFixtures().map((f) => f.spec), ...files];
}

/** validateSpec's loop, one rule at a time, so each diagnostic is charged to the rule that made it. */
function runRulesOn(file: string): { rule: string; reports: readonly string[]; code: string }[] {
  const read = readSource(file, 8 * 1024 * 1024);
  const parsed = read.value ? parseSpec(read.value) : undefined;
  if (!parsed?.value) return [];
  const document = parsed.value;
  const spec = structuredClone(document.value) as unknown as SystemSpec;
  const inputs = new Map<string, Record<string, unknown>>();
  const schemas = new SchemaChecker();
  let ctx: ValidationContext = { document, registry, schemas, target: 'docker', inputs };
  const emitted: { rule: string; reports: readonly string[]; code: string }[] = [];
  for (const rule of rules) {
    const found = rule.check(spec, ctx);
    emitted.push(...found.map((d) => ({ rule: rule.id, reports: rule.reports, code: d.code })));
    const failed = found.some((d) => d.severity === 'error');
    if (rule.id === 'spec-schema') {
      if (failed) break;
      for (const [name, m] of Object.entries(spec.modules)) inputs.set(name, structuredClone((m.with ?? {}) as Record<string, unknown>));
      ctx = { ...ctx, target: spec.target ?? 'docker' };
      continue;
    }
    if (rule.gate && failed) break;
  }
  return emitted;
}

describe('rules emit only the codes they report', () => {
  const files = corpus();
  it('has a corpus to run on', () => {
    expect(files.length).toBeGreaterThan(30);
  });
  it.each(files.map((f) => [f.slice(root.length + 1)]))('%s', (file) => {
    for (const e of runRulesOn(join(root, file))) expect(e.reports, `${e.rule} emitted ${e.code}`).toContain(e.code);
  });
});

/** A spec holding one example module, with a stub HTTP service for every module its edges name. */
function exampleSpec(d: ModuleDescriptor, example: ModuleDescriptor['examples'][number]): string {
  const stubs: Record<string, unknown> = {};
  for (const e of d.edges?.({ name: example.name, with: example.module.with ?? {} }) ?? []) {
    stubs[e.target] = { type: 'service', with: { runtime: 'image', image: 'traefik/whoami:v1.10', port: 80 } };
  }
  return stringify({ apiVersion: 'aninfra/v1', kind: 'System', metadata: { name: 'example' }, modules: { ...stubs, [example.name]: example.module } });
}

describe.each(descriptors.map((d) => [d.kind, d] as const))('%s examples', (_kind, d) => {
  it.each(d.examples.map((e) => [e.title, e] as const))('%s validates against the inputs', (_title, example) => {
    const errors = new SchemaChecker().check('example', d.inputs, structuredClone(example.module.with ?? {}));
    expect(errors).toEqual([]);
    expect(example.module.type).toBe(d.kind);
    if (example.module.version !== undefined) expect(d.versions.supported).toContain(example.module.version);
  });
  it.each(d.examples.flatMap((e) => targetsRealizing(d.realizes).map((t) => [`${e.title} (${t})`, e, t] as const)))('%s compiles in a spec', (_title, example, target) => {
    const c = compileYaml(exampleSpec(d, example), { until: 'emit', target });
    expect(summarize(c.diagnostics.filter((x) => x.severity === 'error'))).toEqual([]);
    expect(c.files?.length).toBeGreaterThan(0);
  });
});
