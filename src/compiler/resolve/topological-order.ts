/**
 * Dependency order with ties broken by name, so output is the same for the same spec however its
 * keys are ordered. Dependencies come before the modules that use them.
 */
import type graphlib from '@dagrejs/graphlib';

export function topologicalOrder(graph: graphlib.Graph): string[] {
  const remaining = new Map<string, number>();
  for (const node of graph.nodes()) remaining.set(node, ((graph.successors(node) as string[] | undefined) ?? []).length);
  const ready = [...remaining].filter(([, n]) => n === 0).map(([node]) => node).sort();
  const order: string[] = [];
  while (ready.length > 0) {
    const node = ready.shift() as string;
    order.push(node);
    for (const user of ((graph.predecessors(node) as string[] | undefined) ?? []).sort()) {
      const left = (remaining.get(user) ?? 0) - 1;
      remaining.set(user, left);
      if (left === 0) insertSorted(ready, user);
    }
  }
  return order;
}

function insertSorted(list: string[], item: string): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as string) < item) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, item);
}
