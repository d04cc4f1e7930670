/**
 * Plan-side safety (issue 9): data loss and data risk per kind, containers replaced with their
 * image, the baseline after a destroy, and the converge mark after an unfinished revision.
 */
import { describe, expect, it } from 'vitest';
import { compileText } from '../../src/operations/compile-file.js';
import type { DockerImageNode, DockerModel, DockerNode } from '../../src/targets/docker-family/model.js';
import { planBaseline } from '../../src/plan/baseline.js';
import { dataLossGate } from '../../src/plan/data-loss-gate.js';
import { makePlan, type Plan } from '../../src/plan/make-plan.js';
import { planWarnings } from '../../src/plan/plan-warnings.js';
import { dockerPlanRules as rules } from '../../src/targets/docker-family/plan-rules.js';
import { buildContexts } from '../helpers/host-files.js';

const spec = (db = 'db: { type: postgres, version: "16" }', api = '') => `apiVersion: aninfra/v1
kind: System
metadata: { name: shop }
target: compose
modules:
  ${db}
  cache: { type: redis }
  api:
    type: service
    with: { runtime: node, build: ./api, port: 8080${api} }
    uses: [cache]
    env: { GREETING: hello }
`;

function ir(text: string): DockerModel {
  const c = compileText('/tmp/plan-safety/aninfra.yaml', text, { until: 'lower', files: buildContexts('/tmp/plan-safety', ['api']) });
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return c.ir as DockerModel;
}

const plan = (from: DockerModel, text: string, to: DockerModel = ir(text)): Plan => makePlan({ model: to, rules, target: 'compose', specText: text, previous: { model: from, revision: 1, target: 'compose' } });
const codes = (p: Plan): string[] => planWarnings(p).map((d) => d.code);
const change = (p: Plan, id: string) => p.changes.find((c) => c.id === id);
const withNode = (x: DockerModel, id: string, edit: (n: DockerNode) => DockerNode): DockerModel => ({ ...x, nodes: x.nodes.map((n) => (n.id === id ? edit(n) : n)) });

describe('data loss and data risk', () => {
  it('a stateful major version change is a data risk, with its warning, and the gate refuses it', () => {
    const p = plan(ir(spec()), spec('db: { type: postgres, version: "17" }'));
    expect(p.dataRisks).toEqual([expect.objectContaining({ module: 'db', kind: 'major-version', volume: 'volume:db-data', from: '16', to: '17' })]);
    expect(change(p, 'volume:db-data')?.dataRisk).toBe('major-version');
    expect(codes(p)).toEqual(['WARN_PLAN_MAJOR_VERSION']);
    expect(planWarnings(p)[0]?.path).toBe('/modules/db');
    expect(dataLossGate(p, false)?.code).toBe('ERR_PLAN_DATA_LOSS');
    expect(dataLossGate(p, false)?.severity).toBe('error');
    expect(dataLossGate(p, false)?.hint).toContain('--allow-data-loss');
    expect(dataLossGate(p, true)).toBeUndefined();
  });

  it('a type change keeping the volume is a data risk, not a quiet update', () => {
    const p = plan(ir(spec()), spec('db: { type: mysql }'));
    expect(p.dataRisks).toEqual([expect.objectContaining({ module: 'db', kind: 'type-change', from: 'postgres', to: 'mysql' })]);
    expect(change(p, 'volume:db-data')?.dataRisk).toBe('type-change');
    expect(codes(p)).toEqual(['WARN_PLAN_TYPE_CHANGE']);
    expect(dataLossGate(p, false)?.code).toBe('ERR_PLAN_DATA_LOSS');
  });

  it('removing a stateful module deletes its volume: data loss', () => {
    const p = plan(ir(spec()), spec('other: { type: redis }'));
    expect(change(p, 'volume:db-data')).toMatchObject({ action: 'delete', dataLoss: true, dataRisk: 'module-removed' });
    expect(p.dataRisks.map((r) => [r.module, r.kind])).toEqual([['db', 'module-removed']]);
    expect(codes(p)).toEqual(['WARN_PLAN_MODULE_REMOVED']);
    expect(dataLossGate(p, false)?.code).toBe('ERR_PLAN_DATA_LOSS');
  });

  it('renaming a stateful module strands the old volume: data loss', () => {
    const p = plan(ir(spec()), spec('orders-db: { type: postgres, version: "16" }'));
    expect(change(p, 'volume:db-data')).toMatchObject({ action: 'delete', dataLoss: true, dataRisk: 'module-removed' });
    expect(change(p, 'volume:orders-db-data')?.action).toBe('create');
    expect(codes(p)).toEqual(['WARN_PLAN_MODULE_REMOVED']);
  });

  it('replacing a kept volume is data loss', () => {
    const before = withNode(ir(spec()), 'volume:db-data', (n) => ({ ...n, name: 'shop-db-data-old' }) as DockerNode);
    const p = plan(before, spec());
    expect(change(p, 'volume:db-data')).toMatchObject({ action: 'replace', dataLoss: true, dataRisk: 'volume-replaced' });
    expect(codes(p)).toEqual(['WARN_PLAN_VOLUME_REPLACED']);
    expect(dataLossGate(p, false)?.code).toBe('ERR_PLAN_DATA_LOSS');
  });

  it('changes that keep the data carry no risk and pass the gate', () => {
    const p = plan(ir(spec()), spec(undefined, ', replicas: 2').replace('GREETING: hello', 'GREETING: hi'));
    expect(p.hasChanges).toBe(true);
    expect(p.dataRisks).toEqual([]);
    expect(p.changes.some((c) => c.dataLoss || c.dataRisk)).toBe(false);
    expect(codes(p)).toEqual([]);
    expect(dataLossGate(p, false)).toBeUndefined();
  });
});

describe('containers follow their image', () => {
  it('an image ref change replaces the container, naming the image', () => {
    const p = plan(ir(spec()), spec('db: { type: postgres, version: "17" }'));
    expect(change(p, 'image:db')?.action).toBe('replace');
    expect(change(p, 'container:db')?.action).toBe('replace');
    expect(change(p, 'container:db')?.reason).toContain('image:db');
  });

  it.each([
    ['ref (a new build hash as tag)', (n: DockerImageNode): DockerImageNode => ({ ...n, ref: `${n.ref}-changed` })],
    ['source', (n: DockerImageNode): DockerImageNode => ({ ...n, source: { kind: 'pull' } })],
    ['build args', (n: DockerImageNode): DockerImageNode => (n.source.kind === 'build' ? { ...n, source: { ...n.source, args: { V: '2' } } } : n)],
  ])('a container whose image changed (%s) is replaced, never no-op', (_what, edit) => {
    const now = ir(spec());
    const before = withNode(now, 'image:api', (n) => edit(n as DockerImageNode));
    const p = plan(before, spec(), now);
    expect(change(p, 'image:api')?.action).toBe('replace');
    expect(change(p, 'container:api')).toMatchObject({ action: 'replace' });
    expect(change(p, 'container:api')?.reason).toContain('image:api');
    expect(p.hasChanges).toBe(true);
  });

  it('only the containers of the changed image are replaced', () => {
    const now = ir(spec());
    const p = plan(withNode(now, 'image:api', (n) => ({ ...n, ref: 'old' }) as DockerNode), spec(), now);
    expect(p.changes.filter((c) => c.action !== 'no-op').map((c) => c.id).sort()).toEqual(['container:api', 'image:api']);
  });

  it('a volume is updated in place only when nothing Docker sees changes (its labels carry the rule)', () => {
    const now = ir(spec());
    const detail = withNode(now, 'volume:db-data', (n) => ({ ...n, provenance: { ...n.provenance, detail: 'other text' } }));
    expect(change(plan(detail, spec(), now), 'volume:db-data')).toMatchObject({ action: 'update', changed: ['provenance.detail'] });
    const rule = withNode(now, 'volume:db-data', (n) => ({ ...n, provenance: { ...n.provenance, rule: 'older-rule' } }));
    const p = plan(rule, spec(), now);
    expect(change(p, 'volume:db-data')).toMatchObject({ action: 'replace', dataLoss: true });
    expect(change(p, 'container:db')?.action).toBe('replace');
  });

  it('a changed container label is a replace (Docker cannot relabel a container)', () => {
    const now = ir(spec());
    const before = withNode(now, 'container:api', (n) => (n.kind === 'container' ? { ...n, labels: { ...n.labels, extra: 'x' } } : n));
    expect(change(plan(before, spec(), now), 'container:api')?.action).toBe('replace');
  });
});

type Rev = Parameters<typeof planBaseline>[0][number];
const rev = (revision: number, status: Rev['status'], x: DockerModel): Rev => ({ revision, status, ir: x, target: 'compose' });

describe('baseline', () => {
  it('a destroyed system plans as all-create with changes', () => {
    const x = ir(spec());
    const baseline = planBaseline([rev(1, 'applied', x), rev(2, 'destroyed', x)]);
    expect(baseline.previous).toBeUndefined();
    expect(baseline.destroyedRevision).toBe(2);
    const p = makePlan({ model: x, rules, target: 'compose', specText: spec(), ...baseline });
    expect(p.baseRevision).toBeNull();
    expect(p.changes.every((c) => c.action === 'create')).toBe(true);
    expect(p.hasChanges).toBe(true);
  });

  it('an apply after a destroy is the baseline again', () => {
    const x = ir(spec());
    const baseline = planBaseline([rev(1, 'applied', x), rev(2, 'destroyed', x), rev(3, 'applied', x)]);
    expect(baseline.previous?.revision).toBe(3);
    expect(baseline.destroyedRevision).toBeUndefined();
    expect(baseline.converge).toBeUndefined();
  });

  it.each(['failed', 'interrupted', 'applying'] as const)('a %s revision after the baseline marks the plan converge: never "no changes"', (status) => {
    const x = ir(spec());
    const baseline = planBaseline([rev(1, 'applied', x), rev(2, status, x)]);
    expect(baseline.previous?.revision).toBe(1);
    expect(baseline.converge).toEqual({ revision: 2, status });
    const p = makePlan({ model: x, rules, target: 'compose', specText: spec(), ...baseline });
    expect(p.changes.every((c) => c.action === 'no-op')).toBe(true);
    expect(p.converge).toEqual({ revision: 2, status });
    expect(p.hasChanges).toBe(true);
    expect(codes(p)).toEqual(['WARN_PLAN_NOT_CONVERGED']);
    expect(dataLossGate(p, false)).toBeUndefined();
    const clean = makePlan({ model: x, rules, target: 'compose', specText: spec(), ...planBaseline([rev(1, 'applied', x)]) });
    expect(clean.hasChanges).toBe(false);
    expect(p.planHash).not.toBe(clean.planHash);
  });

  it('a clean apply after a failed one clears the mark; a failure after a destroy keeps it', () => {
    const x = ir(spec());
    expect(planBaseline([rev(1, 'applied', x), rev(2, 'failed', x), rev(3, 'applied', x)]).converge).toBeUndefined();
    const b = planBaseline([rev(1, 'applied', x), rev(2, 'destroyed', x), rev(3, 'interrupted', x)]);
    expect(b).toEqual({ destroyedRevision: 2, converge: { revision: 3, status: 'interrupted' } });
  });
});
