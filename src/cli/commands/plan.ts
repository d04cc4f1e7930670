/**
 * `aninfra plan [SPEC]`: compile, write the program for the target (for review only: apply runs
 * its own copy, emitted under the lock), diff the IR against the baseline revision and print
 * create / update / replace / delete per module, with reasons, DATA LOSS / DATA RISK lines and a
 * plan hash. `--out plan.json` saves the plan for `aninfra apply plan.json`.
 */
import { relative, resolve } from 'node:path';
import type { Compilation } from '../../compiler/pipeline.js';
import type { TargetName } from '../../compiler/validate/spec-types.js';
import type { PlatformSettings } from '../../compiler/lower/platform-settings.js';
import { platformOverrides } from '../platform-flags.js';
import type { EmittedFile } from '../../compiler/emit/target.js';
import { makePlan, type Plan, type ResourceChange } from '../../plan/make-plan.js';
import { planBaseline, type Baseline } from '../../plan/baseline.js';
import { contextHasher } from '../../plan/context-hash.js';
import { dockerfileText, generatedDockerfileOf } from '../show-dockerfile.js';
import { planWarnings } from '../../plan/plan-warnings.js';
import { writeProgramDir } from '../../plan/program-dir.js';
import { withCostEstimate } from '../../plan/cost-estimate.js';
import { costLines } from '../../plan/cost-lines.js';
import { Journal, StateError } from '../../state/journal.js';
import { VERSION } from '../version.js';
import { stateName, statePaths } from '../../state/paths.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import { readImageMapping } from '../../apply/images-file.js';
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { targetNamed } from '../../targets/index.js';
import { systemName, systemNameOf } from '../../apply/state-access.js';
import type { Io } from '../io.js';
import { compileFile, compileText } from '../compile-file.js';
import { exitCode, printDiagnostics } from './report.js';
import { dockerModel } from '../../targets/docker-family/model.js';

export interface PlanOptions {
  readonly target?: TargetName;
  /** Platform settings from outside the spec, merged over its `platform:` (saved with the plan). */
  readonly platform?: PlatformSettings;
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
  /** The environment overlay to compile (`--env`): state in `.aninfra/<system>@<env>/`. */
  readonly env?: string;
}

export interface PlanResult {
  readonly compilation: Compilation;
  readonly plan?: Plan;
  /** Where the plan wrote its program (for review; apply emits `files` into the deploy dir itself). */
  readonly programDir?: string;
  /** The compiled program, for apply to write into `statePaths(...).deploy(target)` under the lock. */
  readonly files?: readonly EmittedFile[];
  /** The saved plan document (what `--out` writes and `plan --json` prints). */
  readonly document: Record<string, unknown>;
}

/** Compile, emit and diff: shared by `plan`, `apply` and the MCP `plan` tool. Writes only the program dir. */
export function computePlan(specPath: string, options: PlanOptions): PlanResult {
  const name = options.owner === undefined || options.env !== undefined ? (options.specText !== undefined ? systemNameOf(options.specText) : systemName(specPath)) : undefined;
  // An environment's compiled system is `<system>-<env>`; its state dir is `<system>@<env>`.
  const stateOf = (system: string): string => (options.env === undefined ? system : stateName(name ?? system, options.env));
  const outDir = (system: string, target: string): string => resolve(options.emitDir ?? statePaths(specPath, stateOf(system), options.stateDir).program(target));
  // The owner label is the state dir's id, in plan as in apply, so a plan after an apply shows no label changes.
  const owner = options.owner ?? (name ? statePaths(specPath, stateName(name, options.env), options.stateDir).owner : undefined);
  const compileOptions = { outDir, contextHash: contextHasher(specPath), ...(options.target ? { target: options.target } : {}), ...(options.platform ? { platform: options.platform } : {}), ...(options.images ? { images: options.images } : {}), ...(owner ? { owner } : {}), ...(options.env !== undefined ? { env: options.env } : {}) };
  const compilation = options.specText === undefined ? compileFile(specPath, compileOptions) : compileText(specPath, options.specText, compileOptions);
  if (!compilation.ok || !compilation.ir || !compilation.files || !compilation.graph) return { compilation, document: { ok: false, diagnostics: compilation.diagnostics } };
  const { system, target } = compilation.graph;
  const paths = statePaths(specPath, stateOf(system), options.stateDir);
  const programDir = outDir(system, target);
  let baseline: Baseline;
  try {
    baseline = planBaseline(new Journal(paths.journal).revisions());
  } catch (e) {
    if (e instanceof StateError) return { compilation, document: { ok: false, diagnostics: [...compilation.diagnostics, e.diagnostic] } };
    throw e;
  }
  const rules = targetNamed(target)?.plan;
  if (!rules) return { compilation, document: { ok: false, diagnostics: [...compilation.diagnostics, diagnostic('ERR_INTERNAL', { detail: `no target named ${target}` })] } };
  const plan = makePlan({ model: compilation.ir, rules, target, specText: compilation.source.text, ...baseline });
  const marker = { system, target, toolVersion: VERSION, role: 'program' as const };
  const refused = writeProgramDir(programDir, compilation.files, marker, { adoptUnmarked: options.emitDir === undefined });
  if (refused) return { compilation, document: { ok: false, diagnostics: [...compilation.diagnostics, refused] } };
  const document = withCostEstimate({
    ok: true,
    specPath: resolve(specPath),
    programDir,
    files: compilation.files.map((f) => f.path),
    // The overrides (and environment) a saved plan was made with: applying it uses them again.
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    modules: modulesView(compilation, plan),
    plan,
    diagnostics: [...compilation.diagnostics, ...planWarnings(plan)],
  }, targetNamed(target), compilation.design);
  return { compilation, plan, programDir, files: compilation.files, document };
}

interface ModuleView {
  readonly module: string;
  readonly type: string | null;
  /** The module is no longer in the spec: its resources are deleted. */
  readonly removed?: true;
  readonly dependsOn: readonly string[];
  readonly injectedEnv: Readonly<Record<string, string>>;
  readonly resources: readonly { id: string; action: ResourceChange['action']; reason: string; rule: string; dataLoss: boolean; dataRisk?: ResourceChange['dataRisk'] }[];
}

function modulesView(compilation: Compilation, plan: Plan): ModuleView[] {
  const graph = compilation.graph;
  if (!graph) return [];
  const byModule = new Map<string, ResourceChange[]>();
  for (const c of plan.changes) {
    const key = c.module ?? '(system)';
    byModule.set(key, [...(byModule.get(key) ?? []), c]);
  }
  const current = ['(system)', ...graph.order].filter((n) => byModule.has(n));
  const removed = [...byModule.keys()].filter((n) => n !== '(system)' && !graph.modules.has(n)).sort();
  const resources = (name: string): ModuleView['resources'] =>
    byModule.get(name)?.map((c) => ({ id: c.id, action: c.action, reason: c.reason, rule: c.rule, dataLoss: c.dataLoss, ...(c.dataRisk ? { dataRisk: c.dataRisk } : {}) })) ?? [];
  return [
    ...current.map((name) => ({
      module: name,
      type: name === '(system)' ? null : (graph.modules.get(name)?.descriptor.kind ?? null),
      dependsOn: graph.modules.get(name)?.dependencies ?? [],
      injectedEnv: graph.modules.get(name)?.injected ?? {},
      resources: resources(name),
    })),
    ...removed.map((name) => ({ module: name, type: removedType(byModule.get(name) ?? []), removed: true as const, dependsOn: [], injectedEnv: {}, resources: resources(name) })),
  ];
}

/** The type of a module that left the spec, from the rule of its module node (`module:<type>`). */
function removedType(changes: readonly ResourceChange[]): string | null {
  const node = changes.find((c) => c.rule.startsWith('module:'));
  return node ? node.rule.slice('module:'.length) : null;
}

export async function planCommand(io: Io, specPath: string, flags: Omit<PlanOptions, 'images' | 'platform'> & { images?: string; enginePreview?: boolean; showDockerfile?: string } & Record<string, unknown>): Promise<number> {
  const { images: imagesFile, enginePreview, showDockerfile, ...rest } = flags;
  const mapping: ReturnType<typeof readImageMapping> = imagesFile ? readImageMapping(imagesFile) : { diagnostics: [] };
  const settings = platformOverrides(rest);
  const refused = [...mapping.diagnostics, ...settings.diagnostics];
  if (refused.length > 0) {
    if (io.json) io.document({ ok: false, diagnostics: refused });
    else printDiagnostics(io, refused, undefined);
    return exitCode(refused) || 1;
  }
  const options: PlanOptions = { ...rest, ...(settings.platform ? { platform: settings.platform } : {}), ...(mapping.images ? { images: mapping.images } : {}) };
  if (enginePreview) return previewCommand(io, specPath, options);
  const result = computePlan(specPath, options);
  const { plan, compilation } = result;
  if (!plan) {
    if (io.json) io.document(result.document);
    else printDiagnostics(io, (result.document.diagnostics as Compilation['diagnostics']) ?? compilation.diagnostics, compilation.source);
    return exitCode((result.document.diagnostics as Compilation['diagnostics']) ?? compilation.diagnostics) || 1;
  }
  if (options.out) writeFileAtomic(resolve(options.out), JSON.stringify(result.document, null, 2) + '\n');
  if (showDockerfile !== undefined) {
    const shown = generatedDockerfileOf(compilation, showDockerfile);
    if ('diagnostic' in shown) {
      if (io.json) io.document({ ok: false, diagnostics: [shown.diagnostic] });
      else printDiagnostics(io, [shown.diagnostic], undefined);
      return 1;
    }
    if (io.json) io.document({ ...result.document, module: shown.module, dockerfile: shown.dockerfile });
    else io.out(dockerfileText(shown.dockerfile));
    return 0;
  }
  if (io.json) io.document(result.document);
  else {
    printDiagnostics(io, result.document.diagnostics as Compilation['diagnostics'], compilation.source);
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
  const base =
    plan.destroyedRevision !== undefined ? `system destroyed in revision ${plan.destroyedRevision}: everything is created` : plan.baseRevision !== null ? `against revision ${plan.baseRevision}` : 'nothing applied yet';
  io.out(`${s.bold(`Plan for system '${plan.system}'`)} (target ${plan.target}, ${base})\n`);
  if (plan.converge) io.out(`${s.yellow(s.bold('NOT CONVERGED'))}: revision ${plan.converge.revision} is ${plan.converge.status}; the running system may differ from the journal, and apply will check and converge it\n`);
  const risks = new Map(plan.dataRisks.map((r) => [r.volume, r]));
  for (const m of result.document.modules as ModuleView[]) {
    const shown = m.resources.filter((r) => r.action !== 'no-op' || r.dataLoss || r.dataRisk);
    io.out(`${s.bold(m.module)}${m.type ? s.dim(` (${m.type})`) : ''}${m.removed ? s.red('  removed from the spec') : ''}${shown.length === 0 ? s.dim('  no changes') : ''}`);
    for (const r of shown) {
      io.out(`  ${colour(r.action, `${symbols[r.action].padStart(3)} ${r.action.padEnd(7)}`)} ${r.id.padEnd(34)} ${s.dim(`[${r.rule}] ${r.reason}`)}`);
      const risk = risks.get(r.id);
      const label = s.red(s.bold(r.dataLoss ? 'DATA LOSS' : 'DATA RISK'));
      if (risk) io.out(`      ${label}: the stored data of module '${m.module}' ${riskText(risk)}`);
      else if (r.dataLoss) io.out(`      ${label}: this removes the stored data of module '${m.module}'`);
    }
  }
  const sum = plan.summary;
  io.out(`\n${s.bold('Summary')}: ${s.green(`${sum.create} to create`)}, ${s.cyan(`${sum.update} to update`)}, ${s.yellow(`${sum.replace} to replace`)}, ${s.red(`${sum.delete} to delete`)}, ${sum['no-op']} unchanged`);
  if (plan.dataRisks.length > 0) io.out(`${s.red(s.bold(`${plan.dataRisks.length} module(s) lose or risk stored data`))}: apply refuses this plan unless given --allow-data-loss`);
  for (const line of costLines(result.document, s)) io.out(line);
  io.out(`plan hash ${plan.planHash.slice(0, 16)}  program written to ${relative(process.cwd(), result.programDir ?? '') || '.'}`);
}

function riskText(r: Plan['dataRisks'][number]): string {
  switch (r.kind) {
    case 'module-removed':
      return 'is deleted or left behind: the module is no longer in the spec';
    case 'type-change':
      return `was written by ${r.from} and cannot be read by ${r.to}`;
    case 'major-version':
      return `was written by ${r.type} ${r.from} and may not open with ${r.to}`;
    case 'volume-replaced':
      return `is lost: the volume is ${r.to === 'delete' ? 'deleted' : 'replaced'}`;
    default: {
      const never: never = r.kind;
      return never;
    }
  }
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
