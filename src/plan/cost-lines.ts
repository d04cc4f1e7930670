/**
 * The human plan's cost lines: the monthly total, one line per module (system-wide costs under
 * `(system)`) and the assumptions, from the plan document's `cost`. Module names come from the
 * spec and go through printable().
 */
import { printable } from '../compiler/diagnostics/printable.js';
import type { Style } from '../compiler/diagnostics/render.js';
import type { PlanCost } from './cost-estimate.js';

/** Lines to print after the plan's summary; none when the plan has no `cost`. */
export function costLines(document: { readonly cost?: PlanCost }, style: Style): string[] {
  const cost = document.cost;
  if (!cost) return [];
  const amount = (n: number): string => n.toFixed(2);
  const entries = Object.entries(cost.perModule).map(([module, n]) => [printable(module), amount(n)] as const);
  const nameWidth = Math.max(0, ...entries.map(([m]) => m.length));
  const numberWidth = Math.max(amount(cost.monthly).length, ...entries.map(([, n]) => n.length));
  return [
    `\n${style.bold('Estimated cost')}: ${style.bold(`${amount(cost.monthly)} ${printable(cost.currency)}`)} a month ${style.dim(`(${printable(cost.region)} list prices of ${printable(cost.priceDate)})`)}`,
    ...entries.map(([module, n]) => `  ${module.padEnd(nameWidth)}  ${n.padStart(numberWidth)}`),
    style.dim('  assuming:'),
    ...cost.assumptions.map((a) => style.dim(`    - ${printable(a)}`)),
  ];
}
