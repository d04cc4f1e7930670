/**
 * Runs the built CLI (`node dist/bin/aninfra.js`) as a real process, a few at a time, timing each,
 * and checks the contract every invalid-input run must keep: exit 1, stdout exactly one JSON
 * document with coded diagnostics from the catalog, no stack trace on stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog } from '../../src/compiler/diagnostics/codes.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(REPO, 'dist', 'bin', 'aninfra.js');

export interface CliRun {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock time. */
  readonly ms: number;
  /** CPU time (user + system) of the aninfra process: its cost, whatever else the machine runs. */
  readonly cpuMs: number;
}

/**
 * The CLI runs under bash, which reports its child's CPU time (`times`) on fd 3 after it exits;
 * the exit code passes through. Killed after `timeoutMs` (a hang).
 */
export function runCli(args: readonly string[], timeoutMs = 10_000): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npm run build)`);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const script = '"$0" "$@"; code=$?; times >&3; exit $code';
    const child = spawn('bash', ['-c', script, process.execPath, CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const times: Buffer[] = [];
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    (child.stdio[3] as NodeJS.ReadableStream | null)?.on('data', (d: Buffer) => times.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        args,
        exitCode: code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: performance.now() - started,
        cpuMs: childCpuMs(Buffer.concat(times).toString('utf8')),
      });
    });
  });
}

/** bash `times`: line 2 is the children's user and system time, e.g. `0m0.412s 0m0.051s`. */
function childCpuMs(times: string): number {
  const line = times.trim().split('\n')[1] ?? '';
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60_000 + Number(m[2]) * 1000);
  return parts.length === 2 ? (parts[0] as number) + (parts[1] as number) : Number.POSITIVE_INFINITY;
}

/** Run every argument list, at most `concurrency` processes at a time; results in input order. */
export async function runAll(argLists: readonly (readonly string[])[], concurrency = 2): Promise<CliRun[]> {
  const results: CliRun[] = new Array(argLists.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < argLists.length) {
      const i = next++;
      results[i] = await runCli(argLists[i] as readonly string[]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, argLists.length) }, worker));
  return results;
}

export interface Envelope {
  ok: boolean;
  diagnostics: { code: string; severity: string; message: string; path: string; range?: { start: { line: number; column: number } } }[];
}

const STACK_FRAME = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>)$/m;

/** Problems with a run that should have refused its input; empty when it kept the contract. */
export function refusalProblems(run: CliRun, maxMs: number): string[] {
  const problems: string[] = [];
  const what = run.args.join(' ');
  if (run.exitCode !== 1) problems.push(`${what}: exit ${String(run.exitCode)}, want 1`);
  problems.push(...slowness(run, maxMs));
  if (STACK_FRAME.test(run.stderr)) problems.push(`${what}: stack trace on stderr: ${run.stderr.slice(0, 500)}`);
  let doc: Envelope | undefined;
  try {
    doc = JSON.parse(run.stdout) as Envelope;
  } catch {
    problems.push(`${what}: stdout is not one JSON document: ${JSON.stringify(run.stdout.slice(0, 300))}`);
  }
  if (doc) {
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) problems.push(`${what}: stdout is not a JSON object`);
    else {
      if (doc.ok !== false) problems.push(`${what}: ok is ${String(doc.ok)}`);
      const diagnostics = Array.isArray(doc.diagnostics) ? doc.diagnostics : [];
      if (!diagnostics.some((d) => d.severity === 'error')) problems.push(`${what}: no error diagnostic`);
      for (const d of diagnostics) {
        if (!Object.hasOwn(catalog, d.code)) problems.push(`${what}: code ${d.code} is not in the catalog`);
        if (d.code === 'ERR_INTERNAL') problems.push(`${what}: ERR_INTERNAL: ${d.message}`);
      }
    }
  }
  return problems;
}

/**
 * A run must cost less than `maxMs` of CPU, and finish within `maxMs` of wall time unless the
 * machine is overloaded by other work (load above the core count), where the wall limit is
 * relaxed to the hang timeout.
 */
export function slowness(run: CliRun, maxMs: number): string[] {
  const what = run.args.join(' ');
  const out: string[] = [];
  if (run.cpuMs >= maxMs) out.push(`${what}: used ${Math.round(run.cpuMs)} ms of CPU (limit ${maxMs})`);
  const overloaded = loadavg()[0]! > availableParallelism();
  const wallLimit = overloaded ? 9_000 : maxMs;
  if (run.ms >= wallLimit) out.push(`${what}: took ${Math.round(run.ms)} ms (limit ${wallLimit}${overloaded ? ', machine overloaded' : ''})`);
  return out;
}

export function codesOf(run: CliRun): string[] {
  try {
    return (JSON.parse(run.stdout) as Envelope).diagnostics.map((d) => d.code);
  } catch {
    return [];
  }
}
