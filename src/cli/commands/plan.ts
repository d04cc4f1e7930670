/**
 * `aninfra plan [SPEC]`: compile, write the program for the target, diff the IR against the last
 * applied revision and print create / update / replace / delete per module, with reasons and a
 * plan hash. `--out plan.json` saves the plan for `aninfra apply plan.json`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Compilation } from '../../compiler/pipeline.js';
import type { TargetName } from '../../compiler/validate/spec-types.js';
import { makePlan, type Plan, type ResourceChange } from '../../plan/make-plan.js';
import { Journal, StateError } from '../../state/journal.js';
import { statePaths } from '../../state/paths.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { readImageMapping } from '../../apply/images-file.js';
import type { Io } from '../io.js';
import { compileFile, compileText } from '../compile-file.js';
import { exitCode, printDiagnostics } from './report.js';

export interface PlanOptions {
  readonly target?: TargetName;
  readonly out?: string;
  readonly emitDir?: string;
  readonly stateDir?: string;
  readonly detailedExitcode?: boolean;
  /** Image mapping from outside the spec (--images). */
  readonly images?: Readonly<Record<string, string>>;
  /** Compile this text instead of reading the spec file (rollback compiles a stored revision). */
  readonly specText?: string;
  /** Id of the state dir that owns the system (`statePaths(...).owner`): the `aninfra.owner` label. */
  readonly owner?: string;
}

export interface PlanResult {
  readonly compilation: Compilation;
  readonly plan?: Plan;
  readonly programDir?: string;
  /** The saved plan document (what `--out` writes and `plan --json` prints). */
  readonly document: Record<string, unknown>;
}

/** Compile, emit and diff: shared by `plan`, `apply` and the MCP `plan` tool. */
export function computePlan(specPath: string, options: PlanOptions): PlanResult {
  const outDir = (system: string, target: string): string => resolve(options.emitDir ?? statePaths(specPath, system, options.stateDir).program(target));
  const compileOptions = { outDir, ...(options.target ? { target: options.target } : {}), ...(options.images ? { images: options.images } : {}), ...(options.owner ? { owner: options.owner } : {}) };
  const compilation = options.specText === undefined ? compileFile(specPath, compileOptions) : compileText(specPath, options.specText, compileOptions);
  if (!compilation.ok || !compilation.ir || !compilation.files || !compilation.graph) return { compilation, document: { ok: false, diagnostics: compilation.diagnostics } };
  const { system, target } = compilation.graph;
  const paths = statePaths(specPath, system, options.stateDir);
  const programDir = outDir(system, target);
  let previous;
  try {
    const last = new Journal(paths.journal).lastGood();
    previous = last ? { ir: last.ir, revision: last.revision, target: last.target } : undefined;
  } catch (e) {
    if (e instanceof StateError) return { compilation, document: { ok: false, diagnostics: [...compilation.diagnostics, e.diagnostic] } };
    throw e;
  }
  const plan = makePlan({ ir: compilation.ir, target, specText: compilation.source.text, ...(previous ? { previous } : {}) });
  rmSync(programDir, { recursive: true, force: true });
  for (const f of compilation.files) {
    const path = join(programDir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
  const document = {
    ok: true,
    specPath: resolve(specPath),
    programDir,
    files: compilation.files.map((f) => f.path),
    modules: modulesView(compilation, plan),
    plan,
    diagnostics: compilation.diagnostics,
  };
  return { compilation, plan, programDir, document };
}

function modulesView(compilation: Compilation, plan: Plan): unknown[] {
  const graph = compilation.graph;
  if (!graph) return [];
  const byModule = new Map<string, ResourceChange[]>();
  for (const c of plan.changes) {
    const key = c.module ?? '(system)';
    byModule.set(key, [...(byModule.get(key) ?? []), c]);
  }
  const names = ['(system)', ...graph.order].filter((n) => byModule.has(n));
  return names.map((name) => ({
    module: name,
    type: name === '(system)' ? null : graph.modules.get(name)?.descriptor.kind ?? null,
    dependsOn: graph.modules.get(name)?.dependencies ?? [],
    injectedEnv: graph.modules.get(name)?.injected ?? {},
    resources: byModule.get(name)?.map((c) => ({ id: c.id, action: c.action, reason: c.reason, rule: c.rule, dataLoss: c.dataLoss })) ?? [],
  }));
}

export async function planCommand(io: Io, specPath: string, flags: Omit<PlanOptions, 'images'> & { images?: string; enginePreview?: boolean }): Promise<number> {
  const { images: imagesFile, enginePreview, ...rest } = flags;
  const mapping: ReturnType<typeof readImageMapping> = imagesFile ? readImageMapping(imagesFile) : { diagnostics: [] };
  if (mapping.diagnostics.length > 0) {
    if (io.json) io.document({ ok: false, diagnostics: mapping.diagnostics });
    else printDiagnostics(io, mapping.diagnostics, undefined);
    return exitCode(mapping.diagnostics) || 1;
  }
  const options: PlanOptions = { ...rest, ...(mapping.images ? { images: mapping.images } : {}) };
  if (enginePreview) return previewCommand(io, specPath, options);
  const result = computePlan(specPath, options);
  const { plan, compilation } = result;
  if (!plan) {
    if (io.json) io.document(result.document);
    else printDiagnostics(io, (result.document.diagnostics as Compilation['diagnostics']) ?? compilation.diagnostics, compilation.source);
    return exitCode((result.document.diagnostics as Compilation['diagnostics']) ?? compilation.diagnostics) || 1;
  }
  if (options.out) writeFileAtomic(resolve(options.out), JSON.stringify(result.document, null, 2) + '\n');
  if (io.json) io.document(result.document);
  else {
    printDiagnostics(io, compilation.diagnostics, compilation.source);
    printPlan(io, result);
    if (options.out) io.out(`saved plan to ${options.out}; apply it with: aninfra apply ${options.out}`);
  }
  return options.detailedExitcode && plan.hasChanges ? 2 : 0;
}

const symbols: Record<ResourceChange['action'], string> = { create: '+', update: '~', replace: '-/+', delete: '-', 'no-op': ' ' };

function printPlan(io: Io, result: PlanResult): void {
  const plan = result.plan as Plan;
  const s = io.style;
  const colour = (a: ResourceChange['action'], t: string): string => (a === 'create' ? s.green(t) : a === 'delete' ? s.red(t) : a === 'replace' ? s.yellow(t) : a === 'update' ? s.cyan(t) : s.dim(t));
  io.out(`${s.bold(`Plan for system '${plan.system}'`)} (target ${plan.target}, ${plan.baseRevision === null ? 'nothing applied yet' : `against revision ${plan.baseRevision}`})\n`);
  for (const m of result.document.modules as { module: string; type: string | null; resources: { id: string; action: ResourceChange['action']; reason: string; rule: string; dataLoss: boolean }[] }[]) {
    const changed = m.resources.filter((r) => r.action !== 'no-op');
    io.out(`${s.bold(m.module)}${m.type ? s.dim(` (${m.type})`) : ''}${changed.length === 0 ? s.dim('  no changes') : ''}`);
    for (const r of m.resources) {
      if (r.action === 'no-op') continue;
      io.out(`  ${colour(r.action, `${symbols[r.action].padStart(3)} ${r.action.padEnd(7)}`)} ${r.id.padEnd(34)} ${s.dim(`[${r.rule}] ${r.reason}`)}`);
      if (r.dataLoss) io.out(`      ${s.red(s.bold('DATA LOSS'))}: this removes the stored data of module '${m.module}'`);
    }
  }
  const sum = plan.summary;
  io.out(`\n${s.bold('Summary')}: ${s.green(`${sum.create} to create`)}, ${s.cyan(`${sum.update} to update`)}, ${s.yellow(`${sum.replace} to replace`)}, ${s.red(`${sum.delete} to delete`)}, ${sum['no-op']} unchanged`);
  io.out(`plan hash ${plan.planHash.slice(0, 16)}  program written to ${relative(process.cwd(), result.programDir ?? '') || '.'}`);
}

/** `plan --engine-preview`: aninfra's plan next to the engine's own preview. */
async function previewCommand(io: Io, specPath: string, options: PlanOptions): Promise<number> {
  const { previewOperation } = await import('../../apply/preview.js');
  const r = await previewOperation(specPath, options);
  if (io.json) io.document(r.document);
  else {
    printDiagnostics(io, r.diagnostics, undefined);
    const p = r.document.preview as { engine: string; agree?: boolean; available?: boolean; onlyInPlan?: string[]; onlyInPreview?: string[] } | undefined;
    if (p?.available === false) io.out(`the ${p.engine} engine has no preview of its own; the plan above is aninfra's`);
    else if (p) io.out(`${p.agree ? io.style.green('✓ plan and engine preview agree') : io.style.red('✗ plan and engine preview differ')} (${p.engine})${p.onlyInPlan?.length ? `\n  only in plan: ${p.onlyInPlan.join(', ')}` : ''}${p.onlyInPreview?.length ? `\n  only in preview: ${p.onlyInPreview.join(', ')}` : ''}`);
  }
  return r.exitCode;
}
