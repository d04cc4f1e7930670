/**
 * The program module types no other end-to-end test runs: a cron-job (its loop container runs the
 * command on every tick), a worker (a long-running consumer without a port) and a static-site
 * (nginx serving a directory from the spec's folder, with the single-page-app fallback), applied
 * on local Docker (compose target, specs/local-images.yaml) next to redis and the store clients
 * service of test/fixtures/clients (whose image also holds tick.js and work.js). Services and
 * gateways run in the compose suites, external in the teamdocs scenario (Stripe → a stub).
 * Not covered: schedules longer than the test (`@daily`) are only compiled, not waited for.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, composeClis, e2eEnabled, freePort, httpJson, LOCAL_IMAGES, purgeSystem, ROOT } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const compose = enabled ? composeClis()[0] : undefined;

const INDEX = '<!doctype html><title>site</title><p>aninfra static-site e2e</p>\n';

describe.runIf(enabled && compose !== undefined)('cron-job, worker and static-site on local Docker', { timeout: 900_000 }, () => {
  const system = `e2e-programs-${process.pid}`;
  let spec = '';
  let api = '';
  let site = '';
  const run = (args: string[], timeoutMs = 600_000) => cli(args, { env: { ANINFRA_COMPOSE: compose ?? 'plugin' }, timeoutMs });

  async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, withinMs: number): Promise<T> {
    const deadline = Date.now() + withinMs;
    let last = await read();
    while (!done(last) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 1000));
      last = await read();
    }
    return last;
  }
  const redisValue = async (key: string): Promise<string | undefined> => {
    const r = await httpJson(`${api}/redis/${key}`);
    return r.status === 200 ? (r.body as { value: string }).value : undefined;
  };

  beforeAll(async () => {
    purgeSystem(system);
    const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
    cpSync(join(ROOT, 'test', 'fixtures', 'clients'), join(dir, 'clients'), { recursive: true });
    mkdirSync(join(dir, 'site', 'assets'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, 'site', 'index.html'), INDEX, { mode: 0o644 });
    writeFileSync(join(dir, 'site', 'assets', 'app.txt'), 'asset body\n', { mode: 0o644 });
    const [apiPort, sitePort] = [await freePort(), await freePort()];
    api = `http://127.0.0.1:${apiPort}`;
    site = `http://127.0.0.1:${sitePort}`;
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(
      spec,
      `apiVersion: aninfra/v1
kind: System
metadata:
  name: ${system}
target: compose
modules:
  cache:
    type: redis
    version: "7"
  api:
    type: service
    with: { runtime: node, build: ./clients, port: 8080, publish: ${apiPort} }
    uses: [cache]
  tick:
    type: cron-job
    with: { runtime: node, build: ./clients, command: [node, tick.js], schedule: "@every 2s" }
    uses: [cache]
  work:
    type: worker
    with: { runtime: node, build: ./clients, command: [node, work.js] }
    uses: [cache]
  site:
    type: static-site
    with: { root: ./site, spa: true, publish: ${sitePort} }
`,
    );
  });

  afterAll(async () => {
    try {
      if (spec) await run(['destroy', spec, '--delete-data', '--json'], 180_000);
    } finally {
      purgeSystem(system);
    }
  });

  it('applies; services and the site are healthy, the cron job and the worker run', async () => {
    const r = await run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '300']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const health = Object.fromEntries((r.json.modules as { module: string; health: string }[]).map((m) => [m.module, m.health]));
    expect(health).toEqual({ cache: 'healthy', api: 'healthy', tick: 'none', work: 'none', site: 'healthy' });
  });

  it('cron-job: runs its command on every tick', async () => {
    const first = Number(await poll(() => redisValue('ticks'), (v) => Number(v) >= 1, 60_000));
    expect(first).toBeGreaterThanOrEqual(1);
    const later = Number(await poll(() => redisValue('ticks'), (v) => Number(v) >= first + 2, 60_000));
    expect(later).toBeGreaterThanOrEqual(first + 2);
  });

  it('worker: consumes a job and writes its result', async () => {
    const put = await fetch(`${api}/redis/job-in`, { method: 'PUT', body: 'hello worker', signal: AbortSignal.timeout(10_000) });
    expect(put.status).toBe(204);
    const out = await poll(() => redisValue('job-out'), (v) => v !== undefined, 60_000);
    expect(out).toMatch(/^HELLO WORKER by \S+$/);
    expect(await redisValue('job-in')).toBeUndefined();
  });

  it('static-site: serves the folder, and index.html for unknown paths (spa)', async () => {
    const index = await fetch(`${site}/`, { signal: AbortSignal.timeout(10_000) });
    expect(index.status).toBe(200);
    expect(await index.text()).toBe(INDEX);
    const asset = await fetch(`${site}/assets/app.txt`, { signal: AbortSignal.timeout(10_000) });
    expect([asset.status, await asset.text()]).toEqual([200, 'asset body\n']);
    const deep = await fetch(`${site}/docs/some/route`, { signal: AbortSignal.timeout(10_000) });
    expect([deep.status, await deep.text()]).toEqual([200, INDEX]);
  });
});
