/**
 * The coded warnings a plan carries: one per module whose stored data it deletes or endangers,
 * and one when the baseline may not match the live system.
 * Codes: WARN_PLAN_MODULE_REMOVED, WARN_PLAN_TYPE_CHANGE, WARN_PLAN_MAJOR_VERSION,
 * WARN_PLAN_VOLUME_REPLACED, WARN_PLAN_NOT_CONVERGED.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { DataRisk } from './data-risk.js';
import type { Plan } from './make-plan.js';

export function planWarnings(plan: Pick<Plan, 'dataRisks' | 'converge'>): Diagnostic[] {
  const out = plan.dataRisks.map(riskWarning);
  if (plan.converge) out.push(diagnostic('WARN_PLAN_NOT_CONVERGED', { revision: plan.converge.revision, status: plan.converge.status }, { hint: 'aninfra apply checks the live system and converges it' }));
  return out;
}

function riskWarning(r: DataRisk): Diagnostic {
  const at = { path: `/modules/${r.module}` };
  switch (r.kind) {
    case 'module-removed':
      return diagnostic('WARN_PLAN_MODULE_REMOVED', { module: r.module, type: r.type, volume: r.volume });
    case 'type-change':
      return diagnostic('WARN_PLAN_TYPE_CHANGE', { module: r.module, from: r.from, to: r.to, volume: r.volume }, at);
    case 'major-version':
      return diagnostic('WARN_PLAN_MAJOR_VERSION', { module: r.module, type: r.type, from: r.from, to: r.to, volume: r.volume }, at);
    case 'volume-replaced':
      return diagnostic('WARN_PLAN_VOLUME_REPLACED', { module: r.module, volume: r.volume, action: r.to === 'delete' ? 'deleted' : 'replaced', reason: r.from }, at);
    default: {
      const never: never = r.kind;
      return never;
    }
  }
}
