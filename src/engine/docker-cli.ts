/**
 * The Docker CLI as the engines see it: is it there, is the daemon up, which Compose to drive (the
 * `docker compose` plugin, release line 2 and later — 2.40 was followed by 5 — or the Python
 * `docker-compose` v1; ANINFRA_COMPOSE=plugin|v1|auto chooses), and what runs now. Containers are
 * found by aninfra labels and read with `docker inspect`, whose output and labels are the same for
 * both CLIs; the CLIs differ in container names (`project-service-1` vs `project_service_1`), which
 * nothing here relies on.
 * Codes: ERR_PREREQ_DOCKER, ERR_PREREQ_COMPOSE, ERR_PREREQ_COMPOSE_CHOICE.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runProcess } from './run-process.js';

export interface ComposeCommand {
  /** 'v2': the `docker compose` plugin, any release from 2 on (5.6.0 is one); 'v1': `docker-compose`. */
  readonly flavour: 'v2' | 'v1';
  readonly command: string;
  /** Arguments before the compose subcommand: ['compose'] for the plugin, [] for v1. */
  readonly prefix: readonly string[];
  /** The plugin's version without a leading `v` ('5.6.0'); 'v1' for docker-compose, which is not run to ask. */
  readonly version: string;
}

/** Which Compose ANINFRA_COMPOSE asks for: the plugin, v1, or auto (the plugin when present, else v1). */
export type ComposeChoice = 'plugin' | 'v1' | 'auto';

export interface ComposeVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As printed, without a leading `v`: '5.6.0', '2.40.3-desktop.1'. */
  readonly text: string;
}

export interface LiveContainer {
  readonly id: string;
  readonly name: string;
  readonly module: string;
  /** IR container name (label `aninfra.container`, else the Compose service, else the name without the `<system>--` prefix). */
  readonly service: string;
  readonly image: string;
  /** The id of the image it runs (`sha256:…`), whatever name it was created with. */
  readonly imageId?: string;
  readonly state: string;
  readonly health: 'healthy' | 'unhealthy' | 'starting' | 'none';
  readonly exitCode: number;
  readonly ports: readonly { readonly hostIp: string; readonly hostPort: number; readonly containerPort: number }[];
  readonly env: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly networks: readonly string[];
  readonly healthTest: readonly string[];
  readonly startedAt: string;
  /** How often Docker restarted it under its restart policy: above 0, it exited at least once. */
  readonly restartCount: number;
}

export function dockerBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.ANINFRA_DOCKER ?? 'docker';
}

export async function checkDocker(env: NodeJS.ProcessEnv = process.env): Promise<Diagnostic | undefined> {
  const r = await runProcess(dockerBinary(env), ['info', '--format', '{{.ServerVersion}}'], { env, timeoutMs: 20_000 });
  if (r.spawnError) return diagnostic('ERR_PREREQ_DOCKER', { reason: `the docker CLI is not installed (${r.spawnError.code ?? 'spawn failed'})` }, { hint: 'install Docker: apt-get install docker.io, or https://docs.docker.com/engine/install/' });
  if (r.code !== 0) return diagnostic('ERR_PREREQ_DOCKER', { reason: `the daemon does not answer: ${firstLine(r.stderr) || `exit ${String(r.code)}`}` }, { hint: 'start the Docker daemon (systemctl start docker) and check `docker info`' });
  return undefined;
}

export function composeChoice(env: NodeJS.ProcessEnv = process.env): ComposeChoice | Diagnostic {
  const value = env.ANINFRA_COMPOSE;
  if (value === undefined || value === '') return 'auto';
  if (value === 'plugin' || value === 'v1' || value === 'auto') return value;
  return diagnostic('ERR_PREREQ_COMPOSE_CHOICE', { value: printable(value.slice(0, 80)) });
}

/**
 * A Compose version as `docker compose version --short` (`5.6.0`, `v2.40.3`, `2.40.3-desktop.1`)
 * or `docker compose version` (`Docker Compose version v5.6.0`) print it; undefined for anything else.
 */
export function parseComposeVersion(output: string): ComposeVersion | undefined {
  const m = /^(?:docker compose version )?v?(\d+)\.(\d+)\.(\d+)([-+][0-9A-Za-z.+-]*)?(?:,|\s|$)/i.exec(output.trim().split('\n')[0]?.trim() ?? '');
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), text: `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ''}` };
}

/** The plugin line starts at 2 (2.x, then 5.x after 2.40; later majors too); 1.x is not the plugin. */
export function isPluginLine(version: ComposeVersion): boolean {
  return version.major >= 2;
}

export async function detectCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeCommand | Diagnostic> {
  const choice = composeChoice(env);
  if (typeof choice !== 'string') return choice;
  const docker = dockerBinary(env);
  if (choice !== 'v1') {
    const r = await runProcess(docker, ['compose', 'version', '--short'], { env, timeoutMs: 20_000 });
    const version = r.code === 0 ? parseComposeVersion(r.stdout) : undefined;
    if (version && isPluginLine(version)) return { flavour: 'v2', command: docker, prefix: ['compose'], version: version.text };
    if (choice === 'plugin') {
      const why = version ? `it is ${version.text}, not the plugin line (2 or later)` : r.spawnError ? 'the docker CLI could not run' : `\`docker compose version --short\` answered: ${firstLine(r.stderr || r.stdout) || `exit ${String(r.code)}`}`;
      return diagnostic('ERR_PREREQ_COMPOSE', { reason: `ANINFRA_COMPOSE=plugin but there is no \`docker compose\` plugin (${printable(why)})` }, { hint: 'install the Docker Compose plugin, or set ANINFRA_COMPOSE=v1 (or auto)' });
    }
  }
  // Starting Compose v1 (Python) costs most of a second, so find it on PATH instead of running it.
  const v1 = onPath('docker-compose', env);
  if (v1) return { flavour: 'v1', command: v1, prefix: [], version: 'v1' };
  return choice === 'v1'
    ? diagnostic('ERR_PREREQ_COMPOSE', { reason: 'ANINFRA_COMPOSE=v1 but `docker-compose` is not on PATH' }, { hint: 'apt-get install docker-compose, or set ANINFRA_COMPOSE=plugin (or auto) to use the Docker Compose plugin' })
    : diagnostic('ERR_PREREQ_COMPOSE', { reason: 'neither the `docker compose` plugin nor `docker-compose` is installed' }, { hint: 'apt-get install docker-compose, or install the Docker Compose plugin' });
}

export async function imageExists(ref: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const r = await runProcess(dockerBinary(env), ['image', 'inspect', '--format', '{{.Id}}', ref], { env, timeoutMs: 20_000 });
  return r.code === 0;
}

/** Every container labelled as part of this system, whatever engine made it. */
export async function liveContainers(system: string, env: NodeJS.ProcessEnv = process.env): Promise<LiveContainer[]> {
  const docker = dockerBinary(env);
  const ids = await runProcess(docker, ['ps', '-a', '-q', '--no-trunc', '--filter', `label=aninfra.system=${system}`], { env, timeoutMs: 30_000 });
  const list = ids.stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return [];
  const r = await runProcess(docker, ['inspect', ...list], { env, timeoutMs: 30_000 });
  if (r.code !== 0) return [];
  return parseInspect(r.stdout);
}

/** `docker inspect` output → containers, sorted by service then name; the same for either Compose CLI. */
export function parseInspect(stdout: string): LiveContainer[] {
  const raw = JSON.parse(stdout) as InspectRecord[];
  return raw.map(toLive).sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}

interface InspectRecord {
  Id: string;
  Image?: string;
  RestartCount?: number;
  Name: string;
  Config: { Image: string; Env?: string[]; Labels?: Record<string, string>; Healthcheck?: { Test?: string[] } };
  State: { Status: string; ExitCode: number; StartedAt: string; Health?: { Status: string } };
  NetworkSettings: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null>; Networks?: Record<string, unknown> };
}

function toLive(c: InspectRecord): LiveContainer {
  const labels = c.Config.Labels ?? {};
  const ports: LiveContainer['ports'][number][] = [];
  for (const [key, bindings] of Object.entries(c.NetworkSettings.Ports ?? {})) {
    for (const b of bindings ?? []) ports.push({ hostIp: b.HostIp, hostPort: Number(b.HostPort), containerPort: Number(key.split('/')[0]) });
  }
  const health = c.State.Health?.Status;
  return {
    id: c.Id,
    name: c.Name.replace(/^\//, ''),
    module: labels['aninfra.module'] ?? '',
    service: labels['aninfra.container'] ?? labels['com.docker.compose.service'] ?? c.Name.replace(/^\//, '').replace(new RegExp(`^${escapeRegExp(labels['aninfra.system'] ?? '')}--`), ''),
    image: c.Config.Image,
    ...(c.Image ? { imageId: c.Image } : {}),
    state: c.State.Status,
    health: health === 'healthy' || health === 'unhealthy' || health === 'starting' ? health : 'none',
    exitCode: c.State.ExitCode,
    ports: ports.sort((a, b) => a.hostPort - b.hostPort),
    env: c.Config.Env ?? [],
    labels,
    networks: Object.keys(c.NetworkSettings.Networks ?? {}).sort(),
    healthTest: c.Config.Healthcheck?.Test ?? [],
    startedAt: c.State.StartedAt,
    restartCount: c.RestartCount ?? 0,
  };
}

export async function logTail(containerId: string, lines: number, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const r = await runProcess(dockerBinary(env), ['logs', '--tail', String(lines), containerId], { env, timeoutMs: 20_000 });
  return `${r.stdout}${r.stderr}`.trim().slice(-4000);
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0] ?? '';
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * A container of the model is settled: a task (runsToCompletion) once it exited 0, any other as
 * `settled` says. Status, the apply's wait and the no-op check all ask this.
 */
export function containerSettled(live: LiveContainer | undefined, c: { readonly healthcheck?: unknown; readonly runsToCompletion?: boolean }): boolean {
  if (c.runsToCompletion) return taskSucceeded(live);
  return settled(live, !!c.healthcheck);
}

/** A run-to-completion container exited with status 0 (and was never restarted). */
export function taskSucceeded(live: LiveContainer | undefined): boolean {
  return !!live && live.state === 'exited' && live.exitCode === 0 && live.restartCount === 0;
}

/** A container is settled when it runs and is healthy (or runs without a health check to wait for). */
export function settled(live: LiveContainer | undefined, hasHealthcheck: boolean): boolean {
  return !!live && live.state === 'running' && (live.health === 'healthy' || (live.health === 'none' && !hasHealthcheck));
}
