/**
 * Every store's backup commands for real, on the local images: start the store, write data, run
 * the dump argv in a one-off container of the store's image (the store's env plus STORE_HOST /
 * STORE_PORT, as the backup container runs it), change the data, run the restore argv with the
 * dump on stdin, and read the data back. Redis is dumped (an RDB) and restored offline, as
 * documented; the FerretDB stand-in for mongodb has no mongodump, which is checked. Unique names;
 * everything is removed in afterAll, also on failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { backupCommands, type BackupCommands } from '../../src/modules/contract/backup-commands.js';
import { schedulerScript } from '../../src/targets/docker-family/backup.js';
import { e2eEnabled } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const prefix = `e2e-bk-${process.pid}`;
const network = `${prefix}--net`;
const started: string[] = [];

function docker(args: readonly string[], input?: Buffer): Buffer {
  return execFileSync('docker', args, { ...(input ? { input } : {}), maxBuffer: 64 * 1024 * 1024, timeout: 120_000, stdio: ['pipe', 'pipe', 'pipe'] });
}

function commands(engine: string): BackupCommands {
  const s = backupCommands(engine);
  if (!s.supported) throw new Error(`${engine}: no backup commands`);
  return s.commands;
}

/** Starts a store as `<prefix>-<alias>` on the test network and waits until `ready` succeeds inside it. */
async function startStore(alias: string, image: string, env: Record<string, string>, ready: string, command: readonly string[] = []): Promise<string> {
  const name = `${prefix}-${alias}`;
  started.push(name);
  docker(['run', '-d', '--name', name, '--network', network, '--network-alias', alias, ...Object.keys(env).flatMap((k) => ['-e', `${k}=${env[k]}`]), image, ...command]);
  for (let i = 0; i < 120; i++) {
    if (spawnSync('docker', ['exec', name, 'sh', '-c', ready], { stdio: 'ignore' }).status === 0) return name;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`${alias} did not become ready: ${spawnSync('docker', ['logs', '--tail', '30', name], { encoding: 'utf8' }).stderr}`);
}

/** Runs argv in a one-off container of the image with the store's env, STORE_HOST/STORE_PORT, stdin from `input`. */
function oneOff(image: string, env: Record<string, string>, host: string, port: number, argv: readonly string[], input?: Buffer): Buffer {
  const all = { ...env, STORE_HOST: host, STORE_PORT: String(port) };
  const args = ['run', '--rm', ...(input ? ['-i'] : []), '--network', network, ...Object.keys(all).flatMap((k) => ['-e', k]), '--entrypoint', argv[0] as string, image, ...argv.slice(1)];
  return execFileSync('docker', args, { env: { ...process.env, ...all }, ...(input ? { input } : {}), maxBuffer: 64 * 1024 * 1024, timeout: 120_000, stdio: ['pipe', 'pipe', 'pipe'] });
}

function sh(container: string, line: string, env: Record<string, string> = {}): string {
  return docker(['exec', ...Object.keys(env).flatMap((k) => ['-e', `${k}=${env[k]}`]), container, 'sh', '-c', line]).toString('utf8').trim();
}

describe.runIf(enabled)('backup commands round trip on the local images', { timeout: 300_000 }, () => {
  afterAll(() => {
    for (const c of started) spawnSync('docker', ['rm', '-f', '-v', c], { stdio: 'ignore' });
    spawnSync('docker', ['network', 'rm', network], { stdio: 'ignore' });
  });

  it('creates the test network', () => {
    spawnSync('docker', ['network', 'rm', network], { stdio: 'ignore' });
    docker(['network', 'create', '--label', `aninfra.test=${prefix}`, network]);
  });

  it('postgres: pg_dump → change → psql restore brings the row back (tables created later stay)', async () => {
    const image = 'local/postgres:bookworm';
    const env = { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'pw-$(x)"', POSTGRES_DB: 'shop' };
    const c = await startStore('pg', image, env, 'pg_isready -U app -d shop -h 127.0.0.1');
    const psql = (q: string) => sh(c, `PGPASSWORD="$P" psql -U app -d shop -h 127.0.0.1 -tAc "${q}"`, { P: env.POSTGRES_PASSWORD });
    psql("create table t(x text); insert into t values ('kept')");
    const cmd = commands('postgres');
    const dump = oneOff(image, env, 'pg', 5432, cmd.dump);
    expect(dump.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    psql("delete from t; create table later(y int)");
    oneOff(image, env, 'pg', 5432, cmd.restore ?? [], dump);
    expect(psql('select x from t')).toBe('kept');
    expect(psql("select count(*) from information_schema.tables where table_name = 'later'")).toBe('1');
  });

  it('postgres: a corrupt dump fails the restore and changes nothing', async () => {
    const image = 'local/postgres:bookworm';
    const env = { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'pw-$(x)"', POSTGRES_DB: 'shop' };
    const c = `${prefix}-pg`;
    expect(() => oneOff(image, env, 'pg', 5432, commands('postgres').restore ?? [], Buffer.from('not gzip'))).toThrow();
    expect(sh(c, `PGPASSWORD="$P" psql -U app -d shop -h 127.0.0.1 -tAc "select x from t"`, { P: env.POSTGRES_PASSWORD })).toBe('kept');
  });

  it('mysql (MariaDB stand-in): mysqldump → change → mysql restore', async () => {
    const image = 'local/mariadb:bookworm';
    const env = { MYSQL_DATABASE: 'orders', MYSQL_USER: 'app', MYSQL_PASSWORD: 'pw1', MYSQL_ROOT_PASSWORD: 'root-$(x)"' };
    const c = await startStore('my', image, env, 'mysqladmin ping -h 127.0.0.1 -uroot -p"$MYSQL_ROOT_PASSWORD" --silent');
    const q = (sql: string) => sh(c, `mysql -h 127.0.0.1 -uroot -p"$MYSQL_ROOT_PASSWORD" -N orders -e "${sql}"`);
    q("create table t(x varchar(20)); insert into t values ('kept')");
    const cmd = commands('mysql');
    const dump = oneOff(image, env, 'my', 3306, cmd.dump);
    expect(dump.toString('utf8')).toContain('kept');
    q("delete from t");
    oneOff(image, env, 'my', 3306, cmd.restore ?? [], dump);
    expect(q('select x from t')).toBe('kept');
  });

  it('redis: the RDB snapshot holds the keys, and the documented offline restore brings them back into the AOF store', async () => {
    const image = 'local/redis:bookworm';
    const env = { REDIS_PASSWORD: 'pw-$(x)"' };
    const serve = ['sh', '-c', 'exec redis-server --bind 0.0.0.0 --appendonly yes --dir /data --requirepass "$REDIS_PASSWORD"'];
    const ping = 'redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping | grep -q PONG';
    const c = await startStore('rd', image, env, ping, serve);
    const cliIn = (container: string, a: string) => sh(container, `redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ${a}`);
    cliIn(c, 'set greeting kept');
    const cmd = commands('redis');
    expect(cmd.restore).toBeUndefined();
    const dump = oneOff(image, env, 'rd', 6379, cmd.dump);
    expect(dump.subarray(0, 5).toString('latin1')).toBe('REDIS');
    cliIn(c, 'set greeting changed');
    cliIn(c, 'set later 1');
    // The documented procedure (README, offlineRestore): stop the module; in a one-off container on
    // its data volume put the RDB at /data/dump.rdb, drop the AOF, load it with appendonly off,
    // switch appendonly on (a new AOF from the loaded data), shut down; start the module.
    docker(['stop', c]);
    const helper = `${prefix}-rd-restore`;
    started.push(helper);
    docker(['create', '--name', helper, '--volumes-from', c, '-e', `REDIS_PASSWORD=${env.REDIS_PASSWORD}`, '--entrypoint', 'sh', image, '-c',
      'rm -rf /data/appendonlydir && redis-server --dir /data --appendonly no --requirepass "$REDIS_PASSWORD" --daemonize yes && ' +
      'until redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping | grep -q PONG; do sleep 0.2; done && ' +
      'redis-cli -a "$REDIS_PASSWORD" --no-auth-warning CONFIG SET appendonly yes && ' +
      'while [ ! -d /data/appendonlydir ] || redis-cli -a "$REDIS_PASSWORD" --no-auth-warning INFO persistence | grep -q "aof_rewrite_in_progress:1"; do sleep 0.2; done && ' +
      'redis-cli -a "$REDIS_PASSWORD" --no-auth-warning SHUTDOWN || true']);
    const tmp = execFileSync('mktemp', ['-d']).toString().trim();
    execFileSync('sh', ['-c', `cat > "${tmp}/dump.rdb"`], { input: dump });
    docker(['cp', `${tmp}/dump.rdb`, `${helper}:/data/dump.rdb`]);
    spawnSync('rm', ['-rf', tmp]);
    docker(['start', '-a', helper]);
    docker(['start', c]);
    let value = '';
    for (let i = 0; i < 40 && value !== 'kept'; i++) {
      await new Promise((r) => setTimeout(r, 500));
      value = spawnSync('docker', ['exec', c, 'sh', '-c', 'redis-cli -a "$REDIS_PASSWORD" --no-auth-warning get greeting'], { encoding: 'utf8' }).stdout.trim();
    }
    expect(value).toBe('kept');
    expect(cliIn(c, 'exists later')).toBe('0');
  });

  it('rabbitmq: definitions export → delete the queue → import brings it back', async () => {
    const image = 'local/rabbitmq:bookworm';
    const env = { RABBITMQ_DEFAULT_USER: 'app', RABBITMQ_DEFAULT_PASS: 'pw-x', RABBITMQ_DEFAULT_VHOST: '/', RABBITMQ_NODENAME: 'rabbit@localhost' };
    const c = await startStore('mq', image, env, 'rabbitmq-diagnostics -q ping && rabbitmqadmin -u "$RABBITMQ_DEFAULT_USER" -p "$RABBITMQ_DEFAULT_PASS" list queues >/dev/null');
    const admin = (a: string) => sh(c, `rabbitmqadmin -u "$RABBITMQ_DEFAULT_USER" -p "$RABBITMQ_DEFAULT_PASS" ${a}`);
    admin('declare queue name=orders durable=true');
    const cmd = commands('rabbitmq');
    const dump = oneOff(image, env, 'mq', 15672, cmd.dump);
    const definitions = JSON.parse(dump.toString('utf8')) as { queues: { name: string }[] };
    expect(definitions.queues.map((q) => q.name)).toContain('orders');
    admin('delete queue name=orders');
    expect(admin('-f tsv -q list queues name')).not.toContain('orders');
    oneOff(image, env, 'mq', 15672, cmd.restore ?? [], dump);
    expect(admin('-f tsv -q list queues name')).toContain('orders');
  });

  it('mongodb: the FerretDB stand-in has no mongodump; the scheduler logs that, writes nothing, and stops at once', async () => {
    const cmd = commands('mongodb');
    expect(spawnSync('docker', ['run', '--rm', '--entrypoint', 'sh', 'local/mongo:ferretdb', '-c', `command -v ${cmd.tool}`]).status).not.toBe(0);
    const name = `${prefix}-mongo-backup`;
    started.push(name);
    const script = schedulerScript({ condition: 'true', retain: 2, extension: cmd.extension, tool: cmd.tool });
    docker(['run', '-d', '--name', name, '--network', network, '--tmpfs', '/backups', '-e', 'BACKUP_MODULE=docs', '--entrypoint', '/bin/sh', 'local/mongo:ferretdb', '-c', script, 'aninfra-backup', ...cmd.dump]);
    let logs = '';
    for (let i = 0; i < 40 && !logs.includes(`${cmd.tool} is not in this image`); i++) {
      await new Promise((r) => setTimeout(r, 250));
      logs = spawnSync('docker', ['logs', name], { encoding: 'utf8' }).stderr;
    }
    expect(logs).toContain(`${cmd.tool} is not in this image`);
    expect(docker(['exec', name, 'ls', '-A', '/backups']).toString('utf8').trim()).toBe('');
    // The failure marker the backup container's health check reads.
    expect(spawnSync('docker', ['exec', name, 'test', '-e', '/tmp/aninfra-backup-failed']).status).toBe(0);
    // The loop traps SIGTERM: docker stop returns well before its 10 s kill timeout.
    const t0 = Date.now();
    docker(['stop', name]);
    expect(Date.now() - t0).toBeLessThan(8000);
    expect(docker(['inspect', '--format', '{{.State.ExitCode}}', name]).toString('utf8').trim()).toBe('0');
  });
});
