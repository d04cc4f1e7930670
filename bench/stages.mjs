#!/usr/bin/env node
/**
 * In-process stage timings, to find where the time of `plan` goes (the benchmark proper times
 * whole processes; this is the diagnostic companion). Imports the built compiler from dist/ and
 * measures the CPU time of each pipeline stage once per size, plus the pieces `plan` adds (makePlan, JSON output).
 *
 *   node bench/stages.mjs [--sizes 1000,10000] [--target compose|docker|kubernetes|aws] [--dist DIR] [--json]
 *
 * --dist points at another build (a dist/ directory whose node_modules resolve, e.g. a copy with
 * an experimental fix) to compare stage by stage.
 *
 * One process per size (a fresh heap each), so GC effects of one size do not leak into the next.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeGeneratedSpec } from './lib/gen-spec.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let DIST = join(ROOT, 'dist');
const dist = (p) => pathToFileURL(join(DIST, p)).href;

async function child(specPath, target) {
  const { parseSpec, defaultParseLimits } = await import(dist('src/compiler/parse/parse-spec.js'));
  const { validateSpec } = await import(dist('src/compiler/validate/validate-spec.js'));
  const { resolveGraph } = await import(dist('src/compiler/resolve/resolve-graph.js'));
  const { lowerToIr } = await import(dist('src/compiler/lower/lower-to-ir.js'));
  const { emitProgram, lowerForTarget } = await import(dist('src/compiler/emit/emit-program.js'));
  const { registry } = await import(dist('src/modules/index.js'));
  const { targetNamed } = await import(dist('src/targets/index.js'));
  const { makePlan } = await import(dist('src/plan/make-plan.js'));
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(specPath, 'utf8');
  const t = {};
  // CPU time (user + system) of this process per stage: far less sensitive than wall time to other
  // load on a shared machine. It includes GC work done during the stage.
  const time = (name, fn) => {
    const c = process.cpuUsage();
    const v = fn();
    const d = process.cpuUsage(c);
    t[name] = Math.round((d.user + d.system) / 100) / 10;
    return v;
  };
  const parsed = time('parse', () => parseSpec({ path: specPath, text }, defaultParseLimits));
  const validated = time('validate', () => validateSpec(parsed.value, { registry, target }));
  const resolved = time('resolve', () => resolveGraph(validated.value, { registry }));
  const lowered = time('lower', () => lowerToIr(resolved.value, {}));
  const t0 = targetNamed(target);
  const model = time(`lower:${target}`, () => lowerForTarget(lowered.value, t0, { toolVersion: 'bench' }));
  if (!model.value) throw new Error(`target ${target} refused the spec: ${JSON.stringify(model.diagnostics.slice(0, 3))}`);
  const emitted = time(`emit:${target}`, () => emitProgram(model.value, t0, { specDirFromOut: '..', outDirFromSpec: '.aninfra', toolVersion: 'bench' }));
  const plan = time('makePlan', () => makePlan({ model: model.value, rules: t0.plan, target, specText: text }));
  time('jsonOut', () => JSON.stringify({ files: emitted.value.map((f) => f.path), plan }, null, 2).length);
  t.irNodes = lowered.value.nodes.length;
  t.modelNodes = model.value.nodes.length;
  t.emittedBytes = emitted.value.reduce((a, f) => a + f.content.length, 0);
  t.heapMB = Math.round(process.memoryUsage().heapUsed / 1e6);
  process.stdout.write(JSON.stringify(t));
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : dflt;
  };
  if (args[0] === '--child') {
    DIST = args[3];
    return child(args[1], args[2]);
  }
  const distDir = resolve(opt('--dist', DIST));
  const sizes = opt('--sizes', '1000,10000').split(',').map(Number);
  const target = opt('--target', 'compose');
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-stages-'));
  const rows = [];
  try {
    for (const size of sizes) {
      const path = join(dir, `spec-${size}.yaml`);
      writeGeneratedSpec(path, size);
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', path, target, distDir], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (r.status !== 0) throw new Error(`stage run for ${size} failed: ${r.stderr}`);
      rows.push({ size, ...JSON.parse(r.stdout) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (args.includes('--json')) return console.log(JSON.stringify(rows, null, 2));
  const keys = Object.keys(rows[0]).filter((k) => k !== 'size');
  console.log(['stage (cpu ms)'.padEnd(16), ...rows.map((r) => String(r.size).padStart(10)), ...(rows.length > 1 ? ['  ratio last/first'] : [])].join(''));
  for (const k of keys) {
    const first = rows[0][k];
    const last = rows[rows.length - 1][k];
    console.log([k.padEnd(16), ...rows.map((r) => String(r[k]).padStart(10)), ...(rows.length > 1 ? [`  ${(last / Math.max(first, 0.1)).toFixed(1).padStart(8)}`] : [])].join(''));
  }
}

await main();
