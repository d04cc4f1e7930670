/**
 * Architecture rules, enforced by reading the source: data flows one way through the compiler's
 * stages, the compiler stays free of the CLI, engines, state and Pulumi, of console output, the
 * environment, the clock and randomness, and files stay small and specifically named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function tsFiles(dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f))
    .sort();
}

/** Static `from '…'`, side-effect `import '…'` and dynamic `import('…')` specifiers. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g), ...text.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g), ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return found.map((m) => m[1] as string);
}

/** Repository-relative path of a relative import, without extension; packages stay as they are. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(root, resolve(root, dirname(file), spec)).replace(/\.(js|ts)$/, '');
}

const STAGES = ['source', 'diagnostics', 'parse', 'validate', 'resolve', 'lower', 'emit'] as const;
const compiler = tsFiles('src/compiler');

/** The stage of a file under src/compiler; files at its top (pipeline.ts) come after every stage. */
function stageOf(path: string): number {
  const rel = relative('src/compiler', path);
  const first = rel.split('/')[0] ?? '';
  const i = STAGES.indexOf(first as (typeof STAGES)[number]);
  return rel.includes('/') ? i : STAGES.length;
}

/** Imports that go against the stage order, each with the reason it is allowed. */
const allowedBackwards: Readonly<Record<string, string>> = {
  'src/compiler/source/read-source.ts -> src/compiler/diagnostics/diagnostic':
    'reading a file reports ERR_SPEC_FILE_NOT_FOUND, ERR_YAML_TOO_LARGE and ERR_YAML_NOT_TEXT as diagnostics; diagnostics/ depends only on source/source-file.ts, so there is no cycle',
};

describe('compiler stages', () => {
  it('sees the imports it checks (static, type-only and dynamic)', () => {
    const pipeline = importsOf('src/compiler/pipeline.ts').map((s) => target('src/compiler/pipeline.ts', s));
    expect(pipeline).toEqual(expect.arrayContaining(['src/compiler/parse/parse-spec', 'src/compiler/emit/target', 'node:path']));
    expect(importsOf('bin/aninfra.ts')).toEqual(expect.arrayContaining(['../src/cli/commands/validate.js']));
  });

  it('has the stage folders the order names', () => {
    for (const s of STAGES) expect(existsSync(join(root, 'src/compiler', s)), s).toBe(true);
  });

  it.each(compiler)('%s imports only from its own or earlier stages', (file) => {
    const from = stageOf(file);
    for (const spec of importsOf(file)) {
      const to = target(file, spec);
      if (!to.startsWith('src/compiler/')) continue;
      const edge = `${file} -> ${to}`;
      if (stageOf(`${to}.ts`) > from) expect(allowedBackwards[edge], `${edge} goes against the stage order`).toBeDefined();
    }
  });

  it('has no import cycle between compiler files', () => {
    const graph = new Map(compiler.map((f) => [f.replace(/\.ts$/, ''), importsOf(f).map((s) => target(f, s)).filter((t) => t.startsWith('src/compiler/'))]));
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it.each(compiler)('%s never imports the CLI, engines, state, plans or Pulumi', (file) => {
    const forbidden = /^(src\/(cli|engine|apply|state|plan|mcp|fix|import)\/|bin\/|@pulumi\/|node:child_process$|child_process$)/;
    for (const spec of importsOf(file)) expect(target(file, spec), `${file} imports ${spec}`).not.toMatch(forbidden);
  });
});

describe('purity of src/compiler and src/modules', () => {
  const files = [...compiler, ...tsFiles('src/modules')];
  const banned: [RegExp, string][] = [
    [/\bconsole\./, 'console output (diagnostics are data)'],
    [/\bprocess\.env\b/, 'the environment (values arrive through ctx)'],
    [/\bMath\.random\b|\brandomBytes\b|\brandomUUID\b/, 'randomness (generated names derive from spec names)'],
    [/\bDate\.now\b|\bnew Date\(/, 'the clock (output must be deterministic)'],
  ];
  it.each(files)('%s uses no console, environment, clock or randomness', (file) => {
    const code = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`])\/\/.*$/gm, '$1');
    for (const [pattern, what] of banned) expect(pattern.test(code), `${file} reaches ${what}`).toBe(false);
  });
});

describe('files', () => {
  const all = [...tsFiles('src'), ...tsFiles('bin')];

  it('has no catch-all modules', () => {
    expect(all.filter((f) => /^(utils?|helpers?|common|misc)$/i.test(basename(f, '.ts')))).toEqual([]);
  });

  /** Files allowed past ~400 lines, with the reason. */
  const longFiles: Readonly<Record<string, string>> = {
    'src/compiler/diagnostics/codes.ts': 'the catalog is one table by design: the only home of codes, templates and explanations (STYLE §3)',
  };

  it.each(all)('%s stays under 400 lines', (file) => {
    const lines = readFileSync(join(root, file), 'utf8').split('\n').length;
    if (longFiles[file]) return;
    expect(lines, `${file} has ${lines} lines`).toBeLessThanOrEqual(400);
  });

  it('lists as long only files that exist', () => {
    for (const file of Object.keys(longFiles)) expect(existsSync(join(root, file)), file).toBe(true);
  });

  it('uses kebab-case file names', () => {
    expect(all.filter((f) => !/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z]+)?\.ts$/.test(basename(f)))).toEqual([]);
  });
});
