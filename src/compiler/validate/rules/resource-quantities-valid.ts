/**
 * resource-quantities-valid: `resources.cpu` and `resources.memory` are Kubernetes quantities every
 * target can realize: CPU of at least 1m in cores or millicores, memory of at least 6Mi with a
 * unit Kubernetes knows (resource-quantity.ts).
 * Codes: ERR_RESOURCE_QUANTITY (fix where the meaning is clear: '512MB' → '512Mi', '0.5 cores' →
 * '0.5'; otherwise the message states the accepted forms).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { parseCpu, parseMemory, type QuantityParse } from '../resource-quantity.js';
import { knownModules, type ValidationRule } from '../rule.js';

const parsers: readonly [string, (text: string) => QuantityParse][] = [
  ['cpu', parseCpu],
  ['memory', parseMemory],
];

export const resourceQuantitiesValid: ValidationRule = {
  id: 'resource-quantities-valid',
  reports: ['ERR_RESOURCE_QUANTITY'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name] of knownModules(spec, ctx)) {
      const resources = ctx.inputs.get(name)?.resources;
      if (typeof resources !== 'object' || resources === null) continue;
      for (const [resource, parse] of parsers) {
        const value = (resources as Record<string, unknown>)[resource];
        if (typeof value !== 'string') continue;
        const parsed = parse(value);
        if (parsed.ok) continue;
        const path = pointer('modules', name, 'with', 'resources', resource);
        const fix = parsed.suggestion !== undefined ? { title: `write '${parsed.suggestion}'`, patch: [{ op: 'replace' as const, path, value: parsed.suggestion }] } : undefined;
        out.push(diagnostic('ERR_RESOURCE_QUANTITY', { module: name, resource, problem: parsed.problem }, { path, ...(fix ? { fix } : {}) }));
      }
    }
    return out;
  },
};
