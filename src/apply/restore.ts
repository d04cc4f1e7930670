/**
 * `aninfra backups` and `aninfra restore`: list a stateful module's dumps, and restore one (the
 * newest by default) through the engine of the system's target, which knows where its backups live
 * (the docker family: a kept backup volume, restored in a one-off container; see
 * src/engine/docker-backups.ts). A target whose engine keeps no backups aninfra can reach refuses
 * with ERR_STATE_BACKUPS_NOT_ENABLED. Restore holds the state lock: it refuses while an apply,
 * rollback or destroy runs.
 * Codes: ERR_STATE_MODULE_NOT_STATEFUL, ERR_STATE_BACKUPS_NOT_ENABLED, ERR_STATE_NO_BACKUP
 * (plus the engine's, ERR_STATE_NOT_APPLIED and ERR_STATE_LOCKED).
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { parseSpec } from '../compiler/parse/parse-spec.js';
import type { BackupTarget, Engine } from '../engine/engine.js';
import { registry } from '../modules/index.js';
import { backupCommands } from '../modules/contract/backup-commands.js';
import { StateError, type Revision } from '../state/journal.js';
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
  const { target, engine, paths, targetName } = found;
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
    const listed = await engine.list(target);
    if ('diagnostics' in listed) return fail([...diagnostics, ...listed.diagnostics], { system, module: o.module });
    const chosen = o.backup === undefined ? listed.backups[0] : listed.backups.find((b) => b.name === o.backup);
    if (!chosen) {
      const which = o.backup === undefined ? 'yet' : `named '${printable(o.backup)}'`;
      return fail([...diagnostics, diagnostic('ERR_STATE_NO_BACKUP', { module: printable(o.module), which }, { hint: `aninfra backups ${printable(specPath)} --module ${printable(o.module)}` })], { system, module: o.module });
    }
    o.onEvent?.({ type: 'restore', module: o.module, message: `restoring ${chosen.name}` });
    const run = await engine.restore(target, chosen.name, {
      timeoutSeconds: o.timeoutSeconds ?? 600,
      ...(o.signal ? { signal: o.signal } : {}),
      onChild: (pid, state) => (state === 'started' ? lock.trackChild(pid) : lock.untrackChild(pid)),
    });
    if ('diagnostics' in run) return fail([...diagnostics, ...run.diagnostics], { system, module: o.module, backup: chosen.name });
    o.onEvent?.({ type: 'restore', module: o.module, message: `restored ${chosen.name}` });
    return { ok: true, exitCode: 0, document: { ok: true, system, module: o.module, target: targetName, backup: chosen, diagnostics }, diagnostics };
  } finally {
    lock.release();
  }
}

interface Located {
  readonly target: BackupTarget;
  readonly engine: NonNullable<Engine['backups']>;
  readonly targetName: string;
  readonly paths: { readonly lock: string };
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
  const type = moduleType(revision.specText, module);
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
  return { target: { system, module, engine: type, commands: support.commands, port: port?.port ?? 0 }, engine, targetName: revision.target, paths };
}

function moduleType(specText: string, module: string): string | undefined {
  const value = parseSpec({ path: 'spec', text: specText }).value?.value as { modules?: unknown } | undefined;
  const modules = value?.modules;
  if (modules === null || typeof modules !== 'object' || !Object.prototype.hasOwnProperty.call(modules, module)) return undefined;
  const m = (modules as Record<string, unknown>)[module] as { type?: unknown } | null;
  return m && typeof m.type === 'string' ? m.type : undefined;
}
