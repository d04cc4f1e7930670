/**
 * module-target-supported: the chosen target realizes every design kind a module's type produces
 * (the descriptor's `realizes` against the target's `supports`). Runs only when the caller handed
 * the target registry in.
 * Codes: ERR_TARGET_UNSUPPORTED_MODULE.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';
import type { TargetFacts } from '../spec-types.js';

export const moduleTargetSupported: ValidationRule = {
  id: 'module-target-supported',
  reports: ['ERR_TARGET_UNSUPPORTED_MODULE'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    const lookup = ctx.targetNamed;
    const target = lookup?.(ctx.target);
    if (!lookup || !target) return out;
    const realizes = (t: TargetFacts | undefined, kinds: readonly string[]): boolean => !!t && kinds.every((k) => t.supports.includes(k));
    for (const [name, , d] of knownModules(spec, ctx)) {
      if (realizes(target, d.realizes)) continue;
      const supported = (ctx.targetNames ?? []).filter((t) => realizes(lookup(t), d.realizes));
      out.push(
        diagnostic('ERR_TARGET_UNSUPPORTED_MODULE', { module: name, type: d.kind, target: ctx.target, supported: supported.join(', ') || 'none' }, { path: pointer('modules', name, 'type') }),
      );
    }
    return out;
  },
};
