/**
 * Backups on the docker family (docker and compose): per stateful module with a backup policy, a
 * kept volume `<system>--<module>--backups` and a container `<system>--<module>--backup` that runs
 * the store's own image on the system network with the store's environment. Its scheduler loop
 * checks the cron expression (compiled here into a shell test over `date -u` fields: digits only)
 * once per minute, writes each dump to `/backups/<module>-<UTC timestamp>.<ext>` through a
 * `.partial` file renamed when the dump succeeded, and then keeps the newest `retain` dumps.
 * The dump argv is passed as the script's arguments, never spliced into it; the module name
 * reaches the script through BACKUP_MODULE.
 * Codes: WARN_BACKUP_ENGINE_UNSUPPORTED.
 */
import { diagnostic, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { StoreNode } from '../../compiler/lower/ir.js';
import { text, type Value } from '../../compiler/resolve/value.js';
import { backupCommands } from '../../modules/contract/backup-commands.js';
import { cronCondition, parseCron } from './backup-cron.js';
import type { ContainerNode, DockerNode, DockerVolumeNode } from './model.js';

/** Where the backup volume is mounted in the backup container and in restore's one-off container. */
export const BACKUP_DIR = '/backups';
/** Exists in the backup container while the last dump failed (its health check reads it). */
const FAILED_MARKER = '/tmp/aninfra-backup-failed';

/** Docker names of the backup resources (module and system names cannot contain `--`, so these never collide). */
export const backupNames = {
  volume: (system: string, module: string): string => `${system}--${module}--backups`,
  /** Name inside the system; the Docker name is `<system>--<module>--backup`. */
  container: (module: string): string => `${module}--backup`,
  dockerContainer: (system: string, module: string): string => `${system}--${module}--backup`,
} as const;

export interface BackupLoweringContext {
  readonly system: string;
  /** Id of the docker-model image node the store's container runs. */
  readonly image: string;
  /** Id of the store's container: the backup container starts after it. */
  readonly storeContainer: string;
  /** Ids the backup container must also depend on: the system network and the secret nodes the store's env references. */
  readonly dependsOn: readonly string[];
  /** Labels of a container (system, owner, module, rule). */
  labels(module: string, rule: string): Readonly<Record<string, string>>;
  /** Ownership labels of a volume (as the data volume carries them). */
  resourceLabels(module: string, rule: string): Readonly<Record<string, string>>;
}

export interface BackupLowering {
  readonly nodes: readonly DockerNode[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The backup volume and scheduler container of a store; nothing when it has no backup policy. */
export function backupNodes(store: StoreNode, ctx: BackupLoweringContext): BackupLowering {
  const policy = store.backup;
  if (!policy) return { nodes: [], diagnostics: [] };
  const support = backupCommands(store.engine);
  if (!support.supported) {
    return { nodes: [], diagnostics: [diagnostic('WARN_BACKUP_ENGINE_UNSUPPORTED', { module: store.module, engine: store.engine, reason: support.reason }, { path: `/modules/${store.module}/with/backup` })] };
  }
  const cron = parseCron(policy.schedule);
  // Validation checks the expression before lowering; reaching this is a bug, reported as ERR_INTERNAL.
  if (!cron.ok) throw new Error(`backup schedule of ${store.module} passed validation but does not compile: ${cron.problem}`);
  const commands = support.commands;
  const dump = policy.dump.length > 0 ? policy.dump : commands.dump;
  const extension = policy.extension || commands.extension;
  const port = store.ports.find((p) => p.name === commands.port) ?? store.ports[0];
  const volume: DockerVolumeNode = {
    kind: 'volume',
    id: `volume:${store.module}-backups`,
    name: backupNames.volume(ctx.system, store.module),
    keep: true,
    labels: ctx.resourceLabels(store.module, 'backup-volume'),
    provenance: { module: store.module, rule: 'backup-volume', detail: `backups of ${store.engine} ${store.module}, kept across destroys like its data` },
    dependsOn: [],
  };
  const env: Record<string, Value> = {
    ...store.process.env,
    BACKUP_MODULE: text(store.module),
    STORE_HOST: text(store.module),
    STORE_PORT: text(String(port?.port ?? 0)),
  };
  const envOrigin: Record<string, string> = Object.fromEntries(Object.keys(env).map((k) => [k, store.process.envOrigin[k] ?? 'module']));
  const container: ContainerNode = {
    kind: 'container',
    id: `container:${backupNames.container(store.module)}`,
    name: backupNames.container(store.module),
    module: store.module,
    image: ctx.image,
    entrypoint: ['/bin/sh', '-c', schedulerScript({ condition: cronCondition(cron.fields), retain: policy.retain, extension, tool: commands.tool }), 'aninfra-backup'],
    command: dump,
    env: Object.fromEntries(Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    envOrigin,
    ports: [],
    mounts: [{ kind: 'volume', volume: volume.id, target: BACKUP_DIR, readOnly: false }],
    files: [],
    // Replaces the store image's own check (pg_isready would fail: no server runs here). Red from
    // a failed dump until the next one succeeds, so `status` shows backups that stopped working.
    healthcheck: { test: ['CMD-SHELL', `test ! -e ${FAILED_MARKER}`], intervalSeconds: 5, timeoutSeconds: 5, retries: 1, startPeriodSeconds: 1 },
    restart: 'unless-stopped',
    aliases: [],
    labels: sorted({ ...store.labels, ...ctx.labels(store.module, 'backup') }),
    provenance: { module: store.module, rule: 'backup', detail: `${store.engine} dumps on a schedule, keeping the newest ${policy.retain}` },
    dependsOn: [...new Set([...ctx.dependsOn, ctx.image, ctx.storeContainer, volume.id])].sort(),
  };
  return { nodes: [volume, container], diagnostics: [] };
}

export interface SchedulerOptions {
  /** From cronCondition: digits and constant text only. */
  readonly condition: string;
  readonly retain: number;
  /** Dump file extension (constant text from the backup commands, [a-z.]). */
  readonly extension: string;
  /** Program the dump needs (constant text from the backup commands). */
  readonly tool: string;
}

/**
 * The scheduler: `sh -c SCRIPT aninfra-backup DUMP-ARGV...`. Only digits and constants of the
 * backup commands enter the text; it refuses anything else so a change upstream cannot smuggle
 * spec text into a shell line.
 */
export function schedulerScript(o: SchedulerOptions): string {
  if (!/^[a-z0-9_"$ &|{};]+$/.test(o.condition) || !/^[a-z]+(\.[a-z]+)*$/.test(o.extension) || !/^[a-z_-]+$/.test(o.tool) || !Number.isInteger(o.retain) || o.retain < 1) {
    throw new Error('backup scheduler: refusing non-constant text');
  }
  const dir = BACKUP_DIR;
  return [
    "trap 'exit 0' TERM INT",
    'in_list() { case " $2 " in *" $1 "*) return 0;; esac; return 1; }',
    'prune() {',
    `  ls -1 ${dir}/"$BACKUP_MODULE"-*.${o.extension} 2>/dev/null | sort -r | sed '1,${o.retain}d' | while read -r old; do rm -f -- "$old"; done`,
    '}',
    'backup() {',
    `  if ! command -v ${o.tool} >/dev/null 2>&1; then echo "aninfra-backup: ${o.tool} is not in this image: no backup written" >&2; : > ${FAILED_MARKER}; return 0; fi`,
    '  ts=$(date -u +%Y%m%dT%H%M%SZ)',
    `  f="${dir}/$BACKUP_MODULE-$ts.${o.extension}"`,
    `  if "$@" > "$f.partial" && mv -f "$f.partial" "$f"; then rm -f ${FAILED_MARKER}; echo "aninfra-backup: wrote $f" >&2; prune`,
    `  else rm -f "$f.partial"; : > ${FAILED_MARKER}; echo "aninfra-backup: dump failed; earlier backups kept" >&2; fi`,
    '}',
    `rm -f ${dir}/*.partial`,
    'echo "aninfra-backup: waiting for the schedule (UTC)" >&2',
    'last=',
    'while :; do',
    "  read -r now mi h dom mon dow <<EOF",
    "$(date -u +'%Y%m%d%H%M %M %H %d %m %w')",
    'EOF',
    '  mi=${mi#0}; h=${h#0}; dom=${dom#0}; mon=${mon#0}',
    '  if [ "$now" != "$last" ]; then',
    '    last=$now',
    `    if ${o.condition}; then backup "$@"; fi`,
    '  fi',
    '  sleep 15 & wait $!',
    'done',
  ].join('\n');
}

function sorted(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
