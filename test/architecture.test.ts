/**
 * Architecture rules, enforced by reading the source: data flows one way through the compiler's
 * stages and through the layers of src/ (compiler → modules → targets → state → plan → engine →
 * apply → fix/import → operations → {cli, mcp, http} → bin), the compiler stays free of the CLI, engines, state and
 * Pulumi, of console output, the environment, the clock and randomness, and files stay small and
 * specifically named.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engines } from '../src/engine/index.js';
import { targetNames } from '../src/targets/index.js';

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
    const forbidden = /^(src\/(cli|engine|apply|state|plan|mcp|http|operations|fix|import)\/|bin\/|@pulumi\/|node:child_process$|child_process$)/;
    for (const spec of importsOf(file)) expect(target(file, spec), `${file} imports ${spec}`).not.toMatch(forbidden);
  });
});

/**
 * The layers of src/, lowest first: a file imports only from its own layer or lower ones. The
 * compiler knows no target, engine or state (callers hand the module and target registries in);
 * modules produce design nodes; targets turn them into their resources; the journal (state) stores
 * them; plans diff them with the target's rules; engines apply them; apply runs the steps of
 * operations over state and engines; fix and import are spec tools; operations is the one layer
 * every front end calls (compile, plan, apply, status, fix, …, typed inputs and results); cli, mcp
 * and http are the front ends (adapters: they parse arguments and render results, and never import
 * each other); bin parses argv and wires them.
 */
const LAYERS = ['compiler', 'modules', 'targets', 'state', 'plan', 'engine', 'apply', 'fix', 'import', 'operations', ['cli', 'mcp', 'http'], 'bin'] as const;
const ADAPTERS: readonly string[] = ['cli', 'mcp', 'http'];

function folderOf(path: string): string {
  return path.startsWith('bin/') ? 'bin' : (path.split('/')[1] ?? '');
}

function layerOf(path: string): number {
  const name = folderOf(path);
  return LAYERS.findIndex((l) => (typeof l === 'string' ? l === name : (l as readonly string[]).includes(name)));
}

/** Imports against the layer order (file → file, without extension), each with the reason it is allowed. None today: keep it so. */
const allowedUpwards: Readonly<Record<string, string>> = {};

/** Layers some files may reach only through a contract (the file may import just these), upwards too where it is the contract a lower layer is written against. */
const throughContract: readonly { readonly from: string; readonly to: string; readonly allowed: readonly string[]; readonly why: string }[] = [
  {
    from: 'src/compiler/',
    to: 'src/modules/',
    allowed: ['src/modules/descriptor'],
    why: 'the compiler validates and lowers through the descriptor contract (type-only); the registry is handed in (CompileOptions.registry)',
  },
  {
    from: 'src/apply/',
    to: 'src/engine/',
    allowed: ['src/engine/engine', 'src/engine/index', 'src/engine/run-process'],
    why: "operations reach the live system only through the engine contract and registry (status, ownership, endpoints are the target's engine's), never Docker or kubectl directly",
  },
];

describe('layers of src/', () => {
  const files = [...tsFiles('src'), ...tsFiles('bin')];
  const edges = files.flatMap((file) => importsOf(file).filter((s) => s.startsWith('.')).map((spec) => ({ file, spec, to: target(file, spec) })));

  it('places every folder of src/ in a layer', () => {
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(folders.filter((f) => layerOf(`src/${f}/x.ts`) < 0)).toEqual([]);
    expect(layerOf('bin/aninfra.ts')).toBe(LAYERS.length - 1);
  });

  it.each(files)('%s imports only from its own or lower layers', (file) => {
    for (const e of edges.filter((x) => x.file === file)) {
      if (layerOf(`${e.to}.ts`) <= layerOf(file)) continue;
      // A contract a lower layer is written against (the descriptor contract for the compiler).
      if (throughContract.some((c) => file.startsWith(c.from) && c.allowed.includes(e.to))) continue;
      const edge = `${file} -> ${e.to}`;
      expect(allowedUpwards[edge], `${edge} goes against the layer order (${LAYERS.map((l) => (typeof l === 'string' ? l : `{${l.join(', ')}}`)).join(' < ')})`).toBeDefined();
    }
  });

  it.each(files.filter((f) => ADAPTERS.includes(folderOf(f))))('%s (a front end) imports no other front end', (file) => {
    const mine = folderOf(file);
    for (const e of edges.filter((x) => x.file === file)) {
      const theirs = folderOf(`${e.to}.ts`);
      expect(ADAPTERS.includes(theirs) && theirs !== mine, `${file} -> ${e.to}: front ends share code through src/operations`).toBe(false);
    }
  });

  it('bin is the only importer of a front end from outside it', () => {
    const reaching = edges.filter((e) => ADAPTERS.includes(folderOf(`${e.to}.ts`)) && folderOf(e.file) !== folderOf(`${e.to}.ts`) && folderOf(e.file) !== 'bin');
    expect(reaching.map((e) => `${e.file} -> ${e.to}`)).toEqual([]);
  });

  it('lists only exceptions that are still used', () => {
    const used = new Set(edges.map((e) => `${e.file} -> ${e.to}`));
    expect(Object.keys(allowedUpwards).filter((k) => !used.has(k))).toEqual([]);
  });

  it.each(throughContract.map((c) => [`${c.from} → ${c.to}`, c] as const))('%s goes only through its contract', (_name, c) => {
    const crossing = edges.filter((e) => e.file.startsWith(c.from) && e.to.startsWith(c.to));
    expect(crossing.filter((e) => !c.allowed.includes(e.to)).map((e) => `${e.file} -> ${e.to}`), c.why).toEqual([]);
  });

  it('the compiler imports the descriptor contract for types only', () => {
    for (const file of compiler) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(import|export)\b([^'"]*?)from\s*['"]([^'"]+)['"]/g)) {
        if (!target(file, m[3] as string).startsWith('src/modules/')) continue;
        expect(/^\s*type\b/.test(m[2] as string), `${file} imports ${m[3]} for more than types`).toBe(true);
      }
    }
  });
});

describe('target and engine names', () => {
  /** Quoted target or engine names outside the registries, each with the reason it is not a list of targets. */
  const allowedNames: Readonly<Record<string, string>> = {
    'src/compiler/validate/spec-types.ts': "DEFAULT_TARGET: the spec format's default target (`target:` omitted)",
    'src/import/compose.ts': 'a spec imported from a docker-compose.yml targets compose',
    'src/mcp/tools/import-compose.ts': "the tool's argument naming the compose text",
    'src/state/paths.ts': "the Pulumi engine's backend directory under .aninfra/<system>/",
  };
  const names = [...targetNames, ...Object.keys(engines)];
  const files = [...tsFiles('src'), ...tsFiles('bin')].filter((f) => !f.startsWith('src/targets/') && !f.startsWith('src/engine/'));

  it.each(files)('%s names no target or engine (they come from src/targets and src/engine)', (file) => {
    const code = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`])\/\/.*$/gm, '$1');
    const found = names.filter((n) => new RegExp(`['"]${n}['"]`).test(code));
    if (found.length > 0) expect(allowedNames[file], `${file} names ${found.join(', ')}`).toBeDefined();
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
