/**
 * Reading and ending a system: status (journal + what runs now, read by the engine of the
 * revision's target; exit 2 when a system that should run is not healthy), history, and destroy (named volumes of stateful modules
 * are kept unless deleteData; built images removed unless keepImages). status and history never
 * write; destroy needs neither the spec's source tree nor the secrets. All three go on from the last
 * readable revision and report the unreadable ones.
 * Codes: ERR_STATE_NOT_APPLIED (plus engine prerequisite, lock and ownership codes).
 */
import { diagnostic, exitCodeFor, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { StateError, type Revision } from '../state/journal.js';
import { StateLock, type LockHolder } from '../state/lock.js';
import { SecretStore } from '../state/secret-store.js';
import { teardownProgram, writeDeployDir } from './deploy-dir.js';
import { outputsView } from './endpoints.js';
import { ownershipProblems } from './ownership.js';
import { driftFromStatus, itemDiagnostic, knownSecrets, reportItems } from './drift.js';
import { engineContext, engineFor, engineRun, fail, locateState, lockRecovered } from './state-access.js';
import type { OperationOptions, OperationResult } from './options.js';

export async function statusOperation(specPath: string, o: OperationOptions = {}): Promise<OperationResult> {
  const located = locateState(specPath, o);
  if ('diagnostics' in located) return fail(located.diagnostics);
  const { journal, paths, system, problems } = located;
  let latest: Revision | undefined;
  let good: Revision | undefined;
  try {
    latest = journal.latest();
    good = journal.lastGood();
  } catch (e) {
    if (e instanceof StateError) return fail([...problems, e.diagnostic]);
    throw e;
  }
  const holder = StateLock.holder(paths.lock);
  // Read-only: an `applying` revision whose command is gone is shown as interrupted, not rewritten.
  const current: Revision = latest && latest.status === 'applying' && !holderAlive(holder) ? { ...latest, status: 'interrupted' } : (latest as Revision);
  const destroyed = current.status === 'destroyed';
  const engine = await engineFor(current.target);
  const deployed = existsSync(paths.deploy(current.target)) ? paths.deploy(current.target) : paths.program(current.target);
  const ctx = engineContext({ system, ir: current.ir, programDir: deployed, specPath: current.specPath, paths }, o, { hasChanges: false, pull: 'never', secrets: destroyed ? new Map() : knownSecrets(engine, current.ir, paths) });
  // The engine of the revision's target reads the live system (Docker by labels, the cluster…).
  const live = destroyed ? undefined : await engine.status(ctx);
  const unavailable = live?.unavailable;
  // The same drift check as `aninfra drift` (the engine's, or the one its report allows), with the same codes and heal commands.
  const drift = live && !unavailable ? reportItems(driftFromStatus(live), { specPath, system, ...(o.stateDir ? { stateDir: o.stateDir } : {}), ...(current.images ? { images: o.images ?? 'IMAGES_FILE' } : {}) }) : [];
  const diagnostics: Diagnostic[] = [...problems, ...(unavailable ? [unavailable] : []), ...drift.map((i) => itemDiagnostic(i, system))];
  // The store is opened only to show secrets, and read-only: status never writes a key or a file.
  let store: SecretStore | undefined;
  if (o.showSecrets && !engine.generatesSecrets) {
    try {
      store = SecretStore.open(paths, process.env, { readOnly: true });
    } catch (e) {
      if (!(e instanceof StateError)) throw e;
      diagnostics.push(e.diagnostic);
    }
  }
  const modules = live ? live.modules : modulesOf(current).map((module) => ({ module, health: 'missing' as const, containers: [] }));
  let outputs = outputsView(current.ir, store, !!store);
  if (engine.outputs && o.showSecrets && !destroyed && !unavailable) {
    // Secrets the engine generated are read back from its (encrypted) state, only when asked for.
    try {
      const values = await engine.outputs(ctx);
      if (values) outputs = Object.fromEntries(Object.entries(outputs).map(([m, v]) => [m, { ...v, ...(values[m] ?? {}) }]));
    } catch (e) {
      if (!(e instanceof StateError)) throw e;
      diagnostics.push(e.diagnostic);
    }
  }
  const missing = live?.missing ?? { networks: [], volumes: [] };
  const healthy =
    !destroyed &&
    !unavailable &&
    Object.values(missing).every((names) => names.length === 0) &&
    modules.every((m) => m.health === 'healthy' || m.health === 'running' || m.health === 'none') &&
    drift.every((i) => !i.healedByApply);
  const document = {
    ok: !unavailable,
    system,
    healthy,
    revision: { number: current.revision, status: current.status, operation: current.operation, target: current.target, engine: current.engine, finishedAt: current.finishedAt ?? null, planHash: current.planHash },
    lastGoodRevision: good?.revision ?? null,
    lock: holder ?? null,
    modules,
    missing,
    drift,
    endpoints: destroyed ? [] : (live?.endpoints ?? []),
    outputs,
    diagnostics,
  };
  // Exit 2 (as plan's drift) when a system that should run is not healthy; 5 when the live system cannot be read.
  const exitCode = unavailable ? exitCodeFor([unavailable]) : !healthy && !destroyed ? 2 : 0;
  return { ok: document.ok, exitCode, document, diagnostics };
}

function holderAlive(holder: LockHolder | undefined): boolean {
  if (!holder) return false;
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The modules a revision runs something for (a destroyed system shows each as missing): from its nodes' provenance. */
function modulesOf(revision: Revision): string[] {
  return [...new Set(revision.ir.nodes.flatMap((n) => (n.provenance.module === null || n.kind === 'secret' ? [] : [n.provenance.module])))].sort();
}

export async function historyOperation(specPath: string, o: OperationOptions = {}): Promise<OperationResult> {
  const located = locateState(specPath, o);
  if ('diagnostics' in located) return fail(located.diagnostics);
  try {
    // Read-only: a revision left `applying` by a command that is gone is shown as interrupted.
    const running = holderAlive(StateLock.holder(located.paths.lock));
    // Revisions from the journal index share equal lists of module outcomes: each is listed once.
    const listed = new Map<Revision['modules'], { module: string; outcome: string; health: string }[]>();
    const outcomes = (list: Revision['modules']): { module: string; outcome: string; health: string }[] => {
      let out = listed.get(list);
      if (!out) listed.set(list, (out = list.map((m) => ({ module: m.module, outcome: m.outcome, health: m.health }))));
      return out;
    };
    // Restores of backups are listed with the revisions (they change data, not configuration).
    const revisions = located.records.map((r) => ({
      revision: r.revision,
      operation: r.operation,
      status: r.status === 'applying' && !running ? 'interrupted' : r.status,
      engine: r.engine,
      target: r.target,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt ?? null,
      planHash: r.planHash,
      specHash: r.specHash,
      restores: r.restores ?? null,
      backup: r.backup ?? null,
      modules: outcomes(r.modules),
      error: r.error ?? null,
    }));
    // Unreadable revision files are reported by number; the readable ones are listed.
    const diagnostics = located.problems;
    return { ok: true, exitCode: 0, document: { ok: true, system: located.system, revisions, diagnostics }, diagnostics };
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic]);
    throw e;
  }
}

export async function destroyOperation(specPath: string, o: OperationOptions = {}): Promise<OperationResult> {
  const located = locateState(specPath, o);
  if ('diagnostics' in located) return fail(located.diagnostics);
  const { journal, paths, system, problems } = located;
  const lock = new StateLock(paths.lock);
  const diagnostics: Diagnostic[] = [...problems];
  try {
    diagnostics.push(...lockRecovered(lock.acquire('aninfra destroy', { breakLock: !!o.breakLock })));
  } catch (e) {
    if (e instanceof StateError) return fail([...diagnostics, e.diagnostic]);
    throw e;
  }
  try {
    for (const r of journal.settleInterrupted()) o.onEvent?.({ type: 'revision', message: `revision ${r.revision} was left applying by a command that is gone: marked interrupted` });
    const latest = journal.latest() as Revision;
    // The stored IR of the last revision, emitted without build sections: no source tree, no secrets needed.
    const programDir = paths.deploy(latest.target);
    const program = teardownProgram(latest.ir, latest.target, latest.specPath, programDir);
    if (!program.files) return fail([...diagnostics, ...program.diagnostics]);
    const engine = await engineFor(latest.target);
    const ctx = engineContext({ system, ir: latest.ir, programDir, specPath: latest.specPath, paths }, o, {
      pull: 'never',
      onChild: (pid, state) => (state === 'started' ? lock.trackChild(pid) : lock.untrackChild(pid)),
    });
    const ready = await engine.prerequisites(ctx);
    if (!ready.ok) return fail([...diagnostics, ...ready.diagnostics], { operation: 'destroy', system, status: 'failed' });
    const foreign = await ownershipProblems({ system, owner: paths.owner, applied: true, engine, ctx }, !!o.adopt);
    if (foreign.length > 0) return fail([...diagnostics, ...foreign], { operation: 'destroy', system, status: 'failed' });
    const unwritable = writeDeployDir(programDir, program.files, system, latest.target);
    if (unwritable) return fail([...diagnostics, unwritable], { operation: 'destroy', system, status: 'failed' });
    const revision = journal.nextNumber();
    const startedAt = new Date().toISOString();
    const record: Revision = { ...latest, revision, status: 'applying', operation: 'destroy', startedAt, modules: [] };
    delete (record as { finishedAt?: string }).finishedAt;
    delete (record as { error?: string }).error;
    journal.write(record);
    let result: Awaited<ReturnType<typeof engine.destroy>>;
    try {
      result = await engineRun(() => engine.destroy(ctx, { deleteData: !!o.deleteData, keepImages: !!o.keepImages }));
    } catch (e) {
      // Every exit path finishes the revision, an engine's exception too.
      journal.write({ ...record, status: 'failed', finishedAt: new Date().toISOString(), error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
    // A signal ends a destroy like an apply: the revision says interrupted.
    const signal = o.signal?.aborted ? (typeof o.signal.reason === 'string' ? o.signal.reason : 'SIGINT') : undefined;
    const status: Revision['status'] = signal ? 'interrupted' : result.ok ? 'destroyed' : 'failed';
    if (signal && !result.diagnostics.some((d) => d.code === 'ERR_ENGINE_INTERRUPTED')) result = { ...result, ok: false, diagnostics: [...result.diagnostics, diagnostic('ERR_ENGINE_INTERRUPTED', { operation: 'destroy', signal })] };
    journal.write({ ...record, status, engine: result.tool ?? record.engine, finishedAt: new Date().toISOString(), modules: result.modules });
    // What Docker shows after the run, not what was asked for.
    const kept = [...(result.volumesKept ?? [])];
    const deleted = [...(result.volumesDeleted ?? [])];
    const note = !result.ok
      ? `destroy failed; ${kept.length} named volume(s) still exist`
      : deleted.length > 0
        ? `deleted ${deleted.length} named volume(s)${kept.length > 0 ? `; ${kept.length} still exist` : ''}`
        : kept.length > 0
          ? `kept ${kept.length} named volume(s) of stateful modules; destroy --delete-data removes them`
          : 'no data volumes';
    const all = [...diagnostics, ...result.diagnostics];
    const document = {
      ok: result.ok,
      system,
      revision,
      status,
      engine: result.tool ?? engine.name,
      modules: result.modules,
      volumesKept: kept,
      volumesDeleted: deleted,
      imagesRemoved: result.imagesRemoved ?? [],
      note,
      diagnostics: all,
    };
    return { ok: result.ok, exitCode: result.ok ? 0 : exitCodeFor([...result.diagnostics]) || 3, document, diagnostics: all };
  } catch (e) {
    if (e instanceof StateError) return fail([...diagnostics, e.diagnostic]);
    throw e;
  } finally {
    lock.release();
  }
}
