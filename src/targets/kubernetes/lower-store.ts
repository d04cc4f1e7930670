/**
 * A store: a StatefulSet (one replica) whose data lives in a volumeClaimTemplate (size from the
 * design, default 1Gi; storage class from platform.kubernetes.storageClass), the headless Service
 * it is governed by, a ClusterIP Service named after the module, a PodDisruptionBudget for
 * availability high, and its backups: a CronJob writing `<module>-<timestamp>.<ext>` to a backup
 * PVC and keeping the `retain` newest.
 */
import type { Provenance, StoreNode } from '../../compiler/lower/ir.js';
import { depsOf, filesNodes, labelsOf, meta, pdbObject, selectorOf, type LowerContext } from './context.js';
import { scheduleWarning, toCron } from './cron.js';
import { k8sNode, type JsonObject, type K8sNode } from './model.js';
import { podParts, podTemplate, serviceObject } from './pod.js';
import { secretDeps } from './lower-workload.js';

export const DEFAULT_STORE_SIZE = '1Gi';
export const BACKUP_MOUNT = '/backups';
export const headlessServiceName = (module: string): string => `${module}-headless`;
export const backupClaimName = (module: string): string => `${module}-backups`;
export const backupJobName = (module: string): string => `${module}-backup`;

/**
 * The backup job's shell script: fixed text, its inputs in variables (never spliced in), the dump
 * argv as its arguments. Files are named as on the docker family (`<module>-<UTC timestamp>.<ext>`
 * in /backups); the dump goes to a partial file renamed on success, so a failed dump never counts
 * as a backup and never prunes an older one.
 */
export const BACKUP_SCRIPT = [
  'set -u',
  'ts=$(date -u +%Y%m%dT%H%M%SZ)',
  'f="$BACKUP_DIR/$BACKUP_MODULE-$ts.$BACKUP_EXT"',
  'if "$@" > "$f.partial"; then mv -f "$f.partial" "$f"; echo "aninfra-backup: wrote $f" >&2',
  'else rm -f "$f.partial"; echo "aninfra-backup: dump failed; earlier backups kept" >&2; exit 1; fi',
  // Timestamped names sort by time: keep the newest BACKUP_RETAIN.
  'ls -1 "$BACKUP_DIR/$BACKUP_MODULE"-*."$BACKUP_EXT" 2>/dev/null | sort -r | sed "1,${BACKUP_RETAIN}d" | while read -r old; do rm -f -- "$old"; done',
].join('\n');

export function lowerStore(n: StoreNode, ctx: LowerContext): K8sNode[] {
  const p = n.provenance;
  const selector = selectorOf(ctx, p);
  // The design names the data's place in `data` (the compiler's process mounts omit it): mount the claim there.
  const mounted = n.process.mounts.some((m) => m.kind === 'volume' && m.volume === n.data.volume);
  const process = mounted ? n.process : { ...n.process, mounts: [...n.process.mounts, { kind: 'volume' as const, volume: n.data.volume, target: n.data.path, readOnly: false }] };
  const parts = podParts({ name: n.module, module: n.module, process, ports: n.ports, templateClaims: new Map([[n.data.volume, 'data']]) }, ctx.pod);
  const files = filesNodes(ctx, parts, p, (o, d) => k8sNode(o, p, d));
  const headless = serviceObject(headlessServiceName(n.module), ctx.namespace, labelsOf(ctx, p), selector, n.ports, true);
  const headlessNode = k8sNode(headless, p, [ctx.namespaceId], { immutable: { clusterIP: 'None' } });
  const claimTemplates = [
    {
      metadata: { name: 'data', labels: labelsOf(ctx, p) },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(ctx.settings.storageClass !== undefined ? { storageClassName: ctx.settings.storageClass } : {}),
        resources: { requests: { storage: n.data.size ?? DEFAULT_STORE_SIZE } },
      },
    },
  ];
  const statefulSet = k8sNode(
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta(ctx, n.module, p),
      spec: {
        replicas: 1,
        serviceName: headless.metadata.name,
        selector: { matchLabels: { ...selector } },
        updateStrategy: { type: 'RollingUpdate' },
        // The claims outlive the StatefulSet: destroy keeps the data unless asked to delete it.
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
        template: podTemplate(labelsOf(ctx, p), parts),
        volumeClaimTemplates: claimTemplates,
      },
    },
    p,
    depsOf(ctx, n.dependsOn, [headlessNode.id, ...files.map((f) => f.id), ...secretDeps(parts)]),
    { immutable: { selector: { matchLabels: { ...selector } }, serviceName: headless.metadata.name, volumeClaimTemplates: claimTemplates } },
  );
  const nodes: K8sNode[] = [...files, headlessNode, statefulSet];
  if (n.ports.length > 0) nodes.push(k8sNode(serviceObject(n.module, ctx.namespace, labelsOf(ctx, p), selector, n.ports), p, [ctx.namespaceId], { immutable: { clusterIP: 'auto' } }));
  if (n.availability === 'high') nodes.push(k8sNode(pdbObject(ctx, n.module, selector, { minAvailable: 1 }, p), p, [ctx.namespaceId, statefulSet.id]));
  // An engine without dump commands has an empty argv: no job (the design stage warns, WARN_BACKUP_ENGINE_UNSUPPORTED).
  if (n.backup && n.backup.dump.length > 0) nodes.push(...backupNodes(n, ctx, statefulSet.id));
  return nodes;
}

/** Provenance of a store's backup objects. */
export const backupProvenance = (n: Pick<StoreNode, 'module' | 'engine'>): Provenance => ({ module: n.module, rule: 'store-backup', detail: `scheduled dump of ${n.engine} to the backup volume` });

function backupNodes(n: StoreNode, ctx: LowerContext, storeId: string): K8sNode[] {
  const policy = n.backup;
  if (!policy) return [];
  const p = backupProvenance(n);
  const claim = k8sNode(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      // The claim may stay Pending until the first job mounts it (WaitForFirstConsumer classes): Pulumi must not wait for it.
      metadata: { ...meta(ctx, backupClaimName(n.module), p), annotations: { 'pulumi.com/skipAwait': 'true' } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        ...(ctx.settings.storageClass !== undefined ? { storageClassName: ctx.settings.storageClass } : {}),
        resources: { requests: { storage: n.data.size ?? DEFAULT_STORE_SIZE } },
      },
    },
    p,
    [ctx.namespaceId],
    { immutable: { storageClassName: ctx.settings.storageClass ?? null }, retainOnDelete: true },
  );
  const port = n.ports[0]?.port ?? 0;
  const parts = podParts(
    {
      name: 'backup',
      module: n.module,
      // The store's image and env (its credentials); no probes, no data volume, no generated files.
      process: { ...n.process, mounts: [], files: [] },
      ports: [],
      command: ['sh', '-c', BACKUP_SCRIPT, 'aninfra-backup'],
      args: policy.dump,
      extraEnv: { STORE_HOST: n.module, STORE_PORT: String(port), BACKUP_DIR: BACKUP_MOUNT, BACKUP_MODULE: n.module, BACKUP_EXT: policy.extension, BACKUP_RETAIN: String(policy.retain) },
      extraMounts: [{ name: 'backups', mountPath: BACKUP_MOUNT }],
    },
    ctx.pod,
  );
  const container: JsonObject = Object.fromEntries(Object.entries(parts.container).filter(([k]) => k !== 'readinessProbe' && k !== 'livenessProbe'));
  const schedule = toCron(policy.schedule, 0);
  if (schedule.approximated) ctx.diagnostics.push(scheduleWarning(n.module, policy.schedule, schedule.cron, schedule.approximated));
  const template = podTemplate(labelsOf(ctx, p), { container, volumes: [{ name: 'backups', persistentVolumeClaim: { claimName: claim.object.metadata.name } }] }, 'OnFailure');
  const job = k8sNode(
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta(ctx, backupJobName(n.module), p),
      spec: {
        schedule: schedule.cron,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: { spec: { backoffLimit: 2, template } },
      },
    },
    p,
    [ctx.namespaceId, claim.id, storeId, ...secretDeps(parts)],
  );
  return [claim, job];
}
