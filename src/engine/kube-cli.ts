/**
 * The Kubernetes cluster as the kubernetes engine sees it, through `kubectl` (ANINFRA_KUBECTL names
 * another binary) on the current kubeconfig (KUBECONFIG, else ~/.kube/config) and context
 * (ANINFRA_KUBE_CONTEXT, else the kubeconfig's current one): is it reachable, which pods and
 * persistent volume claims carry a system's `aninfra.system` / `aninfra.owner` labels, in any
 * namespace, and deleting objects by those labels.
 * Codes: ERR_PREREQ_KUBERNETES.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { runProcess } from './run-process.js';

export interface KubeTarget {
  /** kubeconfig file ('' when none was found). */
  readonly kubeconfig: string;
  /** Context to use; undefined: the kubeconfig's current context. */
  readonly context?: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface LivePod {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly module: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Pending, Running, Succeeded, Failed, Unknown. */
  readonly phase: string;
  /** The pod's Ready condition is True. */
  readonly ready: boolean;
  /** Being deleted (deletionTimestamp set): no longer counts for the module. */
  readonly terminating: boolean;
  readonly restarts: number;
  /** Why a container waits or ended, e.g. CrashLoopBackOff, ErrImageNeverPull ('' when none). */
  readonly reason: string;
  /** hostPort mappings of its containers (a gateway's published port). */
  readonly hostPorts: readonly { readonly hostIp: string; readonly hostPort: number; readonly containerPort: number }[];
  readonly startedAt: string;
  /** The ReplicaSet / StatefulSet revision it belongs to (pod-template-hash or controller-revision-hash). */
  readonly revision: string;
}

export function kubectlBinary(env: NodeJS.ProcessEnv): string {
  return env.ANINFRA_KUBECTL ?? 'kubectl';
}

/** KUBECONFIG (its first existing entry) or ~/.kube/config; '' when neither exists. */
export function kubeconfigPath(env: NodeJS.ProcessEnv): string {
  const listed = (env.KUBECONFIG ?? '').split(':').filter(Boolean);
  if (listed.length > 0) return listed.find((p) => existsSync(p)) ?? '';
  const home = env.HOME ?? homedir();
  const fallback = join(home, '.kube', 'config');
  return existsSync(fallback) ? fallback : '';
}

export function kubeTarget(env: NodeJS.ProcessEnv, context?: string): KubeTarget {
  const chosen = context ?? (env.ANINFRA_KUBE_CONTEXT || undefined);
  return { kubeconfig: kubeconfigPath(env), env, ...(chosen ? { context: chosen } : {}) };
}

function baseArgs(k: KubeTarget): string[] {
  return [...(k.kubeconfig ? ['--kubeconfig', k.kubeconfig] : []), ...(k.context ? ['--context', k.context] : []), '--request-timeout=20s'];
}

export function kubectl(k: KubeTarget, args: readonly string[], options: { timeoutMs?: number; input?: string; signal?: AbortSignal } = {}): ReturnType<typeof runProcess> {
  return runProcess(kubectlBinary(k.env), [...baseArgs(k), ...args], { env: k.env, timeoutMs: options.timeoutMs ?? 60_000, ...(options.input !== undefined ? { input: options.input } : {}), ...(options.signal ? { signal: options.signal } : {}) });
}

const HINT = 'set KUBECONFIG (or ~/.kube/config) to a reachable cluster and put kubectl on PATH; for the local test cluster: KUBECONFIG=$(scripts/local-cluster.sh up | tail -n 1) and PATH=$(scripts/local-cluster.sh bin):$PATH';

/** The cluster answers: a kubeconfig, kubectl, and the API server's /readyz. Undefined when all is well. */
export async function checkCluster(k: KubeTarget): Promise<Diagnostic | undefined> {
  if (!k.kubeconfig) {
    const reason = k.env.KUBECONFIG ? `no kubeconfig: KUBECONFIG names no existing file (${printable(k.env.KUBECONFIG)})` : 'no kubeconfig: KUBECONFIG is not set and ~/.kube/config does not exist';
    return diagnostic('ERR_PREREQ_KUBERNETES', { reason }, { hint: HINT });
  }
  const r = await kubectl(k, ['get', '--raw=/readyz'], { timeoutMs: 30_000 });
  if (r.spawnError) return diagnostic('ERR_PREREQ_KUBERNETES', { reason: `\`${printable(kubectlBinary(k.env))}\` is not on PATH (${r.spawnError.code ?? 'spawn failed'})` }, { hint: HINT });
  if (r.code !== 0) {
    const why = printable(r.stderr.trim().split('\n').filter(Boolean).slice(-1)[0] ?? `exit ${String(r.code)}`);
    return diagnostic('ERR_PREREQ_KUBERNETES', { reason: `the cluster of ${printable(k.kubeconfig)}${k.context ? ` (context ${printable(k.context)})` : ''} does not answer: ${why}` }, { hint: HINT });
  }
  return undefined;
}

export function systemSelector(system: string, owner: string): string {
  return `aninfra.system=${system},aninfra.owner=${owner}`;
}

interface PodJson {
  metadata?: { name?: string; namespace?: string; uid?: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec?: { containers?: { ports?: { hostPort?: number; hostIP?: string; containerPort?: number }[] }[] };
  status?: {
    phase?: string;
    startTime?: string;
    conditions?: { type?: string; status?: string }[];
    containerStatuses?: { restartCount?: number; state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }[];
  };
}

/** Pods as `kubectl get pods -o json` lists them (exported for tests). */
export function parsePods(json: string): LivePod[] {
  let doc: { items?: PodJson[] };
  try {
    doc = JSON.parse(json) as { items?: PodJson[] };
  } catch {
    return [];
  }
  return (doc.items ?? []).map((p): LivePod => {
    const labels = p.metadata?.labels ?? {};
    const statuses = p.status?.containerStatuses ?? [];
    const reason = statuses.map((s) => s.state?.waiting?.reason ?? s.state?.terminated?.reason ?? '').find((r) => r !== '') ?? '';
    return {
      name: p.metadata?.name ?? '',
      namespace: p.metadata?.namespace ?? '',
      uid: p.metadata?.uid ?? '',
      module: labels['aninfra.module'] ?? '',
      labels,
      phase: p.status?.phase ?? 'Unknown',
      ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      terminating: !!p.metadata?.deletionTimestamp,
      restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
      reason,
      hostPorts: (p.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((port) => port.hostPort).map((port) => ({ hostIp: port.hostIP ?? '0.0.0.0', hostPort: port.hostPort ?? 0, containerPort: port.containerPort ?? 0 }))),
      startedAt: p.status?.startTime ?? '',
      revision: labels['pod-template-hash'] ?? labels['controller-revision-hash'] ?? '',
    };
  });
}

/** Pods labelled with this system and owner, in every namespace. undefined when the cluster does not answer. */
export async function livePods(k: KubeTarget, system: string, owner: string): Promise<LivePod[] | undefined> {
  const r = await kubectl(k, ['get', 'pods', '--all-namespaces', '-l', systemSelector(system, owner), '-o', 'json']);
  return r.code === 0 ? parsePods(r.stdout) : undefined;
}

/** `<namespace>/<name>` of the persistent volume claims labelled with this system and owner (or, `byModule`, their modules). */
export async function liveClaims(k: KubeTarget, system: string, owner: string, byModule = false): Promise<string[]> {
  const field = byModule ? '{.metadata.labels.aninfra\\.module}' : '{.metadata.namespace}/{.metadata.name}';
  const r = await kubectl(k, ['get', 'pvc', '--all-namespaces', '-l', systemSelector(system, owner), '-o', `jsonpath={range .items[*]}${field}{"\\n"}{end}`]);
  return r.code === 0 ? [...new Set(r.stdout.split('\n').map((s) => s.trim()).filter(Boolean))].sort() : [];
}

/** Kinds the ownership check looks at: what a system's program creates that may hold or serve something. */
const OWNED_KINDS = ['namespaces', 'deployments', 'statefulsets', 'cronjobs', 'services', 'ingresses', 'persistentvolumeclaims', 'secrets'];

/** Objects labelled `aninfra.system=<system>` (any owner), with their owner label, for the ownership check. */
export async function labelledObjects(k: KubeTarget, system: string): Promise<{ kind: string; name: string; owner: string }[]> {
  const r = await kubectl(k, ['get', OWNED_KINDS.join(','), '--all-namespaces', '-l', `aninfra.system=${system}`, '-o', 'json']);
  if (r.code !== 0) return [];
  try {
    const doc = JSON.parse(r.stdout) as { items?: { kind?: string; metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } }[] };
    return (doc.items ?? []).map((o) => ({
      kind: o.kind ?? '',
      name: o.metadata?.namespace ? `${o.metadata.namespace}/${o.metadata.name ?? ''}` : (o.metadata?.name ?? ''),
      owner: o.metadata?.labels?.['aninfra.owner'] ?? '',
    }));
  } catch {
    return [];
  }
}

/** Deletes the objects of these kinds labelled with this system and owner, in every namespace, and waits for them to go. */
export async function deleteByLabels(k: KubeTarget, kinds: readonly string[], system: string, owner: string, timeoutSeconds: number): Promise<{ ok: boolean; message: string }> {
  const r = await kubectl(k, ['delete', kinds.join(','), '--all-namespaces', '-l', systemSelector(system, owner), '--ignore-not-found', '--wait=true', `--timeout=${timeoutSeconds}s`], { timeoutMs: (timeoutSeconds + 30) * 1000 });
  return { ok: r.code === 0, message: printable(r.stderr.trim().split('\n').slice(-3).join('; ')) };
}

export interface Rollout {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly module: string;
  /** The controller has seen its latest spec and every replica runs it and is ready (as `kubectl rollout status` decides). */
  readonly done: boolean;
}

interface ControllerJson {
  kind?: string;
  metadata?: { name?: string; namespace?: string; generation?: number; labels?: Record<string, string> };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; currentRevision?: string; updateRevision?: string };
}

/** Rollout state of Deployments and StatefulSets as `kubectl get -o json` lists them (exported for tests). */
export function parseRollouts(json: string): Rollout[] {
  let doc: { items?: ControllerJson[] };
  try {
    doc = JSON.parse(json) as { items?: ControllerJson[] };
  } catch {
    return [];
  }
  return (doc.items ?? []).map((c): Rollout => {
    const want = c.spec?.replicas ?? 1;
    const s = c.status ?? {};
    const seen = (s.observedGeneration ?? 0) >= (c.metadata?.generation ?? 1);
    const updated = (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) <= want;
    const ready = (s.readyReplicas ?? 0) >= want;
    const revision = c.kind !== 'StatefulSet' || !s.updateRevision || s.currentRevision === s.updateRevision || (s.updatedReplicas ?? 0) >= want;
    return { kind: c.kind ?? '', namespace: c.metadata?.namespace ?? '', name: c.metadata?.name ?? '', module: c.metadata?.labels?.['aninfra.module'] ?? '', done: seen && updated && ready && revision };
  });
}

/** Deployments and StatefulSets of this system and owner; undefined when the cluster does not answer. */
export async function liveRollouts(k: KubeTarget, system: string, owner: string): Promise<Rollout[] | undefined> {
  const r = await kubectl(k, ['get', 'deployments,statefulsets', '--all-namespaces', '-l', systemSelector(system, owner), '-o', 'json']);
  return r.code === 0 ? parseRollouts(r.stdout) : undefined;
}
