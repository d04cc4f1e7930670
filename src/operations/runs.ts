/**
 * Long operations (apply, rollback, destroy) run in the background of a long-lived front end (the
 * HTTP API): each gets an id, a status, its progress events (kept, and pushed to subscribers) and
 * a cancel that aborts it as Ctrl-C does (the operation stops its child processes, journals the
 * revision as interrupted and releases the lock). One registry per server; nothing is global.
 */
import { randomUUID } from 'node:crypto';
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { Revision } from '../state/journal.js';
import type { OperationEvent, OperationOptions, OperationResult } from '../apply/options.js';
import type { JsonSchema } from '../modules/descriptor.js';

export type RunKind = 'apply' | 'rollback' | 'destroy';
export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RunEvent extends OperationEvent {
  /** 1, 2, …: the SSE event id. */
  readonly seq: number;
  readonly time: string;
}

/** What GET /v1/operations/{id} returns under `operation`. */
export interface RunView {
  readonly id: string;
  readonly kind: RunKind;
  readonly system: string | null;
  readonly status: RunStatus;
  readonly estimatedSeconds: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly events: number;
  /** The operation's result document (as `aninfra apply --json` prints it), once finished. */
  readonly result?: Record<string, unknown>;
}

export const runViewSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'kind', 'system', 'status', 'estimatedSeconds', 'startedAt', 'events'],
  properties: {
    id: { type: 'string' },
    kind: { enum: ['apply', 'rollback', 'destroy'] },
    system: { type: ['string', 'null'] },
    status: { enum: ['running', 'succeeded', 'failed', 'cancelled'] },
    estimatedSeconds: { type: 'integer', minimum: 0, description: 'How long the operation is expected to take, from the durations of earlier revisions of the system.' },
    startedAt: { type: 'string' },
    finishedAt: { type: 'string' },
    events: { type: 'integer', minimum: 0, description: 'Progress events so far (GET …/events streams them).' },
    result: { type: 'object', description: 'The result document once finished (ok, diagnostics, revision, modules…).' },
  },
};

type Listener = (e: { readonly kind: 'event'; readonly event: RunEvent } | { readonly kind: 'done'; readonly view: RunView }) => void;

interface Run {
  view: RunView;
  readonly lock: string | undefined;
  readonly events: RunEvent[];
  readonly controller: AbortController;
  readonly listeners: Set<Listener>;
  done: Promise<void>;
}

export type RunWork = (o: Pick<OperationOptions, 'onEvent' | 'signal'>) => Promise<OperationResult>;

export class OperationRuns {
  private readonly runs = new Map<string, Run>();

  /** Start `work` in the background; `lock` is the state lock it will take (for runningOn). */
  start(kind: RunKind, system: string | null, lock: string | undefined, estimatedSeconds: number, work: RunWork): RunView {
    const id = randomUUID();
    const controller = new AbortController();
    const events: RunEvent[] = [];
    const listeners = new Set<Listener>();
    const run: Run = { view: { id, kind, system, status: 'running', estimatedSeconds, startedAt: new Date().toISOString(), events: 0 }, lock, events, controller, listeners, done: Promise.resolve() };
    const onEvent = (e: OperationEvent): void => {
      const event: RunEvent = { ...e, seq: events.length + 1, time: new Date().toISOString() };
      events.push(event);
      run.view = { ...run.view, events: events.length };
      for (const l of listeners) l({ kind: 'event', event });
    };
    const finish = (status: RunStatus, result: Record<string, unknown>): void => {
      run.view = { ...run.view, status, finishedAt: new Date().toISOString(), result };
      for (const l of listeners) l({ kind: 'done', view: run.view });
      listeners.clear();
    };
    this.runs.set(id, run);
    run.done = work({ onEvent, signal: controller.signal }).then(
      (r) => finish(controller.signal.aborted ? 'cancelled' : r.ok ? 'succeeded' : 'failed', { ...r.document, ok: r.ok, exitCode: r.exitCode, diagnostics: r.diagnostics }),
      (e: unknown) => finish('failed', { ok: false, exitCode: 3, diagnostics: [diagnostic('ERR_INTERNAL', { detail: e instanceof Error ? e.message : String(e) }, { hint: `operation ${id} failed; report it with the request that started it` })] }),
    );
    return run.view;
  }

  get(id: string): RunView | undefined {
    return this.runs.get(id)?.view;
  }

  /** Abort a running operation like Ctrl-C; the view it will finish with comes through get/subscribe. */
  cancel(id: string): RunView | undefined {
    const run = this.runs.get(id);
    if (run && run.view.status === 'running' && !run.controller.signal.aborted) run.controller.abort('SIGINT');
    return run?.view;
  }

  /** The events so far, then each new one and the end, until unsubscribed. */
  subscribe(id: string, listener: Listener): { readonly past: readonly RunEvent[]; unsubscribe(): void } | undefined {
    const run = this.runs.get(id);
    if (!run) return undefined;
    const past = [...run.events];
    if (run.view.status === 'running') run.listeners.add(listener);
    return { past, unsubscribe: () => void run.listeners.delete(listener) };
  }

  /** A running operation holding (or about to take) this state lock. */
  runningOn(lock: string): RunView | undefined {
    return [...this.runs.values()].find((r) => r.lock === lock && r.view.status === 'running')?.view;
  }

  /** Cancel every running operation and wait for them to finish (server shutdown). */
  async drain(): Promise<void> {
    const running = [...this.runs.values()].filter((r) => r.view.status === 'running');
    for (const r of running) r.controller.abort('SIGTERM');
    await Promise.all(running.map((r) => r.done));
  }
}

/** Seconds an operation on this system may take: the mean of its last finished revisions, else a default. */
export function estimateSeconds(revisions: readonly Revision[], fallback = 60): number {
  const took = revisions
    .filter((r) => r.finishedAt !== undefined)
    .slice(-5)
    .map((r) => (Date.parse(r.finishedAt as string) - Date.parse(r.startedAt)) / 1000)
    .filter((s) => Number.isFinite(s) && s >= 0);
  return took.length === 0 ? fallback : Math.max(1, Math.round(took.reduce((a, b) => a + b, 0) / took.length));
}
