/**
 * `apply`, `destroy`, `status`, `history`, `rollback`: thin wrappers printing the operations of
 * src/apply. Progress goes to stderr (JSON lines under --json); the result document to stdout.
 * SIGINT, SIGTERM and SIGHUP all abort the operation the same way: it stops its child processes,
 * records the revision as interrupted and releases the lock. A repeated signal changes nothing
 * (the children get SIGKILL after a grace period anyway), so no exit path leaves a stale lock.
 */
import type { OperationOptions, OperationResult } from '../../apply/options.js';
import type { Io } from '../io.js';
import { printDiagnostics } from './report.js';

export type OperationName = 'apply' | 'destroy' | 'status' | 'history' | 'rollback';

/** A terminal's Ctrl-C, a polite kill, and a closed terminal or SSH session. */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function operateCommand(io: Io, name: OperationName, specPath: string, options: OperationOptions): Promise<number> {
  const ops = await import('../../operations/apply.js');
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) return;
    io.err(io.json ? JSON.stringify({ type: 'signal', message: `${signal}: stopping after the current step` }) : `\n${signal}: stopping; the journal will record the revision as interrupted`);
    controller.abort(signal);
  };
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const onEvent: OperationOptions['onEvent'] = (e) => {
    if (io.json) io.err(JSON.stringify(e));
    else io.err(`${io.style.dim(e.type.padEnd(8))} ${e.module ? `${io.style.bold(e.module)}: ` : ''}${e.message}`);
  };
  const o: OperationOptions = { ...options, onEvent, signal: controller.signal };
  let result: OperationResult;
  try {
    result =
      name === 'apply'
        ? await ops.applyOperation(specPath, o)
        : name === 'destroy'
          ? await ops.destroyOperation(specPath, o)
          : name === 'status'
            ? await ops.statusOperation(specPath, o)
            : name === 'history'
              ? await ops.historyOperation(specPath, o)
              : await ops.rollbackOperation(specPath, o);
  } finally {
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
  }
  if (io.json) io.document(result.document);
  else {
    printDiagnostics(io, result.diagnostics, undefined);
    printHuman(io, name, result);
  }
  return result.exitCode;
}

function printHuman(io: Io, name: OperationName, result: OperationResult): void {
  const d = result.document as Record<string, unknown>;
  const s = io.style;
  if (name === 'history') {
    for (const r of (d.revisions as Record<string, unknown>[] | undefined) ?? []) {
      io.out(`${String(r.revision).padStart(4)}  ${String(r.operation).padEnd(8)} ${String(r.status).padEnd(11)} ${String(r.target).padEnd(7)} ${String(r.startedAt)}  ${String(r.planHash).slice(0, 12)}${r.error ? `  ${s.red(String(r.error))}` : ''}`);
    }
    return;
  }
  if (name === 'status') {
    const rev = d.revision as Record<string, unknown> | undefined;
    if (rev) io.out(`${s.bold(String(d.system))}: revision ${String(rev.number)} ${String(rev.status)} (${String(rev.operation)}, target ${String(rev.target)}); ${d.healthy ? s.green('healthy') : s.red('not healthy')}`);
    for (const m of (d.modules as { module: string; health: string; containers: { name: string; state: string; health: string }[] }[] | undefined) ?? []) {
      const colour = m.health === 'healthy' || m.health === 'running' ? s.green : s.red;
      io.out(`  ${m.module.padEnd(20)} ${colour(m.health.padEnd(10))} ${m.containers.map((c) => `${c.name} (${c.state}${c.health !== 'none' ? `, ${c.health}` : ''})`).join(', ')}`);
    }
  } else {
    const status = String(d.status ?? (result.ok ? 'ok' : 'failed'));
    io.out(`${result.ok ? s.green('✓') : s.red('✗')} ${name} ${String(d.system ?? '')}: ${status}${d.revision !== undefined ? ` (revision ${String(d.revision)})` : ''}${d.engine ? ` via ${String(d.engine)}` : ''}`);
    for (const m of (d.modules as { module: string; outcome: string; health: string }[] | undefined) ?? []) {
      io.out(`  ${m.module.padEnd(20)} ${m.outcome.padEnd(10)} ${m.health}`);
    }
    if (d.note) io.out(String(d.note));
  }
  const eps = (d.endpoints as { module: string; url: string }[] | undefined) ?? [];
  if (eps.length > 0) io.out(`${s.bold('endpoints')}: ${eps.map((e) => `${e.module} ${e.url}`).join(', ')}`);
}
