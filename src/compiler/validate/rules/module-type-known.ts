/**
 * module-type-known: every module's `type` names a descriptor in the registry.
 * Codes: ERR_MODULE_UNKNOWN_TYPE (fix: the nearest type by edit distance).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { nearest } from '../../diagnostics/suggest.js';
import { pointer } from '../../source/json-pointer.js';
import type { ValidationRule } from '../rule.js';

export const moduleTypeKnown: ValidationRule = {
  id: 'module-type-known',
  reports: ['ERR_MODULE_UNKNOWN_TYPE'],
  perModule: true,
  check(spec, ctx) {
    const kinds = ctx.registry.descriptors.map((d) => d.kind);
    const out: Diagnostic[] = [];
    for (const [name, m] of Object.entries(spec.modules)) {
      if (ctx.registry.get(m.type)) continue;
      const path = pointer('modules', name, 'type');
      const guess = nearest(m.type, kinds);
      out.push(
        diagnostic('ERR_MODULE_UNKNOWN_TYPE', { module: name, type: m.type }, {
          path,
          hint: guess ? `did you mean '${guess}'?` : `known types: ${kinds.join(', ')}`,
          ...(guess ? { fix: { title: `use type '${guess}'`, patch: [{ op: 'replace', path, value: guess }] } } : {}),
        }),
      );
    }
    return out;
  },
};
