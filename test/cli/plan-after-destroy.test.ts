/**
 * Issue 9, items 13 and 8 (plan side): after a destroyed revision the plan is all-create with
 * changes (exit 2 under --detailed-exitcode); after an interrupted revision it never says "no
 * changes" (WARN_PLAN_NOT_CONVERGED, exit 2). Journals are written by hand; no Docker needed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRevision } from '../helpers/hand-journal.js';
import { aninfra, ensureBuilt, json } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-baseline-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SPEC = `apiVersion: aninfra/v1
kind: System
metadata: { name: baseline }
target: compose
modules:
  db: { type: postgres }
  cache: { type: redis }
`;

function folder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'aninfra.yaml'), SPEC);
  return join(dir, 'aninfra.yaml');
}

interface PlanDoc {
  plan: { hasChanges: boolean; baseRevision: number | null; changes: { action: string }[]; summary: Record<string, number>; converge?: { revision: number; status: string } };
  diagnostics: { code: string }[];
}

describe('plan baseline', () => {
  it('is unchanged against an applied revision (exit 0): the control case', () => {
    const spec = folder('applied');
    writeRevision(spec, 'baseline', 1, 'applied', SPEC);
    const r = aninfra(['plan', spec, '--json', '--detailed-exitcode']);
    expect(r.code).toBe(0);
    expect((json(r) as unknown as PlanDoc).plan.hasChanges).toBe(false);
  });

  it('plans a destroyed system as all-create with changes (exit 2)', () => {
    const spec = folder('destroyed');
    writeRevision(spec, 'baseline', 1, 'applied', SPEC);
    writeRevision(spec, 'baseline', 2, 'destroyed', SPEC);
    const r = aninfra(['plan', spec, '--json', '--detailed-exitcode']);
    expect(r.code).toBe(2);
    const doc = json(r) as unknown as PlanDoc;
    expect(doc.plan.hasChanges).toBe(true);
    expect(doc.plan.changes.length).toBeGreaterThan(0);
    expect(doc.plan.changes.every((c) => c.action === 'create')).toBe(true);
    expect(doc.plan.summary['no-op']).toBe(0);
    const human = aninfra(['plan', spec, '--detailed-exitcode']);
    expect(human.code).toBe(2);
  });

  it('after an interrupted revision the plan has changes and says why (exit 2)', () => {
    const spec = folder('interrupted');
    writeRevision(spec, 'baseline', 1, 'applied', SPEC);
    writeRevision(spec, 'baseline', 2, 'interrupted', SPEC);
    const r = aninfra(['plan', spec, '--json', '--detailed-exitcode']);
    expect(r.code).toBe(2);
    const doc = json(r) as unknown as PlanDoc;
    expect(doc.plan.converge).toEqual({ revision: 2, status: 'interrupted' });
    expect(doc.plan.hasChanges).toBe(true);
    expect(doc.diagnostics.map((d) => d.code)).toContain('WARN_PLAN_NOT_CONVERGED');
    const human = aninfra(['plan', spec]);
    expect(human.code).toBe(0);
    expect(human.stdout + human.stderr).toContain('WARN_PLAN_NOT_CONVERGED');
  });
});
