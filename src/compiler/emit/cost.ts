/**
 * What a target's cost hook returns: an estimate of what a design costs per month on the target,
 * per module and in total, with the assumptions it rests on. `plan --json` carries it as `cost`
 * (without `diagnostics`, which join the plan's own) and the human plan prints the total and one
 * line per module.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export interface CostEstimate {
  /** ISO 4217 code of every amount ('USD'). */
  readonly currency: string;
  /** The sum of `perModule`, in `currency` per month. */
  readonly monthly: number;
  /**
   * Monthly amount per module name, sorted by name; costs of the system as a whole (its network)
   * under `(system)`, which no module name can be (the plan's module view uses the same key).
   */
  readonly perModule: Readonly<Record<string, number>>;
  /** What the estimate assumes (hours per month, traffic, storage defaults…), one sentence each. */
  readonly assumptions: readonly string[];
  /** Date of the price table the amounts come from (YYYY-MM-DD). */
  readonly priceDate: string;
  /** Region whose prices were used. */
  readonly region: string;
  /** Coded warnings about the estimate itself (a region without a price table); the plan lists them with its other diagnostics. */
  readonly diagnostics?: readonly Diagnostic[];
}

/** The key of system-wide costs in `perModule`. */
export const SYSTEM_COST_KEY = '(system)';
