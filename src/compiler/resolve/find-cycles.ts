/**
 * Cycle detection on the module graph (iterative Tarjan, no recursion): one diagnostic per strongly connected
 * component, naming the full path (`api → worker → api`) and listing every edge in `related`.
 * Codes: ERR_GRAPH_CYCLE (fix: remove the `uses:` or `after:` entry that closes the cycle, when one does).
 */
import type graphlib from '@dagrejs/graphlib';
import { diagnostic, type Diagnostic, type RelatedInfo } from '../diagnostics/diagnostic.js';
import type { ModuleEdge } from '../validate/edges.js';
import { strongComponents } from './strong-components.js';

export function findCycles(graph: graphlib.Graph, edgeOf: (from: string, to: string) => ModuleEdge): Diagnostic[] {
  const out: Diagnostic[] = [];
  const components = strongComponents(graph).filter((c) => c.length > 1 || graph.hasEdge(c[0] as string, c[0] as string));
  for (const component of components.map((c) => [...c].sort()).sort((a, b) => (a[0] as string).localeCompare(b[0] as string))) {
    const cycle = cycleThrough(graph, component);
    const edges = cycle.slice(0, -1).map((from, i) => edgeOf(from, cycle[i + 1] as string));
    const closing = [...edges].reverse().find((e) => e.kind !== 'input') ?? (edges[edges.length - 1] as ModuleEdge);
    const related: RelatedInfo[] = edges.map((e) => ({ path: e.path, message: `'${e.from}' ${e.via} '${e.target}'` }));
    out.push(
      diagnostic('ERR_GRAPH_CYCLE', { cycle: cycle.join(' → ') }, {
        path: closing.path,
        related,
        hint: `remove one of these edges: ${edges.map((e) => `${e.from} → ${e.target}`).join(', ')}`,
        ...(closing.kind !== 'input' ? { fix: { title: `remove '${closing.target}' from the ${closing.kind} of '${closing.from}'`, patch: [{ op: 'remove' as const, path: closing.removePath }] } } : {}),
      }),
    );
  }
  return out;
}

/** A simple cycle inside one strongly connected component, starting and ending at its smallest node. */
function cycleThrough(graph: graphlib.Graph, component: readonly string[]): string[] {
  const members = new Set(component);
  const start = component[0] as string;
  const parent = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const next of ((graph.successors(node) as string[] | undefined) ?? []).filter((n) => members.has(n)).sort()) {
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(parent.get(path[0] as string) as string);
        return [...path, start];
      }
      if (!seen.has(next)) {
        seen.add(next);
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
