import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, type Revision } from '../../src/state/journal.js';

function revision(n: number, status: Revision['status']): Revision {
  return {
    revision: n,
    status,
    operation: 'apply',
    target: 'compose',
    engine: 'compose',
    specPath: '/x/aninfra.yaml',
    specText: `# ${n}`,
    specHash: `h${n}`,
    planHash: `p${n}`,
    ir: { system: 's', nodes: [], outputs: [] },
    startedAt: new Date(2026, 0, n).toISOString(),
    modules: [],
  };
}

describe('revision journal', () => {
  it('numbers revisions and finds the last good one', () => {
    const j = new Journal(mkdtempSync(join(tmpdir(), 'aninfra-journal-')));
    expect(j.nextNumber()).toBe(1);
    j.write(revision(1, 'applied'));
    j.write(revision(2, 'applied'));
    j.write(revision(3, 'failed'));
    expect(j.nextNumber()).toBe(4);
    expect(j.latest()?.revision).toBe(3);
    expect(j.lastGood()?.revision).toBe(2);
    expect(j.lastGood(2)?.revision).toBe(1);
    expect(j.revisions().map((r) => r.status)).toEqual(['applied', 'applied', 'failed']);
  });

  it('rewrites a revision atomically, leaving no temp files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-journal-'));
    const j = new Journal(dir);
    j.write(revision(1, 'applying'));
    j.write({ ...revision(1, 'applied'), finishedAt: 'now' });
    expect(readdirSync(dir)).toEqual(['000001.json']);
    expect(j.get(1)?.status).toBe('applied');
  });

  it('skips an unparsable revision, reports it by number and carries on (ERR_STATE_REVISION_CORRUPT)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-journal-'));
    const j = new Journal(dir);
    j.write(revision(1, 'applied'));
    writeFileSync(join(dir, '000002.json'), '{ "revision": 2, "status": "appl');
    expect(j.revisions().map((r) => r.revision)).toEqual([1]);
    expect(j.latest()?.revision).toBe(1);
    expect(j.lastGood()?.revision).toBe(1);
    const problems = j.problems();
    expect(problems.map((p) => p.code)).toEqual(['ERR_STATE_REVISION_CORRUPT']);
    expect(problems[0]?.message).toContain('revision 2');
    // A damaged file's number is never reused.
    expect(j.nextNumber()).toBe(3);
  });

  it.each([
    ['no ir', (r: Record<string, unknown>) => ({ ...r, ir: undefined })],
    ['ir without nodes', (r: Record<string, unknown>) => ({ ...r, ir: { system: 's', outputs: [] } })],
    ['a node without an id', (r: Record<string, unknown>) => ({ ...r, ir: { system: 's', nodes: [{ kind: 'volume' }], outputs: [] } })],
    ['modules not a list', (r: Record<string, unknown>) => ({ ...r, modules: {} })],
    ['an unknown status', (r: Record<string, unknown>) => ({ ...r, status: 'weird' })],
    ['another revision number inside', (r: Record<string, unknown>) => ({ ...r, revision: 9 })],
    ['an array', () => []],
  ])('treats valid JSON with %s as unreadable instead of crashing later', (_what, damage) => {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-journal-'));
    const j = new Journal(dir);
    j.write(revision(1, 'applied'));
    writeFileSync(join(dir, '000002.json'), JSON.stringify(damage(revision(2, 'applied') as unknown as Record<string, unknown>)));
    expect(j.revisions().map((r) => r.revision)).toEqual([1]);
    expect(j.get(2)).toBeUndefined();
    expect(j.problems().map((p) => p.code)).toEqual(['ERR_STATE_REVISION_CORRUPT']);
  });

  it('settles revisions left applying as interrupted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-journal-'));
    const j = new Journal(dir);
    j.write(revision(1, 'applied'));
    j.write(revision(2, 'applying'));
    const settled = j.settleInterrupted(() => '2026-11-28T00:00:00.000Z');
    expect(settled.map((r) => r.revision)).toEqual([2]);
    expect(j.get(2)?.status).toBe('interrupted');
    expect(j.get(2)?.finishedAt).toBe('2026-11-28T00:00:00.000Z');
    expect(j.settleInterrupted()).toEqual([]);
  });

  it('keeps the journal directory private (0700) and revisions 0600', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'aninfra-journal-')), 'sys', 'journal');
    new Journal(dir).write(revision(1, 'applied'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '000001.json')).mode & 0o777).toBe(0o600);
  });
});
