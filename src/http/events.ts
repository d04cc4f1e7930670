/**
 * GET /v1/operations/{id}/events: an operation's progress as Server-Sent Events. Every event so
 * far is replayed (`id` is its sequence number), then each new one as it happens (`event:
 * progress`), then `event: done` with the finished operation, and the stream ends. A finished
 * operation replays its events and `done` at once. Messages come from engines: they are JSON
 * encoded, so no line of theirs can forge an SSE field. Codes: ERR_HTTP_OPERATION_NOT_FOUND.
 */
import type { ServerResponse } from 'node:http';
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { OperationRuns, RunEvent, RunView } from '../operations/runs.js';

export function streamEvents(runs: OperationRuns, id: string, res: ServerResponse, closed: AbortSignal): void {
  const view = runs.get(id);
  if (!view) {
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ ok: false, diagnostics: [diagnostic('ERR_HTTP_OPERATION_NOT_FOUND', { id }, { path: '/id' })] }));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  const progress = (e: RunEvent): void => void res.write(`id: ${e.seq}\nevent: progress\ndata: ${JSON.stringify(e)}\n\n`);
  const done = (v: RunView): void => {
    res.end(`event: done\ndata: ${JSON.stringify(v)}\n\n`);
  };
  const sub = runs.subscribe(id, (m) => (m.kind === 'event' ? progress(m.event) : done(m.view)));
  if (!sub) return void res.end();
  for (const e of sub.past) progress(e);
  const now = runs.get(id);
  if (now && now.status !== 'running') {
    sub.unsubscribe();
    done(now);
    return;
  }
  closed.addEventListener('abort', () => sub.unsubscribe(), { once: true });
}
