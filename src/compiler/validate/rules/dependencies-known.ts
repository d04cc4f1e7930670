/**
 * dependencies-known: every `uses:` and `after:` entry and every edge a module's inputs imply (gateway routes)
 * names a module of the spec, other than the module itself.
 * Codes: ERR_DEP_UNKNOWN_MODULE (fix: rename to the nearest module; else add a module when the
 * name is a module type; else remove the entry), ERR_DEP_SELF (fix: remove the entry).
 */
import { diagnostic, type Diagnostic, type Fix } from '../../diagnostics/diagnostic.js';
import { nearest } from '../../diagnostics/suggest.js';
import { pointer } from '../../source/json-pointer.js';
import type { ModuleRegistry } from '../../../modules/descriptor.js';
import { edgesOf, knownModules, type ValidationRule } from '../rule.js';

export const dependenciesKnown: ValidationRule = {
  id: 'dependencies-known',
  reports: ['ERR_DEP_UNKNOWN_MODULE', 'ERR_DEP_SELF'],
  check(spec, ctx) {
    const names = Object.keys(spec.modules);
    const out: Diagnostic[] = [];
    for (const [name, m, d] of knownModules(spec, ctx)) {
      for (const edge of edgesOf(ctx, name, m, d)) {
        if (edge.target === name) {
          out.push(diagnostic('ERR_DEP_SELF', { module: name, via: edge.kind === 'input' ? 'its routes' : edge.kind }, { path: edge.path, fix: { title: 'remove the entry', patch: [{ op: 'remove', path: edge.removePath }] } }));
          continue;
        }
        if (edge.target in spec.modules) continue;
        const guess = nearest(edge.target, names.filter((n) => n !== name));
        const fix = unknownTargetFix(edge.target, guess, edge.path, edge.removePath, ctx.registry);
        out.push(
          diagnostic('ERR_DEP_UNKNOWN_MODULE', { module: name, via: edge.via, target: edge.target }, {
            path: edge.path,
            fix,
            hint: guess ? `did you mean '${guess}'?` : `defined modules: ${names.sort().join(', ') || '(none)'}`,
          }),
        );
      }
    }
    return out;
  },
};

function unknownTargetFix(target: string, guess: string | undefined, path: string, removePath: string, registry: ModuleRegistry): Fix {
  if (guess) return { title: `use '${guess}'`, patch: [{ op: 'replace', path, value: guess }] };
  if (registry.get(target)) return { title: `add a module '${target}' of type ${target}`, patch: [{ op: 'add', path: pointer('modules', target), value: { type: target } }] };
  return { title: `remove the reference to '${target}'`, patch: [{ op: 'remove', path: removePath }] };
}
