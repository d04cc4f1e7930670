/**
 * `aninfra backups` and `aninfra restore` for the docker family (docker and compose targets, which
 * name the backup resources alike): list a stateful module's dumps in its backup volume, and
 * restore one (the newest by default) by running the engine's restore argv in a one-off container
 * of the store's image on the system network, with the backup volume mounted read-only and the
 * environment the store's container runs with plus STORE_HOST / STORE_PORT, as the backup
 * container has it (passwords reach the docker CLI through its environment, never argv or a file).
 * Restore holds the state lock: it refuses while an apply, rollback or destroy runs.
 * Codes: ERR_STATE_MODULE_NOT_STATEFUL, ERR_STATE_BACKUPS_NOT_ENABLED, ERR_STATE_NO_BACKUP,
 * ERR_ENGINE_RESTORE_FAILED (plus ERR_STATE_NOT_APPLIED, ERR_STATE_LOCKED, ERR_PREREQ_DOCKER).
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { parseSpec } from '../compiler/parse/parse-spec.js';
import { checkDocker, dockerBinary } from '../engine/docker-cli.js';
import { runProcess } from '../engine/run-process.js';
import { registry } from '../modules/index.js';
import { backupCommands, type BackupCommands } from '../modules/contract/backup-commands.js';
import { StateError, type Revision } from '../state/journal.js';
import { StateLock } from '../state/lock.js';
import { backupNames, BACKUP_DIR } from '../targets/docker-family/backup.js';
import type { OperationOptions, OperationResult } from './options.js';
import { fail, locateState, lockRecovered } from './state-access.js';

export interface BackupOptions extends OperationOptions {
  readonly module: string;
  /** restore: the backup's file name (as `aninfra backups` lists it); default the newest. */
  readonly backup?: string;
}

export interface BackupFile {
  readonly name: string;
  readonly size: number;
  /** When the dump finished (file modification time), ISO 8601 UTC. */
  readonly time: string;
}

const DOCKER_FAMILY = ['compose', 'docker'];

export async function backupsOperation(specPath: string, o: BackupOptions): Promise<OperationResult> {
  const found = await locateBackups(specPath, o);
  if ('diagnostics' in found) return fail(found.diagnostics, { module: o.module });
  const listed = await listBackups(found);
  if ('diagnostics' in listed) return fail(listed.diagnostics, { system: found.system, module: o.module });
  return { ok: true, exitCode: 0, document: { ok: true, system: found.system, module: o.module, volume: found.volume, backups: listed.backups, diagnostics: [] }, diagnostics: [] };
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
    const listed = await listBackups(found);
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
    const env = { ...found.env, BACKUP_FILE: chosen.name };
    const args = [
      'run', '--rm', '--pull', 'never',
      '--name', `${system}--${o.module}--restore`,
      '--label', `aninfra.system=${system}`, '--label', `aninfra.module=${o.module}`, '--label', 'aninfra.rule=restore',
      '--network', found.network,
      '-v', `${found.volume}:${BACKUP_DIR}:ro`,
      ...Object.keys(env).sort().flatMap((k) => ['-e', k]),
      '--entrypoint', '/bin/sh', found.image,
      '-c', `exec "$@" < "${BACKUP_DIR}/$BACKUP_FILE"`, 'aninfra-restore', ...restore,
    ];
    const r = await runProcess(dockerBinary(), args, {
      env: { ...process.env, ...env },
      timeoutMs: (o.timeoutSeconds ?? 600) * 1000,
      ...(o.signal ? { signal: o.signal } : {}),
      onChild: (pid, state) => (state === 'started' ? lock.trackChild(pid) : lock.untrackChild(pid)),
    });
    if (r.code !== 0) {
      const reason = redact(lastLines(r.stderr || r.stdout) || `exit ${String(r.code ?? r.signal)}`, found.env);
      return fail([...diagnostics, diagnostic('ERR_ENGINE_RESTORE_FAILED', { backup: printable(chosen.name), module: printable(o.module), reason: printable(reason) })], { system, module: o.module, backup: chosen.name });
    }
    o.onEvent?.({ type: 'restore', module: o.module, message: `restored ${chosen.name}` });
    return { ok: true, exitCode: 0, document: { ok: true, system, module: o.module, target: found.target, backup: chosen, diagnostics }, diagnostics };
  } finally {
    lock.release();
  }
}

interface Located {
  readonly system: string;
  readonly module: string;
  readonly paths: { readonly lock: string };
  readonly target: string;
  readonly engine: string;
  readonly commands: BackupCommands;
  readonly volume: string;
  readonly network: string;
  readonly image: string;
  readonly env: Readonly<Record<string, string>>;
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
  if (!DOCKER_FAMILY.includes(revision.target)) return disabled(`restore runs on the docker and compose targets; this system runs on ${printable(revision.target)}`);
  const docker = await checkDocker();
  if (docker) return { diagnostics: [docker] };
  const volume = backupNames.volume(system, module);
  const labels = await inspectJson(['volume', 'inspect', '--format', '{{json .Labels}}', volume]);
  if (!labels || (labels as Record<string, unknown>)['aninfra.system'] !== system) {
    return disabled(`the system has no backup volume ${volume}: add \`backup: { schedule, retain }\` to its \`with:\` and apply`);
  }
  const container = `${system}--${module}`;
  const config = parseConfig(await inspectJson(['container', 'inspect', '--format', '{{json .Config}}', container]));
  if (!config || config.labels['aninfra.system'] !== system) {
    return { diagnostics: [diagnostic('ERR_ENGINE_RESTORE_FAILED', { backup: volume, module: printable(module), reason: `the module's container ${container} does not exist: apply the system first` })] };
  }
  const port = descriptor.ports.find((p) => p.name === support.commands.port) ?? descriptor.ports[0];
  return {
    system,
    module,
    paths,
    target: revision.target,
    engine: type,
    commands: support.commands,
    volume,
    network: `${system}--net`,
    image: config.image,
    env: { ...config.env, STORE_HOST: module, STORE_PORT: String(port?.port ?? 0) },
  };
}

async function inspectJson(args: readonly string[]): Promise<unknown> {
  const r = await runProcess(dockerBinary(), args, { timeoutMs: 30_000 });
  if (r.code !== 0) return undefined;
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch {
    return undefined;
  }
}

function moduleType(specText: string, module: string): string | undefined {
  const value = parseSpec({ path: 'spec', text: specText }).value?.value as { modules?: unknown } | undefined;
  const modules = value?.modules;
  if (modules === null || typeof modules !== 'object' || !Object.prototype.hasOwnProperty.call(modules, module)) return undefined;
  const m = (modules as Record<string, unknown>)[module] as { type?: unknown } | null;
  return m && typeof m.type === 'string' ? m.type : undefined;
}

function parseConfig(json: unknown): { image: string; env: Record<string, string>; labels: Record<string, string> } | undefined {
  const c = (json ?? {}) as { Image?: unknown; Env?: unknown; Labels?: unknown };
  if (typeof c.Image !== 'string' || !Array.isArray(c.Env)) return undefined;
  const env: Record<string, string> = {};
  for (const line of c.Env) {
    if (typeof line !== 'string') continue;
    const at = line.indexOf('=');
    // The image's own variables (PATH, …) come with the image again.
    if (at > 0 && !IMAGE_ENV.has(line.slice(0, at))) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return { image: c.Image, env, labels: (c.Labels ?? {}) as Record<string, string> };
}

const IMAGE_ENV = new Set(['PATH', 'HOME', 'HOSTNAME', 'LANG', 'TERM']);

/** Finished dumps of the module in its backup volume, newest first (names carry a UTC timestamp). */
async function listBackups(l: Located): Promise<{ backups: BackupFile[] } | { diagnostics: Diagnostic[] }> {
  const script = `cd ${BACKUP_DIR} && for f in *; do [ -f "$f" ] && stat -c '%n/%s/%Y' -- "$f"; done; exit 0`;
  const r = await runProcess(dockerBinary(), ['run', '--rm', '--pull', 'never', '--network', 'none', '-v', `${l.volume}:${BACKUP_DIR}:ro`, '--entrypoint', '/bin/sh', l.image, '-c', script], { timeoutMs: 60_000 });
  if (r.code !== 0) return { diagnostics: [diagnostic('ERR_ENGINE_RESTORE_FAILED', { backup: l.volume, module: l.module, reason: printable(lastLines(r.stderr) || 'cannot list the backup volume') })] };
  const pattern = /^([a-z0-9-]+)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.(.+)$/;
  const backups: BackupFile[] = [];
  for (const line of r.stdout.split('\n')) {
    const [name, size, mtime] = line.split('/');
    const m = name ? pattern.exec(name) : null;
    if (!m || m[8] !== l.commands.extension || !name) continue;
    backups.push({ name, size: Number(size), time: new Date(Number(mtime) * 1000).toISOString() });
  }
  return { backups: backups.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)) };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

/** Values of the store's secret-looking variables never reach a message. */
function redact(text: string, env: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [k, v] of Object.entries(env)) if (/PASS|SECRET|TOKEN|KEY/.test(k) && v.length > 0) out = out.split(v).join('***');
  return out;
}
