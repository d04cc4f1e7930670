/**
 * What the kubernetes engine expects of a system (from its IR v2: one entry per module with
 * long-running pods, its replicas, the gateways' published ports, the images to load) and how
 * the live pods measure up: per-module health for apply's readiness wait, the no-op fast path
 * and `status`.
 */
import type { InfraIR, IrNode } from '../compiler/lower/ir-v2.js';
import type { LivePod } from './kube-cli.js';

export type ModuleHealth = 'healthy' | 'running' | 'unhealthy' | 'starting' | 'exited' | 'missing' | 'none';

export interface ExpectedModule {
  readonly module: string;
  /** Deployments and StatefulSets run pods all the time; schedules (CronJobs) only now and then. */
  readonly longRunning: boolean;
  /** Pods that must be ready (autoscale: its minimum). */
  readonly replicas: number;
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
    if (n.kind === 'workload' || n.kind === 'gateway') out.push({ module: n.module, longRunning: true, replicas: n.autoscale ? n.autoscale.min : n.replicas });
    else if (n.kind === 'store') out.push({ module: n.module, longRunning: true, replicas: 1 });
    else if (n.kind === 'schedule') out.push({ module: n.module, longRunning: false, replicas: 0 });
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

export function systemHealth(expected: readonly ExpectedModule[], pods: readonly LivePod[]): ModuleLive[] {
  return expected.map((m) => moduleHealth(m, pods));
}

/** Every long-running module is healthy. */
export function allReady(modules: readonly ModuleLive[]): boolean {
  return modules.every((m) => m.health === 'healthy' || m.health === 'none');
}
