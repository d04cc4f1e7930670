/**
 * The planner knows no target: a model of another target's resources (Kubernetes-like kinds here)
 * is planned with that target's PlanRules, and data risk follows `holdsData` and the module
 * identity in provenance (`module:<type>` nodes with detail `<type> <version>`).
 */
import { describe, expect, it } from 'vitest';
import type { ModelNode, PlanRules, TargetModel } from '../../src/compiler/emit/target.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { planWarnings } from '../../src/plan/plan-warnings.js';

interface KubeNode extends ModelNode {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly configMap?: string;
}

const rules: PlanRules<KubeNode> = {
  inPlace: (node, field) => node.kind === 'StatefulSet' || node.kind === 'Deployment' ? field === 'spec' || field.startsWith('provenance') : field.startsWith('provenance'),
  holdsData: (node) => node.kind === 'PersistentVolumeClaim',
  recreatedWith: (node) => (node.configMap ? [node.configMap] : []),
};

const db = (version: string, size = '1Gi'): KubeNode[] => [
  { id: 'StatefulSet/db', kind: 'StatefulSet', provenance: { module: 'db', rule: 'module:postgres', detail: `postgres ${version}` }, dependsOn: [], spec: { image: `postgres:${version}` } },
  { id: 'PersistentVolumeClaim/db-data', kind: 'PersistentVolumeClaim', provenance: { module: 'db', rule: 'stateful-volume', detail: 'postgres is stateful' }, dependsOn: [], spec: { size } },
];
const api = (replicas: number, config = 'a'): KubeNode[] => [
  { id: 'ConfigMap/api', kind: 'ConfigMap', provenance: { module: 'api', rule: 'config', detail: 'api config' }, dependsOn: [], spec: { config } },
  { id: 'Deployment/api', kind: 'Deployment', provenance: { module: 'api', rule: 'module:service', detail: 'service 1' }, dependsOn: [], spec: { replicas }, configMap: 'ConfigMap/api' },
];
const model = (...nodes: KubeNode[][]): TargetModel<KubeNode> => ({ system: 'shop', nodes: nodes.flat(), outputs: [] });
const plan = (from: TargetModel<KubeNode>, to: TargetModel<KubeNode>) =>
  makePlan({ model: to, rules, target: 'kubernetes', specText: 'x', previous: { model: from, revision: 1, target: 'kubernetes' } });
const action = (p: ReturnType<typeof plan>, id: string) => p.changes.find((c) => c.id === id)?.action;

describe('plan over any target model', () => {
  it('applies in place what the rules say (replicas 2 → 3 is an update)', () => {
    const p = plan(model(api(2)), model(api(3)));
    expect(action(p, 'Deployment/api')).toBe('update');
    expect(p.changes.find((c) => c.id === 'Deployment/api')?.kind).toBe('Deployment');
    expect(p.dataRisks).toEqual([]);
  });

  it('recreates what the rules tie to a replaced resource', () => {
    const p = plan(model(api(2)), model(api(2, 'b')));
    // ConfigMap changes are not in place under these rules, so the Deployment is recreated with it.
    expect(action(p, 'ConfigMap/api')).toBe('replace');
    expect(action(p, 'Deployment/api')).toBe('replace');
    expect(p.changes.find((c) => c.id === 'Deployment/api')?.reason).toMatch(/ConfigMap\/api/);
  });

  it('marks data loss on the resource the rules say holds data, with the module identity from provenance', () => {
    const removed = plan(model(db('16'), api(2)), model(api(2)));
    expect(removed.changes.find((c) => c.id === 'PersistentVolumeClaim/db-data')).toMatchObject({ action: 'delete', dataLoss: true, dataRisk: 'module-removed' });
    expect(removed.dataRisks).toEqual([{ module: 'db', kind: 'module-removed', volume: 'PersistentVolumeClaim/db-data', type: 'postgres', from: 'postgres', to: '' }]);
    expect(planWarnings(removed).map((d) => d.code)).toEqual(['WARN_PLAN_MODULE_REMOVED']);

    const major = plan(model(db('16')), model(db('17')));
    expect(major.dataRisks.map((r) => [r.kind, r.from, r.to])).toEqual([['major-version', '16', '17']]);

    const resized = plan(model(db('16')), model(db('16', '2Gi')));
    expect(resized.changes.find((c) => c.id === 'PersistentVolumeClaim/db-data')).toMatchObject({ action: 'replace', dataLoss: true, dataRisk: 'volume-replaced' });
  });
});
