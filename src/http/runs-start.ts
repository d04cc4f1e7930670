/**
 * Starting a long operation for the HTTP API: refused with 409 ERR_STATE_LOCKED while the system's
 * state lock is taken (by an operation of this server or by another live process), else started
 * in the background and answered 202 with its id, status and estimated duration.
 * Codes: ERR_STATE_LOCKED.
 */
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { estimateSeconds, type RunKind, type RunWork } from '../operations/runs.js';
import { Journal, type Revision } from '../state/journal.js';
import { StateLock } from '../state/lock.js';
import { statePaths } from '../state/paths.js';
import { refuse, type EndpointAnswer, type HttpContext } from './endpoint.js';

export function startRun(ctx: HttpContext, kind: RunKind, specPath: string, system: string | undefined, stateDir: string | undefined, work: RunWork): EndpointAnswer {
  const paths = system ? statePaths(specPath, system, stateDir) : undefined;
  if (paths) {
    const busy = ctx.runs.runningOn(paths.lock);
    const holder = StateLock.holder(paths.lock);
    if (busy) {
      return refuse(409, [diagnostic('ERR_STATE_LOCKED', { holder: `operation ${busy.id} of this server (${busy.kind})` }, { hint: `wait for it (GET /v1/operations/${busy.id}) or cancel it (DELETE /v1/operations/${busy.id})` })], undefined, { operation: busy });
    }
    if (holder && StateLock.holderAlive(holder)) {
      return refuse(409, [diagnostic('ERR_STATE_LOCKED', { holder: `pid ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.startedAt})` }, { hint: 'wait for it to finish, then send the request again' })]);
    }
  }
  let revisions: readonly Revision[] = [];
  try {
    revisions = paths ? new Journal(paths.journal).revisions() : [];
  } catch {
    // An unreadable journal only costs the estimate; the operation reports it.
  }
  const view = ctx.runs.start(kind, system ?? null, paths?.lock, estimateSeconds(revisions), work);
  return { status: 202, body: { ok: true, operation: { id: view.id, status: view.status, estimatedSeconds: view.estimatedSeconds }, diagnostics: [] }, headers: { location: `/v1/operations/${view.id}` } };
}
