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
  // Nodes by position: one id lookup per dependency, then only integers.
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (index.has(n.id)) throw new Error(`internal: two resources ${n.id}`);
    index.set(n.id, i);
  });
  const waiting = new Int32Array(nodes.length);
  const dependents: number[][] = nodes.map(() => []);
  const missing: string[] = [];
  nodes.forEach((n, i) => {
    n.dependsOn.forEach((d, k) => {
      const j = index.get(d);
      if (j === undefined) missing.push(`${n.id} → ${d}`);
      else if (n.dependsOn.indexOf(d) === k) {
        waiting[i] = (waiting[i] as number) + 1;
        (dependents[j] as number[]).push(i);
      }
    });
  });
  if (missing.length > 0) throw new Error(`internal: dependencies on unknown resources: ${missing.join(', ')}`);
  // Positions ranked by id once: the heap then compares integers (comparing ids there, in random order over the whole model, was most of its time).
  const byId = nodes.map((_, i) => i).sort((a, b) => ((nodes[a] as AwsNode).id < (nodes[b] as AwsNode).id ? -1 : 1));
  const rank = new Int32Array(nodes.length);
  byId.forEach((i, r) => (rank[i] = r));
  const ready = new MinHeap(rank);
  for (let i = 0; i < nodes.length; i++) if (waiting[i] === 0) ready.push(i);
  const out: AwsNode[] = [];
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    out.push(nodes[i] as AwsNode);
    for (const d of dependents[i] as number[]) {
      const left = (waiting[d] as number) - 1;
      waiting[d] = left;
      if (left === 0) ready.push(d);
    }
  }
  if (out.length !== nodes.length) throw new Error(`internal: a dependency cycle among ${nodes.filter((_, i) => (waiting[i] as number) > 0).map((n) => n.id).join(', ')}`);
  return out;
}

/** A binary min-heap of node positions, smallest rank (id order) first. */
class MinHeap {
  private readonly items: number[] = [];

  constructor(private readonly rank: Int32Array) {}

  push(i: number): void {
    const a = this.items;
    const key = this.rank[i] as number;
    a.push(i);
    let at = a.length - 1;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if ((this.rank[a[parent] as number] as number) <= key) break;
      a[at] = a[parent] as number;
      at = parent;
    }
    a[at] = i;
  }

  pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    const key = this.rank[last] as number;
    let at = 0;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const c = r < a.length && (this.rank[a[r] as number] as number) < (this.rank[a[l] as number] as number) ? r : l;
      if ((this.rank[a[c] as number] as number) >= key) break;
      a[at] = a[c] as number;
      at = c;
    }
    a[at] = last;
    return top;
  }
}
