/**
 * The Docker CLI as the engines see it: is it there, is the daemon up, which Compose is installed
 * (v2 `docker compose` or v1 `docker-compose`), and what runs now (containers by aninfra labels).
 * Codes: ERR_PREREQ_DOCKER, ERR_PREREQ_COMPOSE.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runProcess } from './run-process.js';

export interface ComposeCommand {
  readonly flavour: 'v2' | 'v1';
  readonly command: string;
  /** Arguments before the compose subcommand: ['compose'] for v2, [] for v1. */
  readonly prefix: readonly string[];
  readonly version: string;
}

export interface LiveContainer {
  readonly id: string;
  readonly name: string;
  readonly module: string;
  /** IR container name (label `aninfra.container`, else the Compose service, else the name without the system prefix). */
  readonly service: string;
  readonly image: string;
  readonly state: string;
  readonly health: 'healthy' | 'unhealthy' | 'starting' | 'none';
  readonly exitCode: number;
  readonly ports: readonly { readonly hostIp: string; readonly hostPort: number; readonly containerPort: number }[];
  readonly env: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly networks: readonly string[];
  readonly healthTest: readonly string[];
  readonly startedAt: string;
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

export async function detectCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeCommand | Diagnostic> {
  const docker = dockerBinary(env);
  if (env.ANINFRA_COMPOSE !== 'v1') {
    const v2 = await runProcess(docker, ['compose', 'version', '--short'], { env, timeoutMs: 20_000 });
    if (v2.code === 0) return { flavour: 'v2', command: docker, prefix: ['compose'], version: v2.stdout.trim() };
  }
  // Starting Compose v1 (Python) costs most of a second, so find it on PATH instead of running it.
  const v1 = onPath('docker-compose', env);
  if (v1) return { flavour: 'v1', command: v1, prefix: [], version: 'v1' };
  return diagnostic('ERR_PREREQ_COMPOSE', {}, { hint: 'apt-get install docker-compose, or install the Docker Compose plugin' });
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
  const raw = JSON.parse(r.stdout) as InspectRecord[];
  return raw.map(toLive).sort((a, b) => a.service.localeCompare(b.service) || a.name.localeCompare(b.name));
}

interface InspectRecord {
  Id: string;
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
    service: labels['aninfra.container'] ?? labels['com.docker.compose.service'] ?? c.Name.replace(/^\//, '').replace(new RegExp(`^${escapeRegExp(labels['aninfra.system'] ?? '')}-`), ''),
    image: c.Config.Image,
    state: c.State.Status,
    health: health === 'healthy' || health === 'unhealthy' || health === 'starting' ? health : 'none',
    exitCode: c.State.ExitCode,
    ports: ports.sort((a, b) => a.hostPort - b.hostPort),
    env: c.Config.Env ?? [],
    labels,
    networks: Object.keys(c.NetworkSettings.Networks ?? {}).sort(),
    healthTest: c.Config.Healthcheck?.Test ?? [],
    startedAt: c.State.StartedAt,
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

/** A container is settled when it runs and is healthy (or runs without a health check to wait for). */
export function settled(live: LiveContainer | undefined, hasHealthcheck: boolean): boolean {
  return !!live && live.state === 'running' && (live.health === 'healthy' || (live.health === 'none' && !hasHealthcheck));
}
