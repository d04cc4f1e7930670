/**
 * names-unambiguous: system and module names do not contain `--`, the separator aninfra reserves
 * for the names it derives (`<system>--<module>--data`, `<system>--<container>`, `<module>--<i>`),
 * so no two systems or modules can share a derived name.
 * Codes: ERR_NAME_RESERVED_SEPARATOR (fix: single dashes, when that name is free and, for a module,
 * nothing refers to it by name).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { edgesOf, type ValidationContext, type ValidationRule } from '../rule.js';
import { usesName, type SystemSpec } from '../spec-types.js';
import { parseTemplate } from '../templates.js';

const SEPARATOR = '--';

export const namesUnambiguous: ValidationRule = {
  id: 'names-unambiguous',
  reports: ['ERR_NAME_RESERVED_SEPARATOR'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    const system = spec.metadata.name;
    if (system.includes(SEPARATOR)) {
      const proposed = singleDashes(system);
      out.push(
        diagnostic('ERR_NAME_RESERVED_SEPARATOR', { what: 'system name', name: system }, {
          path: '/metadata/name',
          fix: { title: `rename the system to '${proposed}'`, patch: [{ op: 'replace', path: '/metadata/name', value: proposed }] },
        }),
      );
    }
    const ambiguous = Object.keys(spec.modules).filter((name) => name.includes(SEPARATOR)).sort();
    if (ambiguous.length === 0) return out;
    const referenced = referencedModules(spec, ctx);
    for (const name of ambiguous) {
      const proposed = singleDashes(name);
      const free = !Object.hasOwn(spec.modules, proposed) && !ambiguous.some((other) => other !== name && singleDashes(other) === proposed);
      const path = pointer('modules', name);
      out.push(
        diagnostic('ERR_NAME_RESERVED_SEPARATOR', { what: 'module name', name }, {
          path,
          ...(free && !referenced.has(name) ? { fix: { title: `rename the module to '${proposed}'`, patch: [{ op: 'move' as const, from: path, path: pointer('modules', proposed) }] } } : {}),
        }),
      );
    }
    return out;
  },
};

function singleDashes(name: string): string {
  return name.replace(/-{2,}/g, '-');
}

/** Modules some other part of the spec names: uses, input edges (routes) and `${module.output}` references. */
function referencedModules(spec: SystemSpec, ctx: ValidationContext): Set<string> {
  const names = new Set<string>();
  const templates = (record: Readonly<Record<string, string>> | undefined): void => {
    for (const value of Object.values(record ?? {})) for (const piece of parseTemplate(value)) if (piece.kind === 'ref') names.add(piece.module);
  };
  templates(spec.metadata.labels);
  for (const [name, m] of Object.entries(spec.modules)) {
    for (const entry of m.uses ?? []) names.add(usesName(entry));
    const d = ctx.registry.get(m.type);
    if (d) for (const e of edgesOf(ctx, name, m, d)) names.add(e.target);
    templates(m.env);
    templates(m.labels);
  }
  return names;
}
