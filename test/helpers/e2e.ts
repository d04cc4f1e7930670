/**
 * Shared by the end-to-end tests: run the real CLI, decide whether Docker tests run, and clean up
 * everything a system left behind (by aninfra labels and names), also when a test fails.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'bin', 'aninfra.js');
export const LOCAL_IMAGES = join(ROOT, 'specs', 'local-images.yaml');

export function dockerUp(): boolean {
  return spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
}

/**
 * Whether Docker end-to-end tests run: always when ANINFRA_E2E=required (and then a missing
 * daemon fails the suite instead of skipping it), otherwise when a daemon answers.
 */
export function e2eEnabled(): boolean {
  if (process.env.ANINFRA_E2E === 'required') {
    if (!dockerUp()) throw new Error('ANINFRA_E2E=required but the Docker daemon does not answer (run ../shared/docker/bootstrap.sh)');
    return true;
  }
  return process.env.ANINFRA_E2E !== 'off' && dockerUp();
}

export type ComposeCli = 'plugin' | 'v1';

/** How `apply --json` names the engine for each CLI (`engine`, as status and history report it). */
export const COMPOSE_TOOL: Readonly<Record<ComposeCli, RegExp>> = { plugin: /^docker compose \d+\.\d+\.\d+/, v1: /^docker-compose \(v1\)$/ };

/**
 * The Compose CLIs the compose suites run with, each once (ANINFRA_COMPOSE=<cli> for every command):
 * the `docker compose` plugin (release 2 or later) and `docker-compose` v1. Both are required when
 * ANINFRA_E2E=required (CI); otherwise the suites run with those installed.
 */
export function composeClis(): ComposeCli[] {
  const plugin = spawnSync('docker', ['compose', 'version', '--short'], { encoding: 'utf8', timeout: 20_000 });
  const major = /^v?(\d+)\./.exec(plugin.stdout?.trim() ?? '')?.[1];
  const hasPlugin = plugin.status === 0 && Number(major) >= 2;
  const hasV1 = spawnSync('docker-compose', ['version', '--short'], { stdio: 'ignore', timeout: 30_000 }).status === 0;
  if (process.env.ANINFRA_E2E === 'required' && !(hasPlugin && hasV1)) {
    throw new Error(`ANINFRA_E2E=required but ${hasPlugin ? '' : 'the `docker compose` plugin (>= 2) '}${hasPlugin || hasV1 ? '' : 'and '}${hasV1 ? '' : '`docker-compose` v1 '}is missing (run ../shared/docker/bootstrap.sh)`);
  }
  return [...(hasPlugin ? (['plugin'] as const) : []), ...(hasV1 ? (['v1'] as const) : [])];
}

export interface CliResult {
  readonly code: number;
  readonly json: Record<string, unknown>;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let json: Record<string, unknown> = {};
      if (args.includes('--json')) {
        try {
          json = JSON.parse(stdout) as Record<string, unknown>;
        } catch {
          reject(new Error(`stdout is not one JSON document:\n${stdout}\nstderr:\n${stderr}`));
          return;
        }
      }
      resolve({ code: code ?? -1, json, stdout, stderr });
    });
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Copies the notes example into a temp dir with its own system name and gateway port. */
export function notesWorkspace(system: string, port: number, target: 'compose' | 'docker'): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
  cpSync(join(ROOT, 'specs', 'examples', 'notes'), join(dir, 'notes'), { recursive: true });
  const text = readFileSync(join(ROOT, 'specs', 'examples', 'notes.yaml'), 'utf8')
    .replace(/^  name: notes$/m, `  name: ${system}`)
    .replace(/^target: compose$/m, `target: ${target}`)
    .replace('port: 18080', `port: ${port}`);
  const spec = join(dir, 'aninfra.yaml');
  writeFileSync(spec, text);
  return { dir, spec };
}

export function editSpec(spec: string, edit: (text: string) => string): void {
  writeFileSync(spec, edit(readFileSync(spec, 'utf8')));
}

/**
 * Removes every container, network, volume and built image of a system, whatever state a test left:
 * by the `aninfra.system` label every resource carries, and by the generated names
 * (`<system>--net`, `<system>--<module>--data`, `<system>--<module>:<hash>`) for anything unlabelled.
 */
export function purgeSystem(system: string): void {
  const run = (args: string[]): string => {
    try {
      return execFileSync('docker', args, { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return '';
    }
  };
  const ids = (...lists: string[][]): string[] => [...new Set(lists.flatMap((args) => run(args).split('\n').filter(Boolean)))];
  const label = `label=aninfra.system=${system}`;
  const containers = ids(['ps', '-aq', '--filter', label], ['ps', '-aq', '--filter', `name=^/?${system}--`]);
  if (containers.length > 0) run(['rm', '-f', '-v', ...containers]);
  const networks = ids(['network', 'ls', '-q', '--filter', label], ['network', 'ls', '-q', '--filter', `name=^${system}--net$`]);
  if (networks.length > 0) run(['network', 'rm', ...networks]);
  const volumes = ids(['volume', 'ls', '-q', '--filter', label], ['volume', 'ls', '-q', '--filter', `name=^${system}--`]);
  if (volumes.length > 0) run(['volume', 'rm', '-f', ...volumes]);
  const images = ids(['images', '-q', '--filter', label], ['images', '-q', '--filter', `reference=${system}--*`]);
  if (images.length > 0) run(['rmi', '-f', ...images]);
}

export function dockerLines(args: string[]): string[] {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', timeout: 60_000 }).split('\n').map((s) => s.trim()).filter(Boolean);
  } catch {
    return [];
  }
}

export async function httpJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body };
}

/**
 * The bin dir of the Pulumi engine built by scripts/pulumi-engine.sh, when its cache is complete;
 * Pulumi end-to-end tests run then, and must run when ANINFRA_PULUMI_E2E=required.
 */
export function pulumiBinDir(): string | undefined {
  const script = join(ROOT, 'scripts', 'pulumi-engine.sh');
  const check = spawnSync('bash', [script, '--check'], { stdio: 'ignore', timeout: 60_000 });
  if (check.status === 0) {
    const run = spawnSync('bash', [script], { encoding: 'utf8', timeout: 60_000 });
    const dir = run.stdout.trim().split('\n').pop();
    if (run.status === 0 && dir) return dir;
  }
  if (process.env.ANINFRA_PULUMI_E2E === 'required') throw new Error('ANINFRA_PULUMI_E2E=required but scripts/pulumi-engine.sh --check finds no working Pulumi engine');
  return undefined;
}
