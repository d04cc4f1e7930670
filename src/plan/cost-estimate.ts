/**
 * The plan's cost estimate: when the target has a `cost` hook, the plan document gains
 * `cost: { currency, monthly, perModule, assumptions, priceDate, region }` (the hook's estimate
 * without its diagnostics) and the estimate's warnings join the plan's diagnostics.
 * Codes: whatever the target's hook reports (aws: WARN_AWS_REGION_UNPRICED).
 */
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { CostEstimate } from '../compiler/emit/cost.js';
import type { Target } from '../compiler/emit/target.js';
import type { InfraIR } from '../compiler/lower/ir.js';

/** The `cost` object of a plan document. */
export type PlanCost = Omit<CostEstimate, 'diagnostics'>;

/** `document` with `cost` added when `target` estimates costs and the design compiled; unchanged otherwise. */
export function withCostEstimate<D extends { readonly diagnostics: readonly Diagnostic[] }>(
  document: D,
  target: Pick<Target, 'cost'> | undefined,
  design: InfraIR | undefined,
): D & { readonly cost?: PlanCost } {
  if (!target?.cost || !design) return document;
  const { diagnostics = [], ...cost } = target.cost(design);
  return { ...document, cost, diagnostics: [...document.diagnostics, ...diagnostics] };
}
