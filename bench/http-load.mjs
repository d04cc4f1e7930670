#!/usr/bin/env node
/**
 * Bounded load on the HTTP API (issue 12): `aninfra serve` started as a child process on a free
 * loopback port, then N POST /v1/validate requests (default 2,000) at concurrency C (default 16)
 * with node's fetch, the body being specs/examples/teamdocs.yaml inline. Reports p50 / p90 / p99 /
 * max latency, throughput, errors (any non-200 or a body that is not { ok: true }: must be 0) and
 * the server's RSS before and after (from /proc/<pid>/status). Writes
 * bench/results/http-load-<date>-<commit>.json and bench/results/http-load-latest.json; exits 1 on
 * any error. Runs dist/ (npm run build first).
 *
 *   npm run bench:http [-- --requests 2000 --concurrency 16 --spec specs/examples/teamdocs.yaml]
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const requests = Number(arg('requests', 2000));
const concurrency = Number(arg('concurrency', 16));
const specFile = arg('spec', join(root, 'specs', 'examples', 'teamdocs.yaml'));
const spec = readFileSync(specFile, 'utf8');

const rssKb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

const workdir = mkdtempSync(join(tmpdir(), 'aninfra-http-bench-'));
// The spec's own directory is the workdir, so its build contexts resolve as they do for the file;
// validate writes nothing there, and the token goes to the temp dir.
const child = spawn(process.execPath, [join(root, 'dist', 'bin', 'aninfra.js'), '--json', 'serve', '--port', '0', '--workdir', dirname(specFile), '--token-file', join(workdir, 'http-token')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NO_COLOR: '1' } });
let result;
try {
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)).url);
    });
    child.once('exit', (code) => reject(new Error(`aninfra serve exited with ${code}`)));
  });
  const body = JSON.stringify({ spec });
  let firstError;
  const one = async () => {
    const t = performance.now();
    const res = await fetch(`${url}/v1/validate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const doc = await res.json();
    const ok = res.status === 200 && doc.ok === true;
    if (!ok && firstError === undefined) firstError = { status: res.status, diagnostics: doc.diagnostics?.slice(0, 3) };
    return { ms: performance.now() - t, ok };
  };
  // Warm-up (JIT, the first compilation's schema checkers), not counted.
  for (let i = 0; i < 20; i++) await one();
  const rssBefore = rssKb(child.pid);
  const latencies = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests) {
        next += 1;
        try {
          const r = await one();
          latencies.push(r.ms);
          if (!r.ok) errors += 1;
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const rssAfter = rssKb(child.pid);
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (x) => Math.round(x * 100) / 100;
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {}
  result = {
    benchmark: 'http-load',
    date: new Date().toISOString(),
    commit,
    node: process.version,
    cpus: cpus().length,
    loadavgAtStart: loadavg().map(round),
    endpoint: 'POST /v1/validate',
    spec: specFile.replace(root + '/', ''),
    specBytes: Buffer.byteLength(spec),
    requests: latencies.length,
    concurrency,
    errors,
    seconds: round(seconds),
    requestsPerSecond: round(latencies.length / seconds),
    latencyMs: { p50: round(pct(sorted, 50)), p90: round(pct(sorted, 90)), p99: round(pct(sorted, 99)), max: round(sorted.at(-1)) },
    serverRssMiB: { before: round(rssBefore / 1024), after: round(rssAfter / 1024) },
    ...(firstError ? { firstError } : {}),
  };
} finally {
  child.kill('SIGTERM');
  rmSync(workdir, { recursive: true, force: true });
}
const dir = join(root, 'bench', 'results');
mkdirSync(dir, { recursive: true });
const stamp = result.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
writeFileSync(join(dir, `http-load-${stamp}-${result.commit}.json`), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(dir, 'http-load-latest.json'), JSON.stringify(result, null, 2) + '\n');
console.log(`${result.requests} × ${result.endpoint} at concurrency ${concurrency}: p50 ${result.latencyMs.p50} ms, p90 ${result.latencyMs.p90} ms, p99 ${result.latencyMs.p99} ms, max ${result.latencyMs.max} ms; ${result.requestsPerSecond} req/s; errors ${result.errors}; server RSS ${result.serverRssMiB.before} → ${result.serverRssMiB.after} MiB`);
process.exitCode = result.errors === 0 ? 0 : 1;
