/**
 * `aninfra backups` and `aninfra restore`: list a stateful module's dumps, and restore one (the
 * newest by default), through the backup store of the engine that applied the system (the docker
 * family's engines have one: src/engine/docker-backups.ts). A target whose engine has none is
 * refused with ERR_STATE_BACKUPS_NOT_ENABLED before anything runs.
 * Restore holds the state lock: it refuses while an apply, rollback or destroy runs.
 * Codes: ERR_STATE_MODULE_NOT_STATEFUL, ERR_STATE_BACKUPS_NOT_ENABLED, ERR_STATE_NO_BACKUP,
 * ERR_ENGINE_RESTORE_FAILED (plus ERR_STATE_NOT_APPLIED, ERR_STATE_LOCKED, ERR_PREREQ_DOCKER).
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { parseSpec } from '../compiler/parse/parse-spec.js';
import type { BackupLocation, BackupStore } from '../engine/engine.js';
import { registry } from '../modules/index.js';
import { backupCommands, type BackupCommands } from '../modules/contract/backup-commands.js';
import { StateError, type Revision } from '../state/journal.js';
import { StateLock } from '../state/lock.js';
import type { OperationOptions, OperationResult } from './options.js';
import { engineFor, fail, locateState, lockRecovered } from './state-access.js';

export interface BackupOptions extends OperationOptions {
  readonly module: string;
  /** restore: the backup's file name (as `aninfra backups` lists it); default the newest. */
  readonly backup?: string;
}

export async function backupsOperation(specPath: string, o: BackupOptions): Promise<OperationResult> {
  const found = await locateBackups(specPath, o);
  if ('diagnostics' in found) return fail(found.diagnostics, { module: o.module });
  const listed = await found.store.list(found.location);
  if ('diagnostics' in listed) return fail(listed.diagnostics, { system: found.system, module: o.module });
  return { ok: true, exitCode: 0, document: { ok: true, system: found.system, module: o.module, volume: found.location.volume, backups: listed.backups, diagnostics: [] }, diagnostics: [] };
}

export async function restoreOperation(specPath: string, o: BackupOptions): Promise<OperationResult> {
  const found = await locateBackups(specPath, o);
  if ('diagnostics' in found) return fail(found.diagnostics, { module: o.module });
  const { system, paths } = found;
  const lock = new StateLock(paths.lock);
  const diagnostics: Diagnostic[] = [];
  try {
    diagnostics.push(...lockRecovered(lock.acquire('aninfra restore', { breakLock: !!o.breakLock })));
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic], { system, module: o.module });
    throw e;
  }
  try {
    const listed = await found.store.list(found.location);
    if ('diagnostics' in listed) return fail([...diagnostics, ...listed.diagnostics], { system, module: o.module });
    const chosen = o.backup === undefined ? listed.backups[0] : listed.backups.find((b) => b.name === o.backup);
    if (!chosen) {
      const which = o.backup === undefined ? 'yet' : `named '${printable(o.backup)}'`;
      return fail([...diagnostics, diagnostic('ERR_STATE_NO_BACKUP', { module: printable(o.module), which }, { hint: `aninfra backups ${printable(specPath)} --module ${printable(o.module)}` })], { system, module: o.module });
    }
    const restore = found.commands.restore;
    if (!restore) {
      const reason = `${found.engine} restores offline: ${found.commands.offlineRestore ?? 'see the README'}`;
      return fail([...diagnostics, diagnostic('ERR_ENGINE_RESTORE_FAILED', { backup: printable(chosen.name), module: printable(o.module), reason })], { system, module: o.module });
    }
    o.onEvent?.({ type: 'restore', module: o.module, message: `restoring ${chosen.name}` });
    const r = await found.store.restore(found.location, chosen.name, restore, {
      timeoutMs: (o.timeoutSeconds ?? 600) * 1000,
      ...(o.signal ? { signal: o.signal } : {}),
      onChild: (pid, state) => (state === 'started' ? lock.trackChild(pid) : lock.untrackChild(pid)),
    });
    if (!r.ok) {
      return fail([...diagnostics, diagnostic('ERR_ENGINE_RESTORE_FAILED', { backup: printable(chosen.name), module: printable(o.module), reason: printable(r.reason) })], { system, module: o.module, backup: chosen.name });
    }
    o.onEvent?.({ type: 'restore', module: o.module, message: `restored ${chosen.name}` });
    return { ok: true, exitCode: 0, document: { ok: true, system, module: o.module, target: found.target, backup: chosen, diagnostics }, diagnostics };
  } finally {
    lock.release();
  }
}

interface Located {
  readonly system: string;
  readonly paths: { readonly lock: string };
  readonly target: string;
  readonly engine: string;
  readonly commands: BackupCommands;
  readonly store: BackupStore;
  readonly location: BackupLocation;
}

/**
 * The module's backup facts: its type from the applied revision's spec, then from Docker the backup
 * volume (kept like data, so a module whose `backup:` was removed can still be restored from it)
 * and the store's container, whose image and environment the restore runs with.
 */
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
  const type = moduleType(revision.specText, module);
  const notStateful = (reason: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [diagnostic('ERR_STATE_MODULE_NOT_STATEFUL', { module: printable(module), reason })] });
  if (type === undefined) return notStateful('is not in the applied spec');
  const descriptor = registry.get(type);
  if (!descriptor?.stateful) return notStateful(`is a ${printable(type)}, which keeps no data`);
  const support = backupCommands(type);
  const disabled = (reason: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [diagnostic('ERR_STATE_BACKUPS_NOT_ENABLED', { module: printable(module), reason })] });
  if (!support.supported) return disabled(support.reason);
  const store = (await engineFor(revision.target)).backups;
  if (!store) return disabled(`the ${printable(revision.target)} target keeps no backups aninfra can restore`);
  const port = descriptor.ports.find((p) => p.name === support.commands.port) ?? descriptor.ports[0];
  const location = await store.locate({ system, module, extension: support.commands.extension, port: port?.port ?? 0 });
  if ('diagnostics' in location) return location;
  return { system, paths, target: revision.target, engine: type, commands: support.commands, store, location };
}

function moduleType(specText: string, module: string): string | undefined {
  const value = parseSpec({ path: 'spec', text: specText }).value?.value as { modules?: unknown } | undefined;
  const modules = value?.modules;
  if (modules === null || typeof modules !== 'object' || !Object.prototype.hasOwnProperty.call(modules, module)) return undefined;
  const m = (modules as Record<string, unknown>)[module] as { type?: unknown } | null;
  return m && typeof m.type === 'string' ? m.type : undefined;
}
