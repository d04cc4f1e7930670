/**
 * autoscale-has-cpu-request: a module that autoscales on CPU utilisation also says how much CPU an
 * instance requests (`resources.cpu`): the utilisation is a percentage of that request, and a
 * Kubernetes HorizontalPodAutoscaler without one never scales.
 * Codes: WARN_AUTOSCALE_NO_CPU_REQUEST (no fix: only the author knows what an instance needs).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const autoscaleHasCpuRequest: ValidationRule = {
  id: 'autoscale-has-cpu-request',
  reports: ['WARN_AUTOSCALE_NO_CPU_REQUEST'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name] of knownModules(spec, ctx)) {
      const inputs = ctx.inputs.get(name);
      const autoscale = inputs?.autoscale as { cpu?: unknown } | undefined;
      if (typeof autoscale !== 'object' || autoscale === null) continue;
      const resources = inputs?.resources as { cpu?: unknown } | undefined;
      if (resources?.cpu !== undefined) continue;
      out.push(
        diagnostic('WARN_AUTOSCALE_NO_CPU_REQUEST', { module: name, cpu: Number(autoscale.cpu) }, {
          path: pointer('modules', name, 'with', 'autoscale'),
          hint: "add resources.cpu with what one instance needs at normal load, e.g. resources: { cpu: '250m' }",
        }),
      );
    }
    return out;
  },
};
