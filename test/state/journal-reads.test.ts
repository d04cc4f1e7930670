/**
 * What `history` reads (issue 14: history within 1.2x at 500 revisions): with an index it lists
 * every revision from the index and never opens a revision file; it looks at the journal directory
 * once per command (the problems, the emptiness check and the list come from one scan); a
 * revision's model is read from its file only when used, one file for one revision. Reads are
 * counted through a wrapped node:fs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ reads: [] as string[], dirs: [] as string[] }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) => {
    calls.reads.push(String(path));
    return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readFileSync;
  const readdirSync = ((path: unknown, ...rest: unknown[]) => {
    calls.dirs.push(String(path));
    return (fs.readdirSync as (...a: unknown[]) => unknown)(path, ...rest);
  }) as typeof fs.readdirSync;
  return { ...fs, default: { ...fs, readFileSync, readdirSync }, readFileSync, readdirSync };
});

const { historyOperation } = await import('../../src/apply/inspect.js');
const { indexPath } = await import('../../src/state/journal-index.js');
const { Journal } = await import('../../src/state/journal.js');
const { statePaths } = await import('../../src/state/paths.js');
type Revision = import('../../src/state/journal.js').Revision;

const scratch = mkdtempSync(join(tmpdir(), 'aninfra-journal-reads-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeEach(() => {
  calls.reads.length = 0;
  calls.dirs.length = 0;
});

const REVISION_FILE = /[/\\]journal[/\\]\d{6,}\.json$/;
const revisionReads = (): string[] => calls.reads.filter((p) => REVISION_FILE.test(p));

/** A spec whose journal holds `count` applied revisions, each with two modules, written as apply does. */
function system(name: string, count: number): { spec: string; journalDir: string } {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, 'aninfra.yaml');
  const specText = `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${name}\ntarget: compose\nmodules:\n  cache:\n    type: redis\n`;
  writeFileSync(spec, specText);
  const journalDir = statePaths(spec, name).journal;
  const journal = new Journal(journalDir);
  for (let n = 1; n <= count; n++) {
    const r: Revision = {
      revision: n,
      status: 'applied',
      operation: 'apply',
      target: 'compose',
      engine: 'compose',
      specPath: spec,
      specText,
      specHash: `h${n}`,
      planHash: `p${n}`,
      ir: { system: name, nodes: [], outputs: [] },
      startedAt: new Date(Date.UTC(2026, 0, n)).toISOString(),
      finishedAt: new Date(Date.UTC(2026, 0, n, 1)).toISOString(),
      modules: [
        { module: 'cache', outcome: n === 1 ? 'created' : 'unchanged', health: 'healthy' },
        { module: 'web', outcome: 'failed', health: 'unhealthy', message: 'exited 1', logTail: 'boom' },
      ],
    };
    journal.write(r);
  }
  return { spec, journalDir };
}

describe('history reads the journal index, not the revision files', () => {
  it('lists every revision with its modules without opening a revision file, from one look at the directory', async () => {
    const { spec, journalDir } = system('indexed', 5);
    calls.reads.length = 0;
    calls.dirs.length = 0;
    const r = await historyOperation(spec, {});
    expect(r.ok).toBe(true);
    const revisions = (r.document as { revisions: { revision: number; modules: { module: string; outcome: string; health: string }[] }[] }).revisions;
    expect(revisions.map((x) => x.revision)).toEqual([1, 2, 3, 4, 5]);
    expect(revisions[4]?.modules).toEqual([
      { module: 'cache', outcome: 'unchanged', health: 'healthy' },
      { module: 'web', outcome: 'failed', health: 'unhealthy' },
    ]);
    expect(revisionReads()).toEqual([]);
    expect(calls.reads.filter((p) => p === indexPath(journalDir))).toHaveLength(1);
    expect(calls.dirs.filter((p) => p === journalDir)).toHaveLength(1);
  });

  it('reads and checks each revision file when the index is gone (the counter sees revision reads)', async () => {
    const { spec, journalDir } = system('unindexed', 3);
    rmSync(indexPath(journalDir));
    calls.reads.length = 0;
    const r = await historyOperation(spec, {});
    expect((r.document as { revisions: unknown[] }).revisions).toHaveLength(3);
    expect(revisionReads().map((p) => p.slice(-11))).toEqual(['000001.json', '000002.json', '000003.json']);
  });

  it('uses an index of format 1 (outcomes in every summary) without opening a revision file', async () => {
    const { spec, journalDir } = system('format-one', 3);
    const v2 = JSON.parse(readFileSync(indexPath(journalDir), 'utf8')) as { modules: unknown[]; entries: { summary: { modules: number } }[] };
    expect(v2.modules).toHaveLength(2); // the outcomes of revision 1 (created) and of 2 and 3 (unchanged)
    const v1 = { format: 1, entries: v2.entries.map((e) => ({ ...e, summary: { ...e.summary, modules: v2.modules[e.summary.modules] } })) };
    writeFileSync(indexPath(journalDir), JSON.stringify(v1));
    calls.reads.length = 0;
    const r = await historyOperation(spec, {});
    expect((r.document as { revisions: { modules: unknown[] }[] }).revisions.map((x) => x.modules.length)).toEqual([2, 2, 2]);
    expect(revisionReads()).toEqual([]);
  });

  it("reads one revision's file when its model is used, and only that one", () => {
    const { journalDir } = system('lazy', 4);
    const journal = new Journal(journalDir);
    calls.reads.length = 0;
    const latest = journal.latest() as Revision;
    expect(latest.revision).toBe(4);
    expect(revisionReads()).toEqual([]);
    expect(latest.ir.system).toBe('lazy');
    expect(revisionReads().map((p) => p.slice(-11))).toEqual(['000004.json']);
  });
});
