/**
 * Test helper shared by the compiler and catalog tests: compile inline YAML to diagnostics, name a
 * diagnostic's place as `line:col`, and apply a diagnostic's fix (RFC 6902, fast-json-patch) to the
 * spec, re-serialized with `yaml`, so the fixed spec can be validated again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import { parse, stringify } from 'yaml';
import type { Diagnostic, Fix } from '../../src/compiler/diagnostics/diagnostic.js';
import { compile, type Compilation, type CompileOptions } from '../../src/compiler/pipeline.js';
import type { TargetName } from '../../src/compiler/validate/spec-types.js';
import type { ModuleRegistry } from '../../src/modules/descriptor.js';
import { registry as defaultRegistry } from '../../src/modules/index.js';
import { targetNamed, targetNames, type RegisteredTarget } from '../../src/targets/index.js';

/** The file name every inline spec is compiled as. */
export const SPEC_FILE = 'spec.yaml';

export interface CompileYamlOptions {
  readonly registry?: ModuleRegistry;
  readonly target?: TargetName;
  /** Last stage to run; 'resolve' by default (what `aninfra validate` checks, minus lowering). */
  readonly until?: CompileOptions['until'];
  readonly file?: string;
  /** Another target registry than src/targets (rule tests of target support). */
  readonly targets?: readonly RegisteredTarget[];
  /** The environment overlay to apply (`--env`). */
  readonly env?: string;
}

export function compileYaml(text: string, options: CompileYamlOptions = {}): Compilation {
  return compile(
    { path: options.file ?? SPEC_FILE, text },
    {
      registry: options.registry ?? defaultRegistry,
      targets: options.targets ? (name) => options.targets?.find((t) => t.name === name) : (name) => targetNamed(name),
      targetNames: options.targets?.map((t) => t.name) ?? targetNames,
      toolVersion: '0.0.0-test',
      until: options.until ?? 'resolve',
      ...(options.target ? { target: options.target } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
    },
  );
}

export function diagnosticsOf(text: string, options: CompileYamlOptions = {}): readonly Diagnostic[] {
  return compileYaml(text, options).diagnostics;
}

export function errorsOf(text: string, options: CompileYamlOptions = {}): readonly Diagnostic[] {
  return diagnosticsOf(text, options).filter((d) => d.severity === 'error');
}

/** `line:col` of a diagnostic's start, or '-' when it has no range. */
export function lineCol(d: Pick<Diagnostic, 'range'>): string {
  return d.range ? `${d.range.start.line}:${d.range.start.column}` : '-';
}

/** One line per diagnostic (`CODE path line:col`): readable in assertion failures. */
export function summarize(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code} ${d.path || '(root)'} ${lineCol(d)}`);
}

/** Apply a fix's patch to the spec's data and serialize it back to YAML. Throws if the patch does not apply. */
export function applyFix(text: string, fix: Fix): string {
  const data: unknown = parse(text);
  const patched = fastJsonPatch.applyPatch(data, fix.patch as Operation[], true, false).newDocument;
  return stringify(patched);
}

/** The document header every `modules()` spec starts with; the first module line is line 5. */
export const HEADER = 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: demo }\n';

/**
 * A spec made of the header, optional top-level lines (`target: compose`) and the given module
 * lines indented under `modules:`. Without `top`, the first module line is line 5 and a module
 * key starts at column 3.
 */
export function modules(body: string, top = ''): string {
  const lines = dedent(body).split('\n');
  return `${HEADER}${top ? dedent(top) + '\n' : ''}modules:\n${lines.map((l) => (l ? '  ' + l : l)).join('\n')}\n`;
}

/** Remove the first blank line and the common indentation of a template literal. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n\s*$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join('\n');
}

/** test/fixtures/diagnostics/<CODE>/: a spec.yaml that triggers CODE and the expected.json saying where. */
export interface DiagnosticFixture {
  readonly code: string;
  readonly spec: string;
  /** `env`: the environment to compile (`--env`), for codes only an environment triggers. */
  readonly expected: { readonly code: string; readonly path: string; readonly line: number; readonly col: number; readonly env?: string };
}

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'diagnostics');

export function diagnosticFixtures(): DiagnosticFixture[] {
  return readdirSync(FIXTURES_DIR)
    .sort()
    .map((code) => ({
      code,
      spec: join(FIXTURES_DIR, code, 'spec.yaml'),
      expected: JSON.parse(readFileSync(join(FIXTURES_DIR, code, 'expected.json'), 'utf8')) as DiagnosticFixture['expected'],
    }));
}
