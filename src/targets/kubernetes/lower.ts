/**
 * InfraIR v2 → the kubernetes model: a Namespace, the per-kind objects (lower-workload,
 * lower-store, lower-gateway, lower-schedule), the Secrets created at apply time, persistent
 * volume claims, and NetworkPolicies, in dependency order (ties by id).
 *
 * Codes: ERR_TARGET_UNSUPPORTED_FIELD (a host bind mount: cluster nodes do not have the spec's
 * directory), WARN_TARGET_SCHEDULE_APPROXIMATED (from cron.ts).
 */
import { diagnostic, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { InfraIR, IrNode, VolumeNode } from '../../compiler/lower/ir.js';
import type { Value } from '../../compiler/resolve/value.js';
import { labelsOf, meta, type LowerContext } from './context.js';
import { dependencyOrder } from '../../compiler/emit/dependency-order.js';
import { generatedSecretName, hostEnvSecretName, secretSources } from './env.js';
import { lowerGateway } from './lower-gateway.js';
import { backupClaimName, DEFAULT_STORE_SIZE, lowerStore } from './lower-store.js';
import { lowerSchedule } from './lower-schedule.js';
import { lowerTask, taskJobNames } from './lower-task.js';
import { lowerWorkload, needsWorkloadPublisher } from './lower-workload.js';
import { WORKLOAD_PUBLISHER_IMAGE_ID, workloadPublisherImage, workloadPublisherNodes } from './lower-workload-publisher.js';
import { k8sNode, nodeId, type K8sImage, type K8sModel, type K8sNode } from './model.js';
import { networkPolicyNodes } from './network-policies.js';
import type { ImageUse } from './pod.js';
import { kubernetesSettings, type KubernetesSettings } from './settings.js';

export function lowerKubernetes(ir: InfraIR): { readonly value?: K8sModel; readonly diagnostics: readonly Diagnostic[] } {
  const refused = unsupportedFields(ir);
  if (refused.length > 0) return { diagnostics: refused };
  const settings = kubernetesSettings(ir.system, ir.platform);
  const namespaceId = nodeId('Namespace', settings.namespace);
  const { uses, images } = imagesOf(ir, settings);
  const objects = objectIndex(ir);
  const claims = claimNames(ir);
  const diagnostics: Diagnostic[] = [];
  const ctx: LowerContext = {
    system: ir.system,
    ...(ir.owner !== undefined ? { owner: ir.owner } : {}),
    settings,
    namespace: settings.namespace,
    namespaceId,
    pod: {
      system: ir.system,
      namespace: settings.namespace,
      images: uses,
      claimOf: (id) => {
        const claim = claims.get(id);
        if (claim === undefined) throw new Error(`internal: no claim for volume ${id}`);
        return claim;
      },
    },
    objectsOf: (id) => objects.get(id) ?? [],
    diagnostics,
  };
  // A task's Job is named by a hash of its inputs (lower-task.ts): known before its dependants are lowered.
  for (const [id, name] of taskJobNames(ir, ctx)) objects.set(id, [nodeId('Job', name)]);
  const namespace = k8sNode(
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: settings.namespace, labels: labelsOf(ctx, { module: null, rule: 'system-namespace', detail: '' }) } },
    { module: null, rule: 'system-namespace', detail: 'every object of the system lives in one namespace' },
    [],
    { retainOnDelete: true },
  );
  const nodes: K8sNode[] = [namespace, ...secretNodes(ir, ctx), ...volumeNodes(ir, ctx)];
  for (const n of ir.nodes) nodes.push(...lowerNode(n, ctx));
  nodes.push(...networkPolicyNodes(ir, ctx));
  return { value: { system: ir.system, namespace: settings.namespace, nodes: dependencyOrder(nodes, 'kubernetes objects'), outputs: ir.outputs, images }, diagnostics };
}

function lowerNode(n: IrNode, ctx: LowerContext): K8sNode[] {
  switch (n.kind) {
    case 'workload':
      return [...lowerWorkload(n, ctx), ...(needsWorkloadPublisher(n) ? workloadPublisherNodes(n, ctx, nodeId('Service', n.module)) : [])];
    case 'store':
      return lowerStore(n, ctx);
    case 'gateway':
      return lowerGateway(n, ctx);
    case 'schedule':
      return lowerSchedule(n, ctx);
    case 'task':
      return lowerTask(n, ctx);
    case 'secret':
    case 'volume':
    case 'image':
      return [];
    default: {
      const never: never = n;
      throw new Error(`internal: unknown design node ${JSON.stringify(never)}`);
    }
  }
}

/** Host directories mounted into a process: nothing on a cluster node holds the spec's directory. */
function unsupportedFields(ir: InfraIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const n of ir.nodes) {
    if (n.kind !== 'workload' && n.kind !== 'store' && n.kind !== 'gateway' && n.kind !== 'schedule' && n.kind !== 'task') continue;
    for (const m of n.process.mounts) {
      if (m.kind !== 'bind') continue;
      out.push(
        diagnostic(
          'ERR_TARGET_UNSUPPORTED_FIELD',
          { module: n.module, field: `the host directory '${m.source}' mounted at ${m.target}`, target: 'kubernetes', reason: 'cluster nodes do not have the spec directory; build an image that contains the files' },
          { path: `/modules/${n.module}` },
        ),
      );
    }
  }
  return out;
}

/**
 * Image references pods use, and the images the engine provides: built images are named
 * `<registry>/<system>--<module>:<hash>` when a registry is set (pushed there), else
 * `<system>--<module>:<hash or latest>` imported into the local cluster; mapped local images too.
 */
function imagesOf(ir: InfraIR, settings: KubernetesSettings): { uses: Map<string, ImageUse>; images: K8sImage[] } {
  const uses = new Map<string, ImageUse>();
  const images: K8sImage[] = [];
  for (const n of ir.nodes) {
    if (n.kind !== 'image') continue;
    const s = n.source;
    if (s.kind === 'build') {
      const name = `${ir.system}--${n.module}:${s.contentHash ?? 'latest'}`;
      const registry = settings.imageRegistry;
      const ref = registry !== undefined ? `${registry}/${name}` : name;
      uses.set(n.id, registry !== undefined ? { ref } : { ref, pullPolicy: 'IfNotPresent' });
      images.push({ module: n.module, ref, source: 'build', context: s.context, ...(s.dockerfile !== undefined ? { dockerfile: s.dockerfile } : {}), ...(s.generatedDockerfile !== undefined ? { generatedDockerfile: s.generatedDockerfile } : {}), args: s.args, push: registry !== undefined });
      continue;
    }
    if (n.ref === undefined) throw new Error(`internal: image ${n.id} has no reference`);
    if (s.kind === 'local') {
      uses.set(n.id, { ref: n.ref, pullPolicy: 'IfNotPresent' });
      images.push({ module: n.module, ref: n.ref, source: 'local', push: false });
    } else uses.set(n.id, { ref: n.ref });
  }
  // Replicated published workloads: their publishers' nginx (mapped local images are loaded like the design's).
  const publisher = workloadPublisherImage(ir);
  if (publisher) {
    uses.set(WORKLOAD_PUBLISHER_IMAGE_ID, publisher.use);
    const first = ir.nodes.find((n) => n.kind === 'workload' && needsWorkloadPublisher(n));
    if (publisher.local !== undefined && first && 'module' in first && !images.some((i) => i.ref === publisher.local)) images.push({ module: first.module, ref: publisher.local, source: 'local', push: false });
  }
  return { uses, images };
}

/** The store each data volume belongs to, and the store's backup volume. */
function storeVolumes(ir: InfraIR): { data: Map<string, string>; backups: Map<string, string> } {
  const data = new Map<string, string>();
  const backups = new Map<string, string>();
  const backedUp = new Set<string>();
  for (const n of ir.nodes) {
    if (n.kind !== 'store') continue;
    data.set(n.data.volume, n.module);
    if (n.backup && n.backup.dump.length > 0) backedUp.add(n.module);
  }
  for (const n of ir.nodes) if (n.kind === 'volume' && n.purpose === 'backups' && backedUp.has(n.module)) backups.set(n.id, n.module);
  return { data, backups };
}

/** Claim names of volumes mounted by name (not a store's data, which its StatefulSet claims per pod). */
function claimNames(ir: InfraIR): Map<string, string> {
  const { data, backups } = storeVolumes(ir);
  const out = new Map<string, string>();
  for (const n of ir.nodes) {
    if (n.kind !== 'volume' || data.has(n.id)) continue;
    out.set(n.id, backups.has(n.id) ? backupClaimName(n.module) : `${n.module}-${n.purpose}`);
  }
  return out;
}

function volumeNodes(ir: InfraIR, ctx: LowerContext): K8sNode[] {
  const { data, backups } = storeVolumes(ir);
  const claims = claimNames(ir);
  return ir.nodes
    .filter((n): n is VolumeNode => n.kind === 'volume' && !data.has(n.id) && !backups.has(n.id))
    .map((n) =>
      k8sNode(
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { ...meta(ctx, claims.get(n.id) ?? '', n.provenance), annotations: { 'pulumi.com/skipAwait': 'true' } },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(ctx.settings.storageClass !== undefined ? { storageClassName: ctx.settings.storageClass } : {}),
            resources: { requests: { storage: n.size ?? DEFAULT_STORE_SIZE } },
          },
        },
        n.provenance,
        [ctx.namespaceId],
        { immutable: { storageClassName: ctx.settings.storageClass ?? null }, ...(n.keep ? { retainOnDelete: true } : {}) },
      ),
    );
}

/** One Secret per module with generated secrets; one for host-env values when any process reads one. */
function secretNodes(ir: InfraIR, ctx: LowerContext): K8sNode[] {
  const byModule = new Map<string, { key: string; length: number }[]>();
  for (const n of ir.nodes) if (n.kind === 'secret') byModule.set(n.module, [...(byModule.get(n.module) ?? []), { key: n.key, length: n.length }]);
  const out: K8sNode[] = [];
  // Kept on destroy like the data they unlock: the engine hands the values back to the program
  // (config `kept.<secret>.<key>`) so a re-apply over kept data does not generate new passwords.
  for (const [module, keys] of [...byModule].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const p = { module, rule: 'generated-secret', detail: `passwords generated at apply time: ${keys.map((k) => k.key).join(', ')}` };
    out.push(k8sNode({ apiVersion: 'v1', kind: 'Secret', metadata: meta(ctx, generatedSecretName(module), p), type: 'Opaque' }, p, [ctx.namespaceId], { source: 'generated', generated: [...keys].sort((a, b) => (a.key < b.key ? -1 : 1)), retainOnDelete: true }));
  }
  const values: Value[] = ir.nodes.flatMap((n) => (n.kind === 'workload' || n.kind === 'store' || n.kind === 'gateway' || n.kind === 'schedule' || n.kind === 'task' ? Object.values(n.process.env) : []));
  const hostEnv = secretSources(values).hostEnv;
  if (hostEnv.length > 0) {
    const p = { module: null, rule: 'host-env-secret', detail: `values of the applying environment: ${hostEnv.join(', ')}` };
    out.push(k8sNode({ apiVersion: 'v1', kind: 'Secret', metadata: meta(ctx, hostEnvSecretName(ir.system), p), type: 'Opaque' }, p, [ctx.namespaceId], { source: 'host-env', hostEnv }));
  }
  return out;
}

/** Design node id → ids of the objects realizing it (what a dependent object waits for). */
function objectIndex(ir: InfraIR): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const { data } = storeVolumes(ir);
  const claims = claimNames(ir);
  for (const n of ir.nodes) {
    if (n.kind === 'workload' || n.kind === 'gateway') out.set(n.id, [nodeId('Deployment', n.module)]);
    else if (n.kind === 'store') out.set(n.id, [nodeId('StatefulSet', n.module)]);
    else if (n.kind === 'schedule') out.set(n.id, [nodeId('CronJob', n.module)]);
    else if (n.kind === 'secret') out.set(n.id, [nodeId('Secret', generatedSecretName(n.module))]);
    else if (n.kind === 'volume') out.set(n.id, data.has(n.id) ? [] : [nodeId('PersistentVolumeClaim', claims.get(n.id) ?? '')]);
  }
  return out;
}
