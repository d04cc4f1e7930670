/**
 * Plans of the aws target against a previous revision: a change AWS makes in place (storage size,
 * task size, replicas) is an update; a change of what AWS cannot change on a live resource (its
 * engine, identifiers: the node's `immutable`) replaces it, and replacing a database loses data.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePlan } from '../../../src/plan/make-plan.js';
import { awsTarget } from '../../../src/targets/aws/index.js';
import { EXAMPLES_DIR } from '../fixtures.js';
import { compileAws } from './program.js';

const PATH = join(EXAMPLES_DIR, 'plan-rules.yaml');
const spec = (db: string, extra = ''): string => `apiVersion: aninfra/v1
kind: System
metadata: { name: pr }
target: aws
modules:
  db: { type: ${db} }
  api: { type: service, with: { runtime: image, image: "ghcr.io/acme/api:1", port: 8080${extra} }, uses: [db] }
`;

function plan(before: string, after: string) {
  const a = compileAws(PATH, before).model;
  const b = compileAws(PATH, after).model;
  return makePlan({ model: b, rules: awsTarget.plan, target: 'aws', specText: after, previous: { model: a, revision: 1, target: 'aws' } });
}

describe('aws plan rules', () => {
  it('changes task sizes and replica counts in place', () => {
    const p = plan(spec('postgres'), spec('postgres', ', replicas: 3, resources: { cpu: "1", memory: 2Gi }'));
    const byId = new Map(p.changes.map((c) => [c.id, c]));
    expect(byId.get('aws.ecs.Service/api')?.action).toBe('update');
    expect(byId.get('aws.ecs.TaskDefinition/api')?.action).toBe('update');
    expect(byId.get('aws.rds.Instance/db')?.action).toBe('no-op');
    expect(p.changes.filter((c) => c.dataLoss)).toEqual([]);
  });

  it('replaces a database whose engine changes, and says the data is lost', () => {
    const p = plan(spec('postgres'), spec('mysql'));
    const db = p.changes.find((c) => c.id === 'aws.rds.Instance/db');
    expect(db?.action).toBe('replace');
    expect(db?.changed).toContain('immutable');
    expect(db?.dataLoss).toBe(true);
  });

  it('holds data in managed stores and generated passwords, not in services', () => {
    const model = compileAws(PATH, spec('postgres')).model;
    const holding = model.nodes.filter((n) => awsTarget.plan.holdsData(n)).map((n) => n.id).sort();
    expect(holding).toEqual(['aws.rds.Instance/db', 'aws.secretsmanager.Secret/db', 'aws.secretsmanager.SecretVersion/db', 'random.RandomPassword/db-password']);
  });
});
