/**
 * Backup commands per store engine: the argv that writes one dump of a running store to stdout, the
 * argv that reads one dump from stdin and restores it, and the dump file's extension. Data only:
 * targets run them with the store's image and the store's own environment (its passwords, user and
 * database names) plus STORE_HOST / STORE_PORT, so no spec value is ever spliced into a shell line.
 * Each `sh -c` line below is constant text that reads its values from the environment.
 *
 * Engines whose image has no dump tool (nats: no client in nats-server; object storage: no mirror
 * tool in every server image) have no commands: targets report WARN_BACKUP_ENGINE_UNSUPPORTED.
 * Redis is dumped (an RDB snapshot) but not restored online: an RDB loads only at server start,
 * so its restore is the documented offline procedure in `offlineRestore`.
 */
import type { BackupPolicy } from '../../compiler/lower/ir.js';

export interface BackupCommands {
  /** Writes one dump to stdout; exits non-zero on failure (never a partial dump with status 0). */
  readonly dump: readonly string[];
  /** Reads one dump from stdin into the running store; absent when only an offline restore exists. */
  readonly restore?: readonly string[];
  /** The documented restore when `restore` is absent (README, `aninfra restore` refuses with it). */
  readonly offlineRestore?: string;
  /** File extension of a dump, without the leading dot. */
  readonly extension: string;
  /** Name of the store port the commands connect to (its number goes into STORE_PORT). */
  readonly port: string;
  /** The program the dump needs in the image, checked before each dump (a clear log line, not a shell error). */
  readonly tool: string;
}

export type BackupSupport =
  | { readonly supported: true; readonly commands: BackupCommands }
  | { readonly supported: false; readonly reason: string };

const sh = (line: string): readonly string[] => ['sh', '-c', line];

/**
 * postgres: pg_dump's own gzip (-Z, so no pipe can hide a failed dump) of a --clean dump, which
 * drops and re-creates every object it restores; psql stops at the first error.
 */
const POSTGRES: BackupCommands = {
  dump: sh('PGPASSWORD="$POSTGRES_PASSWORD" exec pg_dump -h "$STORE_HOST" -p "$STORE_PORT" -U "$POSTGRES_USER" -d "$POSTGRES_DB" --clean --if-exists --no-owner -Z 6'),
  restore: sh('gunzip -c > /tmp/restore.sql && PGPASSWORD="$POSTGRES_PASSWORD" exec psql -q -v ON_ERROR_STOP=1 -h "$STORE_HOST" -p "$STORE_PORT" -U "$POSTGRES_USER" -d "$POSTGRES_DB" -f /tmp/restore.sql'),
  extension: 'sql.gz',
  port: 'postgres',
  tool: 'pg_dump',
};

/** mysql (and MariaDB): root's password from the env through MYSQL_PWD, never argv; plain SQL (no pipe). */
const MYSQL: BackupCommands = {
  dump: sh('MYSQL_PWD="$MYSQL_ROOT_PASSWORD" exec mysqldump -h "$STORE_HOST" -P "$STORE_PORT" -uroot --single-transaction --routines --triggers --add-drop-table --databases "$MYSQL_DATABASE"'),
  restore: sh('MYSQL_PWD="$MYSQL_ROOT_PASSWORD" exec mysql -h "$STORE_HOST" -P "$STORE_PORT" -uroot'),
  extension: 'sql',
  port: 'mysql',
  tool: 'mysqldump',
};

/** redis: the server's RDB snapshot over the replication protocol, into a file first (redis 6 cannot write it to stdout). */
const REDIS: BackupCommands = {
  dump: sh('REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h "$STORE_HOST" -p "$STORE_PORT" --rdb /tmp/dump.rdb >&2 && cat /tmp/dump.rdb && rm -f /tmp/dump.rdb'),
  offlineRestore:
    'stop the module; in a one-off container of its image with its data volume at /data, put the RDB at /data/dump.rdb, remove /data/appendonlydir, ' +
    'start redis-server --dir /data --appendonly no (it loads the RDB), run redis-cli CONFIG SET appendonly yes (it writes a new AOF) and redis-cli SHUTDOWN; then start the module',
  extension: 'rdb',
  port: 'redis',
  tool: 'redis-cli',
};

/** mongodb: an archive of every database (authenticating as the root user); restore drops what it replaces. */
const MONGODB: BackupCommands = {
  dump: sh('exec mongodump --quiet --host "$STORE_HOST" --port "$STORE_PORT" -u "$MONGO_INITDB_ROOT_USERNAME" -p "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin --archive --gzip'),
  restore: sh('exec mongorestore --quiet --host "$STORE_HOST" --port "$STORE_PORT" -u "$MONGO_INITDB_ROOT_USERNAME" -p "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin --archive --gzip --drop'),
  extension: 'archive.gz',
  port: 'mongodb',
  tool: 'mongodump',
};

/** rabbitmq: the broker's definitions (users, vhosts, queues, exchanges, bindings, policies) through the management API; messages are not part of it. */
const RABBITMQ: BackupCommands = {
  dump: sh('exec rabbitmqadmin -q -H "$STORE_HOST" -P "$STORE_PORT" -u "$RABBITMQ_DEFAULT_USER" -p "$RABBITMQ_DEFAULT_PASS" export /dev/stdout'),
  restore: sh('cat > /tmp/definitions.json && exec rabbitmqadmin -q -H "$STORE_HOST" -P "$STORE_PORT" -u "$RABBITMQ_DEFAULT_USER" -p "$RABBITMQ_DEFAULT_PASS" import /tmp/definitions.json'),
  extension: 'definitions.json',
  port: 'management',
  tool: 'rabbitmqadmin',
};

const COMMANDS: Readonly<Record<string, BackupSupport>> = {
  postgres: { supported: true, commands: POSTGRES },
  mysql: { supported: true, commands: MYSQL },
  redis: { supported: true, commands: REDIS },
  mongodb: { supported: true, commands: MONGODB },
  rabbitmq: { supported: true, commands: RABBITMQ },
  nats: { supported: false, reason: 'the nats-server image has no client to export JetStream streams (the nats CLI is a separate image)' },
  'object-store': { supported: false, reason: 'the object store image has no tool to mirror its buckets (mc mirror is not in every server image)' },
};

/** The backup commands of a store engine (its module type). */
export function backupCommands(engine: string): BackupSupport {
  return COMMANDS[engine] ?? { supported: false, reason: `'${engine}' is not a store aninfra knows how to dump` };
}

/** Engines with backup commands (sorted). */
export const BACKUP_ENGINES: readonly string[] = Object.keys(COMMANDS)
  .filter((k) => COMMANDS[k]?.supported)
  .sort();

/**
 * The IR's backup policy of a store with a `backup: { schedule, retain }` input. An engine without
 * backup commands gets empty argv (targets then warn with WARN_BACKUP_ENGINE_UNSUPPORTED), and a
 * store without an online restore an empty `restore`.
 */
export function backupPolicy(engine: string, input: { readonly schedule: string; readonly retain: number }): BackupPolicy {
  const support = backupCommands(engine);
  const c = support.supported ? support.commands : undefined;
  return { schedule: input.schedule, retain: input.retain, dump: c?.dump ?? [], restore: c?.restore ?? [], extension: c?.extension ?? '' };
}
