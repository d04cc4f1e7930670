/**
 * `aninfra backups` and `aninfra restore`: list a stateful module's dumps, and restore one (the
 * newest by default) through the engine of the system's target, which knows where its backups live
 * (the docker family: a kept backup volume, restored in a one-off container, see
 * src/engine/docker-backups.ts; kubernetes: the module's backup claim, read and restored by
 * short-lived pods, see src/engine/kube-backups.ts). A target whose engine keeps no backups aninfra
 * can reach refuses with ERR_STATE_BACKUPS_NOT_ENABLED. Restore holds the state lock: it refuses
 * while an apply, rollback or destroy runs. Every restore the engine starts is journaled as a
 * record (operation 'restore', the module and the backup file), which `history` lists and which
 * changes no configuration (plans and rollbacks skip it).
 * Codes: ERR_STATE_MODULE_NOT_STATEFUL, ERR_STATE_BACKUPS_NOT_ENABLED, ERR_STATE_NO_BACKUP
 * (plus the engine's, ERR_STATE_NOT_APPLIED and ERR_STATE_LOCKED).
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { mergePlatform, type PlatformSettings } from '../compiler/lower/platform-settings.js';
import { parseSpec } from '../compiler/parse/parse-spec.js';
import type { BackupTarget, Engine } from '../engine/engine.js';
import { registry } from '../modules/index.js';
import { backupCommands } from '../modules/contract/backup-commands.js';
import { StateError, type Journal, type Revision } from '../state/journal.js';
import { StateLock } from '../state/lock.js';
import type { OperationOptions, OperationResult } from './options.js';
import { engineFor, fail, locateState, lockRecovered } from './state-access.js';

export type { BackupFile } from '../engine/engine.js';

export interface BackupOptions extends OperationOptions {
  readonly module: string;
  /** restore: the backup's file name (as `aninfra backups` lists it); default the newest. */
  readonly backup?: string;
}

export async function backupsOperation(specPath: string, o: BackupOptions): Promise<OperationResult> {
  const found = await locateBackups(specPath, o);
  if ('diagnostics' in found) return fail(found.diagnostics, { module: o.module });
  const listed = await found.engine.list(found.target);
  if ('diagnostics' in listed) return fail(listed.diagnostics, { system: found.target.system, module: o.module });
  const document = { ok: true, system: found.target.system, module: o.module, volume: listed.location, backups: listed.backups, diagnostics: [] };
  return { ok: true, exitCode: 0, document, diagnostics: [] };
}

export async function restoreOperation(specPath: string, o: BackupOptions): Promise<OperationResult> {
  const found = await locateBackups(specPath, o);
  if ('diagnostics' in found) return fail(found.diagnostics, { module: o.module });
  const { target, engine, paths, targetName, journal, revision: base } = found;
  const system = target.system;
  const lock = new StateLock(paths.lock);
  const diagnostics: Diagnostic[] = [];
  try {
    diagnostics.push(...lockRecovered(lock.acquire('aninfra restore', { breakLock: !!o.breakLock })));
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic], { system, module: o.module });
    throw e;
  }
  try {
    for (const r of journal.settleInterrupted()) o.onEvent?.({ type: 'revision', message: `revision ${r.revision} was left applying by a command that is gone: marked interrupted` });
    const listed = await engine.list(target);
    if ('diagnostics' in listed) return fail([...diagnostics, ...listed.diagnostics], { system, module: o.module });
    const chosen = o.backup === undefined ? listed.backups[0] : listed.backups.find((b) => b.name === o.backup);
    if (!chosen) {
      const which = o.backup === undefined ? 'yet' : `named '${printable(o.backup)}'`;
      return fail([...diagnostics, diagnostic('ERR_STATE_NO_BACKUP', { module: printable(o.module), which }, { hint: `aninfra backups ${printable(specPath)} --module ${printable(o.module)}` })], { system, module: o.module });
    }
    const record = restoreRecord(base, journal.nextNumber(), o.module, chosen.name, new Date().toISOString());
    journal.write(record);
    o.onEvent?.({ type: 'restore', module: o.module, message: `revision ${record.revision}: restoring ${chosen.name}` });
    const run = await engine.restore(target, chosen.name, {
      timeoutSeconds: o.timeoutSeconds ?? 600,
      ...(o.signal ? { signal: o.signal } : {}),
      onChild: (pid, state) => (state === 'started' ? lock.trackChild(pid) : lock.untrackChild(pid)),
    });
    const failed = 'diagnostics' in run ? run.diagnostics : [];
    journal.write(finishedRecord(record, failed, o.signal?.aborted === true, new Date().toISOString()));
    const revision = record.revision;
    if (failed.length > 0) return fail([...diagnostics, ...failed], { system, module: o.module, backup: chosen.name, revision });
    o.onEvent?.({ type: 'restore', module: o.module, message: `restored ${chosen.name}` });
    return { ok: true, exitCode: 0, document: { ok: true, system, module: o.module, target: targetName, backup: chosen, revision, diagnostics }, diagnostics };
  } finally {
    lock.release();
  }
}

/** The journal record of a restore that starts: the configuration of the revision it runs on, the module and the backup. */
export function restoreRecord(base: Revision, revision: number, module: string, backup: string, startedAt: string): Revision {
  const { finishedAt: _finished, error: _error, restores: _restores, ...config } = base;
  return { ...config, revision, status: 'applying', operation: 'restore', startedAt, modules: [], backup: { module, name: backup } };
}

/** The record once the engine is done: applied, failed (with the errors' messages) or interrupted by a signal. */
export function finishedRecord(record: Revision, failed: readonly Diagnostic[], interrupted: boolean, finishedAt: string): Revision {
  const module = record.backup?.module ?? '';
  // The module's data was updated: it holds the backup's (the store answered the restore, so it runs).
  if (failed.length === 0) return { ...record, status: 'applied', finishedAt, modules: [{ module, outcome: 'updated', health: 'healthy', message: `restored from ${record.backup?.name ?? ''}` }] };
  const error = failed.filter((d) => d.severity === 'error').map((d) => d.message).join('; ');
  return { ...record, status: interrupted ? 'interrupted' : 'failed', finishedAt, modules: [{ module, outcome: 'failed', health: 'unhealthy', message: error }], error };
}

interface Located {
  readonly target: BackupTarget;
  readonly engine: NonNullable<Engine['backups']>;
  readonly targetName: string;
  readonly paths: { readonly lock: string };
  readonly journal: Journal;
  /** The revision whose spec names the module (the last good one, else the latest). */
  readonly revision: Revision;
}

/** The module's backup facts: its type from the applied revision's spec, its commands, and the engine of its target. */
async function locateBackups(specPath: string, o: BackupOptions): Promise<Located | { diagnostics: Diagnostic[] }> {
  const located = locateState(specPath, o);
  if ('diagnostics' in located) return located;
  const { journal, paths, system } = located;
  let revision: Revision | undefined;
  try {
    revision = journal.lastGood() ?? journal.latest();
  } catch (e) {
    if (e instanceof StateError) return { diagnostics: [e.diagnostic] };
    throw e;
  }
  if (!revision) return { diagnostics: [diagnostic('ERR_STATE_NOT_APPLIED', { system, dir: paths.root })] };
  const module = o.module;
  const spec = specFacts(revision.specText);
  const type = spec.modules?.[module];
  const notStateful = (reason: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [diagnostic('ERR_STATE_MODULE_NOT_STATEFUL', { module: printable(module), reason })] });
  if (type === undefined) return notStateful('is not in the applied spec');
  const descriptor = registry.get(type);
  if (!descriptor?.stateful) return notStateful(`is a ${printable(type)}, which keeps no data`);
  const support = backupCommands(type);
  const disabled = (reason: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [diagnostic('ERR_STATE_BACKUPS_NOT_ENABLED', { module: printable(module), reason })] });
  if (!support.supported) return disabled(support.reason);
  const engine = (await engineFor(revision.target)).backups;
  if (!engine) return disabled(`aninfra cannot list or restore backups on target ${printable(revision.target)} yet; its dumps are in the backup volume the target created`);
  const port = descriptor.ports.find((p) => p.name === support.commands.port) ?? descriptor.ports[0];
  // The engine's settings (kubernetes: the kubeconfig context): the applied spec's, with the command line's over them.
  const platform = mergePlatform(spec.platform, o.platform);
  const target: BackupTarget = { system, module, engine: type, commands: support.commands, port: port?.port ?? 0, owner: paths.owner, platform };
  return { target, engine, targetName: revision.target, paths, journal, revision };
}

/** Module types by name and the `platform:` settings of a stored spec text (types of unknown shape are left out). */
function specFacts(specText: string): { modules?: Record<string, string>; platform?: PlatformSettings } {
  const value = parseSpec({ path: 'spec', text: specText }).value?.value as { modules?: unknown; platform?: unknown } | undefined;
  const modules: Record<string, string> = Object.create(null) as Record<string, string>;
  const given = value?.modules;
  if (given !== null && typeof given === 'object') {
    for (const [name, m] of Object.entries(given as Record<string, unknown>)) {
      const type = m !== null && typeof m === 'object' ? (m as { type?: unknown }).type : undefined;
      if (typeof type === 'string') modules[name] = type;
    }
  }
  const platform = value?.platform !== null && typeof value?.platform === 'object' ? (value.platform as PlatformSettings) : undefined;
  return { modules, ...(platform ? { platform } : {}) };
}
