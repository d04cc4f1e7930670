/**
 * The plan operation: compile, write the program for the target (for review only: apply runs its
 * own copy, emitted under the lock) and diff the IR against the baseline revision, giving create /
 * update / replace / delete per module with reasons, data risks and a plan hash. Shared by `aninfra
 * plan`, apply, the engine preview, MCP plan and HTTP POST /v1/plan.
 */
import { resolve } from 'node:path';
import type { JsonSchema } from '../modules/descriptor.js';
import { envArgument, envelopeSchema, inputSchema, platformArguments, specArguments, targetArgument } from './schemas.js';
import type { Compilation } from '../compiler/pipeline.js';
import type { TargetName } from '../compiler/validate/spec-types.js';
import type { PlatformSettings } from '../compiler/lower/platform-settings.js';
import type { EmittedFile } from '../compiler/emit/target.js';
import { makePlan, type Plan, type ResourceChange } from '../plan/make-plan.js';
import { planBaseline, type Baseline } from '../plan/baseline.js';
import { contextHasher } from '../plan/context-hash.js';
import { planWarnings } from '../plan/plan-warnings.js';
import { writeProgramDir } from '../plan/program-dir.js';
import { withCostEstimate, type PlanCost } from '../plan/cost-estimate.js';
import { Journal, StateError } from '../state/journal.js';
import { VERSION } from '../state/version.js';
import { stateName, statePaths } from '../state/paths.js';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { targetNamed } from '../targets/index.js';
import { compileFile, compileText } from './compile-file.js';

/** Plan's arguments (MCP plan's input schema; HTTP POST /v1/plan's body). */
export const planInputSchema: JsonSchema = inputSchema({ ...specArguments, target: targetArgument, env: envArgument, ...platformArguments('program') });

/** The plan document's schema (MCP plan's output, HTTP POST /v1/plan's 200 body). */
export const planOutputSchema: JsonSchema = envelopeSchema('The plan document.', {
    specPath: { type: 'string' },
    programDir: { type: 'string', description: 'Where the emitted program was written.' },
    files: { type: 'array', items: { type: 'string' } },
    modules: { type: 'array', items: { type: 'object' }, description: 'Per module: type, dependsOn, injectedEnv and resources with action, reason, rule, dataLoss.' },
    plan: { type: 'object', description: 'system, target, baseRevision, changes, summary, hasChanges, planHash.' },
    env: { type: 'string', description: 'The environment planned (the spec\'s environments.<env> overlay), when one was given.' },
    cost: {
      type: 'object',
      description: 'Monthly cost estimate, when the target has one (aws): currency, monthly total, perModule, assumptions, priceDate, region.',
      properties: {
        currency: { type: 'string' },
        monthly: { type: 'number' },
        perModule: { type: 'object', additionalProperties: { type: 'number' } },
        assumptions: { type: 'array', items: { type: 'string' } },
        priceDate: { type: 'string' },
        region: { type: 'string' },
      },
    },
  });

export interface PlanOptions {
  /** The environment (`environments:` entry of the spec) to plan. */
  readonly env?: string;
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
}

/** What `plan --json` prints, `--out` saves and MCP plan / HTTP POST /v1/plan return. */
export interface PlanDocument {
  readonly ok: true;
  readonly specPath: string;
  readonly programDir: string;
  readonly files: readonly string[];
  /** The overrides a saved plan was made with: applying it uses them again. */
  readonly platform?: PlatformSettings;
  /** The environment a saved plan was made for: applying it uses it again. */
  readonly env?: string;
  readonly modules: readonly ModuleView[];
  readonly plan: Plan;
  readonly diagnostics: readonly Diagnostic[];
  /** The monthly cost estimate, when the target has one (aws). */
  readonly cost?: PlanCost;
}

/** The envelope of an operation that could not go on. */
export interface FailedDocument {
  readonly ok: false;
  readonly diagnostics: readonly Diagnostic[];
}

export type PlanResult =
  | {
      readonly compilation: Compilation;
      readonly plan: Plan;
      /** Where the plan wrote its program (for review; apply emits `files` into the deploy dir itself). */
      readonly programDir: string;
      /** The compiled program, for apply to write into `statePaths(...).deploy(target)` under the lock. */
      readonly files: readonly EmittedFile[];
      readonly document: PlanDocument;
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly compilation: Compilation; readonly plan?: undefined; readonly programDir?: undefined; readonly files?: undefined; readonly document: FailedDocument; readonly diagnostics: readonly Diagnostic[] };

function failed(compilation: Compilation, diagnostics: readonly Diagnostic[]): PlanResult {
  return { compilation, document: { ok: false, diagnostics }, diagnostics };
}

/** Compile, emit and diff: shared by `plan`, `apply` and the MCP `plan` tool. Writes only the program dir. */
export function computePlan(specPath: string, options: PlanOptions): PlanResult {
  // The spec's own name comes from the compilation's parse (Compilation.specName): no second parse.
  // An environment's compiled system is `<system>-<env>`; its state dir is `<system>@<env>`.
  const stateOf = (system: string, name: string | undefined): string => (options.env === undefined ? system : stateName(name ?? system, options.env));
  const outDir = (system: string, target: string, name: string | undefined): string => resolve(options.emitDir ?? statePaths(specPath, stateOf(system, name), options.stateDir).program(target));
  // The owner label is the state dir's id, in plan as in apply, so a plan after an apply shows no label changes.
  const owner = options.owner ?? ((name: string): string => statePaths(specPath, stateName(name, options.env), options.stateDir).owner);
  const compileOptions = { ...(options.env !== undefined ? { env: options.env } : {}), outDir, contextHash: contextHasher(specPath), ...(options.target ? { target: options.target } : {}), ...(options.platform ? { platform: options.platform } : {}), ...(options.images ? { images: options.images } : {}), owner, dropDocument: true };
  const compilation = options.specText === undefined ? compileFile(specPath, compileOptions) : compileText(specPath, options.specText, compileOptions);
  if (!compilation.ok || !compilation.ir || !compilation.files || !compilation.graph) return failed(compilation, compilation.diagnostics);
  const { system, target } = compilation.graph;
  const paths = statePaths(specPath, stateOf(system, compilation.specName), options.stateDir);
  const programDir = outDir(system, target, compilation.specName);
  let baseline: Baseline;
  try {
    baseline = planBaseline(new Journal(paths.journal).revisions());
  } catch (e) {
    if (e instanceof StateError) return failed(compilation, [...compilation.diagnostics, e.diagnostic]);
    throw e;
  }
  const rules = targetNamed(target)?.plan;
  if (!rules) return failed(compilation, [...compilation.diagnostics, diagnostic('ERR_INTERNAL', { detail: `no target named ${target}` })]);
  const plan = makePlan({ model: compilation.ir, rules, target, specText: compilation.source.text, ...baseline });
  const marker = { system, target, toolVersion: VERSION, role: 'program' as const };
  const refused = writeProgramDir(programDir, compilation.files, marker, { adoptUnmarked: options.emitDir === undefined });
  if (refused) return failed(compilation, [...compilation.diagnostics, refused]);
  const document: PlanDocument = withCostEstimate({
    ok: true,
    specPath: resolve(specPath),
    programDir,
    files: compilation.files.map((f) => f.path),
    // The overrides a saved plan was made with: applying it uses them again.
    ...(options.platform ? { platform: options.platform } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    modules: modulesView(compilation, plan),
    plan,
    diagnostics: [...compilation.diagnostics, ...planWarnings(plan)],
  }, targetNamed(target), compilation.design);
  return { compilation, plan, programDir, files: compilation.files, document, diagnostics: document.diagnostics };
}

export interface ModuleView {
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
    const list = byModule.get(key);
    if (list) list.push(c);
    else byModule.set(key, [c]);
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
