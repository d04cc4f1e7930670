/**
 * Every store module type runs for real on local Docker (compose target, specs/local-images.yaml):
 * postgres, mysql, redis, mongodb, rabbitmq, nats and object-store, each reached through its REAL
 * client library (pg, mysql2, redis, mongodb, amqplib, nats, @aws-sdk/client-s3) from one test
 * service built from test/fixtures/clients (its build installs them from the npm registry), wired
 * with `uses:` edges and driven over HTTP through a published port. Per store: write, read back,
 * `docker restart` the store's container, read again (the value must survive on the module's volume).
 *
 * Stand-ins (shared/docker/README.md) and what this does NOT cover:
 * - mysql runs as MariaDB 10.11: auth is mysql_native_password, not MySQL 8's caching_sha2_password;
 *   MySQL-only SQL (JSON type semantics, system tables) is not exercised. Only portable SQL is used.
 * - mongodb runs as FerretDB v1 on SQLite: no transactions, change streams or most aggregation
 *   stages; the test uses upsert + findOne with a journaled write concern, which both serve.
 * - rabbitmq runs as 3.10 (not 3.13/4.0): classic durable queue, persistent message, publisher
 *   confirms, basic.get + requeue; no quorum queues, streams or 4.x features.
 * - object-store runs as gofakes3, not MinIO: path-style S3 with signature V4 and the module's
 *   bucket creation at start; no versioning, policies, multi-user IAM, console, checksum trailers
 *   (the client is set to send checksums only when required).
 * - nats 2.9 serves nats:2.10: JetStream key-value on file storage; no 2.10-only features.
 * - postgres 15 serves postgres:16; redis 7.0 with the module's append-only file.
 * Runs with one Compose CLI (the plugin when present): the lifecycle suites cover both.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, composeClis, dockerLines, e2eEnabled, freePort, httpJson, LOCAL_IMAGES, purgeSystem, ROOT } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const compose = enabled ? composeClis()[0] : undefined;

/** module name in the spec → the clients service's route for it, and the module's type. */
const STORES = [
  { module: 'pg', route: 'postgres', type: 'postgres', version: '16' },
  { module: 'my', route: 'mysql', type: 'mysql', version: '8.4' },
  { module: 'cache', route: 'redis', type: 'redis', version: '7' },
  { module: 'docs', route: 'mongodb', type: 'mongodb', version: '7' },
  { module: 'mq', route: 'rabbitmq', type: 'rabbitmq', version: '4.0' },
  { module: 'bus', route: 'nats', type: 'nats', version: '2.10' },
  { module: 'files', route: 's3', type: 'object-store', version: '2025' },
] as const;

function specText(system: string, port: number): string {
  const stores = STORES.map((s) => {
    const withs = s.type === 'object-store' ? '\n    with: { buckets: [kv-data] }' : '';
    return `  ${s.module}:\n    type: ${s.type}\n    version: "${s.version}"${withs}\n`;
  }).join('');
  return `apiVersion: aninfra/v1
kind: System
metadata:
  name: ${system}
target: compose
modules:
${stores}  clients:
    type: service
    with:
      runtime: node
      build: ./clients
      port: 8080
      publish: ${port}
    uses: [${STORES.map((s) => s.module).join(', ')}]
`;
}

function containerOf(system: string, module: string): string {
  const ids = dockerLines(['ps', '-q', '--no-trunc', '--filter', `label=aninfra.system=${system}`, '--filter', `label=com.docker.compose.service=${module}`]);
  if (ids.length !== 1) throw new Error(`expected one running container for ${module}, found ${ids.length}`);
  return ids[0] as string;
}

const startedAt = (id: string): string => execFileSync('docker', ['inspect', '-f', '{{.State.StartedAt}}', id], { encoding: 'utf8' }).trim();

describe.runIf(enabled && compose !== undefined)('every store module type with its real client library', { timeout: 900_000 }, () => {
  const system = `e2e-stores-${process.pid}`;
  let spec = '';
  let base = '';
  const run = (args: string[], timeoutMs = 600_000) => cli(args, { env: { ANINFRA_COMPOSE: compose ?? 'plugin' }, timeoutMs });

  /** GET until it answers 200 (a store that just restarted answers 503 for a while), bounded. */
  async function readWhenBack(route: string, key: string, withinMs: number): Promise<{ status: number; body: unknown }> {
    const deadline = Date.now() + withinMs;
    let last: { status: number; body: unknown } = { status: 0, body: undefined };
    while (Date.now() < deadline) {
      last = await httpJson(`${base}/${route}/${key}`).catch((err: Error) => ({ status: 0, body: err.message }));
      if (last.status === 200) return last;
      await new Promise((r) => setTimeout(r, 1000));
    }
    return last;
  }

  beforeAll(async () => {
    purgeSystem(system);
    const dir = mkdtempSync(join(tmpdir(), `aninfra-${system}-`));
    cpSync(join(ROOT, 'test', 'fixtures', 'clients'), join(dir, 'clients'), { recursive: true });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(spec, specText(system, port));
  });

  afterAll(async () => {
    try {
      if (spec) await run(['destroy', spec, '--delete-data', '--json'], 180_000);
    } finally {
      purgeSystem(system);
    }
  });

  it('applies every store and the clients service, all healthy', async () => {
    const r = await run(['apply', spec, '--images', LOCAL_IMAGES, '--json', '--timeout', '300']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const modules = r.json.modules as { module: string; health: string }[];
    expect(modules.map((m) => m.module).sort()).toEqual([...STORES.map((s) => s.module), 'clients'].sort());
    for (const m of modules) expect(`${m.module}: ${m.health}`).toBe(`${m.module}: healthy`);
  });

  it.each(STORES)('$type: writes, reads back, survives a docker restart', async ({ module, route }) => {
    const key = `k-${route}`;
    const value = `value of ${route} ${process.pid} ✓`;
    const put = await fetch(`${base}/${route}/${key}`, { method: 'PUT', body: value, signal: AbortSignal.timeout(30_000) });
    expect(put.status, await put.text()).toBe(204);
    const read = await httpJson(`${base}/${route}/${key}`);
    expect(read).toEqual({ status: 200, body: { value } });
    expect((await httpJson(`${base}/${route}/missing-${key}`)).status).toBe(404);

    const id = containerOf(system, module);
    const before = startedAt(id);
    execFileSync('docker', ['restart', '-t', '20', id], { timeout: 90_000 });
    expect(startedAt(id)).not.toBe(before);

    expect(await readWhenBack(route, key, 90_000)).toEqual({ status: 200, body: { value } });
  });
});
