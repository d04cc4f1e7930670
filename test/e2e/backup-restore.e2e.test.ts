/**
 * Backups and restore on a real Docker daemon (compose target, and docker where the Pulumi engine
 * is built), all through the spec's `backup:` field: apply a system whose postgres has a backup
 * policy on a schedule that does not fire today (the apply creates the backup volume and the
 * backup container), check the refusals (unknown module, a store without backups, no backup yet,
 * a held lock, a pruned --backup, a corrupt dump), then re-apply with
 * `backup: { schedule: "* * * * *", retain: 2 }`: write a row, wait (bounded) for a dump, delete
 * the row, `aninfra restore`, read the row back; retain pruned the oldest dump. Unique system
 * name; purged in afterAll.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateLock } from '../../src/state/lock.js';
import { statePaths } from '../../src/state/paths.js';
import { cli, e2eEnabled, LOCAL_IMAGES, pulumiBinDir, purgeSystem } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const pulumiBin = enabled ? pulumiBinDir() : undefined;
/** Both docker-family targets name their resources alike; docker (Pulumi) runs where the engine is built. */
const targets: readonly ('compose' | 'docker')[] = ['compose', ...(pulumiBin ? (['docker'] as const) : [])];

function docker(args: readonly string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function psql(system: string, query: string): string {
  return docker(['exec', `${system}--db`, 'sh', '-c', `PGPASSWORD="$POSTGRES_PASSWORD" psql -U "$POSTGRES_USER" -d "$POSTGRES_DB" -h 127.0.0.1 -tAc "${query}"`]);
}

function storeImage(system: string): string {
  return docker(['container', 'inspect', '--format', '{{.Config.Image}}', `${system}--db`]);
}

/** The system's spec; `schedule` is the db's backup schedule (retain 2). */
function specText(system: string, target: 'compose' | 'docker', schedule: string): string {
  return `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${system}\ntarget: ${target}\nmodules:\n  db:\n    type: postgres\n    version: "16"\n    with:\n      database: shop\n      backup: { schedule: "${schedule}", retain: 2 }\n  cache:\n    type: redis\n    version: "7"\n`;
}

/** Twelve hours from now: the schedule does not fire while the refusal tests run. */
const NOT_NOW = `0 ${(new Date().getUTCHours() + 12) % 24} * * *`;

describe.runIf(enabled).each(targets)('backups and restore (%s target, postgres)', { timeout: 900_000 }, (target) => {
  const system = `e2e-bkr-${target}-${process.pid}`;
  const volume = `${system}--db--backups`;
  const psqlHere = (query: string): string => psql(system, query);
  let spec = '';
  const env = target === 'docker' ? { PATH: `${pulumiBin ?? ''}:${process.env.PATH ?? ''}` } : {};
  const run = (args: string[]) => cli([...args, '--json'], { env, timeoutMs: 600_000 });
  const codes = (r: { json: Record<string, unknown> }): string[] => ((r.json.diagnostics as { code: string }[] | undefined) ?? []).map((d) => d.code);

  beforeAll(async () => {
    purgeSystem(system);
    const dir = mkdtempSync(join(tmpdir(), 'aninfra-bkr-'));
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(spec, specText(system, target, NOT_NOW));
    const applied = await run(['apply', spec, '--images', LOCAL_IMAGES, '--timeout', '120']);
    expect(applied.code, JSON.stringify(applied.json)).toBe(0);
  });
  afterAll(() => purgeSystem(system));

  it('the apply created the backup volume and a healthy backup container', () => {
    expect(JSON.parse(docker(['volume', 'inspect', '--format', '{{json .Labels}}', volume]))).toMatchObject({ 'aninfra.system': system, 'aninfra.module': 'db', 'aninfra.rule': 'backup-volume' });
    expect(docker(['inspect', '--format', '{{.State.Status}} {{index .Config.Labels "aninfra.rule"}}', `${system}--db--backup`])).toBe('running backup');
  });

  it('refuses a module that is not in the spec, and one without backups', async () => {
    const unknown = await run(['restore', spec, '--module', 'nope']);
    expect([unknown.code, codes(unknown)]).toEqual([4, ['ERR_STATE_MODULE_NOT_STATEFUL']]);
    const cache = await run(['restore', spec, '--module', 'cache']);
    expect([cache.code, codes(cache)]).toEqual([4, ['ERR_STATE_BACKUPS_NOT_ENABLED']]);
    const listed = await run(['backups', spec, '--module', 'cache']);
    expect([listed.code, codes(listed)]).toEqual([4, ['ERR_STATE_BACKUPS_NOT_ENABLED']]);
  });

  it('refuses when there is no backup yet', async () => {
    const listed = await run(['backups', spec, '--module', 'db']);
    expect([listed.code, listed.json.backups]).toEqual([0, []]);
    const r = await run(['restore', spec, '--module', 'db']);
    expect([r.code, codes(r)]).toEqual([4, ['ERR_STATE_NO_BACKUP']]);
  });

  it('a corrupt dump fails the restore (exit 3) and changes nothing', async () => {
    psqlHere("create table notes(body text); insert into notes values ('kept')");
    docker(['run', '--rm', '--pull', 'never', '-v', `${volume}:/backups`, '--entrypoint', 'sh', storeImage(system), '-c', 'echo old > /backups/db-20200101T000000Z.sql.gz; echo old > /backups/db-20200102T000000Z.sql.gz; echo x > /backups/db-20200103T000000Z.sql.gz.partial']);
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

  it('dumps every minute once the spec says so, keeps the newest 2, and restores the newest: the deleted row comes back', async () => {
    writeFileSync(spec, specText(system, target, '* * * * *'));
    const applied = await run(['apply', spec, '--images', LOCAL_IMAGES, '--timeout', '120']);
    expect(applied.code, JSON.stringify(applied.json)).toBe(0);
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
