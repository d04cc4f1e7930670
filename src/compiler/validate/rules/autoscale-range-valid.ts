/**
 * autoscale-range-valid: a module's `autoscale.min` is at most its `autoscale.max` (JSON Schema
 * checks each against 1-20, not one against the other).
 * Codes: ERR_AUTOSCALE_RANGE (fix: swap min and max).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const autoscaleRangeValid: ValidationRule = {
  id: 'autoscale-range-valid',
  reports: ['ERR_AUTOSCALE_RANGE'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name] of knownModules(spec, ctx)) {
      const autoscale = ctx.inputs.get(name)?.autoscale;
      if (typeof autoscale !== 'object' || autoscale === null) continue;
      const { min, max } = autoscale as { min?: unknown; max?: unknown };
      if (typeof min !== 'number' || typeof max !== 'number' || min <= max) continue;
      // min above max (≥ 1) means min was written (its default is 1), so both can be replaced.
      const base = pointer('modules', name, 'with', 'autoscale');
      out.push(
        diagnostic('ERR_AUTOSCALE_RANGE', { module: name, min, max }, {
          path: `${base}/min`,
          fix: { title: `swap them: min ${max}, max ${min}`, patch: [{ op: 'replace', path: `${base}/min`, value: max }, { op: 'replace', path: `${base}/max`, value: min }] },
        }),
      );
    }
    return out;
  },
};
