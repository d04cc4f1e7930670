/**
 * `aninfra diff [SPEC] --env A --env B`: compile the spec for two environments and print the resource-level difference of the
 * two target models: target, resources added and removed, and changed fields with both values.
 * Exit 0 when the models are equal, 2 when they differ, 1 when a side does not compile.
 */
import { diagnostic, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { Compilation } from '../../compiler/pipeline.js';
import { modelDiff, type DiffSide, type ModelDiff } from '../../plan/model-diff.js';
import { compileFile } from '../../operations/compile-file.js';
import type { Io } from '../io.js';
import { exitCode, printDiagnostics } from './report.js';

export interface DiffOptions {
  /** The two environments, in the order given. */
  readonly env: readonly string[];
}

export function diffCommand(io: Io, specPath: string, options: DiffOptions): number {
  // Two environments, never the base against one: the base deploys as <system>, and <system> is
  // also a prefix of <system>-<env> and may appear in paths, so names could not be compared fairly.
  if (options.env.length !== 2) {
    const d = diagnostic('ERR_CLI_USAGE', { detail: `diff takes two --env options, got ${options.env.length}` }, { hint: 'aninfra diff aninfra.yaml --env dev --env prod' });
    return refuse(io, [d], undefined);
  }
  const compiled = options.env.map((env) => ({ env, compilation: compileFile(specPath, { until: 'lower', env }) }));
  const failed = compiled.find((c) => !c.compilation.ok || !c.compilation.ir || !c.compilation.graph);
  if (failed) return refuse(io, failed.compilation.diagnostics, failed.compilation.source);
  const [a, b] = compiled.map(({ env, compilation }) => side(env, compilation)) as [DiffSide, DiffSide];
  const diff = modelDiff(a, b);
  const diagnostics = compiled.flatMap((c) => c.compilation.diagnostics);
  if (io.json) {
    io.document({ ok: true, file: specPath, a: sideView(a), b: sideView(b), ...diff, diagnostics });
  } else {
    printDiagnostics(io, diagnostics, compiled[0]?.compilation.source);
    printDiff(io, a, b, diff);
  }
  return diff.equal ? 0 : 2;
}

function side(env: string, compilation: Compilation): DiffSide {
  return { env, target: compilation.graph?.target ?? '', model: compilation.ir as NonNullable<Compilation['ir']> };
}

function sideView(s: DiffSide): { env: string; target: string; system: string } {
  return { env: s.env, target: s.target, system: s.model.system };
}

function refuse(io: Io, diagnostics: readonly Diagnostic[], source: Compilation['source'] | undefined): number {
  if (io.json) io.document({ ok: false, diagnostics });
  else printDiagnostics(io, diagnostics, source);
  return exitCode(diagnostics) || 1;
}

function printDiff(io: Io, a: DiffSide, b: DiffSide, diff: ModelDiff): void {
  const s = io.style;
  const name = (x: DiffSide): string => `${x.env} (${x.model.system}, target ${x.target})`;
  io.out(`${s.bold('Diff')} ${name(a)} → ${name(b)}\n`);
  if (diff.target.changed) io.out(`${s.yellow('target')}: ${diff.target.a} → ${diff.target.b}`);
  const owner = (m: string | null): string => (m ? s.dim(` (${m})`) : '');
  for (const r of diff.removed) io.out(`${s.red('  - ' + r.id)}${owner(r.module)}`);
  for (const r of diff.added) io.out(`${s.green('  + ' + r.id)}${owner(r.module)}`);
  for (const c of diff.changed) {
    io.out(`${s.cyan('  ~ ' + c.id)}${owner(c.module)}`);
    for (const f of c.fields) io.out(`      ${f.path}: ${shown(f.a)} → ${shown(f.b)}`);
  }
  const sum = diff.summary;
  io.out(`\n${s.bold('Summary')}: ${diff.equal ? 'no difference' : `${sum.added} only in ${b.env}, ${sum.removed} only in ${a.env}, ${sum.changed} changed`}, ${sum.unchanged} the same`);
}

function shown(v: unknown): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
