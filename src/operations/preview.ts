/**
 * `plan --engine-preview`: run the engine's own preview (Pulumi) next to aninfra's plan and say
 * whether they agree on which resources change. Loads the engine (and so @pulumi/*) only here.
 * Codes: those of the engine and the compiler.
 */
import { exitCodeFor } from '../compiler/diagnostics/diagnostic.js';
import { computePlan, type PlanOptions } from './plan.js';
import { stateName, statePaths } from '../state/paths.js';
import { engineContext, engineFor, fail, systemName } from '../apply/state-access.js';
import type { OperationResult } from '../apply/options.js';
import { hostEnvValues } from '../apply/host-env.js';

export async function previewOperation(specPath: string, options: PlanOptions): Promise<OperationResult> {
  const planned = computePlan(specPath, options);
  if (!planned.plan || !planned.compilation.ir || !planned.compilation.graph || !planned.programDir) return fail([...planned.diagnostics]);
  const { system, target } = planned.compilation.graph;
  const engine = await engineFor(target);
  if (!engine.preview) {
    return { ok: true, exitCode: 0, document: { ...planned.document, preview: { engine: engine.name, available: false } }, diagnostics: [] };
  }
  const name = options.env === undefined ? undefined : systemName(specPath);
  const paths = statePaths(specPath, options.env === undefined ? system : stateName(name ?? system, options.env), options.stateDir);
  const { values: hostEnv, missing } = hostEnvValues(planned.compilation.ir, process.env);
  if (missing.length > 0) return fail(missing);
  const result = await engine.preview(engineContext({ system, ir: planned.compilation.ir, programDir: planned.programDir, specPath, paths }, { ...(options.stateDir ? { stateDir: options.stateDir } : {}) }, { hostEnv, hasChanges: planned.plan.hasChanges, platform: planned.compilation.platform ?? {}, emit: () => undefined }));
  const changed = new Set(planned.plan.changes.filter((c) => c.action !== 'no-op').map((c) => c.id));
  const previewed = new Set(result.steps.filter((s) => s.op !== 'same' && s.op !== 'read').map((s) => s.id));
  const onlyInPlan = [...changed].filter((id) => !previewed.has(id)).sort();
  const onlyInPreview = [...previewed].filter((id) => !changed.has(id)).sort();
  const agree = result.ok && onlyInPlan.length === 0 && onlyInPreview.length === 0;
  const document = { ...planned.document, ok: result.ok, preview: { engine: result.tool ?? engine.name, steps: result.steps, agree, onlyInPlan, onlyInPreview }, diagnostics: [...planned.diagnostics, ...result.diagnostics] };
  return { ok: result.ok, exitCode: result.ok ? 0 : exitCodeFor([...result.diagnostics]) || 3, document, diagnostics: [...result.diagnostics] };
}
