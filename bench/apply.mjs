#!/usr/bin/env node
/**
 * Apply benchmark on a real Docker daemon: for the notes example (postgres, redis, a node and a
 * python service, a gateway), per engine (compose; Pulumi when scripts/pulumi-engine.sh has a
 * working engine), whole `aninfra` processes: apply from nothing to all-healthy, a no-op
 * re-apply, and destroy --delete-data. Cycles alternate between engines so load spreads evenly;
 * medians over the cycles. Writes bench/results/apply-<date>.json and apply-latest.json.
 *
 *   npm run bench:apply [-- --cycles 3]
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'bin', 'aninfra.js');
const images = join(root, 'specs', 'local-images.yaml');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const cycles = arg('--cycles', 3);
const noopRuns = arg('--noop-runs', 3);

function pulumiBin() {
  const script = join(root, 'scripts', 'pulumi-engine.sh');
  if (spawnSync('bash', [script, '--check'], { stdio: 'ignore' }).status !== 0) return undefined;
  return spawnSync('bash', [script], { encoding: 'utf8' }).stdout.trim().split('\n').pop();
}

function purge(system) {
  const q = (args) => {
    try {
      return execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  const ids = q(['ps', '-aq', '--filter', `label=aninfra.system=${system}`]);
  if (ids.length) q(['rm', '-f', '-v', ...ids]);
  for (const n of q(['network', 'ls', '-q', '--filter', `name=^${system}-net$`])) q(['network', 'rm', n]);
  for (const v of q(['volume', 'ls', '-q', '--filter', `name=^${system}-`])) q(['volume', 'rm', '-f', v]);
}

function workspace(system, target, port) {
  const dir = mkdtempSync(join(tmpdir(), `aninfra-bench-apply-${target}-`));
  cpSync(join(root, 'specs', 'examples', 'notes'), join(dir, 'notes'), { recursive: true });
  const text = readFileSync(join(root, 'specs', 'examples', 'notes.yaml'), 'utf8')
    .replace(/^  name: notes$/m, `  name: ${system}`)
    .replace(/^target: compose$/m, `target: ${target}`)
    .replace('port: 18080', `port: ${port}`);
  writeFileSync(join(dir, 'aninfra.yaml'), text);
  return { dir, spec: join(dir, 'aninfra.yaml') };
}

function timed(args, env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, ...args, '--json'], { env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
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

const bin = pulumiBin();
const engines = [{ name: 'compose', target: 'compose', env: {} }, ...(bin ? [{ name: 'pulumi', target: 'docker', env: { PATH: `${bin}:${process.env.PATH}` } }] : [])];
const samples = Object.fromEntries(engines.map((e) => [e.name, { apply: [], noop: [], destroy: [] }]));
const loadStart = loadavg();
for (let c = 0; c < cycles; c++) {
  for (const engine of engines) {
    const system = `bench-${engine.name}-${process.pid}`;
    const { dir, spec } = workspace(system, engine.target, 18700 + engines.indexOf(engine));
    purge(system);
    try {
      const applied = timed(['apply', spec, '--images', images, '--timeout', '180'], engine.env);
      if (!applied.doc.modules?.every((m) => m.health === 'healthy' || m.health === 'none')) throw new Error(`${engine.name}: not all healthy`);
      samples[engine.name].apply.push(applied.ms);
      for (let i = 0; i < noopRuns; i++) {
        const again = timed(['apply', spec, '--images', images], engine.env);
        if (!again.doc.modules?.every((m) => m.outcome === 'unchanged')) throw new Error(`${engine.name}: no-op apply changed something`);
        samples[engine.name].noop.push(again.ms);
      }
      samples[engine.name].destroy.push(timed(['destroy', spec, '--delete-data'], engine.env).ms);
    } finally {
      purge(system);
      rmSync(dir, { recursive: true, force: true });
    }
    process.stderr.write(`cycle ${c + 1}/${cycles} ${engine.name}: apply ${samples[engine.name].apply.at(-1)?.toFixed(0)} ms, no-op ${samples[engine.name].noop.at(-1)?.toFixed(0)} ms, destroy ${samples[engine.name].destroy.at(-1)?.toFixed(0)} ms\n`);
  }
}

const result = {
  schema: 1,
  date: new Date().toISOString(),
  system: 'specs/examples/notes.yaml (postgres, redis, node + python services, gateway) with specs/local-images.yaml',
  method: `whole processes; ${cycles} cycles alternating engines; per cycle: apply from nothing to all-healthy (images already built once, build cache warm), ${noopRuns} no-op re-applies, destroy --delete-data; medians`,
  load: { start: loadStart, end: loadavg() },
  engines: Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [name, Object.fromEntries(Object.entries(s).map(([k, xs]) => [k, { medianMs: median(xs), samplesMs: xs.map((x) => Math.round(x)) }]))]),
  ),
};
if (samples.pulumi) result.ratios = { applyPulumiOverCompose: median(samples.pulumi.apply) / median(samples.compose.apply), noopPulumiOverCompose: median(samples.pulumi.noop) / median(samples.compose.noop) };
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const stamp = result.date.replace(/[:.]/g, '-').slice(0, 19);
writeFileSync(join(root, 'bench', 'results', `apply-${stamp}.json`), JSON.stringify(result, null, 2) + '\n');
writeFileSync(join(root, 'bench', 'results', 'apply-latest.json'), JSON.stringify(result, null, 2) + '\n');
console.log('engine   apply→healthy   no-op re-apply   destroy   (median ms)');
for (const [name, s] of Object.entries(result.engines)) console.log(`${name.padEnd(8)} ${String(Math.round(s.apply.medianMs)).padStart(13)} ${String(Math.round(s.noop.medianMs)).padStart(16)} ${String(Math.round(s.destroy.medianMs)).padStart(9)}`);
if (result.ratios) console.log(`pulumi/compose: apply ×${result.ratios.applyPulumiOverCompose.toFixed(2)}, no-op ×${result.ratios.noopPulumiOverCompose.toFixed(2)}`);
