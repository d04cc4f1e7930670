import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, StateError, type Revision } from '../../src/state/journal.js';

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

  it('reports a hand-damaged file as ERR_STATE_CORRUPT instead of crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-journal-'));
    writeFileSync(join(dir, '000001.json'), '{ not json');
    let code: string | undefined;
    try {
      new Journal(dir).revisions();
    } catch (e) {
      code = (e as StateError).diagnostic.code;
    }
    expect(code).toBe('ERR_STATE_CORRUPT');
  });
});
