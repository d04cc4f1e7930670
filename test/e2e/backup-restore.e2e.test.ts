/**
 * Backups and restore on a real Docker daemon (compose target, and docker where the Pulumi engine
 * is built): apply a system with postgres, run
 * the backup container and volume that backupNodes lowers (schedule every minute, retain 2), write
 * a row, wait (bounded) for a dump, delete the row, `aninfra restore`, read the row back; retain
 * pruned the oldest dump. Also the refusals: unknown module, no backup volume, no backup yet, a
 * held lock, a pruned --backup, a corrupt dump. Unique system name; purged in afterAll.
 *
 * The backup container is started here from backupNodes' nodes (the nodes the docker-family
 * lowering adds for a store with a backup policy) because the spec field `backup:` arrives with
 * the L4 schema on another branch of issue 10; once merged, the spec gets
 * `backup: { schedule: "* * * * *", retain: 2 }` and the apply creates the same two resources
 * (replace `startBackups` with that).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoreNode } from '../../src/compiler/lower/ir.js';
import type { ContainerNode, DockerVolumeNode as VolumeNode } from '../../src/targets/docker-family/model.js';
import { text, type Value } from '../../src/compiler/resolve/value.js';
import { backupPolicy } from '../../src/modules/contract/backup-commands.js';
import { StateLock } from '../../src/state/lock.js';
import { statePaths } from '../../src/state/paths.js';
import { backupNodes } from '../../src/targets/docker-family/backup.js';
import { cli, e2eEnabled, LOCAL_IMAGES, pulumiBinDir, purgeSystem } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const pulumiBin = enabled ? pulumiBinDir() : undefined;
/** Both docker-family targets name their resources alike; docker (Pulumi) runs where the engine is built. */
const targets: readonly ('compose' | 'docker')[] = ['compose', ...(pulumiBin ? (['docker'] as const) : [])];

function docker(args: readonly string[], env?: NodeJS.ProcessEnv): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) }).trim();
}

function psql(system: string, query: string): string {
  return docker(['exec', `${system}--db`, 'sh', '-c', `PGPASSWORD="$POSTGRES_PASSWORD" psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -h 127.0.0.1 -tAc "${query}"`]);
}

function storeConfig(system: string): { image: string; env: Record<string, string> } {
  const c = JSON.parse(docker(['container', 'inspect', '--format', '{{json .Config}}', `${system}--db`])) as { Image: string; Env: string[] };
  const env = Object.fromEntries(c.Env.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]).filter(([k]) => (k as string).startsWith('POSTGRES_')));
  return { image: c.Image, env };
}

const labelsOf = (system: string) => (module: string, rule: string): Record<string, string> => ({ 'aninfra.system': system, 'aninfra.module': module, 'aninfra.rule': rule });

/** What the docker family's lowering adds for `backup: { schedule: "* * * * *", retain: 2 }`, realized with the docker CLI. */
function startBackups(system: string): void {
  const labels = labelsOf(system);
  const { image, env } = storeConfig(system);
  const store: StoreNode = {
    kind: 'store', id: 'store:db', module: 'db', type: 'postgres', version: '16', labels: {}, engine: 'postgres',
    process: { image: 'image:db', env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, text(v)])), envOrigin: {}, files: [], mounts: [], restart: 'always' },
    ports: [{ name: 'postgres', port: 5432, protocol: 'tcp' }],
    data: { volume: 'volume:db-data', path: '/var/lib/postgresql/data' },
    availability: 'standard',
    backup: backupPolicy('postgres', { schedule: '* * * * *', retain: 2 }),
    provenance: { module: 'db', rule: 'module:postgres', detail: 'postgres 16' }, dependsOn: [],
  };
  const { nodes, diagnostics } = backupNodes(store, { system, image: 'image:db', storeContainer: 'container:db', dependsOn: ['network:net'], labels, resourceLabels: labels });
  expect(diagnostics).toEqual([]);
  const v = nodes.find((n): n is VolumeNode => n.kind === 'volume') as VolumeNode;
  const c = nodes.find((n): n is ContainerNode => n.kind === 'container') as ContainerNode;
  expect(v.name).toBe(`${system}--db--backups`);
  const plain = (value: Value): string => value.map((p) => (p.kind === 'text' ? p.text : '')).join('');
  const cenv = Object.fromEntries(Object.entries(c.env).map(([k, value]) => [k, plain(value)]));
  const [entry, ...entryArgs] = c.entrypoint ?? [];
  docker([
    'run', '-d', '--pull', 'never', '--name', `${system}--${c.name}`, '--network', `${system}--net`, '--restart', c.restart,
    ...Object.entries(c.labels).flatMap(([k, val]) => ['--label', `${k}=${val}`]),
    '-v', `${v.name}:/backups`, ...Object.keys(cenv).flatMap((k) => ['-e', k]),
    '--health-cmd', c.healthcheck?.test[1] ?? 'false', '--health-interval', `${c.healthcheck?.intervalSeconds ?? 10}s`, '--health-retries', '1',
    '--entrypoint', entry as string, image, ...entryArgs, ...(c.command ?? []),
  ], cenv);
}

describe.runIf(enabled).each(targets)('backups and restore (%s target, postgres)', { timeout: 900_000 }, (target) => {
  const system = `e2e-bkr-${target}-${process.pid}`;
  const volume = `${system}--db--backups`;
  const labels = labelsOf(system);
  const psqlHere = (query: string): string => psql(system, query);
  let spec = '';
  const env = target === 'docker' ? { PATH: `${pulumiBin ?? ''}:${process.env.PATH ?? ''}` } : {};
  const run = (args: string[]) => cli([...args, '--json'], { env, timeoutMs: 600_000 });
  const codes = (r: { json: Record<string, unknown> }): string[] => ((r.json.diagnostics as { code: string }[] | undefined) ?? []).map((d) => d.code);

  beforeAll(async () => {
    purgeSystem(system);
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-bkr-'));
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(
      spec,
      `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${system}\ntarget: ${target}\nmodules:\n  db:\n    type: postgres\n    version: "16"\n    with:\n      database: shop\n  cache:\n    type: redis\n    version: "7"\n`,
    );
    const applied = await run(['apply', spec, '--images', LOCAL_IMAGES, '--timeout', '120']);
    expect(applied.code, JSON.stringify(applied.json)).toBe(0);
  });
  afterAll(() => purgeSystem(system));

  it('refuses a module that is not in the spec, and one without a backup volume', async () => {
    const unknown = await run(['restore', spec, '--module', 'nope']);
    expect([unknown.code, codes(unknown)]).toEqual([4, ['ERR_STATE_MODULE_NOT_STATEFUL']]);
    const cache = await run(['restore', spec, '--module', 'cache']);
    expect([cache.code, codes(cache)]).toEqual([4, ['ERR_STATE_BACKUPS_NOT_ENABLED']]);
    const listed = await run(['backups', spec, '--module', 'db']);
    expect([listed.code, codes(listed)]).toEqual([4, ['ERR_STATE_BACKUPS_NOT_ENABLED']]);
  });

  it('refuses when there is no backup yet', async () => {
    docker(['volume', 'create', ...Object.entries(labels('db', 'backup-volume')).flatMap(([k, v]) => ['--label', `${k}=${v}`]), volume]);
    const listed = await run(['backups', spec, '--module', 'db']);
    expect([listed.code, listed.json.backups]).toEqual([0, []]);
    const r = await run(['restore', spec, '--module', 'db']);
    expect([r.code, codes(r)]).toEqual([4, ['ERR_STATE_NO_BACKUP']]);
  });

  it('a corrupt dump fails the restore (exit 3) and changes nothing', async () => {
    psqlHere("create table notes(body text); insert into notes values ('kept')");
    const { image } = storeConfig(system);
    docker(['run', '--rm', '--pull', 'never', '-v', `${volume}:/backups`, '--entrypoint', 'sh', image, '-c', 'echo old > /backups/db-20200101T000000Z.sql.gz; echo old > /backups/db-20200102T000000Z.sql.gz; echo x > /backups/db-20200103T000000Z.sql.gz.partial']);
    const listed = await run(['backups', spec, '--module', 'db']);
    expect((listed.json.backups as { name: string }[]).map((b) => b.name)).toEqual(['db-20200102T000000Z.sql.gz', 'db-20200101T000000Z.sql.gz']);
    const r = await run(['restore', spec, '--module', 'db', '--backup', 'db-20200102T000000Z.sql.gz']);
    expect([r.code, codes(r)]).toEqual([3, ['ERR_ENGINE_RESTORE_FAILED']]);
    expect(psqlHere('select body from notes')).toBe('kept');
  });

  it('refuses while another command holds the state lock', async () => {
    const lock = new StateLock(statePaths(spec, system).lock);
    lock.acquire('test holding the lock');
    try {
      const r = await run(['restore', spec, '--module', 'db']);
      expect([r.code, codes(r)]).toEqual([4, ['ERR_STATE_LOCKED']]);
    } finally {
      lock.release();
    }
  });

  it('dumps on schedule, keeps the newest 2, and restores the newest: the deleted row comes back', async () => {
    startBackups(system);
    let names: string[] = [];
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline && !names.some((n) => !n.startsWith('db-2020'))) {
      await new Promise((r) => setTimeout(r, 3000));
      names = ((await run(['backups', spec, '--module', 'db'])).json.backups as { name: string }[]).map((b) => b.name);
    }
    expect(names[0]).toMatch(/^db-\d{8}T\d{6}Z\.sql\.gz$/);
    expect(names[0]?.startsWith('db-2020')).toBe(false);
    // retain 2: the oldest seeded dump is gone, and nothing but finished dumps is listed.
    expect(names).toHaveLength(2);
    expect(names).not.toContain('db-20200101T000000Z.sql.gz');
    // The backup container's health reflects the last dump (healthy: it succeeded).
    let health = '';
    for (let i = 0; i < 30 && health !== 'healthy'; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      health = docker(['inspect', '--format', '{{.State.Health.Status}}', `${system}--db--backup`]);
    }
    expect(health).toBe('healthy');

    psqlHere("delete from notes; insert into notes values ('after')");
    const r = await run(['restore', spec, '--module', 'db']);
    expect(r.code, JSON.stringify(r.json)).toBe(0);
    expect((r.json.backup as { name: string }).name).toBe(names[0]);
    expect(psqlHere('select body from notes')).toBe('kept');

    const pruned = await run(['restore', spec, '--module', 'db', '--backup', 'db-20200101T000000Z.sql.gz']);
    expect([pruned.code, codes(pruned)]).toEqual([4, ['ERR_STATE_NO_BACKUP']]);
    // The lock was released after each restore.
    expect(spawnSync('test', ['-e', statePaths(spec, system).lock]).status).not.toBe(0);
  });
});
