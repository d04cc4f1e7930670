/**
 * Run a command of the built CLI under the load tracer (trace-loads.mjs) and return what it loaded.
 * Shared by bench/run.mjs and test/bench/no-pulumi-load.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'bin', 'aninfra.js');
export const TRACE_PRELOAD = join(ROOT, 'bench', 'lib', 'trace-loads.mjs');

/** A loaded file or URL that belongs to an @pulumi package. */
export const isPulumi = (entry) => /[\\/]@pulumi[\\/]|^@pulumi\//.test(entry) || entry.includes('%40pulumi');

/**
 * Run `node --import trace-loads.mjs <args>` and collect the trace.
 * @param {string[]} args arguments after the preload, e.g. [CLI, 'validate', spec, '--json']
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} [options]
 */
export function traceLoads(args, options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-trace-'));
  const file = join(dir, 'loads.txt');
  try {
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(TRACE_PRELOAD).href, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, ...options.env, ANINFRA_TRACE_FILE: file, NODE_OPTIONS: '' },
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
    });
    const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    const entries = [...new Set(lines.filter((l) => !l.startsWith('exit ')).map((l) => l.slice(l.indexOf(' ') + 1)))];
    const bySource = { esm: 0, cjs: 0, cache: 0 };
    for (const l of lines) {
      const kind = l.slice(0, l.indexOf(' '));
      if (kind in bySource) bySource[kind]++;
    }
    return { status: r.status, signal: r.signal, stderr: r.stderr ?? '', entries, bySource, pulumi: entries.filter(isPulumi), exited: lines.some((l) => l.startsWith('exit ')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
