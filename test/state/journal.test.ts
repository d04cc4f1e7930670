import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/state/atomic-write.js';
import { indexPath } from '../../src/state/journal-index.js';
import { Journal, StateError, type Revision } from '../../src/state/journal.js';

/** A journal directory inside a fresh state dir (the index lives beside it). */
const journalDir = (): string => join(mkdtempSync(join(tmpdir(), 'aninfra-journal-')), 'journal');

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
    const j = new Journal(journalDir());
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
    const dir = journalDir();
    const j = new Journal(dir);
    j.write(revision(1, 'applying'));
    j.write({ ...revision(1, 'applied'), finishedAt: 'now' });
    expect(readdirSync(dir)).toEqual(['000001.json']);
    expect(j.get(1)?.status).toBe('applied');
  });

  it('skips an unparsable revision, reports it by number and carries on (ERR_STATE_REVISION_CORRUPT)', () => {
    const dir = journalDir();
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
    const dir = journalDir();
    const j = new Journal(dir);
    j.write(revision(1, 'applied'));
    writeFileSync(join(dir, '000002.json'), JSON.stringify(damage(revision(2, 'applied') as unknown as Record<string, unknown>)));
    expect(j.revisions().map((r) => r.revision)).toEqual([1]);
    expect(j.get(2)).toBeUndefined();
    expect(j.problems().map((p) => p.code)).toEqual(['ERR_STATE_REVISION_CORRUPT']);
  });

  it('settles revisions left applying as interrupted', () => {
    const dir = journalDir();
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
    const dir = join(journalDir(), 'sys', 'journal');
    new Journal(dir).write(revision(1, 'applied'));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, '000001.json')).mode & 0o777).toBe(0o600);
  });

  describe('index', () => {
    /** Everything a caller can see of the journal, the lazily read fields included. */
    const view = (j: Journal): unknown => ({ records: JSON.parse(JSON.stringify(j.records())), problems: j.problems().map((p) => p.code), latest: j.latest()?.revision, good: j.lastGood()?.ir });
    const withIr = (n: number, status: Revision['status']): Revision => ({ ...revision(n, status), ir: { system: 's', nodes: [{ kind: 'volume', id: `v${n}`, provenance: { rule: 'r', module: 'm' }, dependsOn: [] }], outputs: [] } as unknown as Revision['ir'] });
    const fresh = (dir: string): unknown => {
      const copy = new Journal(dir);
      rmSync(indexPath(dir), { force: true });
      return view(copy);
    };

    it('is written beside the journal with each revision and gives what the files give', () => {
      const dir = journalDir();
      const j = new Journal(dir);
      for (let n = 1; n <= 5; n++) j.write(withIr(n, n === 4 ? 'failed' : 'applied'));
      expect(readdirSync(dir)).toEqual(['000001.json', '000002.json', '000003.json', '000004.json', '000005.json']);
      const index = JSON.parse(readFileSync(indexPath(dir), 'utf8')) as { entries: { file: string; summary: Record<string, unknown> }[] };
      expect(index.entries.map((e) => e.file)).toHaveLength(5);
      expect(index.entries.every((e) => !('ir' in e.summary) && !('specText' in e.summary))).toBe(true);
      expect(statSync(indexPath(dir)).mode & 0o777).toBe(0o600);
      const indexed = view(j);
      expect(j.lastGood()?.ir.nodes.map((n) => n.id)).toEqual(['v5']);
      expect(j.lastGood(4)?.specText).toBe('# 3');
      expect(indexed).toEqual(fresh(dir));
    });

    it('stores each distinct list of module outcomes once, and the summaries read back give what the files give', () => {
      const dir = journalDir();
      const j = new Journal(dir);
      const healthy = [{ module: 'db', outcome: 'unchanged', health: 'healthy' }] as const;
      for (let n = 1; n <= 6; n++) j.write({ ...withIr(n, n === 4 ? 'failed' : 'applied'), modules: n === 4 ? [{ module: 'db', outcome: 'failed', health: 'unhealthy', message: 'exit 1' }] : healthy.map((m) => ({ ...m })) });
      const index = JSON.parse(readFileSync(indexPath(dir), 'utf8')) as { modules: unknown[]; entries: { summary: { modules: unknown } }[] };
      expect(index.modules).toHaveLength(2);
      expect(index.entries.map((e) => e.summary.modules)).toEqual([0, 0, 0, 1, 0, 0]);
      expect(new Journal(dir).records().map((r) => r.modules)).toEqual([1, 2, 3, 4, 5, 6].map((n) => (n === 4 ? [{ module: 'db', outcome: 'failed', health: 'unhealthy', message: 'exit 1' }] : healthy)));
      expect(view(new Journal(dir))).toEqual(fresh(dir));
    });

    it('reads an index of format 1 (a list of outcomes in every summary) and ignores a dangling list reference', () => {
      const dir = journalDir();
      const j = new Journal(dir);
      j.write(withIr(1, 'applied'));
      j.write({ ...withIr(2, 'failed'), modules: [{ module: 'db', outcome: 'failed', health: 'unhealthy' }] });
      const v2 = JSON.parse(readFileSync(indexPath(dir), 'utf8')) as { modules: unknown[]; entries: { summary: { modules: number } }[] };
      const v1 = { format: 1, entries: v2.entries.map((e) => ({ ...e, summary: { ...e.summary, modules: v2.modules[e.summary.modules] } })) };
      writeFileSync(indexPath(dir), JSON.stringify(v1));
      const expected = fresh(dir);
      writeFileSync(indexPath(dir), JSON.stringify(v1));
      expect(view(new Journal(dir))).toEqual(expected);
      // A format-2 reference past the table: that entry is not used, the file is read instead.
      writeFileSync(indexPath(dir), JSON.stringify({ ...v2, entries: v2.entries.map((e) => ({ ...e, summary: { ...e.summary, modules: 7 } })) }));
      expect(view(new Journal(dir))).toEqual(expected);
    });

    it('is rebuilt by the next write after it was deleted, and lookups without it still work', () => {
      const dir = journalDir();
      const j = new Journal(dir);
      j.write(withIr(1, 'applied'));
      j.write(withIr(2, 'applied'));
      rmSync(indexPath(dir));
      expect(j.latest()?.ir.nodes.map((n) => n.id)).toEqual(['v2']);
      expect(existsSync(indexPath(dir))).toBe(false); // reads never write
      j.write(withIr(3, 'failed'));
      const index = JSON.parse(readFileSync(indexPath(dir), 'utf8')) as { entries: { file: string }[] };
      expect(index.entries.map((e) => e.file)).toEqual(['000001.json', '000002.json', '000003.json']);
    });

    it.each([
      ['not JSON', '{ "format": 1, "entr'],
      ['another format', JSON.stringify({ format: 99, entries: [] })],
      ['entries of the wrong shape', JSON.stringify({ format: 1, entries: [{ file: '000001.json', summary: { revision: 2 } }, 7, null] })],
    ])('is ignored when %s', (_what, text) => {
      const dir = journalDir();
      const j = new Journal(dir);
      j.write(withIr(1, 'applied'));
      j.write(withIr(2, 'failed'));
      writeFileSync(indexPath(dir), text);
      expect(j.revisions().map((r) => [r.revision, r.status])).toEqual([[1, 'applied'], [2, 'failed']]);
      expect(j.lastGood()?.ir.nodes.map((n) => n.id)).toEqual(['v1']);
    });

    it('is not trusted for a revision file changed after it was indexed (stale index)', () => {
      const dir = journalDir();
      const j = new Journal(dir);
      j.write(withIr(1, 'applied'));
      j.write(withIr(2, 'applied'));
      const old = readFileSync(indexPath(dir), 'utf8');
      // Rewritten by another tool (same size, in place) and atomically: the index still says applied.
      const two = readFileSync(join(dir, '000002.json'), 'utf8');
      writeFileSync(join(dir, '000002.json'), two.replace('"status": "applied"', '"status": "failed" '));
      expect(statSync(join(dir, '000002.json')).size).toBe(two.length);
      writeFileAtomic(join(dir, '000001.json'), JSON.stringify({ ...withIr(1, 'failed') }, null, 2) + '\n');
      expect(readFileSync(indexPath(dir), 'utf8')).toBe(old);
      expect(j.revisions().map((r) => [r.revision, r.status])).toEqual([[1, 'failed'], [2, 'failed']]);
      expect(j.lastGood()).toBeUndefined();
      // An older index put back (a revision newer than it) is ignored for that revision.
      j.write(withIr(3, 'failed'));
      writeFileSync(indexPath(dir), old);
      expect(j.latest()?.revision).toBe(3);
      expect(j.latest()?.status).toBe('failed');
    });

    it('does not hide a revision file corrupted after it was indexed (ERR_STATE_REVISION_CORRUPT as before)', () => {
      const dir = journalDir();
      const j = new Journal(dir);
      j.write(withIr(1, 'applied'));
      j.write(withIr(2, 'applied'));
      const size = statSync(join(dir, '000002.json')).size;
      writeFileSync(join(dir, '000002.json'), '{'.padEnd(size, ' '));
      expect(j.revisions().map((r) => r.revision)).toEqual([1]);
      expect(j.problems().map((p) => p.code)).toEqual(['ERR_STATE_REVISION_CORRUPT']);
      expect(j.lastGood()?.revision).toBe(1);
    });

    it('reports a revision corrupted between the lookup and the use of its model as ERR_STATE_REVISION_CORRUPT', () => {
      const dir = journalDir();
      const j = new Journal(dir);
      j.write(withIr(1, 'applied'));
      const latest = j.latest() as Revision;
      writeFileSync(join(dir, '000001.json'), '{');
      let caught: unknown;
      try {
        void latest.ir;
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(StateError);
      expect((caught as StateError).diagnostic.code).toBe('ERR_STATE_REVISION_CORRUPT');
    });

    it('after a crash between a revision write and its index write, the revision is found from its file', () => {
      const dir = journalDir();
      const j = new Journal(dir);
      j.write(withIr(1, 'applied'));
      // What write() does, stopped before the index: the file is there, the index does not know it.
      writeFileAtomic(join(dir, '000002.json'), JSON.stringify(withIr(2, 'applying'), null, 2) + '\n', 0o600);
      expect(j.latest()?.status).toBe('applying');
      expect(j.nextNumber()).toBe(3);
      expect(j.settleInterrupted(() => 'then').map((r) => r.revision)).toEqual([2]);
      expect(j.get(2)?.ir.nodes.map((n) => n.id)).toEqual(['v2']);
      const index = JSON.parse(readFileSync(indexPath(dir), 'utf8')) as { entries: { file: string; summary: { status: string } }[] };
      expect(index.entries.map((e) => [e.file, e.summary.status])).toEqual([['000001.json', 'applied'], ['000002.json', 'interrupted']]);
      expect(view(j)).toEqual(fresh(dir));
    });
  });
});
