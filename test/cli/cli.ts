/**
 * Running the built CLI (`node dist/bin/aninfra.js`) as a user would. `ensureBuilt()` rebuilds
 * dist/ only when a source file is newer than it, under a lock so parallel test files build once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'bin', 'aninfra.js');
const LOCK = join(tmpdir(), `aninfra-build-${ROOT.replace(/[^A-Za-z0-9]/g, '_')}.lock`);

function newestSource(): number {
  let newest = 0;
  for (const dir of ['src', 'bin']) {
    for (const f of readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (f.endsWith('.ts')) newest = Math.max(newest, statSync(join(ROOT, dir, f)).mtimeMs);
    }
  }
  return newest;
}

const stale = (): boolean => !existsSync(BIN) || statSync(BIN).mtimeMs < newestSource();

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Build dist/ when it is older than src/ or bin/. Type errors elsewhere do not stop tsc emitting. */
export function ensureBuilt(): void {
  if (!stale()) return;
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`could not take the build lock ${LOCK}`);
      sleep(200);
    }
  }
  try {
    if (stale()) {
      spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'ignore' });
      spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-validators.mjs')], { cwd: ROOT, stdio: 'ignore' });
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  if (!existsSync(BIN)) throw new Error('the build produced no dist/bin/aninfra.js');
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the CLI; stdout is a pipe (not a TTY) and colour-forcing variables are removed unless given. */
export function aninfra(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Run {
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** stdout parsed as the one JSON document it must be; throws (failing the test) otherwise. */
export function json(r: Run): Record<string, unknown> {
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Lines that look like a JavaScript stack frame. */
export const STACK = /^\s+at .+(\(|:\d+:\d+)/m;
// eslint-disable-next-line no-control-regex
export const ANSI = /\u001b\[/;

export const EXAMPLES = join(ROOT, 'specs', 'examples');
export const examples = (): string[] => readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml')).sort();
