/**
 * What the kubernetes engine expects of a system (from its IR v2: one entry per module with
 * long-running pods, its replicas, the gateways' published ports, the images to load) and how
 * the live pods measure up: per-module health for apply's readiness wait, the no-op fast path
 * and `status`.
 */
import type { InfraIR, IrNode } from '../compiler/lower/ir.js';
import type { LivePod } from './kube-cli.js';
import type { K8sImage } from '../targets/kubernetes/model.js';
import { needsPublisher } from '../targets/kubernetes/lower-publisher.js';
import { needsWorkloadPublisher } from '../targets/kubernetes/lower-workload.js';

export type ModuleHealth = 'healthy' | 'running' | 'unhealthy' | 'starting' | 'exited' | 'missing' | 'none';

export interface ExpectedModule {
  readonly module: string;
  /** Deployments and StatefulSets run pods all the time; schedules (CronJobs) only now and then. */
  readonly longRunning: boolean;
  /** Pods that must be ready (autoscale: its minimum), its publisher pod included (a replicated published workload or gateway). */
  readonly replicas: number;
  /** A task (a Job run to completion): settled once its newest pod succeeded; Pulumi awaits it during apply. */
  readonly runsToCompletion?: true;
}

export interface ModuleLive {
  readonly module: string;
  readonly health: ModuleHealth;
  readonly containers: { name: string; id: string; state: string; health: string; ports: { hostIp: string; hostPort: number; containerPort: number }[] }[];
}

export interface KubeEndpoint {
  readonly module: string;
  readonly container: string;
  readonly url: string;
}

export interface KubeImage {
  readonly module: string;
  readonly ref: string;
  readonly source: Extract<IrNode, { kind: 'image' }>['source'];
}

/** The IR the engine was given, as IR v2 (the kubernetes target only ever receives v2). */
export function irV2(ir: unknown): InfraIR {
  const doc = ir as Partial<InfraIR> | undefined;
  return { irVersion: 2, system: doc?.system ?? '', platform: doc?.platform ?? {}, nodes: Array.isArray(doc?.nodes) ? doc.nodes : [], outputs: Array.isArray(doc?.outputs) ? doc.outputs : [] };
}

export function expectedModules(ir: InfraIR): ExpectedModule[] {
  const out: ExpectedModule[] = [];
  for (const n of ir.nodes) {
    if (n.kind === 'workload' || n.kind === 'gateway') {
      // The publisher's pod carries the module's labels too.
      const publisher = n.kind === 'gateway' ? needsPublisher(n) : Array.isArray(n.ports) && needsWorkloadPublisher(n);
      out.push({ module: n.module, longRunning: true, replicas: (n.autoscale ? n.autoscale.min : n.replicas) + (publisher ? 1 : 0) });
    }
    else if (n.kind === 'store') out.push({ module: n.module, longRunning: true, replicas: 1 });
    else if (n.kind === 'schedule') out.push({ module: n.module, longRunning: false, replicas: 0 });
    else if (n.kind === 'task') out.push({ module: n.module, longRunning: false, replicas: 0, runsToCompletion: true });
  }
  return out.sort((a, b) => a.module.localeCompare(b.module));
}

/** Each gateway's URL on the machine running aninfra: its published port on 127.0.0.1. */
export function gatewayEndpoints(ir: InfraIR): KubeEndpoint[] {
  return ir.nodes.flatMap((n) => (n.kind === 'gateway' ? [{ module: n.module, container: n.module, url: `http://127.0.0.1:${n.publish}` }] : [])).sort((a, b) => a.module.localeCompare(b.module));
}

/** Images the cluster must get from this machine: built ones and those mapped to local images (a pulled image is the cluster's business). */
export function imagesToLoad(ir: InfraIR): KubeImage[] {
  return ir.nodes.flatMap((n) => (n.kind === 'image' && n.ref && n.source.kind !== 'pull' ? [{ module: n.module, ref: n.ref, source: n.source }] : []));
}

const BROKEN = new Set(['CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'RunContainerError', 'Error', 'OOMKilled']);

/** One module's health from its pods (terminating pods do not count). */
export function moduleHealth(expected: ExpectedModule, pods: readonly LivePod[]): ModuleLive {
  const mine = pods.filter((p) => p.module === expected.module && !p.terminating);
  const containers = mine
    .map((p) => ({ name: p.name, id: p.uid.slice(0, 12), state: p.phase.toLowerCase(), health: p.ready ? 'healthy' : p.reason || 'starting', ports: [...p.hostPorts] }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (expected.runsToCompletion) return { module: expected.module, health: taskHealth(mine), containers };
  if (!expected.longRunning) {
    const failed = mine.some((p) => p.phase === 'Failed');
    return { module: expected.module, health: failed ? 'exited' : 'none', containers };
  }
  const running = mine.filter((p) => p.phase === 'Running' || p.phase === 'Pending');
  const health: ModuleHealth =
    running.length === 0
      ? mine.some((p) => p.phase === 'Failed')
        ? 'exited'
        : 'missing'
      : running.some((p) => BROKEN.has(p.reason))
        ? 'unhealthy'
        : running.filter((p) => p.ready).length >= Math.max(1, expected.replicas)
          ? 'healthy'
          : 'starting';
  return { module: expected.module, health, containers };
}

/**
 * A task's health from the newest pod of its Job (one run: backoffLimit 0): succeeded is settled
 * ('none', as compose reports an exited-0 task), failed is 'exited', running or pending 'starting'.
 */
function taskHealth(pods: readonly LivePod[]): ModuleHealth {
  const newest = [...pods].sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  if (!newest) return 'missing';
  return newest.phase === 'Succeeded' ? 'none' : newest.phase === 'Failed' ? 'exited' : 'starting';
}

export function systemHealth(expected: readonly ExpectedModule[], pods: readonly LivePod[]): ModuleLive[] {
  return expected.map((m) => moduleHealth(m, pods));
}

/** Every long-running module is healthy. */
export function allReady(modules: readonly ModuleLive[]): boolean {
  return modules.every((m) => m.health === 'healthy' || m.health === 'none');
}

/** What the engine needs to know of a system, from whichever the operation hands it: the IR v2 or the kubernetes target's model. */
export interface KubeView {
  readonly modules: readonly ExpectedModule[];
  readonly endpoints: readonly KubeEndpoint[];
  readonly images: readonly KubeImage[];
  /** Modules whose data lives in persistent volume claims. */
  readonly stores: readonly string[];
  /** platform.kubernetes.imageRegistry, when set. */
  readonly imageRegistry?: string;
}

const DESIGN = new Set(['workload', 'store', 'gateway', 'schedule', 'task']);

export function kubeView(given: unknown): KubeView {
  const doc = given as { nodes?: unknown; platform?: Record<string, Record<string, unknown> | undefined>; images?: unknown } | undefined;
  const nodes = Array.isArray(doc?.nodes) ? (doc.nodes as { kind?: unknown }[]) : [];
  if (nodes.some((n) => typeof n.kind === 'string' && DESIGN.has(n.kind)) || !Array.isArray(doc?.images)) {
    const ir = irV2(given);
    const registry = ir.platform.kubernetes?.imageRegistry;
    return {
      modules: expectedModules(ir),
      endpoints: gatewayEndpoints(ir),
      images: imagesToLoad(ir),
      stores: ir.nodes.flatMap((n) => (n.kind === 'store' ? [n.module] : [])),
      ...(typeof registry === 'string' ? { imageRegistry: registry } : {}),
    };
  }
  return modelView(nodes as ModelObjectNode[], doc?.images as ModelImage[]);
}

interface ModelObjectNode {
  readonly kind: string;
  readonly provenance?: { readonly module?: string | null };
  readonly object?: { readonly metadata?: { readonly labels?: Record<string, string> }; readonly spec?: WorkloadSpec };
}
interface WorkloadSpec {
  readonly replicas?: number;
  readonly minReplicas?: number;
  readonly scaleTargetRef?: { readonly name?: string };
  readonly template?: { readonly spec?: { readonly containers?: readonly { readonly ports?: readonly { readonly hostPort?: number }[] }[] } };
}
/** As stored in a revision's model; `push` may be absent in models written before it existed. */
type ModelImage = Omit<K8sImage, 'push'> & { readonly push?: boolean };

/** The kubernetes target's model (one node per object): Deployments and StatefulSets run pods, CronJobs now and then; hostPorts are the published URLs. */
function modelView(nodes: readonly ModelObjectNode[], images: readonly ModelImage[]): KubeView {
  const moduleOf = (n: ModelObjectNode): string => n.object?.metadata?.labels?.['aninfra.module'] ?? n.provenance?.module ?? '';
  const autoscaleMin = new Map<string, number>();
  for (const n of nodes) if (n.kind === 'HorizontalPodAutoscaler') autoscaleMin.set(moduleOf(n), n.object?.spec?.minReplicas ?? 1);
  const modules = new Map<string, ExpectedModule>();
  const endpoints: KubeEndpoint[] = [];
  const stores: string[] = [];
  for (const n of nodes) {
    const module = moduleOf(n);
    if (!module) continue;
    if (n.kind === 'Deployment' || n.kind === 'StatefulSet') {
      // A module's pods are counted together: its controller's and its publisher's.
      const replicas = (n.object?.spec?.replicas ?? autoscaleMin.get(module) ?? 1) + (modules.get(module)?.replicas ?? 0);
      modules.set(module, { module, longRunning: true, replicas });
      if (n.kind === 'StatefulSet') stores.push(module);
      for (const c of n.object?.spec?.template?.spec?.containers ?? []) {
        for (const p of c.ports ?? []) if (p.hostPort) endpoints.push({ module, container: module, url: `http://127.0.0.1:${p.hostPort}` });
      }
    } else if (n.kind === 'CronJob' && !modules.has(module)) {
      modules.set(module, { module, longRunning: false, replicas: 0 });
    } else if (n.kind === 'Job' && !modules.has(module)) {
      modules.set(module, { module, longRunning: false, replicas: 0, runsToCompletion: true });
    }
  }
  const loads = images.map((i): KubeImage => ({
    module: i.module,
    ref: i.ref,
    source: i.source === 'build' ? { kind: 'build', context: i.context ?? '.', args: i.args ?? {}, ...(i.dockerfile ? { dockerfile: i.dockerfile } : {}), ...(i.generatedDockerfile !== undefined ? { generatedDockerfile: i.generatedDockerfile } : {}) } : { kind: 'local' },
  }));
  return {
    modules: [...modules.values()].sort((a, b) => a.module.localeCompare(b.module)),
    endpoints: endpoints.sort((a, b) => a.module.localeCompare(b.module)),
    images: loads,
    stores: [...new Set(stores)].sort(),
    ...(images.some((i) => i.push) ? { imageRegistry: 'configured' } : {}),
  };
}
