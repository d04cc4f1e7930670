/**
 * Background operations (src/operations/runs.ts): ids, events with sequence numbers, subscribers,
 * the lock they hold, and cancel, which aborts the operation's signal with SIGINT as Ctrl-C does.
 */
import { describe, expect, it } from 'vitest';
import { estimateSeconds, OperationRuns } from '../../src/operations/runs.js';
import type { Revision } from '../../src/state/journal.js';

const later = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('OperationRuns', () => {
  it('records events, tells subscribers and finishes with the result', async () => {
    const runs = new OperationRuns();
    const view = runs.start('apply', 'demo', '/state/demo/lock.json', 12, async ({ onEvent }) => {
      onEvent?.({ type: 'revision', message: 'one' });
      await later(20);
      onEvent?.({ type: 'module', module: 'db', message: 'two' });
      return { ok: true, exitCode: 0, document: { ok: true, revision: 1 }, diagnostics: [] };
    });
    expect(view).toMatchObject({ kind: 'apply', system: 'demo', status: 'running', estimatedSeconds: 12 });
    expect(runs.runningOn('/state/demo/lock.json')?.id).toBe(view.id);
    const seen: string[] = [];
    const done = new Promise<string>((resolve) => {
      const sub = runs.subscribe(view.id, (m) => (m.kind === 'event' ? seen.push(`${m.event.seq}:${m.event.message}`) : resolve(m.view.status)));
      expect(sub?.past.map((e) => e.seq)).toEqual([1]);
    });
    expect(await done).toBe('succeeded');
    expect(seen).toEqual(['2:two']);
    expect(runs.get(view.id)).toMatchObject({ status: 'succeeded', events: 2, result: { ok: true, revision: 1, exitCode: 0 } });
    expect(runs.runningOn('/state/demo/lock.json')).toBeUndefined();
  });

  it('cancel aborts the signal with SIGINT and the operation ends cancelled', async () => {
    const runs = new OperationRuns();
    let reason: unknown;
    const view = runs.start('apply', 'demo', undefined, 1, ({ signal }) =>
      new Promise((resolve) =>
        signal?.addEventListener('abort', () => {
          reason = signal.reason;
          resolve({ ok: false, exitCode: 3, document: { ok: false, status: 'interrupted' }, diagnostics: [] });
        }),
      ),
    );
    expect(runs.cancel(view.id)?.status).toBe('running');
    await later(10);
    expect(reason).toBe('SIGINT');
    expect(runs.get(view.id)?.status).toBe('cancelled');
    expect(runs.cancel('nope')).toBeUndefined();
  });

  it('an operation that throws ends failed with ERR_INTERNAL', async () => {
    const runs = new OperationRuns();
    const view = runs.start('destroy', null, undefined, 1, async () => {
      throw new Error('boom');
    });
    await later(10);
    expect(runs.get(view.id)).toMatchObject({ status: 'failed', result: { ok: false, diagnostics: [{ code: 'ERR_INTERNAL' }] } });
  });

  it('estimates from the last finished revisions', () => {
    const rev = (startedAt: string, finishedAt?: string): Revision => ({ startedAt, ...(finishedAt ? { finishedAt } : {}) }) as Revision;
    expect(estimateSeconds([])).toBe(60);
    expect(estimateSeconds([rev('2026-01-01T00:00:00Z', '2026-01-01T00:00:10Z'), rev('2026-01-01T00:01:00Z', '2026-01-01T00:01:30Z'), rev('2026-01-01T00:02:00Z')])).toBe(20);
  });
});
