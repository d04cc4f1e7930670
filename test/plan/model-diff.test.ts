/**
 * modelDiff: resources only one side has, leaf fields that differ with both values, the target,
 * and each side's own system name is no difference.
 */
import { describe, expect, it } from 'vitest';
import type { ModelNode, TargetModel } from '../../src/compiler/emit/target.js';
import { modelDiff, type DiffSide } from '../../src/plan/model-diff.js';

interface Node extends ModelNode {
  readonly name: string;
  readonly env?: Record<string, string>;
  readonly ports?: number[];
}

const node = (system: string, id: string, extra: Partial<Node> = {}): Node => ({
  id,
  kind: id.split(':')[0] ?? '',
  provenance: { module: id.includes('net') ? null : id.split(':')[1] ?? null, rule: 'r', detail: `${system} thing` },
  dependsOn: [],
  name: `${system}--${id.split(':')[1] ?? ''}`,
  ...extra,
});

const side = (env: string, target: string, system: string, nodes: Node[]): DiffSide => ({ env, target, model: { system, nodes, outputs: [] } as TargetModel });

describe('modelDiff', () => {
  it('sees no difference between two environments that differ only by name', () => {
    const a = side('a', 'compose', 'shop-a', [node('shop-a', 'network:shop-a'), node('shop-a', 'container:api', { env: { URL: 'http://shop-a--api' } })]);
    const b = side('b', 'compose', 'shop-b', [node('shop-b', 'network:shop-b'), node('shop-b', 'container:api', { env: { URL: 'http://shop-b--api' } })]);
    const d = modelDiff(a, b);
    expect(d.equal).toBe(true);
    expect(d.summary).toEqual({ added: 0, removed: 0, changed: 0, unchanged: 2 });
  });

  it('lists added, removed and changed resources with their fields', () => {
    const a = side('a', 'compose', 's-a', [node('s-a', 'container:api', { env: { LEVEL: 'info', OLD: 'x' }, ports: [80] }), node('s-a', 'container:worker')]);
    const b = side('b', 'compose', 's-b', [node('s-b', 'container:api', { env: { LEVEL: 'debug', NEW: 'y' }, ports: [80, 443] }), node('s-b', 'volume:data')]);
    const d = modelDiff(a, b);
    expect(d.equal).toBe(false);
    expect(d.target.changed).toBe(false);
    expect(d.added).toEqual([{ id: 'volume:data', kind: 'volume', module: 'data' }]);
    expect(d.removed).toEqual([{ id: 'container:worker', kind: 'container', module: 'worker' }]);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]?.fields).toEqual([
      { path: '/env/LEVEL', a: 'info', b: 'debug' },
      { path: '/env/NEW', b: 'y' },
      { path: '/env/OLD', a: 'x' },
      { path: '/ports', a: [80], b: [80, 443] },
    ]);
  });

  it('reports a target difference even when the resources agree', () => {
    const d = modelDiff(side('a', 'docker', 's-a', []), side('b', 'compose', 's-b', []));
    expect(d.target).toEqual({ a: 'docker', b: 'compose', changed: true });
    expect(d.equal).toBe(false);
  });
});
