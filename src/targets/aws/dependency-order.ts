/**
 * The order of the aws model's resources: dependencies first, ties broken by id (Kahn's algorithm
 * taking the smallest ready id each time), so the same model gives the same program. Linear-
 * logarithmic: most resources are ready at once (log groups, roles, security groups…) and hubs (the
 * VPC, the cluster) have thousands of dependents, so the ready ids are kept in a binary heap; a
 * sorted array spliced per ready id was quadratic (about 85 % of lowering at 10,000 modules).
 */
import type { AwsNode } from './model.js';

/** Kahn's algorithm with ties broken by id; an unknown dependency or a cycle is a bug. */
export function dependencyOrder(nodes: readonly AwsNode[]): AwsNode[] {
  const byId = new Map<string, AwsNode>();
  for (const n of nodes) {
    if (byId.has(n.id)) throw new Error(`internal: two resources ${n.id}`);
    byId.set(n.id, n);
  }
  const missing = nodes.flatMap((n) => n.dependsOn.filter((d) => !byId.has(d)).map((d) => `${n.id} → ${d}`));
  if (missing.length > 0) throw new Error(`internal: dependencies on unknown resources: ${missing.join(', ')}`);
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const n of nodes) {
    const deps = new Set(n.dependsOn);
    waiting.set(n.id, deps.size);
    for (const d of deps) {
      const list = dependents.get(d);
      if (list) list.push(n.id);
      else dependents.set(d, [n.id]);
    }
  }
  const ready = new MinHeap();
  for (const [id, count] of waiting) if (count === 0) ready.push(id);
  const out: AwsNode[] = [];
  for (let id = ready.pop(); id !== undefined; id = ready.pop()) {
    out.push(byId.get(id) as AwsNode);
    for (const d of dependents.get(id) ?? []) {
      const left = (waiting.get(d) as number) - 1;
      waiting.set(d, left);
      if (left === 0) ready.push(d);
    }
  }
  if (out.length !== nodes.length) {
    const placed = new Set(out.map((n) => n.id));
    throw new Error(`internal: a dependency cycle among ${nodes.filter((n) => !placed.has(n.id)).map((n) => n.id).join(', ')}`);
  }
  return out;
}

/** A binary min-heap of strings in code-unit order (the order of Array.prototype.sort and `<`). */
class MinHeap {
  private readonly items: string[] = [];

  push(id: string): void {
    const a = this.items;
    a.push(id);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((a[parent] as string) <= id) break;
      a[i] = a[parent] as string;
      i = parent;
    }
    a[i] = id;
  }

  pop(): string | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const c = r < a.length && (a[r] as string) < (a[l] as string) ? r : l;
      if ((a[c] as string) >= last) break;
      a[i] = a[c] as string;
      i = c;
    }
    a[i] = last;
    return top;
  }
}
