/**
 * Synthetic system specs for the benchmark: N modules with a realistic mix of databases (postgres,
 * redis, mongodb), HTTP services (node, build ./svc, port 8080, every 5th with 2 replicas, each
 * `uses:` 1–3 databases), workers (`uses:` 1–2 databases) and one gateway per 20 services routing
 * `/sN` → `svc-N`, each gateway published on its own host port. Nothing else publishes a port.
 *
 * Deterministic: the same (size, seed, types) always gives the same text. Plain ESM, no deps.
 * A spec's build contexts must exist inside its folder (ERR_PATH_NOT_FOUND otherwise):
 * `writeGeneratedSpec` writes the spec and creates them, each with a Dockerfile.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Share of each role in a spec of `size` modules (gateways are derived: one per 20 services). */
export const MIX = Object.freeze({ service: 0.45, worker: 0.15, postgres: 0.4, redis: 0.35, mongodb: 0.25 });
export const SERVICES_PER_GATEWAY = 20;
export const GATEWAY_BASE_PORT = 20000;
/** Every module type the full mix uses. */
export const FULL_MIX_TYPES = Object.freeze(['postgres', 'redis', 'mongodb', 'service', 'worker', 'gateway']);

/** Small seeded PRNG (mulberry32), so specs are reproducible. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * How many modules of each role a spec of `size` gets, given the module types the catalog has.
 * A role whose type is missing folds into postgres (the first type the catalog had), so a spec of
 * `size` modules can be generated while the catalog is still being completed.
 */
export function planCounts(size, types = FULL_MIX_TYPES) {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
  const has = (t) => types.includes(t);
  if (!has('postgres')) throw new Error('the catalog has no postgres module; nothing to generate');
  const hasService = has('service');
  let services = hasService ? Math.floor(size * MIX.service) : 0;
  const workers = has('worker') ? Math.floor(size * MIX.worker) : 0;
  let gateways = hasService && has('gateway') && services > 0 ? Math.ceil(services / SERVICES_PER_GATEWAY) : 0;
  // Tiny sizes: keep at least one database.
  while (services + workers + gateways >= size && services > 0) {
    services--;
    gateways = gateways > 0 ? Math.ceil(services / SERVICES_PER_GATEWAY) : 0;
  }
  const databases = size - services - workers - gateways;
  let redis = has('redis') ? Math.round(databases * MIX.redis) : 0;
  let mongodb = has('mongodb') ? Math.round(databases * MIX.mongodb) : 0;
  if (redis + mongodb >= databases) {
    redis = Math.min(redis, Math.max(0, databases - 1));
    mongodb = Math.max(0, databases - 1 - redis);
  }
  const postgres = databases - redis - mongodb;
  return { postgres, redis, mongodb, service: services, worker: workers, gateway: gateways };
}

/**
 * Generate one spec.
 * @param {number} size number of modules
 * @param {{ seed?: number, types?: readonly string[], name?: string, target?: 'docker' | 'compose' }} [options]
 * @returns {{ text: string, counts: Record<string, number>, modules: Map<string, { type: string, with?: object, uses?: string[] }>, hostPorts: number[], buildContexts: string[] }}
 */
export function generateSpec(size, options = {}) {
  const { seed = 42, types = FULL_MIX_TYPES, name = `bench-${size}`, target = 'docker' } = options;
  const counts = planCounts(size, types);
  const random = prng(seed + size);
  const pick = (n) => Math.floor(random() * n);
  /** @type {Map<string, { type: string, with?: Record<string, unknown>, uses?: string[] }>} */
  const modules = new Map();
  const databases = [];

  for (let i = 1; i <= counts.postgres; i++) {
    const n = `pg-${i}`;
    modules.set(n, { type: 'postgres', version: '16', with: { storage: `${1 + (i % 20)}Gi` } });
    databases.push(n);
  }
  for (let i = 1; i <= counts.redis; i++) {
    const n = `redis-${i}`;
    modules.set(n, { type: 'redis', version: '7', ...(i % 4 === 0 ? { with: { persistence: false } } : {}) });
    databases.push(n);
  }
  for (let i = 1; i <= counts.mongodb; i++) {
    const n = `mongo-${i}`;
    modules.set(n, { type: 'mongodb', version: '7', with: { database: `docs_${i}` } });
    databases.push(n);
  }

  /** k distinct databases, chosen from a window near `i` so the graph has locality like real systems. */
  const usesFor = (i, k) => {
    const out = new Set();
    const window = Math.min(databases.length, 50);
    const start = databases.length > window ? (i * 7) % (databases.length - window + 1) : 0;
    let guard = 0;
    while (out.size < Math.min(k, databases.length) && guard++ < 1000) out.add(databases[start + pick(window)]);
    return [...out];
  };

  const services = [];
  for (let i = 1; i <= counts.service; i++) {
    const n = `svc-${i}`;
    const w = { runtime: 'node', build: './svc', port: 8080 };
    if (i % 5 === 0) w.replicas = 2;
    modules.set(n, { type: 'service', with: w, uses: usesFor(i, 1 + pick(3)), env: { LOG_LEVEL: 'info', SERVICE_NAME: n } });
    services.push(n);
  }
  for (let i = 1; i <= counts.worker; i++) {
    const n = `wrk-${i}`;
    modules.set(n, { type: 'worker', with: { runtime: 'node', build: './wrk' }, uses: usesFor(i + 3, 1 + pick(2)) });
  }
  const hostPorts = [];
  for (let g = 0; g < counts.gateway; g++) {
    const n = `gw-${g + 1}`;
    const port = GATEWAY_BASE_PORT + g;
    hostPorts.push(port);
    const routes = services.slice(g * SERVICES_PER_GATEWAY, (g + 1) * SERVICES_PER_GATEWAY).map((s) => ({ path: `/s${s.slice(4)}`, to: s }));
    modules.set(n, { type: 'gateway', with: { port, routes } });
  }
  const buildContexts = [...new Set([...modules.values()].flatMap((m) => (typeof m.with?.build === 'string' ? [m.with.build] : [])))];
  return { text: toYaml(name, target, modules), counts, modules, hostPorts, buildContexts };
}

/**
 * Generate a spec, write it to `path` and create the build contexts it names beside it (each with
 * a minimal Dockerfile), so it validates and plans as a real project's spec would.
 * @param {string} path where the spec is written
 * @param {number} size number of modules
 * @param {Parameters<typeof generateSpec>[1]} [options]
 * @returns {ReturnType<typeof generateSpec>}
 */
export function writeGeneratedSpec(path, size, options = {}) {
  const gen = generateSpec(size, options);
  writeFileSync(path, gen.text);
  for (const context of gen.buildContexts) {
    const dir = join(dirname(path), context);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'Dockerfile'), 'FROM scratch\n');
  }
  return gen;
}

/** The spec as block YAML. Every scalar we emit is a plain identifier, path or number, or quoted. */
function toYaml(name, target, modules) {
  const lines = [
    `# generated by bench/lib/gen-spec.mjs: ${modules.size} modules`,
    'apiVersion: aninfra/v1',
    'kind: System',
    'metadata:',
    `  name: ${name}`,
    `target: ${target}`,
    'modules:',
  ];
  for (const [n, m] of modules) {
    lines.push(`  ${n}:`, `    type: ${m.type}`);
    if (m.version) lines.push(`    version: "${m.version}"`);
    if (m.with) {
      lines.push('    with:');
      for (const [k, v] of Object.entries(m.with)) {
        if (k === 'routes') {
          lines.push('      routes:');
          for (const r of v) lines.push(`        - { path: ${r.path}, to: ${r.to} }`);
        } else lines.push(`      ${k}: ${scalar(v)}`);
      }
    }
    if (m.uses) lines.push(`    uses: [${m.uses.join(', ')}]`);
    if (m.env) {
      lines.push('    env:');
      for (const [k, v] of Object.entries(m.env)) lines.push(`      ${k}: ${scalar(v)}`);
    }
  }
  return lines.join('\n') + '\n';
}

function scalar(v) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (/^[A-Za-z0-9_./-]+$/.test(v) && !/^(true|false|null|yes|no|on|off|~|[0-9.]+)$/i.test(v)) return v;
  return JSON.stringify(v);
}
