#!/usr/bin/env node
/**
 * Apply benchmark on the local Kubernetes cluster (scripts/local-cluster.sh up): the notes example
 * on kubernetes (specs/examples/notes-k8s.yaml: postgres, redis, a node and a python service, a
 * gateway) with specs/local-images.yaml, as whole `aninfra` processes through the Pulumi engine
 * with the Kubernetes provider: apply from nothing until every module is ready, no-op re-applies,
 * then `destroy --delete-data`. Service images were built once before (Docker's build cache is
 * warm; the cluster's containerd has them), as on a developer machine; each apply still checks and
 * imports them. Medians over the cycles. Writes bench/results/cluster-apply-<date>.json and
 * cluster-apply-latest.json.
 *
 *   npm run bench:cluster [-- --cycles 3 --noop-runs 3]
 *
 * Needs the cluster up, a built Pulumi engine (scripts/pulumi-engine.sh --check) and dist/
 * (npm run build). Serialize with other cluster users: flock /tmp/aninfra-e2e.lock.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'bin', 'aninfra.js');
const images = join(root, 'specs', 'local-images.yaml');
const clusterScript = join(root, 'scripts', 'local-cluster.sh');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const cycles = arg('--cycles', 3);
const noopRuns = arg('--noop-runs', 3);
const port = arg('--port', 18790);

function fail(message) {
  process.stderr.write(`bench:cluster: ${message}\n`);
  process.exit(1);
}

/** KUBECONFIG, PATH (Pulumi engine, the cluster's kubectl) and the image load method of the local cluster. */
function clusterEnv() {
  if (!existsSync(cli)) fail('dist/ is missing: npm run build');
  const status = spawnSync(clusterScript, ['status'], { encoding: 'utf8', timeout: 60_000 });
  if (status.status !== 0) fail(`the local cluster is not up (${status.stdout.trim()}): scripts/local-cluster.sh up`);
  const kubeconfig = status.stdout.trim().split('\n').pop();
  const k8sBin = spawnSync(clusterScript, ['bin'], { encoding: 'utf8' }).stdout.trim();
  const pulumi = spawnSync('bash', [join(root, 'scripts', 'pulumi-engine.sh'), '--check'], { encoding: 'utf8', timeout: 60_000 });
  if (pulumi.status !== 0) fail('scripts/pulumi-engine.sh --check finds no working Pulumi engine');
  const pulumiBin = pulumi.stdout.trim().split('\n').pop();
  const run = process.env.ANINFRA_K8S_RUN ?? '/tmp/aninfra-k8s';
  return { KUBECONFIG: kubeconfig, PATH: `${pulumiBin}:${k8sBin}:${process.env.PATH}`, ANINFRA_K8S_IMAGE_LOAD: `ctr:${join(run, 'containerd', 'containerd.sock')}`, NO_COLOR: '1' };
}

function kubectl(env, args) {
  return spawnSync(clusterScript, ['kubectl', ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 180_000 });
}

/** Whatever a failed cycle left in the cluster, by label. */
function purge(env, system) {
  kubectl(env, ['delete', 'namespace', '-l', `aninfra.system=${system}`, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  kubectl(env, ['delete', 'pvc', '--all-namespaces', '-l', `aninfra.system=${system}`, '--ignore-not-found', '--wait=true', '--timeout=60s']);
}

function workspace(system) {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-bench-cluster-'));
  cpSync(join(root, 'specs', 'examples', 'notes'), join(dir, 'notes'), { recursive: true });
  const text = readFileSync(join(root, 'specs', 'examples', 'notes-k8s.yaml'), 'utf8')
    .replace(/^ {2}name: notes-k8s$/m, `  name: ${system}`)
    .replace('port: 18080', `port: ${port}`);
  if (!text.includes(`name: ${system}`)) fail('specs/examples/notes-k8s.yaml changed shape: metadata.name not found');
  writeFileSync(join(dir, 'aninfra.yaml'), text);
  return { dir, spec: join(dir, 'aninfra.yaml') };
}

function timed(args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args, '--json'], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  let doc = {};
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    // reported below
  }
  if (r.status !== 0) throw new Error(`aninfra ${args.join(' ')} exited ${r.status}: ${JSON.stringify(doc.diagnostics ?? r.stderr).slice(0, 2000)}`);
  return { ms, doc };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const base = clusterEnv();
const samples = { apply: [], noop: [], destroy: [] };
const loadStart = loadavg();
let tool = '';
for (let c = 0; c < cycles; c++) {
  const system = `bench-k8s-${process.pid % 100000}-${c}`;
  const { dir, spec } = workspace(system);
  const env = { ...base, XDG_CONFIG_HOME: join(dir, 'config') };
  purge(env, system);
  try {
    const applied = timed(['apply', spec, '--images', images, '--timeout', '300'], env);
    if (!applied.doc.modules?.every((m) => m.health === 'healthy' || m.health === 'none')) throw new Error(`cycle ${c + 1}: not all ready: ${JSON.stringify(applied.doc.modules)}`);
    tool = applied.doc.tool ?? applied.doc.engine ?? tool;
    samples.apply.push(applied.ms);
    for (let i = 0; i < noopRuns; i++) {
      const again = timed(['apply', spec, '--images', images], env);
      if (!again.doc.modules?.every((m) => m.outcome === 'unchanged')) throw new Error(`cycle ${c + 1}: the no-op apply changed something: ${JSON.stringify(again.doc.modules)}`);
      samples.noop.push(again.ms);
    }
    samples.destroy.push(timed(['destroy', spec, '--delete-data'], env).ms);
  } finally {
    purge(env, system);
    rmSync(dir, { recursive: true, force: true });
  }
  process.stderr.write(`cycle ${c + 1}/${cycles}: apply ${samples.apply.at(-1)?.toFixed(0)} ms, no-op ${samples.noop.at(-1)?.toFixed(0)} ms, destroy ${samples.destroy.at(-1)?.toFixed(0)} ms\n`);
}

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
const nodes = kubectl(base, ['version', '-o', 'json']);
let server = '';
try {
  server = JSON.parse(nodes.stdout).serverVersion?.gitVersion ?? '';
} catch {
  // unknown
}
const result = {
  schema: 1,
  date: new Date().toISOString(),
  commit,
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version },
  cluster: `scripts/local-cluster.sh (single node, Kubernetes ${server || 'unknown version'})`,
  tool,
  system: 'specs/examples/notes-k8s.yaml (postgres, redis, node + python services, gateway) with specs/local-images.yaml',
  method: `whole processes; ${cycles} cycles, each on a fresh system name: apply from nothing to all-ready (images built before, build cache warm, already in the cluster's containerd), ${noopRuns} no-op re-applies, destroy --delete-data; medians`,
  load: { start: loadStart, end: loadavg() },
  medianMs: { apply: median(samples.apply), noop: median(samples.noop), destroy: median(samples.destroy) },
  samplesMs: Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, xs.map((x) => Math.round(x))])),
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const stamp = result.date.replace(/[:.]/g, '-').slice(0, 19);
writeFileSync(join(root, 'bench', 'results', `cluster-apply-${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(root, 'bench', 'results', 'cluster-apply-latest.json'), JSON.stringify(result, null, 2) + '\n');
console.log('apply→ready   no-op re-apply   destroy --delete-data   (median ms)');
console.log(`${String(Math.round(result.medianMs.apply)).padStart(11)} ${String(Math.round(result.medianMs.noop)).padStart(16)} ${String(Math.round(result.medianMs.destroy)).padStart(23)}`);
