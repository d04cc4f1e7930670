/**
 * dependency-capabilities: the target of every edge provides what the edge needs. A `uses:` edge
 * needs one of the capabilities the using module's descriptor accepts; an input edge (a route)
 * needs every capability it lists.
 * Codes: ERR_DEP_CAPABILITY_MISMATCH.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { edgesOf, knownModules, type ValidationRule } from '../rule.js';

export const dependencyCapabilities: ValidationRule = {
  id: 'dependency-capabilities',
  reports: ['ERR_DEP_CAPABILITY_MISMATCH'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name, m, d] of knownModules(spec, ctx)) {
      for (const edge of edgesOf(ctx, name, m, d)) {
        const targetSpec = spec.modules[edge.target];
        const target = targetSpec ? ctx.registry.get(targetSpec.type) : undefined;
        if (!target || edge.target === name) continue;
        const provided = target.capabilities.provides;
        const ok = edge.kind === 'uses' ? d.capabilities.uses.some((c) => provided.includes(c)) : edge.needs.every((c) => provided.includes(c));
        if (ok) continue;
        const needed = edge.kind === 'uses' ? (d.capabilities.uses.length > 0 ? `one of [${d.capabilities.uses.join(', ')}]` : 'nothing (it cannot use other modules)') : `[${edge.needs.join(', ')}]`;
        out.push(
          diagnostic('ERR_DEP_CAPABILITY_MISMATCH', { module: name, type: d.kind, needed, target: edge.target, targetType: target.kind, provided: provided.length > 0 ? `[${provided.join(', ')}]` : 'nothing' }, {
            path: edge.path,
            // Dropping a `uses:` entry is the one safe edit; a route's target needs a human decision.
            ...(edge.kind === 'uses' ? { fix: { title: `remove the edge to '${edge.target}'`, patch: [{ op: 'remove' as const, path: edge.removePath }] } } : {}),
          }),
        );
      }
    }
    return out;
  },
};
