/**
 * references-valid: every `${module.output}` names a defined module and one of its declared
 * outputs; secret outputs flow only into env (never labels); inputs under `with:` hold no
 * references; a referenced module not in `uses:` is a warning (the edge is added implicitly).
 * Codes: ERR_REF_SYNTAX, ERR_REF_UNKNOWN_MODULE, ERR_REF_UNKNOWN_OUTPUT, ERR_REF_SECRET_OUTSIDE_ENV,
 * ERR_REF_NOT_ALLOWED, WARN_REF_IMPLICIT_DEPENDENCY.
 */
import { diagnostic, type Diagnostic, type Fix } from '../../diagnostics/diagnostic.js';
import { nearest } from '../../diagnostics/suggest.js';
import { join, pointer } from '../../source/json-pointer.js';
import { edgesOf, knownModules, type ValidationContext, type ValidationRule } from '../rule.js';
import type { SystemSpec } from '../spec-types.js';
import { parseTemplate } from '../templates.js';

export const referencesValid: ValidationRule = {
  id: 'references-valid',
  reports: ['ERR_REF_SYNTAX', 'ERR_REF_UNKNOWN_MODULE', 'ERR_REF_UNKNOWN_OUTPUT', 'ERR_REF_SECRET_OUTSIDE_ENV', 'ERR_REF_NOT_ALLOWED', 'WARN_REF_IMPLICIT_DEPENDENCY'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name, m, d] of knownModules(spec, ctx)) {
      const dependsOn = new Set(edgesOf(ctx, name, m, d).map((e) => e.target));
      const warned = new Set<string>();
      for (const [key, value] of Object.entries(m.env ?? {})) {
        const path = pointer('modules', name, 'env', key);
        for (const ref of checkString(value, path, 'env', spec, ctx, out)) {
          if (ref === name || dependsOn.has(ref) || warned.has(ref) || !(ref in spec.modules)) continue;
          warned.add(ref);
          const uses = pointer('modules', name, 'uses');
          const fix: Fix = m.uses
            ? { title: `add '${ref}' to uses`, patch: [{ op: 'add', path: join(uses, '-'), value: ref }] }
            : { title: `add uses: [${ref}]`, patch: [{ op: 'add', path: uses, value: [ref] }] };
          // Adding the edge is safe only when this module type may use the target (a database uses nothing).
          const provided = ctx.registry.get(spec.modules[ref]?.type ?? '')?.capabilities.provides ?? [];
          const canUse = d.capabilities.uses.some((c) => provided.includes(c));
          out.push(diagnostic('WARN_REF_IMPLICIT_DEPENDENCY', { module: name, target: ref }, { path, ...(canUse ? { fix } : {}) }));
        }
      }
      for (const [key, value] of Object.entries(m.labels ?? {})) checkString(value, pointer('modules', name, 'labels', key), 'labels', spec, ctx, out);
      walkStrings(m.with, pointer('modules', name, 'with'), (s, path) => {
        for (const piece of parseTemplate(s)) {
          if (piece.kind === 'ref') out.push(diagnostic('ERR_REF_NOT_ALLOWED', { where: path.replace(/^\/modules\//, '').replace(/\//g, '.'), ref: piece.raw }, { path }));
        }
      });
    }
    for (const [key, value] of Object.entries(spec.metadata.labels ?? {})) checkString(value, pointer('metadata', 'labels', key), 'labels', spec, ctx, out);
    return out;
  },
};

/** Checks the references of one string; returns the modules it references (valid ones). */
function checkString(value: string, path: string, where: 'env' | 'labels', spec: SystemSpec, ctx: ValidationContext, out: Diagnostic[]): string[] {
  const refs: string[] = [];
  for (const piece of parseTemplate(value)) {
    if (piece.kind === 'error') {
      out.push(diagnostic('ERR_REF_SYNTAX', { text: piece.raw, detail: piece.detail }, { path }));
      continue;
    }
    if (piece.kind !== 'ref') continue;
    const target = spec.modules[piece.module];
    if (!target) {
      const guess = nearest(piece.module, Object.keys(spec.modules));
      out.push(
        diagnostic('ERR_REF_UNKNOWN_MODULE', { ref: piece.raw, target: piece.module }, {
          path,
          ...(guess ? { hint: `did you mean '${guess}'?`, fix: { title: `use '${guess}'`, patch: [{ op: 'replace', path, value: value.split(piece.raw).join(`\${${guess}.${piece.output}}`) }] } } : {}),
        }),
      );
      continue;
    }
    const descriptor = ctx.registry.get(target.type);
    if (!descriptor) continue;
    const output = descriptor.outputs[piece.output];
    if (!output) {
      const names = Object.keys(descriptor.outputs);
      const guess = nearest(piece.output, names);
      out.push(
        diagnostic('ERR_REF_UNKNOWN_OUTPUT', { ref: piece.raw, targetType: descriptor.kind, target: piece.module, output: piece.output, outputs: names.join(', ') }, {
          path,
          ...(guess ? { hint: `did you mean '${guess}'?`, fix: { title: `use '${guess}'`, patch: [{ op: 'replace', path, value: value.split(piece.raw).join(`\${${piece.module}.${guess}}`) }] } } : {}),
        }),
      );
      continue;
    }
    if (output.secret && where !== 'env') {
      out.push(diagnostic('ERR_REF_SECRET_OUTSIDE_ENV', { ref: piece.raw, where }, { path }));
      continue;
    }
    refs.push(piece.module);
  }
  return refs;
}

function walkStrings(value: unknown, path: string, visit: (s: string, path: string) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, join(path, i), visit));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkStrings(v, join(path, k), visit);
}
