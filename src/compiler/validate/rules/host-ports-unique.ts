/**
 * host-ports-unique: no two modules publish the same host port.
 * Codes: ERR_PORT_COLLISION (fix: the next port no module publishes).
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { parsePointer, pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const hostPortsUnique: ValidationRule = {
  id: 'host-ports-unique',
  reports: ['ERR_PORT_COLLISION'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    const published: { module: string; port: number; path: string; written: boolean }[] = [];
    for (const [name, , d] of knownModules(spec, ctx)) {
      for (const p of d.published?.(ctx.inputs.get(name) ?? {}) ?? []) {
        // A port may come from a default (a gateway's 8080) the spec never wrote: 'replace' would not apply there.
        const written = writtenAt(spec.modules[name], p.path) !== undefined;
        published.push({ module: name, port: p.port, path: pointer('modules', name) + p.path, written });
      }
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
      while (free <= 65535 && taken.has(free)) free++;
      if (free > 65535) for (free = p.port - 1; free > 1 && taken.has(free); ) free--;
      taken.add(free);
      out.push(
        diagnostic('ERR_PORT_COLLISION', { port: p.port, first: owner, second: p.module }, {
          path: p.path,
          fix: { title: `publish '${p.module}' on ${free}`, patch: [{ op: p.written ? 'replace' : 'add', path: p.path, value: free }] },
        }),
      );
    }
    return out;
  },
};

function writtenAt(value: unknown, path: string): unknown {
  let cur = value;
  for (const token of parsePointer(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[token];
  }
  return cur;
}
