#!/usr/bin/env node
/**
 * Summarize a V8 .cpuprofile (from `node --cpu-prof`): the hottest functions by self time and by
 * inclusive (total) time, as file:line function. Plain Node, no deps.
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/bin/aninfra.js plan spec.yaml --target docker
 *   node bench/profile-summary.mjs /tmp/prof/CPU.*.cpuprofile [--top 25] [--json]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

export function summarize(profile, { top = 25, root = process.cwd() } = {}) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Sample counts per node, weighted by the time delta of each sample.
  const selfUs = new Map();
  const deltas = profile.timeDeltas ?? [];
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const label = (n) => {
    const cf = n.callFrame;
    const url = cf.url ? (cf.url.startsWith('file://') ? relative(root, new URL(cf.url).pathname) : cf.url) : '';
    return `${url || '(native)'}:${cf.lineNumber + 1} ${cf.functionName || '(anonymous)'}`;
  };
  const self = new Map();
  const total = new Map();
  for (const [id, us] of selfUs) {
    const n = nodes.get(id);
    const key = label(n);
    self.set(key, (self.get(key) ?? 0) + us);
    // Inclusive: every distinct function on the stack gets the sample once.
    const onStack = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) onStack.add(label(nodes.get(cur)));
    for (const k of onStack) total.set(k, (total.get(k) ?? 0) + us);
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => ({ fn, ms: Math.round(us / 1000), pct: Math.round((1000 * us) / totalUs) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), self: rank(self), inclusive: rank(total) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  if (!file) {
    console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [--top N] [--json]');
    process.exit(1);
  }
  const topIdx = args.indexOf('--top');
  const top = topIdx >= 0 ? Number(args[topIdx + 1]) : 25;
  const s = summarize(JSON.parse(readFileSync(file, 'utf8')), { top });
  if (args.includes('--json')) console.log(JSON.stringify(s, null, 2));
  else {
    console.log(`total sampled: ${s.totalMs} ms\n\nself time:`);
    for (const r of s.self) console.log(`${String(r.ms).padStart(8)} ms ${String(r.pct).padStart(5)}%  ${r.fn}`);
    console.log('\ninclusive time:');
    for (const r of s.inclusive) console.log(`${String(r.ms).padStart(8)} ms ${String(r.pct).padStart(5)}%  ${r.fn}`);
  }
}
