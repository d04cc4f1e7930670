#!/usr/bin/env node
/**
 * aninfra benchmark: whole-process wall time, CPU time (user+sys) and peak RSS of `validate` and `plan` (compose,
 * docker and kubernetes targets, and aws when the CLI has that target) on generated specs of 10 / 100 / 1,000 / 10,000 modules and on the teamdocs
 * example, with a `node -e 0` baseline, `docker-compose config -q` on the emitted compose files,
 * a linearity check, and a check that validate and plan never load @pulumi/*. Every target of
 * issue 14 is judged in `targets` (CPU ratios against docker-compose config at 1,000 modules,
 * CPU and RSS limits at 10,000, teamdocs and --version wall times, linearity of the marginal CPU).
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

/**
 * The compose CLIs to time `config -q` with: docker-compose (v1, Python; issue 14 measured 1.29.2)
 * as `compose config`, the reference of the ratio targets, and the `docker compose` plugin (v2, Go)
 * as `docker compose config`, recorded beside it. Without v1 the plugin is the reference.
 */
function findComposes() {
  const found = [];
  const v1 = which('docker-compose');
  if (v1) {
    const r = spawnSync(v1, ['version', '--short'], { encoding: 'utf8' });
    if (r.status === 0) found.push({ cmd: [v1], version: `docker-compose ${r.stdout.trim()}` });
  }
  const docker = which('docker');
  if (docker) {
    const r = spawnSync(docker, ['compose', 'version', '--short'], { encoding: 'utf8' });
    if (r.status === 0) found.push({ cmd: [docker, 'compose'], version: `docker compose ${r.stdout.trim()}` });
  }
  return found.map((c, i) => ({ ...c, cell: i === 0 ? 'compose config' : 'docker compose config' }));
}

const GNU_TIME = findGnuTime();
const TIMEOUT_CMD = which('timeout');
const RSS_PRELOAD = join(ROOT, 'bench', 'lib', 'max-rss.mjs');

// ── process measurement ──────────────────────────────────────────────────────────────────────
/**
 * Run one process to completion and measure it: wall time (hrtime around a synchronous spawn, so
 * the harness does nothing else meanwhile), CPU time (user + sys of the process and the children
 * it waited for) and peak RSS. stdout goes to /dev/null; stderr is kept for error reports. With
 * GNU time the command runs as `/usr/bin/time -f '%e %U %S %M' -o FILE cmd …` (CPU in 10 ms
 * steps; time adds one fork+exec, ~1 ms, to every measurement including the baseline). Without
 * it, node commands get a preload that writes process.resourceUsage()'s maxRSS and CPU at exit;
 * others get neither.
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
    fullArgs = ['-f', '%e %U %S %M', '-o', rssFile, ...inner];
  } else if (cmd === process.execPath && inner[0] === cmd) {
    fullArgs = ['--import', RSS_PRELOAD, ...args];
    childEnv.ANINFRA_BENCH_RSS_FILE = rssFile;
  }
  const backstop = timeoutMs ? timeoutMs + 30_000 : TIMEOUT_MS;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(file, fullArgs, { cwd: cwd ?? TMP, env: childEnv, stdio: ['ignore', 'ignore', 'pipe'], timeout: backstop, maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let rssKB;
  let cpuMs;
  if (existsSync(rssFile)) {
    // GNU time may prefix "Command exited with non-zero status N"; the numbers are the last line:
    // "%e %U %S %M" (seconds, seconds, seconds, KB), or the preload's "maxRSS-KB cpu-µs".
    const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop().trim().split(/\s+/).map(Number);
    if (GNU_TIME) {
      rssKB = last[3];
      cpuMs = (last[1] + last[2]) * 1000;
    } else {
      rssKB = last[0];
      cpuMs = last[1] / 1000;
    }
    rmSync(rssFile, { force: true });
  }
  const timedOut = r.error?.code === 'ETIMEDOUT' || (!!timeoutMs && !!TIMEOUT_CMD && (r.status === 124 || r.status === 137));
  return { ms, cpuMs: Number.isFinite(cpuMs) ? cpuMs : undefined, rssMB: Number.isFinite(rssKB) ? rssKB / 1024 : undefined, status: r.status, timedOut, stderr: String(r.stderr ?? '').slice(0, 4000) };
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
      if (s.status !== 0 && !s.timedOut && c.opts.toolLimit?.test(s.stderr)) {
        // A limit of the tool itself, not a fault of the input (docker compose v2 refuses files of
        // more than 100,000 YAML nodes): recorded as refused, not as a failure of the run.
        c.refused = s.stderr.trim().split('\n')[0].slice(0, 300);
        c.done = true;
        log(`${label} ${c.name}: refused by the tool: ${c.refused}`);
        continue;
      }
      if (s.status !== 0 || s.timedOut) {
        const why = s.timedOut ? `timed out after ${TIMEOUT_MS / 1000} s` : `exit ${s.status}`;
        fail(`${label} ${c.name}: ${why}: ${s.stderr.split('\n').slice(0, 5).join(' | ')}`);
        c.done = true;
        c.failed = true;
        continue;
      }
      // A spent budget ends a cell only once it has minRuns samples (the cells a ratio target compares).
      if (c.samples.length >= c.runs || (c.spentMs >= (c.opts.budgetMs ?? BUDGET_MS) && c.samples.length >= (c.opts.minRuns ?? 1))) c.done = true;
    }
    log(`${label}: round ${round + 1} done (${cells.map((c) => `${c.name} ${c.samples.length}`).join(', ')})`);
  }
  return Object.fromEntries(cells.map((c) => [c.name, stats(c)]));
}

function stats(c) {
  const ok = c.samples.filter((s) => s.status === 0 && !s.timedOut);
  const ms = ok.map((s) => s.ms);
  const rss = ok.map((s) => s.rssMB).filter((x) => x !== undefined);
  const cpu = ok.map((s) => s.cpuMs).filter((x) => x !== undefined);
  return {
    runs: ok.length,
    plannedRuns: c.runs,
    budgetLimited: ok.length < c.runs && !c.failed && !c.timedOutAfterMs,
    ...(c.timedOutAfterMs ? { timedOutAfterMs: c.timedOutAfterMs } : {}),
    ...(c.refused ? { refused: c.refused } : {}),
    failed: !!c.failed,
    medianMs: round(ms.length ? median(ms) : null),
    minMs: round(ms.length ? Math.min(...ms) : null),
    maxMs: round(ms.length ? Math.max(...ms) : null),
    samplesMs: ms.map((x) => round(x)),
    medianCpuMs: round(cpu.length ? median(cpu) : null),
    minCpuMs: round(cpu.length ? Math.min(...cpu) : null),
    maxCpuMs: round(cpu.length ? Math.max(...cpu) : null),
    samplesCpuMs: cpu.map((x) => round(x)),
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
const COMPOSES = flag('--no-compose-config') ? [] : findComposes();
/** `config -q` cells of every compose CLI found, on one emitted compose file. */
const composeCells = (file, opts) => COMPOSES.map((c) => cell(c.cell, c.cmd[0], [...c.cmd.slice(1), '-f', file, 'config', '-q'], { ...opts, toolLimit: /exceeds maximum node visit limit/ }));
if (missing.length) log(`catalog lacks ${missing.join(', ')}: those roles fold into postgres`);
log(`temp dir ${TMP}; node ${process.version}; rss via ${GNU_TIME ? 'GNU time' : 'resourceUsage preload'}; compose: ${COMPOSES.map((c) => c.version).join(' and ') || 'not found'}`);

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
  tools: {
    rss: GNU_TIME ? `${GNU_TIME} -f %M (GNU time, child max RSS)` : 'process.resourceUsage().maxRSS at exit (preload)',
    cpu: GNU_TIME ? `${GNU_TIME} -f '%U %S' (GNU time, user+sys of the child and what it waited for, 10 ms steps)` : 'process.resourceUsage() user+sys at exit (preload; node commands only)',
    // The cell `compose config` is the reference of the ratio targets (docker-compose v1 when installed).
    compose: COMPOSES[0]?.version ?? null,
    composeCells: Object.fromEntries(COMPOSES.map((c) => [c.cell, c.version])),
  },
  method: {
    wall: 'whole process, hrtime around a synchronous spawn; stdout to /dev/null, NO_COLOR=1, --json',
    cpu: 'user+sys CPU of the whole process (and the children it waited for) per sample; medianCpuMs is the median over the samples; the targets of issue 14 use it except where they name wall time',
    runs: QUICK ? 'quick: 3 per cell' : '7 per cell (5 at 1,000, 3 at 10,000), round-robin across the cells of one input',
    budgetSeconds: BUDGET_MS / 1000,
    composeConfig: `config -q on the emitted compose file by docker-compose (v1; cell "compose config", the reference of the ratio targets) and by the docker compose plugin (v2; cell "docker compose config"), dummy values for the variables it reads, build contexts created; half the budget per cell; one run stopped after ${COMPOSE_TIMEOUT_MS / 1000} s is recorded as a lower bound`,
    netMs: 'median minus the median of `node -e 0` measured in the same run (netCpuMs: the same for CPU)',
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
  const baseCpu = results.baseline['node -e 0'].medianCpuMs;
  if (teamdocsDoc) {
    const teamdocs = Object.fromEntries(['validate', 'plan compose', 'plan docker', 'plan kubernetes', 'plan aws'].filter((name) => first[name]).map((name) => [name, first[name]]));
    const file = join(tdDir, 'emit-compose', 'docker-compose.yml');
    if (COMPOSES.length && existsSync(file)) {
      const opts = { runs: smallRuns, cwd: dirname(file), env: composeEnv(file), timeoutMs: COMPOSE_TIMEOUT_MS, timeoutIsResult: true, budgetMs: BUDGET_MS / 2 };
      Object.assign(teamdocs, runCells(composeCells(file, opts), 'teamdocs'));
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
    // The ratio targets at 1,000 modules compare medians: at least 3 samples per cell there, budget or not.
    const minRuns = size === 1000 ? Math.min(3, runs) : 1;
    const compose = join(dir, 'emit-compose');
    const commands = runCells(
      wanted([
        cell('validate', node, [CLI, 'validate', spec, '--json'], { runs, minRuns }),
        cell('plan compose', node, [CLI, 'plan', spec, '--json', '--target', 'compose', '--emit-dir', compose, '--state-dir', join(dir, 'state')], { runs, minRuns }),
        cell('plan docker', node, [CLI, 'plan', spec, '--json', '--target', 'docker', '--emit-dir', join(dir, 'emit-docker'), '--state-dir', join(dir, 'state')], { runs, minRuns }),
        cell('plan kubernetes', node, [CLI, 'plan', spec, '--json', '--target', 'kubernetes', '--emit-dir', join(dir, 'emit-kubernetes'), '--state-dir', join(dir, 'state')], { runs, minRuns }),
        ...(aws ? [cell('plan aws', node, [CLI, 'plan', spec, '--json', '--target', 'aws', '--emit-dir', join(dir, 'emit-aws'), '--state-dir', join(dir, 'state')], { runs, minRuns })] : []),
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
        // The program's objects are data beside its fixed index.ts.
        const k8sData = join(dir, 'emit-kubernetes', 'aninfra-objects.json');
        if (existsSync(k8sData)) emitted.kubernetesDataBytes = statSync(k8sData).size;
      }
      const awsIndex = join(dir, 'emit-aws', 'index.ts');
      if (existsSync(awsIndex)) emitted.awsIndexBytes = statSync(awsIndex).size;
      const awsData = join(dir, 'emit-aws', 'aninfra-resources.json');
      if (existsSync(awsData)) emitted.awsDataBytes = statSync(awsData).size;
      if (COMPOSES.length) {
        const opts = { runs, minRuns, cwd: compose, env: composeEnv(file), timeoutMs: COMPOSE_TIMEOUT_MS, timeoutIsResult: true, budgetMs: BUDGET_MS / 2 };
        Object.assign(commands, runCells(composeCells(file, opts), `size ${size}`));
      }
    }
    for (const c of Object.values(commands)) {
      c.msPerModule = c.medianMs === null ? null : round(c.medianMs / size, 3);
      c.netMs = c.medianMs === null ? null : round(c.medianMs - base);
      c.netMsPerModule = c.medianMs === null ? null : round((c.medianMs - base) / size, 3);
      c.cpuMsPerModule = c.medianCpuMs == null ? null : round(c.medianCpuMs / size, 3);
      c.netCpuMs = c.medianCpuMs == null || baseCpu == null ? null : round(c.medianCpuMs - baseCpu);
    }
    results.sizes.push({ size, counts: gen.counts, specBytes: gen.text.length, emitted, commands });
    rmSync(join(dir, 'emit-docker'), { recursive: true, force: true });
    rmSync(join(dir, 'emit-kubernetes'), { recursive: true, force: true });
    rmSync(join(dir, 'emit-aws'), { recursive: true, force: true });
  }

  // Linearity. Between consecutive sizes a → b: the raw ratio t(b)/t(a), the ratio of net times
  // (minus bare node), and the marginal cost (t(b) − t(a)) / (b − a) in ms per added module, of
  // wall time and of CPU time. The fixed start-up cost of the CLI hides growth in the ratios at
  // small sizes; the marginal cost does not: linear means the marginal cost stays flat from one
  // step to the next.
  for (const name of ['validate', 'plan compose', 'plan docker', 'plan kubernetes', 'plan aws', 'compose config', 'docker compose config']) {
    const pts = results.sizes.filter((s) => s.commands[name]?.medianMs != null);
    const steps = {};
    let prevMarginal;
    let prevCpuMarginal;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1];
      const b = pts[i];
      const ca = a.commands[name];
      const cb = b.commands[name];
      const marginal = (cb.medianMs - ca.medianMs) / (b.size - a.size);
      const cpuMarginal = ca.medianCpuMs != null && cb.medianCpuMs != null ? (cb.medianCpuMs - ca.medianCpuMs) / (b.size - a.size) : null;
      steps[`${a.size}→${b.size}`] = {
        sizeRatio: b.size / a.size,
        timeRatio: round(cb.medianMs / ca.medianMs, 2),
        netTimeRatio: round(cb.netMs / Math.max(ca.netMs, 1), 2),
        rssRatio: round(cb.peakRssMB / ca.peakRssMB, 2),
        marginalMsPerModule: round(marginal, 3),
        marginalGrowth: prevMarginal && prevMarginal > 0 ? round(marginal / prevMarginal, 2) : null,
        cpuRatio: cpuMarginal === null ? null : round(cb.medianCpuMs / Math.max(ca.medianCpuMs, 1), 2),
        marginalCpuMsPerModule: round(cpuMarginal, 3),
        marginalCpuGrowth: cpuMarginal !== null && prevCpuMarginal && prevCpuMarginal > 0 ? round(cpuMarginal / prevCpuMarginal, 2) : null,
      };
      prevMarginal = marginal;
      prevCpuMarginal = cpuMarginal;
    }
    if (pts.length > 1) results.linearity[name] = steps;
  }

  // Targets: every target of issue 14, each with its goal, what was measured and whether it is met
  // (null: not measured in this run, or under the noise).
  const target = (name, goal, measured, met, extra = {}) => results.targets.push({ name, goal, measured, met, ...extra });
  const PLANS = ['plan compose', 'plan docker', 'plan kubernetes', 'plan aws'];
  const ratioOf = (a, b) => (a != null && b ? round(a / b, 2) : null);
  const at = (size) => results.sizes.find((s) => s.size === size);
  // teamdocs: whole-process wall time (the issue's words), median of the run.
  if (results.teamdocs) {
    for (const name of ['validate', ...PLANS]) {
      if (!results.teamdocs.commands[name]) continue;
      const { medianMs: m, minMs, medianCpuMs } = results.teamdocs.commands[name];
      target(`teamdocs ${name} wall`, '< 300 ms per process (median wall)', m, m !== null && m < 300, { minMs, cpuMs: medianCpuMs });
    }
  } else target('teamdocs validate+plan wall', '< 300 ms per process (median wall)', null, null);
  {
    // Answered before commander and the registries load (bin/aninfra.ts); compare with node -e 0.
    const { medianMs: m, minMs, medianCpuMs } = results.baseline['aninfra --version'];
    target('aninfra --version wall', '< 120 ms per process (median wall)', m, m !== null && m < 120, { minMs, cpuMs: medianCpuMs });
  }
  const k = at(1000);
  if (k) {
    // Against docker-compose config -q on the compose file this run emitted (CPU medians, same run).
    const ref = k.commands['compose config'];
    const refName = results.tools.composeCells['compose config'] ?? 'no compose CLI';
    const refCpu = ref?.timedOutAfterMs ? null : ref?.medianCpuMs;
    for (const name of ['validate', 'plan compose']) {
      const cpu = k.commands[name]?.medianCpuMs;
      const r = ratioOf(cpu, refCpu);
      target(`1,000 modules ${name} / compose config CPU`, `<= 0.2 (${f1(cpu)} ms / ${refName} config -q ${f1(refCpu)} ms CPU, same run)`, r, r === null ? null : r <= 0.2);
      const v2 = k.commands['docker compose config'];
      if (v2) {
        const r2 = ratioOf(cpu, v2.medianCpuMs);
        target(`1,000 modules ${name} / docker compose config CPU`, `recorded only: the issue measured docker-compose 1.29.2 (${f1(cpu)} ms / ${results.tools.composeCells['docker compose config']} config -q ${f1(v2.medianCpuMs)} ms CPU)`, r2, null);
      }
    }
    // Every other target's plan against the compose plan of the same spec (CPU medians, same run).
    const comp = k.commands['plan compose']?.medianCpuMs;
    for (const name of ['plan docker', 'plan kubernetes', 'plan aws']) {
      if (!k.commands[name]) continue;
      const cpu = k.commands[name].medianCpuMs;
      const r = ratioOf(cpu, comp);
      target(`1,000 modules ${name} / plan compose CPU`, `<= 1.3 (${f1(cpu)} ms / ${f1(comp)} ms CPU, same run)`, r, r === null ? null : r <= 1.3);
    }
  } else target('1,000 modules ratios', 'size 1,000 not in --sizes', null, null);
  const tenK = at(10000);
  if (tenK) {
    for (const name of ['validate', ...PLANS]) {
      const c = tenK.commands[name];
      if (!c) continue;
      const limit = name === 'validate' ? 2000 : 4000;
      target(`10,000 modules ${name} CPU`, `< ${limit} ms CPU (median)`, c.medianCpuMs, c.medianCpuMs == null ? null : c.medianCpuMs < limit, { minCpuMs: c.minCpuMs });
      if (name !== 'validate') target(`10,000 modules ${name} RSS`, '< 300 MB peak RSS (median)', c.peakRssMB, c.peakRssMB == null ? null : c.peakRssMB < 300, { maxMB: c.peakRssMaxMB });
    }
  } else target('10,000 modules CPU and RSS', 'size 10,000 not in --sizes', null, null);
  // Linear: the marginal CPU per module of the last step (1,000 → 10,000 in a full run) at most 1.3x
  // that of the step before (100 → 1,000). Judged only when both steps add at least 200 ms of CPU:
  // smaller differences are start-up noise.
  for (const name of ['validate', ...PLANS]) {
    const steps = Object.entries(results.linearity[name] ?? {});
    const [step, last] = steps[steps.length - 1] ?? [];
    if (!last || last.marginalCpuGrowth === null) continue;
    const [prev, before] = steps[steps.length - 2];
    const delta = (s, key) => s.marginalCpuMsPerModule * (Number(key.split('→')[1]) - Number(key.split('→')[0]));
    const judged = delta(before, prev) >= 200 && delta(last, step) >= 200;
    target(`linear ${name} CPU`, `marginal CPU ms/module ${step} <= 1.3x that of ${prev}${judged ? '' : ' (n/a: a step adds < 200 ms, under the noise)'}`, last.marginalCpuGrowth, judged ? last.marginalCpuGrowth <= 1.3 : null);
  }
  // History (bench/journal.mjs, a separate run): status, history and plan of a 100-module system
  // against 500 revisions within 1.2x of 1 revision (CPU). Taken from journal-latest.json when present.
  const journalFile = join(ROOT, 'bench', 'results', 'journal-latest.json');
  const journal = existsSync(journalFile) ? JSON.parse(readFileSync(journalFile, 'utf8')) : undefined;
  for (const name of ['status', 'history', 'plan']) {
    const r = journal?.ratios?.[`${name} many/one`];
    const source = journal ? `bench/journal.mjs ${journal.date} (${journal.commit}), ${journal.revisions} revisions, ${journal.runs} runs` : 'no journal-latest.json: run npm run bench:journal';
    target(`history: ${name} ${journal?.revisions ?? 500} revisions / 1 CPU`, `<= 1.2 (${source})`, r?.cpu ?? null, r?.cpu == null ? null : r.cpu <= 1.2, { fromOtherRun: true });
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
  out.push('input            command                 runs    wall ms    CPU ms  CPU min  CPU max   RSS MB  CPU ms/module  wall × node -e 0');
  const nodeMs = r.baseline['node -e 0']?.medianMs;
  const row = (input, name, s, size) =>
    out.push(
      [
        input.padEnd(16),
        name.padEnd(23),
        f(s.runs).padStart(5) + (s.budgetLimited ? '*' : ' '),
        (s.timedOutAfterMs ? `>${s.timedOutAfterMs}` : s.refused ? 'refused' : f(s.medianMs)).padStart(10),
        f(s.medianCpuMs).padStart(9),
        f(s.minCpuMs).padStart(8),
        f(s.maxCpuMs).padStart(8),
        f(s.peakRssMB).padStart(8),
        f(size && s.medianCpuMs != null ? round(s.medianCpuMs / size, 3) : null).padStart(14),
        f(nodeMs && s.medianMs !== null ? round(s.medianMs / nodeMs, 1) : null).padStart(17),
      ].join(' '),
    );
  for (const [name, s] of Object.entries(r.baseline)) row('baseline', name, s);
  if (r.teamdocs) for (const [name, s] of Object.entries(r.teamdocs.commands)) row(`teamdocs (${r.teamdocs.modules})`, name, s);
  for (const s of r.sizes) for (const [name, c] of Object.entries(s.commands)) row(`${s.size} modules`, name, c, s.size);
  out.push('  * stopped early: the cell used up its time budget;  >N: the one run was stopped after N ms;  refused: the tool refused the input (a limit of its own)');
  if (Object.keys(r.linearity).length) {
    out.push('\nlinearity: wall t(b)/t(a) · marginal wall and CPU ms per added module (growth vs previous step; linear ≈ ×1) · RSS ratio');
    for (const [name, steps] of Object.entries(r.linearity)) {
      out.push(`  ${name}`);
      for (const [k, v] of Object.entries(steps)) {
        const cpu = `CPU ${f(v.marginalCpuMsPerModule).padStart(7)}${v.marginalCpuGrowth != null ? ` (×${v.marginalCpuGrowth})` : ''}`;
        out.push(`    ${k.padEnd(12)} ×${f(v.timeRatio).padEnd(6)} marginal wall ${f(v.marginalMsPerModule).padStart(7)}${v.marginalGrowth !== null ? ` (×${v.marginalGrowth})` : ''}  ${cpu} ms/module   rss ×${f(v.rssRatio)}`);
      }
    }
  }
  out.push('\ntargets');
  for (const t of r.targets) out.push(`  ${t.met === true ? 'MET   ' : t.met === false ? 'MISSED' : 'n/a   '} ${t.name.padEnd(48)} ${f(t.measured).padStart(9)}${t.minMs !== undefined ? ` (min ${f(t.minMs)}${t.cpuMs != null ? `, CPU ${f(t.cpuMs)}` : ''})` : ''}   goal ${t.goal}`);
  if (r.pulumiCheck) out.push(`\n@pulumi loaded by validate/plan: ${r.pulumiCheck.pulumiLoaded} (${r.pulumiCheck.checks.length} traced runs; positive control ${r.pulumiCheck.positiveControl ? 'ok' : 'FAILED'})`);
  if (r.failures.length) out.push(`\nFAILURES:\n  ${r.failures.join('\n  ')}`);
  out.push(`\ntotal ${r.totalSeconds} s${r.waitedSeconds ? ` (${r.waitedSeconds} s of it waiting for a quieter machine)` : ''}`);
  console.log(out.join('\n'));
}
