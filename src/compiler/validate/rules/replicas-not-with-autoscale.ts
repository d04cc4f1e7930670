/**
 * replicas-not-with-autoscale: a module fixes its number of instances with `replicas` or lets
 * `autoscale` move it between min and max, not both. Reads `replicas` as written (the inputs
 * carry its default 1 everywhere).
 * Codes: ERR_REPLICAS_WITH_AUTOSCALE (fix: remove replicas; when autoscale.min is not written and
 * replicas fits under max, its value becomes autoscale.min, the count it asked for at start).
 */
import { diagnostic, type Diagnostic, type JsonPatchOp } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const replicasNotWithAutoscale: ValidationRule = {
  id: 'replicas-not-with-autoscale',
  reports: ['ERR_REPLICAS_WITH_AUTOSCALE'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name, m] of knownModules(spec, ctx)) {
      const written = m.with ?? {};
      const autoscale = ctx.inputs.get(name)?.autoscale as { min?: unknown; max?: unknown } | undefined;
      if (written.replicas === undefined || typeof autoscale !== 'object' || autoscale === null) continue;
      const replicas = Number(written.replicas);
      const min = Number(autoscale.min);
      const max = Number(autoscale.max);
      const base = pointer('modules', name, 'with');
      const minWritten = (written.autoscale as { min?: unknown } | undefined)?.min !== undefined;
      const patch: JsonPatchOp[] = [{ op: 'remove', path: `${base}/replicas` }];
      const moveToMin = !minWritten && replicas <= max;
      if (moveToMin) patch.push({ op: 'add', path: `${base}/autoscale/min`, value: replicas });
      out.push(
        diagnostic('ERR_REPLICAS_WITH_AUTOSCALE', { module: name, replicas, min, max }, {
          path: `${base}/replicas`,
          fix: { title: moveToMin ? `remove replicas and start autoscale at min ${replicas}` : 'remove replicas', patch },
        }),
      );
    }
    return out;
  },
};
