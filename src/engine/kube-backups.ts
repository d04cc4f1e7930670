/**
 * Backups of the kubernetes engine. The target's CronJob `<module>-backup` writes the dumps into the
 * claim `<module>-backups` (src/targets/kubernetes/lower-store.ts), which destroy keeps like data.
 * Listing runs a short-lived pod of the store's image with that claim mounted read-only and reads
 * the file names, sizes and times from its log; restoring runs one with the store's image and
 * environment (its Secrets by reference, as the StatefulSet has them) plus STORE_HOST / STORE_PORT,
 * streaming the chosen dump into the engine's restore argv against the store's Service. The pods
 * carry the backup job's labels (so the namespace's NetworkPolicy lets them reach the store), are
 * bounded by the run's timeout (activeDeadlineSeconds too) and are always deleted afterwards.
 * Codes: ERR_STATE_BACKUPS_NOT_ENABLED, ERR_ENGINE_STORE_NOT_RUNNING, ERR_ENGINE_RESTORE_FAILED,
 * ERR_PREREQ_KUBERNETES.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { escapeExpansion } from '../targets/kubernetes/env.js';
import { BACKUP_MOUNT, backupClaimName } from '../targets/kubernetes/lower-store.js';
import type { Json, JsonObject } from '../targets/kubernetes/model.js';
import type { BackupFile, BackupTarget, EngineBackups } from './engine.js';
import { checkCluster, kubectl, kubeTarget, parsePods, type KubeTarget } from './kube-cli.js';

/** What the helper pods need, found on the cluster. */
export interface KubeBackupPlace {
  readonly namespace: string;
  readonly claim: string;
  /** The backup claim's labels (the backup job's provenance), which the helper pods carry. */
  readonly labels: Readonly<Record<string, string>>;
  /** The store's container as its StatefulSet runs it. */
  readonly image: string;
  readonly imagePullPolicy?: string;
  readonly env: readonly Json[];
  readonly envFrom?: readonly Json[];
  /** Labels the StatefulSet selects its pods by. */
  readonly storeSelector: Readonly<Record<string, string>>;
}

type Failure = { readonly diagnostics: Diagnostic[] };

export const kubeBackups: EngineBackups = {
  async list(t) {
    const found = await locate(t);
    if ('diagnostics' in found) return found;
    const { kube, place } = found;
    const pod = await runPod(kube, listPod(t, place, 60), 90);
    if (pod.phase !== 'Succeeded') return { diagnostics: [restoreFailed(t, place.claim, `cannot list the backup claim: ${pod.reason}`)] };
    return { location: `${place.namespace}/${place.claim}`, backups: parseListing(pod.logs, t.module, t.commands.extension) };
  },

  async restore(t, backup, run) {
    const found = await locate(t);
    if ('diagnostics' in found) return found;
    const { kube, place } = found;
    const restore = t.commands.restore;
    if (!restore) return { diagnostics: [restoreFailed(t, backup, `${t.engine} restores offline: ${t.commands.offlineRestore ?? 'see the README'}`)] };
    const down = await storeDown(kube, place);
    if (down) return { diagnostics: [diagnostic('ERR_ENGINE_STORE_NOT_RUNNING', { module: printable(t.module), reason: printable(down) }, { hint: 'aninfra status' })] };
    const pod = await runPod(kube, restorePod(t, place, backup, restore, run.timeoutSeconds), run.timeoutSeconds, run.signal);
    if (pod.phase === 'Succeeded') return { ok: true };
    return { diagnostics: [restoreFailed(t, backup, pod.reason)] };
  },
};

function restoreFailed(t: BackupTarget, backup: string, reason: string): Diagnostic {
  return diagnostic('ERR_ENGINE_RESTORE_FAILED', { backup: printable(backup), module: printable(t.module), reason: printable(reason) });
}

/** The kubeconfig context: the platform setting `kubernetes.context`, else ANINFRA_KUBE_CONTEXT, else the current one. */
export function backupKubeTarget(t: BackupTarget): KubeTarget {
  const chosen = t.platform?.kubernetes?.context;
  return kubeTarget(t.env ?? process.env, typeof chosen === 'string' && chosen !== '' ? chosen : undefined);
}

/** `-l` selector of a module's objects of one rule (and owner, when known). */
export function moduleSelector(t: Pick<BackupTarget, 'system' | 'module' | 'owner'>, rule?: string): string {
  return [`aninfra.system=${t.system}`, `aninfra.module=${t.module}`, ...(rule ? [`aninfra.rule=${rule}`] : []), ...(t.owner ? [`aninfra.owner=${t.owner}`] : [])].join(',');
}

/** The backup claim (any namespace) and the store's StatefulSet beside it. */
async function locate(t: BackupTarget): Promise<{ kube: KubeTarget; place: KubeBackupPlace } | Failure> {
  const kube = backupKubeTarget(t);
  const problem = await checkCluster(kube);
  if (problem) return { diagnostics: [problem] };
  const claims = await getJson(kube, ['get', 'persistentvolumeclaims', '--all-namespaces', '-l', moduleSelector(t, 'store-backup')]);
  if ('error' in claims) return { diagnostics: [restoreFailed(t, backupClaimName(t.module), `cannot read the cluster's claims: ${claims.error}`)] };
  const claim = pickClaim(claims.items, t.module);
  if (!claim) {
    const reason = `the cluster has no backup claim ${backupClaimName(t.module)} of the system: add \`backup: { schedule, retain }\` to its \`with:\` and apply`;
    return { diagnostics: [diagnostic('ERR_STATE_BACKUPS_NOT_ENABLED', { module: printable(t.module), reason })] };
  }
  const sets = await getJson(kube, ['get', 'statefulsets', '--namespace', claim.namespace, '-l', moduleSelector(t)]);
  const store = 'error' in sets ? undefined : storeOf(sets.items, t.module);
  if (!store) {
    const reason = `it has no StatefulSet ${t.module} in namespace ${claim.namespace}: apply the system first`;
    return { diagnostics: [diagnostic('ERR_ENGINE_STORE_NOT_RUNNING', { module: printable(t.module), reason: printable(reason) }, { hint: 'aninfra apply' })] };
  }
  return { kube, place: { namespace: claim.namespace, claim: claim.name, labels: claim.labels, ...store } };
}

interface ObjectJson {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    template?: { spec?: { containers?: { name?: string; image?: string; imagePullPolicy?: string; env?: Json[]; envFrom?: Json[] }[] } };
  };
}

async function getJson(kube: KubeTarget, args: readonly string[]): Promise<{ items: ObjectJson[] } | { error: string }> {
  const r = await kubectl(kube, [...args, '-o', 'json']);
  if (r.code !== 0) return { error: lastLines(r.stderr) || `exit ${String(r.code)}` };
  try {
    return { items: (JSON.parse(r.stdout) as { items?: ObjectJson[] }).items ?? [] };
  } catch {
    return { error: 'kubectl printed no JSON' };
  }
}

/** The claim named `<module>-backups` (first namespace by name when several hold one). */
export function pickClaim(items: readonly ObjectJson[], module: string): { namespace: string; name: string; labels: Record<string, string> } | undefined {
  const named = items
    .filter((c) => c.metadata?.name === backupClaimName(module) && c.metadata.namespace)
    .sort((a, b) => (a.metadata?.namespace ?? '').localeCompare(b.metadata?.namespace ?? ''))[0];
  return named?.metadata ? { namespace: named.metadata.namespace ?? '', name: backupClaimName(module), labels: { ...(named.metadata.labels ?? {}) } } : undefined;
}

/** The store's container (named after the module) and selector, from its StatefulSet. */
export function storeOf(items: readonly ObjectJson[], module: string): Pick<KubeBackupPlace, 'image' | 'imagePullPolicy' | 'env' | 'envFrom' | 'storeSelector'> | undefined {
  const set = items.find((s) => s.metadata?.name === module);
  const containers = set?.spec?.template?.spec?.containers ?? [];
  const c = containers.find((x) => x.name === module) ?? containers[0];
  if (!set || !c?.image) return undefined;
  return {
    image: c.image,
    ...(c.imagePullPolicy ? { imagePullPolicy: c.imagePullPolicy } : {}),
    env: c.env ?? [],
    ...(c.envFrom ? { envFrom: c.envFrom } : {}),
    storeSelector: { ...(set.spec?.selector?.matchLabels ?? {}) },
  };
}

/** Why the store cannot take a restore (no ready pod), or undefined when one is ready. */
async function storeDown(kube: KubeTarget, place: KubeBackupPlace): Promise<string | undefined> {
  const selector = Object.entries(place.storeSelector).map(([k, v]) => `${k}=${v}`).join(',');
  const r = await kubectl(kube, ['get', 'pods', '--namespace', place.namespace, '-l', selector, '-o', 'json']);
  if (r.code !== 0) return `its pods cannot be listed: ${lastLines(r.stderr)}`;
  const pods = parsePods(r.stdout).filter((p) => !p.terminating);
  if (pods.some((p) => p.ready)) return undefined;
  if (pods.length === 0) return `no pod in namespace ${place.namespace}`;
  return `no ready pod: ${pods.map((p) => `${p.name} ${p.phase}${p.reason ? ` ${p.reason}` : ''}`).join(', ')}`;
}

/** The shell line that lists the claim: one `name/size/mtime` line per file (names never hold a slash). */
export const LIST_SCRIPT = 'cd "$BACKUP_DIR" && for f in *; do [ -f "$f" ] && stat -c "%n/%s/%Y" -- "$f"; done; exit 0';
/** The shell line that feeds the dump to the restore argv: fixed text, the file name in a variable. */
export const RESTORE_SCRIPT = 'exec "$@" < "$BACKUP_DIR/$BACKUP_FILE"';

const envVar = (name: string, value: string): Json => ({ name, value: escapeExpansion(value) });

/** A helper pod: the store's image, the backup claim read-only at BACKUP_MOUNT, the backup job's labels, never restarted. */
function helperPod(t: BackupTarget, place: KubeBackupPlace, purpose: 'list' | 'restore', o: { args: readonly string[]; env: readonly Json[]; envFrom?: readonly Json[]; deadlineSeconds: number }): JsonObject {
  const container: JsonObject = {
    name: purpose,
    image: place.image,
    ...(place.imagePullPolicy ? { imagePullPolicy: place.imagePullPolicy } : {}),
    command: ['sh', '-c'],
    args: o.args.map(escapeExpansion),
    env: [...o.env],
    ...(o.envFrom ? { envFrom: [...o.envFrom] } : {}),
    volumeMounts: [{ name: 'backups', mountPath: BACKUP_MOUNT, readOnly: true }],
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: `${t.module}-${purpose}-`, namespace: place.namespace, labels: { ...place.labels, 'aninfra.operation': purpose } },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: Math.max(1, Math.round(o.deadlineSeconds)),
      terminationGracePeriodSeconds: 5,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      containers: [container],
      volumes: [{ name: 'backups', persistentVolumeClaim: { claimName: place.claim, readOnly: true } }],
    },
  };
}

/** The pod that lists the backup claim. */
export function listPod(t: BackupTarget, place: KubeBackupPlace, deadlineSeconds: number): JsonObject {
  return helperPod(t, place, 'list', { args: [LIST_SCRIPT], env: [envVar('BACKUP_DIR', BACKUP_MOUNT)], deadlineSeconds });
}

/**
 * The pod that restores `backup`: the store's environment as its StatefulSet has it (secrets by
 * reference) plus the store's address and the file, and the restore argv after the fixed line.
 */
export function restorePod(t: BackupTarget, place: KubeBackupPlace, backup: string, restore: readonly string[], deadlineSeconds: number): JsonObject {
  const extra: Record<string, string> = { STORE_HOST: t.module, STORE_PORT: String(t.port), BACKUP_DIR: BACKUP_MOUNT, BACKUP_FILE: backup };
  const own = (e: Json): boolean => typeof e === 'object' && e !== null && !Array.isArray(e) && Object.hasOwn(extra, String((e as { name?: unknown }).name));
  const env = [...place.env.filter((e) => !own(e)), ...Object.entries(extra).map(([k, v]) => envVar(k, v))];
  return helperPod(t, place, 'restore', { args: [RESTORE_SCRIPT, 'aninfra-restore', ...restore], env, ...(place.envFrom ? { envFrom: place.envFrom } : {}), deadlineSeconds });
}

const DUMP_NAME = /^([a-z0-9-]+)-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\.(.+)$/;

/** Finished dumps of the module in the list pod's output, newest first (names carry a UTC timestamp; partial files and others are left out). */
export function parseListing(output: string, module: string, extension: string): BackupFile[] {
  const backups: BackupFile[] = [];
  for (const line of output.split('\n')) {
    const [name, size, mtime, ...rest] = line.trim().split('/');
    const m = name ? DUMP_NAME.exec(name) : null;
    if (!m || rest.length > 0 || !name || m[1] !== module || m[8] !== extension || !/^\d+$/.test(size ?? '') || !/^\d+$/.test(mtime ?? '')) continue;
    backups.push({ name, size: Number(size), time: new Date(Number(mtime) * 1000).toISOString() });
  }
  return backups.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

interface PodRun {
  readonly phase: 'Succeeded' | 'Failed' | 'Timeout';
  readonly logs: string;
  /** Why it did not succeed (the pod's last log lines, its waiting reason, the timeout). */
  readonly reason: string;
}

/** Creates the pod, waits (bounded) until it has finished, reads its log and deletes it, whatever happened. */
async function runPod(kube: KubeTarget, manifest: JsonObject, timeoutSeconds: number, signal?: AbortSignal): Promise<PodRun> {
  const namespace = String((manifest.metadata as { namespace?: string }).namespace);
  const created = await kubectl(kube, ['create', '-f', '-', '-o', 'jsonpath={.metadata.name}'], { input: JSON.stringify(manifest) });
  const name = created.stdout.trim();
  if (created.code !== 0 || name === '') return { phase: 'Failed', logs: '', reason: `the pod was not created: ${lastLines(created.stderr) || `exit ${String(created.code)}`}` };
  try {
    const until = Date.now() + timeoutSeconds * 1000;
    let last = { phase: 'Pending', why: '' };
    while (!signal?.aborted) {
      const r = await kubectl(kube, ['get', 'pod', name, '--namespace', namespace, '-o', 'json']);
      const pod = r.code === 0 ? parsePods(`{"items":[${r.stdout}]}`)[0] : undefined;
      if (pod) last = { phase: pod.phase, why: pod.reason };
      if (last.phase === 'Succeeded' || last.phase === 'Failed') {
        const logs = await kubectl(kube, ['logs', name, '--namespace', namespace], { timeoutMs: 60_000 });
        const tail = lastLines(logs.stdout);
        return { phase: last.phase, logs: logs.stdout, reason: last.phase === 'Succeeded' ? '' : tail || last.why || 'the pod failed' };
      }
      if (Date.now() >= until) break;
      await sleep(1000, signal);
    }
    const state = `${last.phase}${last.why ? ` (${last.why})` : ''}`;
    return { phase: 'Timeout', logs: '', reason: signal?.aborted ? `interrupted by a signal; pod ${name} was ${state}` : `pod ${name} did not finish within ${timeoutSeconds}s: it was ${state}` };
  } finally {
    await kubectl(kube, ['delete', 'pod', name, '--namespace', namespace, '--ignore-not-found', '--wait=false', '--grace-period=1'], { timeoutMs: 30_000 });
  }
}

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}
