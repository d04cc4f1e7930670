import { describe, expect, it } from 'vitest';
import { compileText } from '../../src/operations/compile-file.js';
import type { DockerModel } from '../../src/targets/docker-family/model.js';
import { makePlan } from '../../src/plan/make-plan.js';
import { dockerPlanRules as rules } from '../../src/targets/docker-family/plan-rules.js';
import { buildContexts } from '../helpers/host-files.js';

const base = (extra = '', api = '') => `apiVersion: aninfra/v1
kind: System
metadata: { name: shop }
target: compose
modules:
  db: { type: postgres }
  cache: { type: redis }
  api:
    type: service
    with: { runtime: node, build: ./api, port: 8080${api} }
    uses: [db, cache]
    env: { GREETING: hello }
${extra}`;

function ir(text: string): DockerModel {
  const c = compileText('/tmp/plan-test/aninfra.yaml', text, { until: 'lower', files: buildContexts('/tmp/plan-test', ['api']) });
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return c.ir as DockerModel;
}

describe('plan', () => {
  it('creates everything when nothing was applied, each with its rule', () => {
    const plan = makePlan({ model: ir(base()), rules, target: 'compose', specText: base() });
    expect(plan.baseRevision).toBeNull();
    expect(plan.changes.every((c) => c.action === 'create')).toBe(true);
    expect(plan.changes.find((c) => c.id === 'network:shop')?.rule).toBe('system-network');
    expect(plan.changes.find((c) => c.id === 'volume:db-data')?.rule).toBe('stateful-volume');
    expect(plan.changes.find((c) => c.id === 'secret:db-password')?.rule).toBe('generated-secret');
    expect(plan.hasChanges).toBe(true);
  });

  it('is a no-op against the same IR, with a stable hash', () => {
    const a = ir(base());
    const previous = { model: a, revision: 1, target: 'compose' };
    const p1 = makePlan({ model: ir(base()), rules, target: 'compose', specText: base(), previous });
    const p2 = makePlan({ model: ir(base()), rules, target: 'compose', specText: base(), previous });
    expect(p1.hasChanges).toBe(false);
    expect(p1.summary['no-op']).toBe(p1.changes.length);
    expect(p1.planHash).toBe(p2.planHash);
  });

  it('replaces only the container whose env changed, naming the field', () => {
    const previous = { model: ir(base()), revision: 1, target: 'compose' };
    const text = base().replace('GREETING: hello', 'GREETING: bonjour');
    const plan = makePlan({ model: ir(text), rules, target: 'compose', specText: text, previous });
    const changed = plan.changes.filter((c) => c.action !== 'no-op');
    expect(changed.map((c) => [c.id, c.action])).toEqual([['container:api', 'replace']]);
    expect(changed[0]?.changed).toEqual(['env.GREETING']);
  });

  it('adding a replica creates replica containers and a load balancer', () => {
    const previous = { model: ir(base()), revision: 1, target: 'compose' };
    const text = base('', ', replicas: 2');
    const plan = makePlan({ model: ir(text), rules, target: 'compose', specText: text, previous });
    const byAction = (a: string) => plan.changes.filter((c) => c.action === a).map((c) => c.id).sort();
    expect(byAction('create')).toEqual(expect.arrayContaining(['container:api--1', 'container:api--2']));
    expect(plan.changes.find((c) => c.id === 'container:api')?.rule).toBe('replicated-service-lb');
  });

  it('marks deleting a stateful module as data loss', () => {
    const previous = { model: ir(base()), revision: 1, target: 'compose' };
    const text = base().replace('  db: { type: postgres }\n', '').replace('uses: [db, cache]', 'uses: [cache]');
    const plan = makePlan({ model: ir(text), rules, target: 'compose', specText: text, previous });
    const volume = plan.changes.find((c) => c.id === 'volume:db-data');
    expect(volume?.action).toBe('delete');
    expect(volume?.dataLoss).toBe(true);
    expect(plan.changes.find((c) => c.id === 'container:db')?.action).toBe('delete');
  });
});
