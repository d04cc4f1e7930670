/**
 * A property of the compose engine on a real Docker daemon: whatever sequence of spec edits a user
 * makes — add, remove or rename modules, change env vars, move a module between its supported
 * versions, change replicas (1–3) — after every apply the system is healthy and a new plan has
 * nothing to do. Starts from redis + postgres + the notes service (specs/examples/notes), picks
 * edits with a seeded PRNG from a model of the spec, and renders the spec from that model.
 *
 *   ANINFRA_RANDOM_EDITS_STEPS   number of edits (default 30, the CI run); raise it for a nightly run
 *   ANINFRA_RANDOM_EDITS_SEED    seed of the edit sequence (default fixed, so CI replays one sequence)
 *
 * A step that loses data (a stateful module removed or renamed) may be refused without
 * --allow-data-loss: the test then repeats it with the flag. Each step is bounded; the system is
 * purged in afterAll, also on failure. A failure names the seed, the step and every edit before it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliResult, e2eEnabled, LOCAL_IMAGES, purgeSystem, ROOT } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const STEPS = Number(process.env.ANINFRA_RANDOM_EDITS_STEPS ?? 30);
const SEED = Number(process.env.ANINFRA_RANDOM_EDITS_SEED ?? 20261128);
/** Per step: an apply that recreates a few containers and waits for health, a status and a plan. */
const STEP_BUDGET_MS = 15_000;
const system = `e2e-rand-${process.pid}`;

type Kind = 'redis' | 'postgres' | 'service';

interface Module {
  name: string;
  kind: Kind;
  version?: string;
  replicas: number;
  env: Record<string, string>;
  uses: string[];
}

const VERSIONS: Readonly<Record<Exclude<Kind, 'service'>, readonly string[]>> = { redis: ['6', '7'], postgres: ['14', '15', '16', '17'] };
const PREFIX: Readonly<Record<Kind, string>> = { redis: 'cache', postgres: 'db', service: 'api' };
const LIMIT: Readonly<Record<Kind, number>> = { redis: 2, postgres: 2, service: 3 };

/** mulberry32: small, seedable, good enough to pick edits. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Model {
  readonly modules: Module[] = [
    { name: 'cache', kind: 'redis', version: '7', replicas: 1, env: {}, uses: [] },
    { name: 'db', kind: 'postgres', version: '16', replicas: 1, env: {}, uses: [] },
    { name: 'notes', kind: 'service', replicas: 1, env: { GREETING: 'hello' }, uses: ['cache'] },
  ];
  private counter = 0;
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = prng(seed);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)] as T;
  }

  private of(kind: Kind): Module[] {
    return this.modules.filter((m) => m.kind === kind);
  }

  private fresh(kind: Kind): string {
    this.counter += 1;
    return `${PREFIX[kind]}${this.counter}`;
  }

  /** Applies one random edit to the model and describes it; `dataLoss` when a stateful module goes or changes major version. */
  edit(): { description: string; dataLoss: boolean } {
    for (;;) {
      const op = this.pick(['add', 'remove', 'rename', 'env', 'version', 'replicas'] as const);
      const done = this[op]();
      if (done) return done;
    }
  }

  private add(): { description: string; dataLoss: boolean } | undefined {
    const kind = this.pick(['redis', 'postgres', 'service'] as const);
    if (this.of(kind).length >= LIMIT[kind]) return undefined;
    const name = this.fresh(kind);
    if (kind === 'service') {
      // The notes service needs a Redis (its health check PINGs it); a database is optional wiring.
      const uses = [this.pick(this.of('redis')).name, ...(this.of('postgres').length > 0 && this.random() < 0.5 ? [this.pick(this.of('postgres')).name] : [])];
      this.modules.push({ name, kind, replicas: 1 + Math.floor(this.random() * 3), env: { GREETING: `hi-${this.counter}` }, uses });
    } else {
      this.modules.push({ name, kind, version: this.pick(VERSIONS[kind]), replicas: 1, env: {}, uses: [] });
    }
    return { description: `add ${kind} ${name}`, dataLoss: false };
  }

  private remove(): { description: string; dataLoss: boolean } | undefined {
    const m = this.pick(this.modules);
    if (m.kind === 'service' && this.of('service').length <= 1) return undefined;
    const others = this.of('redis').filter((r) => r !== m);
    if (m.kind === 'redis' && others.length === 0) return undefined;
    this.modules.splice(this.modules.indexOf(m), 1);
    for (const s of this.of('service')) {
      if (!s.uses.includes(m.name)) continue;
      s.uses = s.uses.filter((u) => u !== m.name);
      if (m.kind === 'redis' && !s.uses.some((u) => others.some((r) => r.name === u))) s.uses.unshift(this.pick(others).name);
    }
    return { description: `remove ${m.kind} ${m.name}`, dataLoss: m.kind !== 'service' };
  }

  private rename(): { description: string; dataLoss: boolean } | undefined {
    const m = this.pick(this.modules);
    const old = m.name;
    m.name = this.fresh(m.kind);
    for (const s of this.of('service')) s.uses = s.uses.map((u) => (u === old ? m.name : u));
    return { description: `rename ${m.kind} ${old} to ${m.name}`, dataLoss: m.kind !== 'service' };
  }

  private env(): { description: string; dataLoss: boolean } | undefined {
    const s = this.pick(this.of('service'));
    const key = this.pick(['GREETING', 'EXTRA_A', 'EXTRA_B']);
    if (key !== 'GREETING' && key in s.env && this.random() < 0.5) {
      delete s.env[key];
      return { description: `env ${s.name}: unset ${key}`, dataLoss: false };
    }
    this.counter += 1;
    s.env[key] = `v${this.counter}`;
    return { description: `env ${s.name}: ${key}=${s.env[key]}`, dataLoss: false };
  }

  private version(): { description: string; dataLoss: boolean } | undefined {
    const stateful = this.modules.filter((m) => m.kind !== 'service');
    if (stateful.length === 0) return undefined;
    const m = this.pick(stateful);
    const choices = VERSIONS[m.kind as Exclude<Kind, 'service'>].filter((v) => v !== m.version);
    const from = m.version;
    m.version = this.pick(choices);
    // Every version in VERSIONS is another major: apply refuses it until --allow-data-loss (ERR_PLAN_DATA_LOSS).
    return { description: `version ${m.name}: ${from ?? ''} -> ${m.version}`, dataLoss: true };
  }

  private replicas(): { description: string; dataLoss: boolean } | undefined {
    const s = this.pick(this.of('service'));
    const next = this.pick([1, 2, 3].filter((n) => n !== s.replicas));
    const from = s.replicas;
    s.replicas = next;
    return { description: `replicas ${s.name}: ${from} -> ${next}`, dataLoss: false };
  }

  render(): string {
    const lines = ['apiVersion: aninfra/v1', 'kind: System', 'metadata:', `  name: ${system}`, 'target: compose', 'modules:'];
    for (const m of this.modules) {
      lines.push(`  ${m.name}:`, `    type: ${m.kind}`);
      if (m.version) lines.push(`    version: "${m.version}"`);
      if (m.kind === 'service') {
        lines.push('    with:', '      runtime: node', '      build: ./notes-api', '      port: 8080');
        if (m.replicas > 1) lines.push(`      replicas: ${m.replicas}`);
        // notes-api reads CACHE_URL: the Redis it uses is injected under that prefix whatever its name.
        const redis = m.uses.find((u) => this.modules.some((x) => x.name === u && x.kind === 'redis'));
        lines.push(`    uses: [${m.uses.map((u) => (u === redis ? `{ module: ${u}, as: CACHE }` : u)).join(', ')}]`);
        const env = Object.entries(m.env).sort(([a], [b]) => a.localeCompare(b));
        if (env.length > 0) lines.push('    env:', ...env.map(([k, v]) => `      ${k}: ${v}`));
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

const codes = (r: CliResult): string[] => ((r.json.diagnostics as { code: string }[] | undefined) ?? []).map((d) => d.code);

describe.runIf(enabled)('random spec edits through the compose engine', { timeout: STEPS * STEP_BUDGET_MS + 120_000 }, () => {
  const model = new Model(SEED);
  const log: string[] = [];
  let spec = '';
  let images = '';

  const apply = async (dataLoss: boolean): Promise<CliResult> => {
    const args = ['apply', spec, '--images', images, '--json', '--timeout', '90'];
    const first = await cli(args, { timeoutMs: 240_000 });
    // A data-losing step may be refused until --allow-data-loss says so: repeat it with the flag.
    if (first.code !== 0 && dataLoss && codes(first).some((c) => /DATA_LOSS/.test(c))) return cli([...args, '--allow-data-loss'], { timeoutMs: 240_000 });
    return first;
  };

  /** After every step: status says healthy, with exactly the model's modules, and plan has nothing to do. */
  const check = async (where: string): Promise<void> => {
    const status = await cli(['status', spec, '--json']);
    const context = `${where} (seed ${SEED})\n${log.join('\n')}\n`;
    expect(status.code, `${context}status: ${status.stderr}`).toBe(0);
    const modules = (status.json.modules as { module: string; health: string }[]) ?? [];
    expect(modules.map((m) => m.module).sort(), context).toEqual(model.modules.map((m) => m.name).sort());
    expect(status.json.healthy, `${context}${JSON.stringify(modules)}`).toBe(true);
    const plan = await cli(['plan', spec, '--images', images, '--json', '--detailed-exitcode']);
    const changes = ((plan.json.plan as { changes?: { id: string; action: string; changed?: string[] }[] } | undefined)?.changes ?? []).filter((c) => c.action !== 'no-op');
    expect(plan.code, `${context}plan after apply: ${JSON.stringify(changes)} ${JSON.stringify(plan.json.diagnostics)}`).toBe(0);
  };

  beforeAll(() => {
    purgeSystem(system);
    const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
    cpSync(join(ROOT, 'specs', 'examples', 'notes', 'notes-api'), join(dir, 'notes-api'), { recursive: true });
    // Every supported version of redis and postgres maps to the one local image of each.
    images = join(dir, 'images.yaml');
    writeFileSync(images, `${readFileSync(LOCAL_IMAGES, 'utf8').trimEnd()}\n  redis:6: local/redis:bookworm\n  postgres:14: local/postgres:bookworm\n  postgres:17: local/postgres:bookworm\n`);
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(spec, model.render());
  });
  afterAll(() => purgeSystem(system));

  it('starts healthy', async () => {
    const r = await apply(false);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    await check('initial apply');
  });

  it(`stays healthy and converged through ${STEPS} random edits (seed ${SEED})`, async () => {
    for (let step = 1; step <= STEPS; step++) {
      const { description, dataLoss } = model.edit();
      log.push(`step ${step}: ${description}`);
      writeFileSync(spec, model.render());
      const started = Date.now();
      const r = await apply(dataLoss);
      expect(r.code, `step ${step} (seed ${SEED}): apply failed\n${log.join('\n')}\n${JSON.stringify(r.json.diagnostics)}\n${r.stderr.slice(-2000)}`).toBe(0);
      await check(`step ${step}`);
      log[log.length - 1] += ` (${((Date.now() - started) / 1000).toFixed(1)} s)`;
    }
  });
});
