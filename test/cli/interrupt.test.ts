/**
 * Interrupting an apply, without Docker: a fake `docker` (ANINFRA_DOCKER) whose `compose up` hangs
 * (or finishes) stands in for the engine. SIGINT, SIGTERM and SIGHUP all abort the same way (exit 3,
 * revision `interrupted`, lock released, the child and its descendants stopped); a closed stdout or
 * stderr (EPIPE) never changes the exit code or cuts the operation short; after kill -9 the next
 * command takes the lock over, stops the recorded children and settles the revision.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statePaths } from '../../src/state/paths.js';
import { BIN, ensureBuilt } from './cli.js';

const SYSTEM = 'interrupt-probe';
const SPEC = `apiVersion: aninfra/v1
kind: System
metadata:
  name: ${SYSTEM}
target: compose
modules:
  cache:
    type: redis
    version: "7"
`;

// FAKE_UP: hang (up never ends), ok (up ends after a moment, the container is then healthy), fail.
const FAKE_DOCKER = `#!/bin/bash
d="$FAKE_DIR"
case "$1 $2" in
  "info "*) echo 20.10.24; exit 0 ;;
  "compose version") echo 2.20.0; exit 0 ;;
  "image inspect") echo sha256:1; exit 0 ;;
  "ps -a") [ -e "$d/up.done" ] && echo c1; exit 0 ;;
  "inspect c1") cat "$d/inspect.json"; exit 0 ;;
  # The live check asks for the network and volumes by name: they exist once up has run.
  "network inspect"|"volume inspect") [ -e "$d/up.done" ] || exit 1; shift 2; [ "$1" = --format ] && shift 2; printf '%s\n' "$@"; exit 0 ;;
esac
if [ "$1" = compose ] && [[ " $* " == *" down "* ]]; then
  echo $$ > "$d/down.pid"
  [ "$FAKE_DOWN" = hang ] && { sleep 300 & echo $! > "$d/down-sleep.pid"; wait; }
  exit 0
fi
if [ "$1" = compose ] && [[ " $* " == *" up "* ]]; then
  echo $$ > "$d/up.pid"
  echo up >> "$d/up.log"
  echo "Container ${SYSTEM}-cache-1 Creating" >&2
  case "$FAKE_UP" in
    hang) sleep 300 & echo $! > "$d/sleep.pid"; wait ;;
    # The container gets the environment Compose resolves (the live check compares it with the model).
    ok) sleep 1; sed -i "s/__SECRET__/$ANINFRA_SECRET_CACHE_PASSWORD/" "$d/inspect.json"; touch "$d/up.done"; exit 0 ;;
    *) exit 1 ;;
  esac
fi
exit 0
`;

const INSPECT = JSON.stringify([
  {
    Id: 'c1',
    Name: `/${SYSTEM}-cache-1`,
    Config: { Image: 'redis:7', Env: ['REDIS_PASSWORD=__SECRET__'], Labels: { 'aninfra.system': SYSTEM, 'aninfra.module': 'cache', 'com.docker.compose.service': 'cache' }, Healthcheck: { Test: ['CMD-SHELL', 'true'] } },
    State: { Status: 'running', ExitCode: 0, StartedAt: '2026-01-01T00:00:00Z', Health: { Status: 'healthy' } },
    NetworkSettings: { Ports: {}, Networks: { [`${SYSTEM}-net`]: {} } },
  },
]);

interface Started {
  readonly child: ReturnType<typeof spawn>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

const dirs: string[] = [];
const cleanups: (() => void)[] = [];

function workspace(): { dir: string; spec: string; fake: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-interrupt-'));
  dirs.push(dir);
  const fake = join(dir, 'fake');
  mkdirSync(fake);
  writeFileSync(join(fake, 'docker'), FAKE_DOCKER);
  chmodSync(join(fake, 'docker'), 0o755);
  writeFileSync(join(fake, 'inspect.json'), INSPECT);
  const spec = join(dir, 'aninfra.yaml');
  writeFileSync(spec, SPEC);
  return { dir, spec, fake };
}

function fakeEnv(w: { dir: string; fake: string }, up: 'hang' | 'ok' | 'fail'): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', ANINFRA_DOCKER: join(w.fake, 'docker'), ANINFRA_COMPOSE: 'plugin', FAKE_DIR: w.fake, FAKE_UP: up, XDG_CONFIG_HOME: join(w.dir, 'config') };
}

function runSync(w: { dir: string; fake: string }, args: string[], up: 'hang' | 'ok' | 'fail' = 'ok'): { code: number | null; json: Record<string, unknown>; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--json'], { cwd: w.dir, env: fakeEnv(w, up), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, json: JSON.parse(r.stdout || '{}') as Record<string, unknown>, stderr: r.stderr };
}

function startApply(w: { dir: string; spec: string; fake: string }, up: 'hang' | 'ok' | 'fail', extra: string[] = []): Started {
  const child = spawn(process.execPath, [BIN, 'apply', w.spec, '--json', '--timeout', '3', ...extra], {
    cwd: w.dir,
    env: fakeEnv(w, up),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.on('error', () => undefined);
  child.stderr?.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, exited, stdout: () => out, stderr: () => err };
}

async function until(check: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

function revisions(spec: string): { revision: number; status: string }[] {
  const journal = statePaths(spec, SYSTEM).journal;
  if (!existsSync(journal)) return [];
  return readdirSync(journal)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(journal, f), 'utf8')) as { revision: number; status: string });
}

beforeAll(() => ensureBuilt());
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
  for (const pidFile of dirs.flatMap((d) => ['up.pid', 'sleep.pid', 'down.pid', 'down-sleep.pid'].map((f) => join(d, 'fake', f)))) {
    if (!existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('interrupting apply', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s aborts: exit 3, revision interrupted, lock released, children stopped', async (signal) => {
    const w = workspace();
    const run = startApply(w, 'hang');
    await until(() => existsSync(join(w.fake, 'sleep.pid')));
    const upPid = Number(readFileSync(join(w.fake, 'up.pid'), 'utf8'));
    const sleepPid = Number(readFileSync(join(w.fake, 'sleep.pid'), 'utf8'));
    run.child.kill(signal);
    const exit = await run.exited;
    expect(exit, run.stderr()).toEqual({ code: 3, signal: null });
    const doc = JSON.parse(run.stdout()) as { status: string; diagnostics: { code: string }[] };
    expect(doc.status).toBe('interrupted');
    expect(doc.diagnostics.map((d) => d.code)).toContain('ERR_ENGINE_INTERRUPTED');
    expect(revisions(w.spec).map((r) => r.status)).toEqual(['interrupted']);
    expect(existsSync(statePaths(w.spec, SYSTEM).lock)).toBe(false);
    await until(() => !alive(upPid) && !alive(sleepPid), 5_000);
  });

  it('a second signal while stopping changes nothing', async () => {
    const w = workspace();
    const run = startApply(w, 'hang');
    await until(() => existsSync(join(w.fake, 'sleep.pid')));
    run.child.kill('SIGTERM');
    run.child.kill('SIGHUP');
    run.child.kill('SIGINT');
    const exit = await run.exited;
    expect(exit.code, run.stderr()).toBe(3);
    expect(revisions(w.spec).map((r) => r.status)).toEqual(['interrupted']);
    expect(existsSync(statePaths(w.spec, SYSTEM).lock)).toBe(false);
  });
});

describe('the apply after an interrupted one', () => {
  it('runs the engine even when the plan against the journal has no changes', async () => {
    const w = workspace();
    const ups = (): number => (existsSync(join(w.fake, 'up.log')) ? readFileSync(join(w.fake, 'up.log'), 'utf8').split('\n').filter(Boolean).length : 0);
    expect(runSync(w, ['apply', w.spec, '--timeout', '10'], 'ok').code).toBe(0);
    // Spec B is interrupted while Compose applies it, then the spec goes back to A.
    writeFileSync(w.spec, SPEC.replace('version: "7"', 'version: "7"\n    env:\n      PROBE: b'));
    const run = startApply(w, 'hang');
    await until(() => existsSync(join(w.fake, 'sleep.pid')));
    run.child.kill('SIGTERM');
    expect((await run.exited).code, run.stdout()).toBe(3);
    writeFileSync(w.spec, SPEC);
    const before = ups();
    const next = runSync(w, ['apply', w.spec, '--timeout', '10'], 'ok');
    expect(next.code, next.stderr).toBe(0);
    expect(ups()).toBe(before + 1);
    // Once a revision is applied again, the fast path is back.
    const again = runSync(w, ['apply', w.spec, '--timeout', '10'], 'ok');
    expect(again.code, again.stderr).toBe(0);
    expect(ups()).toBe(before + 1);
  });
});

describe('interrupting destroy', () => {
  it('SIGHUP during compose down: exit 3, revision interrupted, lock released, children stopped', async () => {
    const w = workspace();
    expect(runSync(w, ['apply', w.spec, '--timeout', '10'], 'ok').code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'destroy', w.spec, '--json'], { cwd: w.dir, env: { ...fakeEnv(w, 'ok'), FAKE_DOWN: 'hang' }, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => child.kill('SIGKILL'));
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', () => undefined);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await until(() => existsSync(join(w.fake, 'down-sleep.pid')));
    const leftovers = ['down.pid', 'down-sleep.pid'].map((f) => Number(readFileSync(join(w.fake, f), 'utf8')));
    child.kill('SIGHUP');
    expect(await exited).toBe(3);
    const doc = JSON.parse(stdout) as { status: string; diagnostics: { code: string }[] };
    expect(doc.status).toBe('interrupted');
    expect(doc.diagnostics.map((d) => d.code)).toContain('ERR_ENGINE_INTERRUPTED');
    expect(revisions(w.spec).map((r) => r.status)).toEqual(['applied', 'interrupted']);
    expect(existsSync(statePaths(w.spec, SYSTEM).lock)).toBe(false);
    await until(() => !leftovers.some(alive), 5_000);
  });
});

describe('after kill -9', () => {
  /** An apply killed with SIGKILL while `compose up` runs: its revision stays `applying` on disk, the lock stays. */
  async function killed(): Promise<{ w: ReturnType<typeof workspace>; leftovers: number[] }> {
    const w = workspace();
    const run = startApply(w, 'hang');
    await until(() => existsSync(join(w.fake, 'sleep.pid')));
    const leftovers = ['up.pid', 'sleep.pid'].map((f) => Number(readFileSync(join(w.fake, f), 'utf8')));
    // The lock records the child and, once the poll has seen it, its descendant.
    const lock = statePaths(w.spec, SYSTEM).lock;
    await until(() => leftovers.every((pid) => (JSON.parse(readFileSync(lock, 'utf8')) as { children?: { pid: number }[] }).children?.some((c) => c.pid === pid)));
    run.child.kill('SIGKILL');
    await run.exited;
    expect(revisions(w.spec).map((r) => r.status)).toEqual(['applying']);
    expect(leftovers.every(alive)).toBe(true);
    return { w, leftovers };
  }

  it('read-only commands show the revision as interrupted without rewriting it', async () => {
    const { w } = await killed();
    const history = runSync(w, ['history', w.spec]);
    expect(history.code, history.stderr).toBe(0);
    expect((history.json.revisions as { status: string }[]).map((r) => r.status)).toEqual(['interrupted']);
    const status = runSync(w, ['status', w.spec]);
    expect((status.json.revision as { status: string }).status).toBe('interrupted');
    expect(revisions(w.spec).map((r) => r.status)).toEqual(['applying']);
  });

  it('the next apply takes the lock over without --break-lock, stops the leftovers and settles the revision', async () => {
    const { w, leftovers } = await killed();
    const next = runSync(w, ['apply', w.spec, '--timeout', '10'], 'ok');
    expect(next.code, next.stderr).toBe(0);
    expect((next.json.diagnostics as { code: string }[]).map((d) => d.code)).toContain('WARN_STATE_LOCK_RECOVERED');
    expect(revisions(w.spec).map((r) => r.status)).toEqual(['interrupted', 'applied']);
    await until(() => !leftovers.some(alive), 10_000);
    expect(existsSync(statePaths(w.spec, SYSTEM).lock)).toBe(false);
  });

  it('destroy does the same', async () => {
    const { w, leftovers } = await killed();
    const destroyed = runSync(w, ['destroy', w.spec]);
    expect(destroyed.code, destroyed.stderr).toBe(0);
    expect((destroyed.json.diagnostics as { code: string }[]).map((d) => d.code)).toContain('WARN_STATE_LOCK_RECOVERED');
    expect(revisions(w.spec).map((r) => r.status)).toEqual(['interrupted', 'destroyed']);
    await until(() => !leftovers.some(alive), 10_000);
  });
});

describe('a closed stdout or stderr (EPIPE)', () => {
  it.each([
    ['ok', 0, 'applied'],
    ['fail', 3, 'failed'],
  ] as const)('compose up %s: the apply runs to its end and exits with its own code (%i)', async (up, code, status) => {
    const w = workspace();
    const run = startApply(w, up);
    // The reader goes away as soon as the apply has journalled its revision.
    await until(() => run.stderr().includes('"type":"revision"'));
    run.child.stdout?.destroy();
    run.child.stderr?.destroy();
    const exit = await run.exited;
    expect(exit).toEqual({ code, signal: null });
    expect(revisions(w.spec).map((r) => r.status)).toEqual([status]);
    expect(existsSync(statePaths(w.spec, SYSTEM).lock)).toBe(false);
  });

  it('validate keeps its exit code when stdout is closed before the document is written', async () => {
    const w = workspace();
    writeFileSync(w.spec, SPEC.replace('type: redis', 'type: no-such-module'));
    const child = spawn(process.execPath, [BIN, 'validate', w.spec, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    child.stderr.on('data', () => undefined);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(1);
  });
});
