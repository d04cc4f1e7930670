/**
 * The fault-injection case shared by the engine suites (test/e2e/fault-injection*.e2e.test.ts):
 * start an apply, wait for a moment its progress events (`--json` on stderr) show, inject a fault
 * (kill -9, SIGTERM, SIGHUP, or EPIPE: stdout and stderr readers gone), then with the spec put back
 * to the last applied one check:
 *   (a) no revision is left `applying` once the next command ran (history, then the journal);
 *   (b) the lock is free, or taken over without --break-lock (kill -9) and the leftovers stopped;
 *   (c) `plan --detailed-exitcode` never claims "no changes" while the live system differs;
 *   (d) the next apply converges (exit 0, every module healthy);
 *   (e) `plan --detailed-exitcode` then exits 0.
 * Checks after the fault are soft (expect.soft), so one run reports every broken property.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { statePaths } from '../../src/state/paths.js';
import { CLI, cli, type CliResult, dockerLines, LOCAL_IMAGES, purgeSystem, ROOT } from './e2e.js';

export type Fault = 'kill -9' | 'SIGTERM' | 'SIGHUP' | 'EPIPE';
export const FAULTS: readonly Fault[] = ['kill -9', 'SIGTERM', 'SIGHUP', 'EPIPE'];

export interface ProgressEvent {
  readonly type: string;
  readonly module?: string;
  readonly message: string;
}

/** A tick the detector gets every 250 ms besides the events, for moments only Docker shows. */
export const TICK: ProgressEvent = { type: 'tick', message: '' };

interface Revision {
  readonly revision: number;
  readonly status: string;
}

/** One workspace of a suite: its spec, state paths, CLI env and how to write a step of the spec. */
export interface FaultWorkspace {
  readonly system: string;
  readonly dir: string;
  readonly spec: string;
  readonly paths: ReturnType<typeof statePaths>;
  readonly env: Record<string, string>;
  /** Writes the spec (and build context) with this greeting. */
  write(greeting: string): void;
  run(...args: string[]): Promise<CliResult>;
  /** Every spawned apply, so afterAll can kill what a failed case left running. */
  readonly started: ChildProcess[];
}

/**
 * A suite's workspace: a temp dir with the notes service's build context and the spec written with
 * `base`, applied once (a failed first apply throws). `extraEnv` is laid over the CLI's env
 * (the Pulumi suite puts its engine on PATH).
 */
export async function openFaultWorkspace(system: string, specText: (greeting: string) => string, base: string, extraEnv: Record<string, string> = {}): Promise<FaultWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
  const spec = join(dir, 'aninfra.yaml');
  const env = { XDG_CONFIG_HOME: join(dir, 'config'), ...extraEnv };
  const w: FaultWorkspace = {
    system,
    dir,
    spec,
    paths: statePaths(spec, system),
    env,
    started: [],
    write: (greeting) => {
      writeFileSync(spec, specText(greeting));
      writeFileSync(join(dir, 'notes-api', 'marker.txt'), `${greeting}\n`);
    },
    run: (...args) => cli(args, { cwd: dir, env, timeoutMs: 240_000 }),
  };
  purgeSystem(system);
  cpSync(join(ROOT, 'specs', 'examples', 'notes', 'notes-api'), join(dir, 'notes-api'), { recursive: true });
  w.write(base);
  const r = await w.run('apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '90');
  if (r.code !== 0) {
    // The suite never gets the workspace, so it is cleaned up here.
    await closeFaultWorkspace(system, w);
    throw new Error(`the first apply failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return w;
}

/** Kills applies a failed case left running, destroys with data, purges by label, removes the dir (only purges when there is no workspace). */
export async function closeFaultWorkspace(system: string, w: FaultWorkspace | undefined): Promise<void> {
  if (w) {
    for (const child of w.started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await w.run('destroy', w.spec, '--delete-data', '--json').catch(() => undefined);
  }
  purgeSystem(system);
  if (w) rmSync(w.dir, { recursive: true, force: true });
}

export function revisions(paths: FaultWorkspace['paths']): Revision[] {
  return existsSync(paths.journal)
    ? readdirSync(paths.journal)
        .filter((f) => /^\d+\.json$/.test(f))
        .sort()
        .map((f) => JSON.parse(readFileSync(join(paths.journal, f), 'utf8')) as Revision)
    : [];
}

/** The notes container runs the spec with this greeting (what the last good apply deployed). */
export function liveRuns(system: string, greeting: string): boolean {
  const rows = dockerLines(['ps', '-a', '--filter', `label=aninfra.system=${system}`, '--filter', 'label=aninfra.module=notes', '--format', '{{.ID}} {{.State}}']);
  if (rows.length !== 1 || !rows[0]?.endsWith(' running')) return false;
  const envs = dockerLines(['inspect', '--format', '{{range .Config.Env}}{{println .}}{{end}}', rows[0].split(' ')[0] as string]);
  return envs.includes(`GREETING=${greeting}`);
}

/** Engine processes (docker build, docker compose, pulumi and its plugins) still working on this workspace. */
function leftovers(dir: string): string[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        let cwd = '';
        try {
          cwd = readlinkSync(`/proc/${pid}/cwd`);
        } catch {
          // gone or not ours
        }
        const ours = cmd.includes(dir) || cwd.startsWith(dir);
        return ours && !cmd.includes('aninfra.js') && !/\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')) ? [`${pid} ${cmd}`] : [];
      } catch {
        return [];
      }
    });
}

async function settles(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  return check();
}

/**
 * One case: `fault` when `detect` (fed every progress event and a TICK every 250 ms) first says
 * the apply reached `moment`, then checks (a)–(e) returning to the `base` spec.
 */
export async function faultCase(w: FaultWorkspace, fault: Fault, moment: string, detect: (e: ProgressEvent) => boolean, base: string): Promise<void> {
  const step = `${fault.replace(/\W/g, '')}-${moment.replace(/\W/g, '')}`;
  w.write(step);
  const before = revisions(w.paths).length;

  // ── the apply that gets the fault ──────────────────────────────────────
  const child = spawn(process.execPath, [CLI, 'apply', w.spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '90'], {
    cwd: w.dir,
    env: { ...process.env, ...w.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  w.started.push(child);
  child.stdout.on('error', () => undefined);
  child.stderr.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const reached = new Promise<boolean>((settle) => {
    let pending = '';
    const resolve = (value: boolean): void => {
      clearInterval(tick);
      settle(value);
    };
    const tick = setInterval(() => detect(TICK) && resolve(true), 250);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        let e: ProgressEvent;
        try {
          e = JSON.parse(line) as ProgressEvent;
        } catch {
          continue;
        }
        if (detect(e)) resolve(true);
      }
    });
    void exited.then(() => resolve(false));
  });
  expect(await reached, `the apply ended before ${moment}:\n${stderr}`).toBe(true);

  // The pids the lock records for the running children, for kill -9 (the next command stops them).
  const lock = w.paths.lock;
  const tracked = existsSync(lock) ? (readFileSync(lock, 'utf8').match(/"pid"\s*:\s*(\d+)/g) ?? []).map((m) => Number(m.replace(/\D/g, ''))).filter((p) => p !== child.pid) : [];
  if (fault === 'EPIPE') {
    child.stdout.destroy();
    child.stderr.destroy();
  } else {
    child.kill(fault === 'kill -9' ? 'SIGKILL' : fault);
  }
  const exit = await exited;

  if (fault === 'EPIPE') {
    // The operation runs to its end and keeps its own exit code.
    expect.soft(exit, stderr).toEqual({ code: 0, signal: null });
    expect.soft(revisions(w.paths).at(-1)?.status).toBe('applied');
    expect.soft(existsSync(lock)).toBe(false);
  } else if (fault === 'kill -9') {
    expect.soft(exit.signal).toBe('SIGKILL');
  } else {
    expect.soft(exit, stderr).toEqual({ code: 3, signal: null });
    expect.soft(stdout.trim() ? (JSON.parse(stdout) as { status: string }).status : 'no document', stderr).toBe('interrupted');
    expect.soft(revisions(w.paths).at(-1)?.status).toBe('interrupted');
    expect.soft(existsSync(lock), 'lock released').toBe(false);
    // The engine's processes stopped with it (SIGKILL follows SIGTERM after 10 s).
    expect.soft(await settles(() => leftovers(w.dir).length === 0, 15_000), leftovers(w.dir).join('\n')).toBe(true);
  }
  expect.soft(revisions(w.paths).length).toBe(before + 1);
  const faulted = revisions(w.paths).at(-1) as Revision;

  // ── back to the last good spec ─────────────────────────────────────────
  w.write(base);
  // (a) read-only commands already show no revision `applying` (a dead holder's revision is interrupted).
  const history = await w.run('history', w.spec, '--json');
  expect.soft(history.code, history.stderr).toBe(0);
  expect.soft(((history.json.revisions as Revision[] | undefined) ?? []).map((r) => r.status)).not.toContain('applying');
  // (c) plan never claims "no changes" while the live system differs from the spec.
  const differs = !liveRuns(w.system, base);
  const plan = await w.run('plan', w.spec, '--images', LOCAL_IMAGES, '--detailed-exitcode', '--json');
  expect.soft([0, 2], plan.stdout).toContain(plan.code);
  if (differs) expect.soft(plan.code, `plan claims no changes while the notes container differs (${fault} during ${moment})`).toBe(2);

  // (b) + (d) the next apply takes the lock without --break-lock and converges.
  let next = await w.run('apply', w.spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '90');
  expect.soft(next.code, next.stdout + next.stderr).toBe(0);
  // Already reported above; --break-lock only keeps the later cases meaningful.
  if (next.code === 4) next = await w.run('apply', w.spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '90', '--break-lock');
  expect.soft(next.json.status).toBe('applied');
  const modules = (next.json.modules as { module: string; health: string }[] | undefined) ?? [];
  expect.soft(modules.map((m) => m.module).sort()).toEqual(['cache', 'notes']);
  expect.soft(modules.every((m) => m.health === 'healthy' || m.health === 'none')).toBe(true);
  expect.soft(liveRuns(w.system, base)).toBe(true);
  if (fault === 'kill -9') {
    expect.soft(((next.json.diagnostics as { code: string }[] | undefined) ?? []).map((d) => d.code)).toContain('WARN_STATE_LOCK_RECOVERED');
    for (const pid of tracked) expect.soft(existsSync(`/proc/${pid}`) && !/\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')), `leftover child ${pid} still runs`).toBe(false);
  }
  expect.soft(leftovers(w.dir), 'no engine process keeps running after the apply').toEqual([]);
  // (a) once a command holding the lock ran, the journal has no revision `applying` either.
  const after = revisions(w.paths);
  expect.soft(after.map((r) => r.status)).not.toContain('applying');
  expect.soft(after.find((r) => r.revision === faulted.revision)?.status).toBe(fault === 'EPIPE' ? 'applied' : 'interrupted');
  expect.soft(existsSync(lock)).toBe(false);

  // (e) and now the plan has nothing to do.
  const settled = await w.run('plan', w.spec, '--images', LOCAL_IMAGES, '--detailed-exitcode', '--json');
  expect.soft(settled.code, settled.stdout).toBe(0);
}
