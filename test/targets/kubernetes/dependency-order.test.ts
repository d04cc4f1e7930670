/**
 * The order of a kubernetes model's objects (dependency-order.ts): dependencies first, ties broken
 * by id, the same as a naive reference on random graphs; bugs (unknown dependency, cycle, duplicate
 * id) throw; and a system-sized graph (every object depends on the Namespace) orders in
 * near-linear time — the quadratic version took 40 % of a 10,000-module plan.
 */
import { describe, expect, it } from 'vitest';
import { dependencyOrder } from '../../../src/targets/kubernetes/dependency-order.js';
import type { K8sNode } from '../../../src/targets/kubernetes/model.js';

const node = (id: string, dependsOn: readonly string[] = []): K8sNode => ({ id, kind: id.split('/')[0] ?? '', dependsOn, provenance: { module: null, rule: 'test' } }) as unknown as K8sNode;

/** Repeatedly the smallest id whose dependencies are all placed: quadratic, obviously right. */
function reference(nodes: readonly K8sNode[]): string[] {
  const placed = new Set<string>();
  const left = [...nodes];
  const out: string[] = [];
  while (left.length > 0) {
    const ready = left.filter((n) => n.dependsOn.every((d) => d === n.id || placed.has(d))).map((n) => n.id).sort();
    const next = ready[0] as string;
    out.push(next);
    placed.add(next);
    left.splice(left.findIndex((n) => n.id === next), 1);
  }
  return out;
}

/** A random DAG (each node depends on some earlier ones), ids shuffled so id order is not topological. */
function randomDag(size: number, seed: number): K8sNode[] {
  let s = seed;
  const rand = (n: number): number => ((s = (s * 1103515245 + 12345) % 2 ** 31), s % n);
  const ids = Array.from({ length: size }, (_, i) => `Kind/n-${String((i * 7919) % size).padStart(4, '0')}`);
  return ids.map((id, i) => node(id, i === 0 ? [] : Array.from({ length: rand(4) }, () => ids[rand(i)] as string)));
}

describe('dependencyOrder', () => {
  it.each([1, 2, 3, 4, 5])('orders a random graph as the reference does (seed %i)', (seed) => {
    const nodes = randomDag(300, seed);
    expect(dependencyOrder(nodes).map((n) => n.id)).toEqual(reference(nodes));
  });

  it('puts dependencies first and breaks ties by id, whatever the input order', () => {
    const nodes = [node('Service/b', ['Namespace/x']), node('Deployment/a', ['Namespace/x', 'Secret/s']), node('Secret/s', ['Namespace/x']), node('Namespace/x'), node('ConfigMap/c', ['Namespace/x'])];
    const expected = ['Namespace/x', 'ConfigMap/c', 'Secret/s', 'Deployment/a', 'Service/b'];
    expect(dependencyOrder(nodes).map((n) => n.id)).toEqual(expected);
    expect(dependencyOrder([...nodes].reverse()).map((n) => n.id)).toEqual(expected);
  });

  it('ignores a dependency on itself and throws on an unknown dependency, a cycle or a duplicate id', () => {
    expect(dependencyOrder([node('A/a', ['A/a'])]).map((n) => n.id)).toEqual(['A/a']);
    expect(() => dependencyOrder([node('A/a', ['B/missing'])])).toThrow(/unknown/);
    expect(() => dependencyOrder([node('A/a', ['A/b']), node('A/b', ['A/a'])])).toThrow(/cycle/);
    expect(() => dependencyOrder([node('A/a'), node('A/a')])).toThrow(/two kubernetes objects/);
  });

  it('orders 100,000 objects that all depend on one Namespace within the test timeout', () => {
    const nodes = [node('Namespace/ns'), ...Array.from({ length: 100_000 }, (_, i) => node(`Deployment/m-${String(99_999 - i).padStart(6, '0')}`, ['Namespace/ns']))];
    const out = dependencyOrder(nodes);
    expect(out[0]?.id).toBe('Namespace/ns');
    expect(out[1]?.id).toBe('Deployment/m-000000');
    expect(out[out.length - 1]?.id).toBe('Deployment/m-099999');
  });
});
