#!/usr/bin/env node
/**
 * History does not slow down plans (issue 14): whole-process CPU (user+sys), wall time and peak
 * RSS of `status`, `history` and `plan --target compose` of a generated 100-module system whose
 * journal holds 1 revision, 500 revisions (indexed, as apply writes them), and the same 500 with
 * the index removed (every revision file read and checked, as before the index). Runs are
 * interleaved across cells so machine load hits every cell alike; the report gives medians and
 * the 500/1 ratios (target: at most 1.2).
 *
 *   node bench/journal.mjs [--runs N] [--revisions N] [--modules N] [--no-write]
 *
 * Needs dist/ (npm run build). `status` asks Docker about the (not running) system, the same in
 * every cell. Writes bench/results/journal-<date>.json and journal-latest.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeGeneratedSpec } from './lib/gen-spec.mjs';
import { CLI, ROOT } from './lib/trace.mjs';

const argv = process.argv.slice(2);
const value = (name, d) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : d);
const RUNS = value('--runs', 7);
const REVISIONS = value('--revisions', 500);
const MODULES = value('--modules', 100);
const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
const { compileText } = await dist('src/operations/compile-file.js');
const { Journal } = await dist('src/state/journal.js');
const { statePaths } = await dist('src/state/paths.js');
const { indexPath } = await dist('src/state/journal-index.js');

const tmp = mkdtempSync(join(os.tmpdir(), 'aninfra-bench-journal-'));
const SYSTEM = 'jbench';

/** A spec dir whose journal holds `count` revisions of the generated system (the last one applied). */
function system(label, count) {
  const dir = join(tmp, label);
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, 'aninfra.yaml');
  const { text } = writeGeneratedSpec(spec, MODULES, { name: SYSTEM, target: 'compose' });
  const paths = statePaths(spec, SYSTEM);
  const c = compileText(spec, text, { until: 'lower', owner: paths.owner });
  if (!c.ir) throw new Error(`the generated spec does not compile: ${JSON.stringify(c.diagnostics).slice(0, 2000)}`);
  const modules = [...new Set(c.ir.nodes.flatMap((n) => (n.provenance.module ? [n.provenance.module] : [])))].sort();
  const journal = new Journal(paths.journal);
  mkdirSync(paths.journal, { recursive: true, mode: 0o700 });
  for (let n = 1; n <= count; n++) {
    const status = n === count ? 'applied' : n % 7 === 0 ? 'failed' : 'applied';
    // The older revisions are written as files only; the last Journal.write indexes them all (as
    // after many applies) without rewriting the index 500 times here.
    const write = n === count ? (r) => journal.write(r) : (r) => writeFileSync(join(paths.journal, `${String(n).padStart(6, '0')}.json`), JSON.stringify(r, null, 2) + '\n', { mode: 0o600 });
    write({
      revision: n,
      status,
      operation: 'apply',
      target: 'compose',
      engine: 'compose',
      specPath: spec,
      specText: text,
      specHash: `spec-${n}`,
      planHash: `plan-${n}`,
      ir: c.ir,
      startedAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
      finishedAt: new Date(Date.UTC(2026, 0, 1, 0, n, 30)).toISOString(),
      modules: modules.map((module) => ({ module, outcome: n === 1 ? 'created' : 'unchanged', health: status === 'failed' ? 'unhealthy' : 'healthy' })),
    });
  }
  return { label, spec, index: indexPath(paths.journal) };
}

function time(args, cwd) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, NO_COLOR: '1' } });
  const last = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { exit: r.status, wall: last[0] * 1000, cpu: (last[1] + last[2]) * 1000, rssMB: last[3] / 1024, stderr: r.stderr.slice(0, 500) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const t0 = Date.now();
const one = system('one', 1);
const many = system('many', REVISIONS);
const unindexed = system('unindexed', REVISIONS);
rmSync(unindexed.index);
process.stderr.write(`journals written in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

const commands = { status: ['status', '--json'], history: ['history', '--json'], plan: ['plan', '--target', 'compose', '--json'] };
const cells = [one, many, unindexed];
const samples = {};
const load = [os.loadavg()[0]];
for (let run = 0; run < RUNS; run++) {
  for (const [name, args] of Object.entries(commands)) {
    for (const cell of cells) {
      const s = time([args[0], cell.spec, ...args.slice(1)], join(cell.spec, '..'));
      // status exits 2 (the system is not running), plan 2 (changes): both are successful runs here.
      if (s.exit !== 0 && s.exit !== 2) throw new Error(`${name} ${cell.label} exit ${s.exit}: ${s.stderr}`);
      (samples[`${name} ${cell.label}`] ??= []).push(s);
    }
  }
  load.push(os.loadavg()[0]);
}

const rows = {};
for (const [key, list] of Object.entries(samples)) rows[key] = { runs: list.length, cpuMs: median(list.map((s) => s.cpu)), wallMs: median(list.map((s) => s.wall)), rssMB: median(list.map((s) => s.rssMB)) };
const ratios = {};
for (const name of Object.keys(commands)) {
  const base = rows[`${name} one`];
  for (const label of ['many', 'unindexed']) {
    const r = rows[`${name} ${label}`];
    ratios[`${name} ${label}/one`] = { cpu: +(r.cpuMs / base.cpuMs).toFixed(2), wall: +(r.wallMs / base.wallMs).toFixed(2), rss: +(r.rssMB / base.rssMB).toFixed(2) };
  }
}
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
const result = { date: new Date().toISOString(), commit, modules: MODULES, revisions: REVISIONS, runs: RUNS, cores: os.cpus().length, loadavg1: { min: Math.min(...load), max: Math.max(...load) }, rows, ratios };
console.table(Object.fromEntries(Object.entries(rows).map(([k, r]) => [k, { cpuMs: Math.round(r.cpuMs), wallMs: Math.round(r.wallMs), rssMB: Math.round(r.rssMB) }])));
console.table(ratios);
console.log(`load average (1 min) ${result.loadavg1.min.toFixed(2)}–${result.loadavg1.max.toFixed(2)} on ${result.cores} cores`);
if (!argv.includes('--no-write')) {
  const out = join(ROOT, 'bench', 'results');
  const text = JSON.stringify(result, null, 2) + '\n';
  writeFileSync(join(out, `journal-${result.date.replace(/:/g, '-').replace(/\..*/, 'Z')}-${commit}.json`), text);
  writeFileSync(join(out, 'journal-latest.json'), text);
}
rmSync(tmp, { recursive: true, force: true });
