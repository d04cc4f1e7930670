/**
 * module-target-supported: the chosen target can materialize every module's type.
 * Codes: ERR_TARGET_UNSUPPORTED_MODULE.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const moduleTargetSupported: ValidationRule = {
  id: 'module-target-supported',
  reports: ['ERR_TARGET_UNSUPPORTED_MODULE'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name, , d] of knownModules(spec, ctx)) {
      if (d.targets.includes(ctx.target)) continue;
      out.push(
        diagnostic('ERR_TARGET_UNSUPPORTED_MODULE', { module: name, type: d.kind, target: ctx.target, supported: d.targets.join(', ') }, { path: pointer('modules', name, 'type') }),
      );
    }
    return out;
  },
};
