#!/usr/bin/env node
/**
 * aninfra benchmark: whole-process wall time and peak RSS of `validate` and `plan` (compose,
 * docker and kubernetes targets, and aws when the CLI has that target) on generated specs of 10 / 100 / 1,000 / 10,000 modules and on the teamdocs
 * example, with a `node -e 0` baseline, `docker-compose config -q` on the emitted compose files,
 * a linearity check, and a check that validate and plan never load @pulumi/*.
 *
 *   npm run bench                       full run (≈5 minutes on 2 cores)
 *   npm run bench -- --quick            sizes 10/100/1000, fewer runs (CI smoke)
 *   node bench/run.mjs --help           every option
 *
 * Writes bench/results/<date>-<build>.json and bench/results/latest.json (latest-quick.json for
 * --quick) and prints a table. See bench/README.md for what is measured and how.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { writeGeneratedSpec, FULL_MIX_TYPES } from './lib/gen-spec.mjs';
import { CLI as DIST_CLI, ROOT, traceLoads } from './lib/trace.mjs';

// ── options ──────────────────────────────────────────────────────────────────────────────────
const HELP = `usage: node bench/run.mjs [options]
  --quick               sizes 10,100,1000; 3 runs; 10 s budget per cell (CI smoke)
  --sizes 10,100        module counts to generate (default 10,100,1000,10000)
  --runs N              runs per cell for every size (default 7, 5 for 1,000, 3 for 10,000)
  --budget S            stop repeating a cell once its runs took S seconds (default 30; >= 1 run)
  --timeout S           kill a single process after S seconds (default 600)
  --no-compose-config   skip docker-compose config timing
  --compose-timeout S   stop one docker-compose config run after S seconds and record it as a
                        lower bound (default 60; docker-compose v1 needs minutes at 10,000 modules)
  --no-pulumi-check     skip the @pulumi load check
  --build               run npm run build first (default: only when dist/ is missing)
  --no-snapshot         run dist/ in place instead of a private copy (see README: concurrent rebuilds)
  --out DIR             results directory (default bench/results)
  --no-write            print only; write no results file
  --keep                keep the temp directory
  --wait-idle MIN       first wait up to MIN minutes for the 1-minute load average to drop below the core count
  --strict              exit 1 when a performance target is missed (correctness failures always exit 1)
  --only T1,T2          plan cells only for these targets (e.g. aws,compose); validate and the
                        baselines always run; writes no latest*.json`;

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(HELP);
  process.exit(0);
}
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const QUICK = flag('--quick');
const SIZES = (value('--sizes') ?? (QUICK ? '10,100,1000' : '10,100,1000,10000')).split(',').map((s) => Number(s.trim()));
if (SIZES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bad --sizes ${value('--sizes')}`);
const RUNS_OVERRIDE = value('--runs') ? Number(value('--runs')) : undefined;
const runsFor = (size) => RUNS_OVERRIDE ?? (QUICK ? 3 : size >= 10000 ? 3 : size >= 1000 ? 5 : 7);
const BUDGET_MS = Number(value('--budget') ?? (QUICK ? 10 : 30)) * 1000;
const TIMEOUT_MS = Number(value('--timeout') ?? 600) * 1000;
const COMPOSE_TIMEOUT_MS = Number(value('--compose-timeout') ?? 60) * 1000;
/** Targets whose plan cells run (--only); undefined: every target. */
const ONLY = value('--only')?.split(',').map((t) => t.trim()).filter((t) => t !== '');
/** Drops the plan cells of targets --only leaves out. */
const wanted = (cells) => cells.filter((c) => !ONLY || !c.name.startsWith('plan ') || ONLY.includes(c.name.slice('plan '.length)));
const OUT_DIR = value('--out') ?? join(ROOT, 'bench', 'results');
const TEAMDOCS = join(ROOT, 'specs', 'examples', 'teamdocs.yaml');

const started = Date.now();
const log = (msg) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);
const failures = [];
const fail = (msg) => {
  failures.push(msg);
  log(`FAIL ${msg}`);
};

// ── tools ────────────────────────────────────────────────────────────────────────────────────
function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** GNU time prints the child's max RSS (KB) with -f %M; BusyBox time cannot write to a file. */
function findGnuTime() {
  const path = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  if (!path) return undefined;
  const r = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return /GNU/.test(`${r.stdout}${r.stderr}`) ? path : undefined;
}

function findCompose() {
  const v1 = which('docker-compose');
  if (v1) {
    const r = spawnSync(v1, ['version', '--short'], { encoding: 'utf8' });
    if (r.status === 0) return { cmd: [v1], version: `docker-compose ${r.stdout.trim()}` };
  }
  const docker = which('docker');
  if (docker) {
    const r = spawnSync(docker, ['compose', 'version', '--short'], { encoding: 'utf8' });
    if (r.status === 0) return { cmd: [docker, 'compose'], version: `docker compose ${r.stdout.trim()}` };
  }
  return undefined;
}

const GNU_TIME = findGnuTime();
const TIMEOUT_CMD = which('timeout');
const RSS_PRELOAD = join(ROOT, 'bench', 'lib', 'max-rss.mjs');

// ── process measurement ──────────────────────────────────────────────────────────────────────
/**
 * Run one process to completion and measure it: wall time (hrtime around a synchronous spawn, so
 * the harness does nothing else meanwhile) and peak RSS. stdout goes to /dev/null; stderr is kept
 * for error reports. With GNU time the command runs as `/usr/bin/time -f %M -o FILE cmd …` (time
 * adds one fork+exec, ~1 ms, to every measurement including the baseline). Without it, node
 * commands get a preload that writes process.resourceUsage().maxRSS at exit; others get no RSS.
 */
function measure(cmd, args, { cwd, env, timeoutMs } = {}) {
  const rssFile = join(TMP, `rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const childEnv = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: '', ...env };
  // A per-cell timeout goes through coreutils `timeout`, which signals the measured command itself
  // (killing /usr/bin/time would orphan it and leave it running). Exit 124 means it fired.
  let inner = [cmd, ...args];
  if (timeoutMs && TIMEOUT_CMD) inner = [TIMEOUT_CMD, '-k', '5', String(timeoutMs / 1000), ...inner];
  let file = inner[0];
  let fullArgs = inner.slice(1);
  if (GNU_TIME) {
    file = GNU_TIME;
    fullArgs = ['-f', '%M', '-o', rssFile, ...inner];
  } else if (cmd === process.execPath && inner[0] === cmd) {
    fullArgs = ['--import', RSS_PRELOAD, ...args];
    childEnv.ANINFRA_BENCH_RSS_FILE = rssFile;
  }
  const backstop = timeoutMs ? timeoutMs + 30_000 : TIMEOUT_MS;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, fullArgs, { cwd: cwd ?? TMP, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'], timeout: backstop, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssKB;
  if (existsSync(rssFile)) {
    // GNU time may prefix "Command exited with non-zero status N"; the number is the last line.
    const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop();
    rssKB = Number(last);
    rmSync(rssFile, { force: true });
  }
  const timedOut = r.error?.code === 'ETIMEDOUT' || (!!timeoutMs && !!TIMEOUT_CMD && (r.status === 124 || r.status === 137));
  return { ms, rssMB: Number.isFinite(rssKB) ? rssKB / 1024 : undefined, status: r.status, timedOut, stderr: String(r.stderr ?? '').slice(0, 4000) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f1 = (x) => (x === undefined || x === null ? '—' : String(Math.round(x * 10) / 10));
const round = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);

/** A cell: one command on one input, repeated up to `runs` times or until its budget is spent. */
function cell(name, cmd, args, opts = {}) {
  return { name, cmd, args, opts, runs: opts.runs ?? 7, samples: [], spentMs: 0, done: false };
}

/** Run cells round-robin (run 1 of each, then run 2 of each …) so machine noise spreads evenly. */
function runCells(cells, label) {
  for (let round = 0; cells.some((c) => !c.done); round++) {
    for (const c of cells) {
      if (c.done) continue;
      const s = measure(c.cmd, c.args, c.opts);
      c.samples.push(s);
      c.spentMs += s.ms;
      if (s.timedOut && c.opts.timeoutIsResult) {
        // A tool too slow to wait for (docker-compose v1 at 10,000 services): record the bound.
        c.timedOutAfterMs = c.opts.timeoutMs;
        c.done = true;
        log(`${label} ${c.name}: stopped after ${c.opts.timeoutMs / 1000} s (recorded as a lower bound)`);
        continue;
      }
      if (s.status !== 0 || s.timedOut) {
        const why = s.timedOut ? `timed out after ${TIMEOUT_MS / 1000} s` : `exit ${s.status}`;
        fail(`${label} ${c.name}: ${why}: ${s.stderr.split('\n').slice(0, 5).join(' | ')}`);
        c.done = true;
        c.failed = true;
        continue;
      }
      if (c.samples.length >= c.runs || c.spentMs >= (c.opts.budgetMs ?? BUDGET_MS)) c.done = true;
    }
    log(`${label}: round ${round + 1} done (${cells.map((c) => `${c.name} ${c.samples.length}`).join(', ')})`);
  }
  return Object.fromEntries(cells.map((c) => [c.name, stats(c)]));
}

function stats(c) {
  const ok = c.samples.filter((s) => s.status === 0 && !s.timedOut);
  const ms = ok.map((s) => s.ms);
  const rss = ok.map((s) => s.rssMB).filter((x) => x !== undefined);
  return {
    runs: ok.length,
    plannedRuns: c.runs,
    budgetLimited: ok.length < c.runs && !c.failed && !c.timedOutAfterMs,
    ...(c.timedOutAfterMs ? { timedOutAfterMs: c.timedOutAfterMs } : {}),
    failed: !!c.failed,
    medianMs: round(ms.length ? median(ms) : null),
    minMs: round(ms.length ? Math.min(...ms) : null),
    maxMs: round(ms.length ? Math.max(...ms) : null),
    samplesMs: ms.map((x) => round(x)),
    peakRssMB: round(rss.length ? median(rss) : null),
    peakRssMaxMB: round(rss.length ? Math.max(...rss) : null),
  };
}

// ── setup ────────────────────────────────────────────────────────────────────────────────────
function distHash(distDir = join(ROOT, 'dist')) {
  const h = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(c|m)?js$/.test(e.name)) h.update(relative(distDir, p)).update(readFileSync(p));
    }
  };
  walk(distDir);
  return h.digest('hex').slice(0, 8);
}

function gitCommit() {
  const r = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The CLI answers `modules list --json` with a catalog. */
function cliWorks(cli) {
  const r = spawnSync(process.execPath, [cli, 'modules', 'list', '--json'], { encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
  try {
    return r.status === 0 && JSON.parse(r.stdout).modules.length > 0;
  } catch {
    return false;
  }
}

/**
 * The CLI to measure. Others rebuild dist/ while a run is under way, which would mix builds or
 * catch a half-written tree; so by default the harness copies a working dist/ into
 * bench/.snapshot/<hash>/dist (inside the repo, so node_modules still resolve) and measures that.
 */
function prepareCli() {
  if (flag('--build') || !existsSync(DIST_CLI)) {
    log('building dist/ (npm run build)');
    // The build may report type errors from work in progress elsewhere and still emit; what counts is the CLI.
    spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (!existsSync(DIST_CLI)) throw new Error(`no ${relative(ROOT, DIST_CLI)} after the build`);
  }
  for (let attempt = 1; attempt <= 12; attempt++) {
    if (attempt > 1) sleep(5000);
    if (!cliWorks(DIST_CLI)) {
      log(`dist/ does not run (a rebuild under way?); retry ${attempt}/12`);
      continue;
    }
    const hash = distHash();
    if (flag('--no-snapshot')) return { cli: DIST_CLI, hash, snapshot: null };
    const dir = join(ROOT, 'bench', '.snapshot', hash);
    rmSync(dir, { recursive: true, force: true });
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
    const cli = join(dir, 'dist', 'bin', 'aninfra.js');
    if (distHash(join(dir, 'dist')) === hash && distHash() === hash && cliWorks(cli)) return { cli, hash, snapshot: dir };
    rmSync(dir, { recursive: true, force: true });
    log(`dist/ changed while copying; retry ${attempt}/12`);
  }
  throw new Error('dist/ never settled into a working build; run npm run build and retry');
}

function catalogTypes() {
  const r = spawnSync(process.execPath, [CLI, 'modules', 'list', '--json'], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`aninfra modules list failed: ${r.stderr}`);
  return JSON.parse(r.stdout).modules.map((m) => m.type);
}

/** The targets the CLI knows: the `target:` enum of its spec schema. */
function knownTargets() {
  const r = spawnSync(process.execPath, [CLI, 'schema'], { encoding: 'utf8', cwd: ROOT, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`aninfra schema failed: ${r.stderr}`);
  return JSON.parse(r.stdout).properties?.target?.enum ?? [];
}

/** `<target> <spec>` for every spec validatesFor accepted (the @pulumi load check traces only those). */
const validatedFor = new Set();

/** Like validateOnce, but a spec the target refuses is reported and skipped instead of failing the run. */
function validatesFor(spec, expectModules, target) {
  try {
    validateOnce(spec, expectModules, target);
    validatedFor.add(`${target} ${spec}`);
    return true;
  } catch (e) {
    log(`${target} cells skipped for ${relative(TMP, spec)}: ${String(e?.message ?? e).slice(0, 300)}`);
    return false;
  }
}

/** Build contexts (with a Dockerfile) for every `build:` path of a spec, so `compose config` finds them. */
function makeBuildContexts(specText, specDir) {
  for (const m of specText.matchAll(/^\s*build:\s*["']?([^"'\s#]+)/gm)) {
    const dir = join(specDir, m[1]);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  }
}

/** Dummy values for every ${VAR} a compose file reads (generated secrets, fromEnv inputs). */
function composeEnv(composeFile) {
  const env = {};
  const text = readFileSync(composeFile, 'utf8');
  for (const m of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)) env[m[1]] = 'bench-dummy-value';
  return env;
}

/** `validate --json` exits 0 (for `target`, when given: the spec's own target otherwise). */
function validateOnce(spec, expectModules, target) {
  const r = spawnSync(process.execPath, [CLI, 'validate', spec, '--json', ...(target ? ['--target', target] : [])], { encoding: 'utf8', cwd: TMP, maxBuffer: 64 << 20, timeout: TIMEOUT_MS });
  let doc;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    doc = undefined;
  }
  if (r.status !== 0 || !doc?.ok) {
    const diags = (doc?.diagnostics ?? []).slice(0, 5).map((d) => `${d.code} ${d.path}: ${d.message}`);
    throw new Error(`${spec} does not validate${target ? ` for ${target}` : ''} (exit ${r.status}): ${diags.join('; ') || r.stderr.slice(0, 2000)}`);
  }
  if (expectModules !== undefined && doc.modules !== expectModules) throw new Error(`${spec}: validate counted ${doc.modules} modules, expected ${expectModules}`);
  return doc;
}

// ── main ─────────────────────────────────────────────────────────────────────────────────────
const { cli: CLI, hash: buildBefore, snapshot: SNAPSHOT } = prepareCli();
let waitedMs = 0;
if (value('--wait-idle')) {
  const waitStart = Date.now();
  const until = Date.now() + Number(value('--wait-idle')) * 60_000;
  while (os.loadavg()[0] >= os.cpus().length && Date.now() < until) {
    log(`waiting for a quieter machine: load ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`);
    sleep(15_000);
  }
  waitedMs = Date.now() - waitStart;
}
const types = catalogTypes();
// The aws target (issue 11) may be absent from the build being measured: its cells run only when it is there.
const AWS = knownTargets().includes('aws');
const mixTypes = FULL_MIX_TYPES.filter((t) => types.includes(t));
const missing = FULL_MIX_TYPES.filter((t) => !types.includes(t));
const TMP = mkdtempSync(join(os.tmpdir(), 'aninfra-bench-'));
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (SNAPSHOT) rmSync(SNAPSHOT, { recursive: true, force: true });
    if (!flag('--keep')) rmSync(TMP, { recursive: true, force: true });
    process.exit(130);
  });
}
const load = { start: os.loadavg().map((x) => round(x, 2)) };
const COMPOSE = flag('--no-compose-config') ? undefined : findCompose();
if (missing.length) log(`catalog lacks ${missing.join(', ')}: those roles fold into postgres`);
log(`temp dir ${TMP}; node ${process.version}; rss via ${GNU_TIME ? 'GNU time' : 'resourceUsage preload'}; compose: ${COMPOSE?.version ?? 'not found'}`);

const node = process.execPath;
const results = {
  schema: 1,
  date: new Date().toISOString(),
  mode: QUICK ? 'quick' : 'full',
  build: { gitCommit: gitCommit(), distHash: buildBefore, measured: SNAPSHOT ? 'private snapshot of dist/ taken at start' : 'dist/ in place' },
  machine: {
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    memGB: round(os.totalmem() / 2 ** 30),
    loadavg: load,
  },
  node: process.version,
  tools: { rss: GNU_TIME ? `${GNU_TIME} -f %M (GNU time, child max RSS)` : 'process.resourceUsage().maxRSS at exit (preload)', compose: COMPOSE?.version ?? null },
  method: {
    wall: 'whole process, hrtime around a synchronous spawn; stdout to /dev/null, NO_COLOR=1, --json',
    runs: QUICK ? 'quick: 3 per cell' : '7 per cell (5 at 1,000, 3 at 10,000), round-robin across the cells of one input',
    budgetSeconds: BUDGET_MS / 1000,
    composeConfig: `docker-compose config -q on the emitted compose file, dummy values for the variables it reads, build contexts created; half the budget per cell; one run stopped after ${COMPOSE_TIMEOUT_MS / 1000} s is recorded as a lower bound`,
    netMs: 'median minus the median of `node -e 0` measured in the same run',
  },
  catalog: { types, mixTypes, missingFromMix: missing },
  baseline: {},
  teamdocs: null,
  sizes: [],
  linearity: {},
  targets: [],
  pulumiCheck: null,
};

try {
  // Baselines (bare node; the CLI's own fixed cost: commander + its eager imports) and the teamdocs
  // example, round-robin in one group so their ratios come from the same minutes of machine time.
  // teamdocs is copied into the temp dir with its build contexts so compose config can run on it.
  log('baselines and teamdocs');
  const smallRuns = QUICK ? 5 : 9;
  const baseCells = [cell('node -e 0', node, ['-e', '0'], { runs: smallRuns }), cell('aninfra --version', node, [CLI, '--version'], { runs: smallRuns })];
  let teamdocsCells = [];
  let teamdocsDoc;
  const tdDir = join(TMP, 'teamdocs');
  const tdSpec = join(tdDir, 'teamdocs.yaml');
  if (existsSync(TEAMDOCS)) {
    mkdirSync(tdDir, { recursive: true });
    copyFileSync(TEAMDOCS, tdSpec);
    makeBuildContexts(readFileSync(tdSpec, 'utf8'), tdDir);
    teamdocsDoc = validateOnce(tdSpec);
    validateOnce(tdSpec, teamdocsDoc.modules, 'kubernetes');
    const tdAws = AWS && validatesFor(tdSpec, teamdocsDoc.modules, 'aws');
    log(`teamdocs: ${teamdocsDoc.modules} modules, validates (also for kubernetes${tdAws ? ' and aws' : ''})`);
    teamdocsCells = [
      cell('validate', node, [CLI, 'validate', tdSpec, '--json'], { runs: smallRuns }),
      cell('plan compose', node, [CLI, 'plan', tdSpec, '--json', '--target', 'compose', '--emit-dir', join(tdDir, 'emit-compose'), '--state-dir', join(tdDir, 'state')], { runs: smallRuns }),
      cell('plan docker', node, [CLI, 'plan', tdSpec, '--json', '--target', 'docker', '--emit-dir', join(tdDir, 'emit-docker'), '--state-dir', join(tdDir, 'state')], { runs: smallRuns }),
      cell('plan kubernetes', node, [CLI, 'plan', tdSpec, '--json', '--target', 'kubernetes', '--emit-dir', join(tdDir, 'emit-kubernetes'), '--state-dir', join(tdDir, 'state')], { runs: smallRuns }),
      ...(tdAws ? [cell('plan aws', node, [CLI, 'plan', tdSpec, '--json', '--target', 'aws', '--emit-dir', join(tdDir, 'emit-aws'), '--state-dir', join(tdDir, 'state')], { runs: smallRuns })] : []),
    ];
  } else log(`no ${relative(ROOT, TEAMDOCS)} yet: teamdocs skipped`);
  const first = runCells(wanted([...baseCells, ...teamdocsCells]), 'baselines+teamdocs');
  results.baseline = { 'node -e 0': first['node -e 0'], 'aninfra --version': first['aninfra --version'] };
  const base = results.baseline['node -e 0'].medianMs;
  if (teamdocsDoc) {
    const teamdocs = Object.fromEntries(['validate', 'plan compose', 'plan docker', 'plan kubernetes', 'plan aws'].filter((name) => first[name]).map((name) => [name, first[name]]));
    const file = join(tdDir, 'emit-compose', 'docker-compose.yml');
    if (COMPOSE && existsSync(file)) {
      const opts = { runs: smallRuns, cwd: dirname(file), env: composeEnv(file), timeoutMs: COMPOSE_TIMEOUT_MS, timeoutIsResult: true, budgetMs: BUDGET_MS / 2 };
      Object.assign(teamdocs, runCells([cell('compose config', COMPOSE.cmd[0], [...COMPOSE.cmd.slice(1), '-f', file, 'config', '-q'], opts)], 'teamdocs'));
    }
    for (const c of Object.values(teamdocs)) c.timesNodeStartup = c.medianMs === null ? null : round(c.medianMs / base, 2);
    results.teamdocs = { spec: relative(ROOT, TEAMDOCS), modules: teamdocsDoc.modules, commands: teamdocs };
  }

  // Generated sizes.
  for (const size of SIZES) {
    const dir = join(TMP, `size-${size}`);
    mkdirSync(dir, { recursive: true });
    const spec = join(dir, 'spec.yaml');
    const gen = writeGeneratedSpec(spec, size, { types: mixTypes });
    validateOnce(spec, size);
    validateOnce(spec, size, 'kubernetes');
    const aws = AWS && validatesFor(spec, size, 'aws');
    log(`size ${size}: ${JSON.stringify(gen.counts)}, ${(gen.text.length / 1024).toFixed(0)} KiB; validates (also for kubernetes${aws ? ' and aws' : ''})`);
    const runs = runsFor(size);
    const compose = join(dir, 'emit-compose');
    const commands = runCells(
      wanted([
        cell('validate', node, [CLI, 'validate', spec, '--json'], { runs }),
        cell('plan compose', node, [CLI, 'plan', spec, '--json', '--target', 'compose', '--emit-dir', compose, '--state-dir', join(dir, 'state')], { runs }),
        cell('plan docker', node, [CLI, 'plan', spec, '--json', '--target', 'docker', '--emit-dir', join(dir, 'emit-docker'), '--state-dir', join(dir, 'state')], { runs }),
        cell('plan kubernetes', node, [CLI, 'plan', spec, '--json', '--target', 'kubernetes', '--emit-dir', join(dir, 'emit-kubernetes'), '--state-dir', join(dir, 'state')], { runs }),
        ...(aws ? [cell('plan aws', node, [CLI, 'plan', spec, '--json', '--target', 'aws', '--emit-dir', join(dir, 'emit-aws'), '--state-dir', join(dir, 'state')], { runs })] : []),
      ]),
      `size ${size}`,
    );
    const file = join(compose, 'docker-compose.yml');
    let emitted = null;
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      emitted = { composeBytes: statSync(file).size, composeServices: (text.match(/^ {4}image: /gm) ?? []).length };
      const index = join(dir, 'emit-docker', 'index.ts');
      if (existsSync(index)) emitted.pulumiIndexBytes = statSync(index).size;
      const manifests = join(dir, 'emit-kubernetes', 'manifests.yaml');
      if (existsSync(manifests)) {
        emitted.kubernetesManifestsBytes = statSync(manifests).size;
        emitted.kubernetesObjects = (readFileSync(manifests, 'utf8').match(/^kind: /gm) ?? []).length;
        const k8sIndex = join(dir, 'emit-kubernetes', 'index.ts');
        if (existsSync(k8sIndex)) emitted.kubernetesIndexBytes = statSync(k8sIndex).size;
      }
      const awsIndex = join(dir, 'emit-aws', 'index.ts');
      if (existsSync(awsIndex)) emitted.awsIndexBytes = statSync(awsIndex).size;
      if (COMPOSE) {
        const opts = { runs, cwd: compose, env: composeEnv(file), timeoutMs: COMPOSE_TIMEOUT_MS, timeoutIsResult: true, budgetMs: BUDGET_MS / 2 };
        Object.assign(commands, runCells([cell('compose config', COMPOSE.cmd[0], [...COMPOSE.cmd.slice(1), '-f', file, 'config', '-q'], opts)], `size ${size}`));
      }
    }
    for (const c of Object.values(commands)) {
      c.msPerModule = c.medianMs === null ? null : round(c.medianMs / size, 3);
      c.netMs = c.medianMs === null ? null : round(c.medianMs - base);
      c.netMsPerModule = c.medianMs === null ? null : round((c.medianMs - base) / size, 3);
    }
    results.sizes.push({ size, counts: gen.counts, specBytes: gen.text.length, emitted, commands });
    rmSync(join(dir, 'emit-docker'), { recursive: true, force: true });
    rmSync(join(dir, 'emit-kubernetes'), { recursive: true, force: true });
    rmSync(join(dir, 'emit-aws'), { recursive: true, force: true });
  }

  // Linearity. Between consecutive sizes a → b: the raw ratio t(b)/t(a), the ratio of net times
  // (minus bare node), and the marginal cost (t(b) − t(a)) / (b − a) in ms per added module. The
  // fixed start-up cost of the CLI hides growth in the ratios at small sizes; the marginal cost
  // does not: linear means the marginal cost stays flat from one step to the next.
  for (const name of ['validate', 'plan compose', 'plan docker', 'plan kubernetes', 'plan aws', 'compose config']) {
    const pts = results.sizes.filter((s) => s.commands[name]?.medianMs != null);
    const steps = {};
    let prevMarginal;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1];
      const b = pts[i];
      const ca = a.commands[name];
      const cb = b.commands[name];
      const marginal = (cb.medianMs - ca.medianMs) / (b.size - a.size);
      steps[`${a.size}→${b.size}`] = {
        sizeRatio: b.size / a.size,
        timeRatio: round(cb.medianMs / ca.medianMs, 2),
        netTimeRatio: round(cb.netMs / Math.max(ca.netMs, 1), 2),
        rssRatio: round(cb.peakRssMB / ca.peakRssMB, 2),
        marginalMsPerModule: round(marginal, 3),
        marginalGrowth: prevMarginal && prevMarginal > 0 ? round(marginal / prevMarginal, 2) : null,
      };
      prevMarginal = marginal;
    }
    if (pts.length > 1) results.linearity[name] = steps;
  }

  // Targets.
  const target = (name, goal, measured, met, minMs) => results.targets.push({ name, goal, measured, met, ...(minMs !== undefined ? { minMs } : {}) });
  if (results.teamdocs) {
    for (const name of ['validate', 'plan compose', 'plan docker', 'plan kubernetes', 'plan aws']) {
      if (!results.teamdocs.commands[name]) continue;
      const { medianMs: m, minMs } = results.teamdocs.commands[name];
      target(`teamdocs ${name}`, '< 300 ms per process (median)', m, m !== null && m < 300, minMs);
    }
  } else target('teamdocs validate+plan', '< 300 ms per process', null, null);
  {
    // Answered before commander and the registries load (bin/aninfra.ts); compare with node -e 0.
    const { medianMs: m, minMs } = results.baseline['aninfra --version'];
    target('aninfra --version', '< 120 ms per process (median)', m, m !== null && m < 120, minMs);
  }
  const k = results.sizes.find((s) => s.size === 1000);
  if (k) {
    for (const name of ['validate', 'plan compose', 'plan docker', 'plan kubernetes', 'plan aws']) {
      if (!k.commands[name]) continue;
      const { medianMs: m, minMs } = k.commands[name];
      target(`1,000 modules ${name}`, '< 1000 ms per process (median)', m, m !== null && m < 1000, minMs);
    }
    // The kubernetes plan of a spec against the compose plan of the same spec, medians of one run.
    const kube = k.commands['plan kubernetes']?.medianMs;
    const comp = k.commands['plan compose']?.medianMs;
    const ratio = kube != null && comp ? round(kube / comp, 2) : null;
    target('1,000 modules kubernetes/compose plan', `median ratio <= 1.3 (kubernetes ${f1(kube)} ms / compose ${f1(comp)} ms)`, ratio, ratio === null ? null : ratio <= 1.3);
    // The aws plan (program and cost estimate) against the compose plan, when the build has the aws target.
    const awsMs = k.commands['plan aws']?.medianMs;
    const awsRatio = awsMs != null && comp ? round(awsMs / comp, 2) : null;
    if (AWS) target('1,000 modules aws/compose plan', `median ratio <= 1.5 (aws ${f1(awsMs)} ms / compose ${f1(comp)} ms)`, awsRatio, awsRatio === null ? null : awsRatio <= 1.5);
  }
  // Linear: the marginal cost per module of the last step at most 1.3x that of the step before.
  // Only judged when both steps add at least 200 ms: smaller differences are start-up noise.
  for (const name of ['validate', 'plan compose', 'plan docker', 'plan kubernetes', 'plan aws']) {
    const steps = Object.entries(results.linearity[name] ?? {});
    const [step, last] = steps[steps.length - 1] ?? [];
    if (!last || last.marginalGrowth === null) continue;
    const [prev, before] = steps[steps.length - 2];
    const delta = (s, k) => s.marginalMsPerModule * (Number(k.split('→')[1]) - Number(k.split('→')[0]));
    const judged = delta(before, prev) >= 200 && delta(last, step) >= 200;
    target(`linear ${name}`, `marginal ms/module ${step} <= 1.3x that of ${prev}${judged ? '' : ' (n/a: a step adds < 200 ms, under the noise)'}`, last.marginalGrowth, judged ? last.marginalGrowth <= 1.3 : null);
  }

  // validate and plan must not load @pulumi/*.
  if (!flag('--no-pulumi-check')) {
    log('@pulumi load check');
    const small = join(TMP, `size-${SIZES[0]}`, 'spec.yaml');
    const specs = [small, ...(results.teamdocs ? [join(TMP, 'teamdocs', 'teamdocs.yaml')] : [])];
    const checks = [];
    for (const spec of specs) {
      const dir = dirname(spec);
      for (const args of [
        ['validate', spec, '--json'],
        ['plan', spec, '--json', '--target', 'compose', '--emit-dir', join(dir, 'trace-compose'), '--state-dir', join(dir, 'trace-state')],
        ['plan', spec, '--json', '--target', 'docker', '--emit-dir', join(dir, 'trace-docker'), '--state-dir', join(dir, 'trace-state')],
        ['plan', spec, '--json', '--target', 'kubernetes', '--emit-dir', join(dir, 'trace-kubernetes'), '--state-dir', join(dir, 'trace-state')],
        ...(validatedFor.has(`aws ${spec}`) ? [['plan', spec, '--json', '--target', 'aws', '--emit-dir', join(dir, 'trace-aws'), '--state-dir', join(dir, 'trace-state')]] : []),
      ]) {
        const t = traceLoads([CLI, ...args], { cwd: TMP, timeoutMs: TIMEOUT_MS });
        const complete = t.status === 0 && t.exited && t.entries.some((e) => e.includes('/dist/src/compiler/pipeline.js'));
        checks.push({ command: `${args[0]} ${args.includes('--target') ? args[args.indexOf('--target') + 1] : ''}`.trim(), spec: relative(TMP, spec), exit: t.status, traced: t.bySource, complete, pulumi: t.pulumi.slice(0, 10) });
        if (!complete) fail(`trace of ${args.join(' ')} incomplete (exit ${t.status}): ${t.stderr.slice(0, 500)}`);
        if (t.pulumi.length) fail(`${args[0]} loaded @pulumi: ${t.pulumi.slice(0, 3).join(', ')}`);
      }
    }
    // Positive control: the tracer does see @pulumi when it is loaded.
    const control = traceLoads(['--input-type=module', '-e', "await import('@pulumi/pulumi')"], { cwd: ROOT, timeoutMs: TIMEOUT_MS });
    const controlOk = control.pulumi.length > 0;
    if (!controlOk) fail('positive control: the tracer did not see @pulumi/pulumi being imported');
    results.pulumiCheck = { pulumiLoaded: checks.some((c) => c.pulumi.length > 0), method: 'node --import bench/lib/trace-loads.mjs: ESM resolve hook (module.register) + CJS Module._resolveFilename + require.cache at exit', positiveControl: controlOk, checks };
  }
} catch (e) {
  fail(String(e?.stack ?? e));
} finally {
  if (SNAPSHOT) rmSync(SNAPSHOT, { recursive: true, force: true });
  else {
    const buildAfter = existsSync(CLI) ? distHash() : null;
    if (buildAfter !== buildBefore) {
      results.build.distChangedDuringRun = true;
      log(`warning: dist/ changed during the run (${buildBefore} → ${buildAfter}); numbers mix two builds`);
    }
  }
  results.machine.loadavg.end = os.loadavg().map((x) => round(x, 2));
  results.totalSeconds = round((Date.now() - started) / 1000);
  results.waitedSeconds = round(waitedMs / 1000);
  results.failures = failures;
  if (!flag('--keep')) rmSync(TMP, { recursive: true, force: true });
  else log(`kept ${TMP}`);
}

// ── output ───────────────────────────────────────────────────────────────────────────────────
printTable(results);
if (!flag('--no-write')) {
  mkdirSync(OUT_DIR, { recursive: true });
  const stamp = results.date.replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
  const name = `${stamp}-${results.build.gitCommit ?? results.build.distHash}${QUICK ? '-quick' : ''}.json`;
  const text = JSON.stringify(results, null, 2) + '\n';
  writeFileSync(join(OUT_DIR, name), text);
  const sizesComplete = !value('--sizes') && !RUNS_OVERRIDE && !ONLY;
  if (sizesComplete) writeFileSync(join(OUT_DIR, QUICK ? 'latest-quick.json' : 'latest.json'), text);
  log(`wrote ${relative(ROOT, join(OUT_DIR, name))}${sizesComplete ? ` and ${QUICK ? 'latest-quick.json' : 'latest.json'}` : ''}`);
}
const missed = results.targets.filter((t) => t.met === false);
if (failures.length) process.exitCode = 1;
else if (flag('--strict') && missed.length) process.exitCode = 1;

function printTable(r) {
  const out = [];
  const f = (x) => (x === null || x === undefined ? '—' : String(x));
  out.push(`\naninfra bench · ${r.date} · ${r.mode} · node ${r.node} · ${r.machine.cpus} cpus · load ${r.machine.loadavg.start.join('/')} → ${r.machine.loadavg.end?.join('/')}`);
  out.push(`build ${r.build.gitCommit ?? '(no commit)'} dist ${r.build.distHash}${r.build.distChangedDuringRun ? ' (changed during run!)' : ''}\n`);
  out.push('input            command            runs   median ms      min      max   RSS MB   ms/module  net ms/module  × node -e 0');
  const nodeMs = r.baseline['node -e 0']?.medianMs;
  const row = (input, name, s, size) =>
    out.push(
      [
        input.padEnd(16),
        name.padEnd(18),
        f(s.runs).padStart(5) + (s.budgetLimited ? '*' : ' '),
        (s.timedOutAfterMs ? `>${s.timedOutAfterMs}` : f(s.medianMs)).padStart(10),
        f(s.minMs).padStart(8),
        f(s.maxMs).padStart(8),
        f(s.peakRssMB).padStart(8),
        f(size && s.medianMs !== null ? round(s.medianMs / size, 3) : null).padStart(11),
        f(s.netMsPerModule).padStart(14),
        f(nodeMs && s.medianMs !== null ? round(s.medianMs / nodeMs, 1) : null).padStart(12),
      ].join(' '),
    );
  for (const [name, s] of Object.entries(r.baseline)) row('baseline', name, s);
  if (r.teamdocs) for (const [name, s] of Object.entries(r.teamdocs.commands)) row(`teamdocs (${r.teamdocs.modules})`, name, s);
  for (const s of r.sizes) for (const [name, c] of Object.entries(s.commands)) row(`${s.size} modules`, name, c, s.size);
  out.push('  * stopped early: the cell used up its time budget;  >N: the one run was stopped after N ms');
  if (Object.keys(r.linearity).length) {
    out.push('\nlinearity: t(b)/t(a) raw · net of node start-up · marginal ms per added module (growth vs previous step; linear ≈ ×1)');
    for (const [name, steps] of Object.entries(r.linearity)) {
      out.push(`  ${name}`);
      for (const [k, v] of Object.entries(steps)) out.push(`    ${k.padEnd(12)} ×${f(v.timeRatio).padEnd(6)} net ×${f(v.netTimeRatio).padEnd(6)} marginal ${f(v.marginalMsPerModule).padStart(7)} ms/module${v.marginalGrowth !== null ? ` (×${v.marginalGrowth})` : ''}   rss ×${f(v.rssRatio)}`);
    }
  }
  out.push('\ntargets');
  for (const t of r.targets) out.push(`  ${t.met === true ? 'MET   ' : t.met === false ? 'MISSED' : 'n/a   '} ${t.name.padEnd(28)} ${f(t.measured).padStart(9)}${t.minMs !== undefined ? ` (min ${f(t.minMs)})` : ''}   goal ${t.goal}`);
  if (r.pulumiCheck) out.push(`\n@pulumi loaded by validate/plan: ${r.pulumiCheck.pulumiLoaded} (${r.pulumiCheck.checks.length} traced runs; positive control ${r.pulumiCheck.positiveControl ? 'ok' : 'FAILED'})`);
  if (r.failures.length) out.push(`\nFAILURES:\n  ${r.failures.join('\n  ')}`);
  out.push(`\ntotal ${r.totalSeconds} s${r.waitedSeconds ? ` (${r.waitedSeconds} s of it waiting for a quieter machine)` : ''}`);
  console.log(out.join('\n'));
}
