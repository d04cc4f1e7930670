/**
 * The order of the aws model's resources (dependency-order.ts): dependencies first, ties broken by
 * id, the same as a naive reference on random graphs; bugs (unknown dependency, cycle, duplicate
 * id) throw; and a system-sized graph (thousands of resources on one hub, most ready at once)
 * orders in near-linear time — the sorted array spliced per ready id took 30 s of a 10,000-module
 * aws lowering.
 */
import { describe, expect, it } from 'vitest';
import { dependencyOrder } from '../../../src/targets/aws/dependency-order.js';
import type { AwsNode } from '../../../src/targets/aws/model.js';

const node = (id: string, dependsOn: readonly string[] = []): AwsNode => ({ id, kind: id.split('/')[0] ?? '', name: id.split('/')[1] ?? '', args: {}, immutable: {}, dependsOn, provenance: { module: null, rule: 'test' } }) as AwsNode;

/** Repeatedly the smallest id whose dependencies are all placed: quadratic, obviously right. */
function reference(nodes: readonly AwsNode[]): string[] {
  const placed = new Set<string>();
  const left = [...nodes];
  const out: string[] = [];
  while (left.length > 0) {
    const ready = left.filter((n) => n.dependsOn.every((d) => placed.has(d))).map((n) => n.id).sort();
    const next = ready[0] as string;
    out.push(next);
    placed.add(next);
    left.splice(left.findIndex((n) => n.id === next), 1);
  }
  return out;
}

/** A random DAG (each node depends on some earlier ones, repeats included), ids shuffled so id order is not topological. */
function randomDag(size: number, seed: number): AwsNode[] {
  let s = seed;
  const rand = (n: number): number => ((s = (s * 1103515245 + 12345) % 2 ** 31), s % n);
  const ids = Array.from({ length: size }, (_, i) => `aws.x.Kind/n-${String((i * 7919) % size).padStart(4, '0')}`);
  return ids.map((id, i) => node(id, i === 0 ? [] : Array.from({ length: rand(4) }, () => ids[rand(i)] as string)));
}

describe('aws dependencyOrder', () => {
  it.each([1, 2, 3, 4, 5])('orders a random graph as the reference does (seed %i)', (seed) => {
    const nodes = randomDag(300, seed);
    expect(dependencyOrder(nodes).map((n) => n.id)).toEqual(reference(nodes));
  });

  it('puts dependencies first and breaks ties by id, whatever the input order', () => {
    const nodes = [node('aws.ecs.Service/b', ['aws.ec2.Vpc/vpc', 'aws.ecs.TaskDefinition/b']), node('aws.ecs.TaskDefinition/b', ['aws.iam.Role/b']), node('aws.iam.Role/b'), node('aws.ec2.Vpc/vpc'), node('aws.ec2.Subnet/a', ['aws.ec2.Vpc/vpc'])];
    const expected = ['aws.ec2.Vpc/vpc', 'aws.ec2.Subnet/a', 'aws.iam.Role/b', 'aws.ecs.TaskDefinition/b', 'aws.ecs.Service/b'];
    expect(dependencyOrder(nodes).map((n) => n.id)).toEqual(expected);
    expect(dependencyOrder([...nodes].reverse()).map((n) => n.id)).toEqual(expected);
  });

  it('throws on an unknown dependency, a cycle or a duplicate id', () => {
    expect(() => dependencyOrder([node('A/a', ['B/missing'])])).toThrow(/unknown/);
    expect(() => dependencyOrder([node('A/a', ['A/b']), node('A/b', ['A/a'])])).toThrow(/cycle/);
    expect(() => dependencyOrder([node('A/a'), node('A/a')])).toThrow(/two resources/);
  });

  it('orders 200,000 resources, half ready at once and half on one hub, within the test timeout', () => {
    const pad = (i: number): string => String(i).padStart(6, '0');
    const nodes = [
      node('aws.ec2.Vpc/vpc'),
      ...Array.from({ length: 100_000 }, (_, i) => node(`aws.iam.Role/m-${pad(99_999 - i)}`)),
      ...Array.from({ length: 100_000 }, (_, i) => node(`aws.ec2.SecurityGroup/m-${pad(99_999 - i)}`, ['aws.ec2.Vpc/vpc'])),
    ];
    const out = dependencyOrder(nodes);
    expect(out).toHaveLength(nodes.length);
    expect(out[0]?.id).toBe('aws.ec2.Vpc/vpc');
    expect(out[1]?.id).toBe('aws.ec2.SecurityGroup/m-000000');
    expect(out[out.length - 1]?.id).toBe('aws.iam.Role/m-099999');
  });
});
