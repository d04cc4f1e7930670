/**
 * host-ports-unique: no two modules publish the same host port.
 * Codes: ERR_PORT_COLLISION (fix: the next port no module publishes).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const hostPortsUnique: ValidationRule = {
  id: 'host-ports-unique',
  reports: ['ERR_PORT_COLLISION'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    const published: { module: string; port: number; path: string }[] = [];
    for (const [name, , d] of knownModules(spec, ctx)) {
      for (const p of d.published?.(ctx.inputs.get(name) ?? {}) ?? []) published.push({ module: name, port: p.port, path: pointer('modules', name) + p.path });
    }
    const taken = new Set(published.map((p) => p.port));
    const first = new Map<number, string>();
    for (const p of published) {
      const owner = first.get(p.port);
      if (owner === undefined) {
        first.set(p.port, p.module);
        continue;
      }
      let free = p.port + 1;
      while (taken.has(free) && free < 65535) free++;
      taken.add(free);
      out.push(
        diagnostic('ERR_PORT_COLLISION', { port: p.port, first: owner, second: p.module }, {
          path: p.path,
          fix: { title: `publish '${p.module}' on ${free}`, patch: [{ op: 'replace', path: p.path, value: free }] },
        }),
      );
    }
    return out;
  },
};
