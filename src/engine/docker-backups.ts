/**
 * Backups of the docker family's engines (compose and pulumi name the backup resources alike):
 * find a stateful module's backup volume and store container, list the dumps in the volume, and
 * restore one by running the engine's restore argv in a one-off container of the store's image on
 * the system network, with the backup volume mounted read-only and the environment the store's
 * container runs with plus STORE_HOST / STORE_PORT, as the backup container has it (passwords
 * reach the docker CLI through its environment, never argv or a file).
 * Codes: ERR_STATE_BACKUPS_NOT_ENABLED, ERR_ENGINE_RESTORE_FAILED, ERR_PREREQ_DOCKER.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { backupNames, BACKUP_DIR } from '../targets/docker-family/backup.js';
import { checkDocker, dockerBinary } from './docker-cli.js';
import type { BackupFile, BackupLocation, BackupQuery, BackupStore } from './engine.js';
import { runProcess } from './run-process.js';

export const dockerBackups: BackupStore = {
  async locate(q: BackupQuery): Promise<BackupLocation | { diagnostics: Diagnostic[] }> {
    const docker = await checkDocker();
    if (docker) return { diagnostics: [docker] };
    const volume = backupNames.volume(q.system, q.module);
    const labels = await inspectJson(['volume', 'inspect', '--format', '{{json .Labels}}', volume]);
    if (!labels || (labels as Record<string, unknown>)['aninfra.system'] !== q.system) {
      return { diagnostics: [diagnostic('ERR_STATE_BACKUPS_NOT_ENABLED', { module: printable(q.module), reason: `the system has no backup volume ${volume}: add \`backup: { schedule, retain }\` to its \`with:\` and apply` })] };
    }
    const container = `${q.system}--${q.module}`;
    const config = parseConfig(await inspectJson(['container', 'inspect', '--format', '{{json .Config}}', container]));
    if (!config || config.labels['aninfra.system'] !== q.system) {
      return { diagnostics: [diagnostic('ERR_ENGINE_RESTORE_FAILED', { backup: volume, module: printable(q.module), reason: `the module's container ${container} does not exist: apply the system first` })] };
    }
    return { system: q.system, module: q.module, extension: q.extension, volume, network: `${q.system}--net`, image: config.image, env: { ...config.env, STORE_HOST: q.module, STORE_PORT: String(q.port) } };
  },

  /** Finished dumps of the module in its backup volume, newest first (names carry a UTC timestamp). */
  async list(l: BackupLocation): Promise<{ backups: BackupFile[] } | { diagnostics: Diagnostic[] }> {
    const script = `cd ${BACKUP_DIR} && for f in *; do [ -f "$f" ] && stat -c '%n/%s/%Y' -- "$f"; done; exit 0`;
    const r = await runProcess(dockerBinary(), ['run', '--rm', '--pull', 'never', '--network', 'none', '-v', `${l.volume}:${BACKUP_DIR}:ro`, '--entrypoint', '/bin/sh', l.image, '-c', script], { timeoutMs: 60_000 });
    if (r.code !== 0) return { diagnostics: [diagnostic('ERR_ENGINE_RESTORE_FAILED', { backup: l.volume, module: l.module, reason: printable(lastLines(r.stderr) || 'cannot list the backup volume') })] };
    const pattern = /^([a-z0-9-]+)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.(.+)$/;
    const backups: BackupFile[] = [];
    for (const line of r.stdout.split('\n')) {
      const [name, size, mtime] = line.split('/');
      const m = name ? pattern.exec(name) : null;
      if (!m || m[8] !== l.extension || !name) continue;
      backups.push({ name, size: Number(size), time: new Date(Number(mtime) * 1000).toISOString() });
    }
    return { backups: backups.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)) };
  },

  async restore(l, backup, restore, o) {
    const env = { ...l.env, BACKUP_FILE: backup };
    const args = [
      'run', '--rm', '--pull', 'never',
      '--name', `${l.system}--${l.module}--restore`,
      '--label', `aninfra.system=${l.system}`, '--label', `aninfra.module=${l.module}`, '--label', 'aninfra.rule=restore',
      '--network', l.network,
      '-v', `${l.volume}:${BACKUP_DIR}:ro`,
      ...Object.keys(env).sort().flatMap((k) => ['-e', k]),
      '--entrypoint', '/bin/sh', l.image,
      '-c', `exec "$@" < "${BACKUP_DIR}/$BACKUP_FILE"`, 'aninfra-restore', ...restore,
    ];
    const r = await runProcess(dockerBinary(), args, {
      env: { ...process.env, ...env },
      timeoutMs: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.onChild ? { onChild: o.onChild } : {}),
    });
    if (r.code === 0) return { ok: true };
    return { ok: false, reason: redact(lastLines(r.stderr || r.stdout) || `exit ${String(r.code ?? r.signal)}`, l.env) };
  },
};

async function inspectJson(args: readonly string[]): Promise<unknown> {
  const r = await runProcess(dockerBinary(), args, { timeoutMs: 30_000 });
  if (r.code !== 0) return undefined;
  try {
    return JSON.parse(r.stdout) as unknown;
  } catch {
    return undefined;
  }
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

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

/** Values of the store's secret-looking variables never reach a message. */
function redact(text: string, env: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [k, v] of Object.entries(env)) if (/PASS|SECRET|TOKEN|KEY/.test(k) && v.length > 0) out = out.split(v).join('***');
  return out;
}
