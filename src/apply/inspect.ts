/**
 * Reading and ending a system: status (journal + what runs now, by aninfra labels), history, and
 * destroy (named volumes of stateful modules are kept unless deleteData).
 * Codes: ERR_STATE_NOT_APPLIED, ERR_PREREQ_DOCKER, ERR_ENGINE_INTERRUPTED (plus engine codes).
 */
import { diagnostic, exitCodeFor, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { computePlan } from '../cli/commands/plan.js';
import { checkDocker, liveContainers, type LiveContainer } from '../engine/docker-cli.js';
import { StateError, type Revision } from '../state/journal.js';
import { StateLock } from '../state/lock.js';
import { SecretStore } from '../state/secret-store.js';
import { endpoints, outputsView } from './endpoints.js';
import { engineContext, engineFor, fail, locateState } from './state-access.js';
import type { OperationOptions, OperationResult } from './options.js';

export async function statusOperation(specPath: string, o: OperationOptions = {}): Promise<OperationResult> {
  const located = locateState(specPath, o);
  if ('diagnostics' in located) return fail(located.diagnostics);
  const { journal, paths, system } = located;
  let latest: Revision | undefined;
  let good: Revision | undefined;
  try {
    latest = journal.latest();
    good = journal.lastGood();
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic]);
    throw e;
  }
  const current = latest as Revision;
  const docker = await checkDocker();
  const live = docker ? [] : await liveContainers(system);
  const diagnostics: Diagnostic[] = docker ? [docker] : [];
  const store = SecretStore.open(paths);
  const modules = moduleStatus(current, live);
  const engine = await engineFor(current.target);
  let outputs = outputsView(current.ir, engine.generatesSecrets ? undefined : store, !!o.showSecrets && !engine.generatesSecrets);
  if (engine.outputs && o.showSecrets && current.status !== 'destroyed') {
    // Secrets the engine generated are read back from its (encrypted) state, only when asked for.
    const live = await engine.outputs(engineContext({ system, ir: current.ir, programDir: paths.program(current.target), specPath: current.specPath, paths }, o, { hasChanges: false, pull: 'never' }));
    if (live) outputs = Object.fromEntries(Object.entries(outputs).map(([m, values]) => [m, { ...values, ...(live[m] ?? {}) }]));
  }
  const healthy = current.status !== 'destroyed' && modules.every((m) => m.health === 'healthy' || m.health === 'running' || m.health === 'none');
  const document = {
    ok: !docker,
    system,
    healthy,
    revision: { number: current.revision, status: shownStatus(current, paths.lock), operation: current.operation, target: current.target, engine: current.engine, finishedAt: current.finishedAt ?? null, planHash: current.planHash },
    lastGoodRevision: good?.revision ?? null,
    lock: StateLock.holder(paths.lock) ?? null,
    modules,
    endpoints: current.status === 'destroyed' ? [] : endpoints(current.ir),
    outputs,
    diagnostics,
  };
  return { ok: document.ok, exitCode: exitCodeFor(diagnostics), document, diagnostics };
}

interface ModuleStatus {
  module: string;
  health: 'healthy' | 'running' | 'unhealthy' | 'starting' | 'exited' | 'missing' | 'none';
  containers: { name: string; id: string; state: string; health: string; ports: LiveContainer['ports'] }[];
}

function moduleStatus(revision: Revision, live: readonly LiveContainer[]): ModuleStatus[] {
  const expected = new Map<string, string[]>();
  for (const n of revision.ir.nodes) if (n.kind === 'container') expected.set(n.module, [...(expected.get(n.module) ?? []), n.name]);
  if (revision.status === 'destroyed') return [...expected.keys()].sort().map((module) => ({ module, health: 'missing', containers: [] }));
  return [...expected.keys()].sort().map((module) => {
    const names = expected.get(module) ?? [];
    const containers = names.map((name) => live.find((c) => c.service === name));
    const rows = containers.filter((c): c is LiveContainer => !!c).map((c) => ({ name: c.name, id: c.id.slice(0, 12), state: c.state, health: c.health, ports: c.ports }));
    const worst: ModuleStatus['health'] = containers.some((c) => !c)
      ? 'missing'
      : containers.some((c) => c?.state !== 'running')
        ? 'exited'
        : containers.some((c) => c?.health === 'unhealthy')
          ? 'unhealthy'
          : containers.some((c) => c?.health === 'starting')
            ? 'starting'
            : containers.every((c) => c?.health === 'healthy')
              ? 'healthy'
              : 'running';
    return { module, health: worst, containers: rows };
  });
}

export async function historyOperation(specPath: string, o: OperationOptions = {}): Promise<OperationResult> {
  const located = locateState(specPath, o);
  if ('diagnostics' in located) return fail(located.diagnostics);
  try {
    const revisions = located.journal.revisions().map((r) => ({
      revision: r.revision,
      operation: r.operation,
      status: shownStatus(r, located.paths.lock),
      target: r.target,
      engine: r.engine,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt ?? null,
      planHash: r.planHash,
      specHash: r.specHash,
      restores: r.restores ?? null,
      modules: r.modules.map((m) => ({ module: m.module, outcome: m.outcome, health: m.health })),
      error: r.error ?? null,
    }));
    return { ok: true, exitCode: 0, document: { ok: true, system: located.system, revisions, diagnostics: [] }, diagnostics: [] };
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic]);
    throw e;
  }
}

/**
 * A revision still `applying` whose lock holder is gone was interrupted (killed with SIGKILL, or a
 * crash): read-only commands show it so; the next command holding the lock rewrites it.
 */
function shownStatus(r: Revision, lockPath: string): Revision['status'] {
  if (r.status !== 'applying') return r.status;
  const holder = StateLock.holder(lockPath);
  return holder && StateLock.holderAlive(holder) ? r.status : 'interrupted';
}

export async function destroyOperation(specPath: string, o: OperationOptions = {}): Promise<OperationResult> {
  const located = locateState(specPath, o);
  if ('diagnostics' in located) return fail(located.diagnostics);
  const { journal, paths, system } = located;
  const lock = new StateLock(paths.lock);
  try {
    const recovered = lock.acquire('aninfra destroy', { breakLock: !!o.breakLock }).warning;
    journal.settleInterrupted();
    const latest = journal.latest() as Revision;
    // Re-emit the program of the last revision so the engine knows exactly what it created.
    const planned = computePlan(latest.specPath, { target: latest.target as 'docker' | 'compose', specText: latest.specText, ...(o.stateDir ? { stateDir: o.stateDir } : {}), ...(latest.images ? { images: latest.images } : {}) });
    if (!planned.programDir || !planned.compilation.ir) return fail((planned.document.diagnostics as Diagnostic[]) ?? []);
    const store = SecretStore.open(paths);
    const secrets = new Map<string, string>();
    for (const n of planned.compilation.ir.nodes) if (n.kind === 'secret') secrets.set(n.id, store.get(`${n.module}-${n.key}`) ?? '');
    const engine = await engineFor(latest.target);
    const revision = journal.nextNumber();
    const startedAt = new Date().toISOString();
    const record: Revision = { ...latest, revision, status: 'applying', operation: 'destroy', startedAt, modules: [] };
    delete (record as { finishedAt?: string }).finishedAt;
    journal.write(record);
    const destroying = engine.destroy(
      engineContext({ system, ir: planned.compilation.ir, programDir: planned.programDir, specPath: latest.specPath, paths }, o, {
        secrets,
        pull: 'never',
        onChild: (pid, state) => (state === 'started' ? lock.trackChild(pid) : lock.untrackChild(pid)),
      }),
      { deleteData: !!o.deleteData },
    );
    // Every exit path finishes the revision, an engine's exception too.
    const result = await destroying.catch((e: unknown) => {
      journal.write({ ...record, status: 'failed', finishedAt: new Date().toISOString(), error: e instanceof Error ? e.message : String(e) });
      throw e;
    });
    // A signal ends a destroy like an apply: the revision says interrupted.
    const signal = o.signal?.aborted ? (typeof o.signal.reason === 'string' ? o.signal.reason : 'SIGINT') : undefined;
    const status: Revision['status'] = signal ? 'interrupted' : result.ok ? 'destroyed' : 'failed';
    const diagnostics = [...(recovered ? [recovered] : []), ...result.diagnostics];
    if (signal && !diagnostics.some((d) => d.code === 'ERR_ENGINE_INTERRUPTED')) diagnostics.push(diagnostic('ERR_ENGINE_INTERRUPTED', { operation: 'destroy', signal }));
    const ok = result.ok && !signal;
    journal.write({ ...record, status, engine: result.tool ?? record.engine, finishedAt: new Date().toISOString(), modules: result.modules });
    const volumes = planned.compilation.ir.nodes.filter((n) => n.kind === 'volume' && n.keep).map((n) => (n.kind === 'volume' ? n.name : ''));
    const document = {
      ok,
      system,
      revision,
      status,
      engine: result.tool ?? engine.name,
      modules: result.modules,
      volumesKept: o.deleteData ? [] : volumes,
      volumesDeleted: o.deleteData ? volumes : [],
      note: o.deleteData ? 'named volumes of stateful modules were deleted' : volumes.length > 0 ? `kept ${volumes.length} named volume(s) of stateful modules; destroy --delete-data removes them` : 'no data volumes',
      diagnostics,
    };
    return { ok, exitCode: ok ? 0 : exitCodeFor(diagnostics) || 3, document, diagnostics };
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic]);
    throw e;
  } finally {
    lock.release();
  }
}
