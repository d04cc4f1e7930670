/**
 * The Pulumi engine of the kubernetes target: the shared Pulumi runner (pulumi-runner.ts) on the
 * emitted `@pulumi/kubernetes` program, with the kubeconfig of KUBECONFIG (else ~/.kube/config) and
 * the context of --context (Pulumi config `kubernetes:context`). Before `up` it builds service
 * images and loads them into the cluster (kube-images.ts); Pulumi's await logic waits for
 * rollouts, and then every module's pods must be ready (kube-live.ts) within the timeout.
 * `status` reads pods by their `aninfra.system` / `aninfra.owner` labels; `destroy` keeps the
 * persistent volume claims of stateful modules (StatefulSets never delete them, and the program
 * keeps the Namespace holding them) unless deleteData, which deletes them and the Namespace by label.
 * Backups (list, restore) are kube-backups.ts's.
 * Codes: ERR_PREREQ_PULUMI, ERR_PREREQ_KUBERNETES, ERR_PREREQ_DOCKER, ERR_ENGINE_FAILED,
 * ERR_ENGINE_MODULE_UNHEALTHY, ERR_ENGINE_INTERRUPTED, ERR_ENGINE_TASK_FAILED (kube-tasks.ts).
 */
import { rmSync } from 'node:fs';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import type { ModuleOutcome } from '../state/journal.js';
import { checkDocker } from './docker-cli.js';
import type { DriftItem, Engine, EngineContext, EngineResult, PreviewStep } from './engine.js';
import { kubeBackups } from './kube-backups.js';
import { kubeDriftCheck } from './kube-drift.js';
import { checkCluster, deleteByLabels, kubectl, kubeTarget, labelledObjects, liveClaims, livePods, liveRollouts, type KubeTarget, type LivePod } from './kube-cli.js';
import { prepareClusterImages } from './kube-images.js';
import { taskFailures } from './kube-tasks.js';
import { allReady, kubeView, systemHealth, type ExpectedModule, type KubeEndpoint, type ModuleLive } from './kube-live.js';
import { keyMissing, onPath, pulumiCli, withStack, type RunResult, type StackExtras } from './pulumi-runner.js';

export const PROVIDER_PLUGIN = 'pulumi-resource-kubernetes';
const PLUGIN_HINT = `build the Kubernetes provider with scripts/pulumi-engine.sh (or scripts/local-cluster.sh build provider) and put its bin dir on PATH`;
/** What the program creates, deleted by label when Pulumi's state cannot be read. */
const WORKLOAD_KINDS = ['deployments', 'statefulsets', 'cronjobs', 'jobs', 'services', 'ingresses', 'horizontalpodautoscalers', 'poddisruptionbudgets', 'networkpolicies', 'configmaps', 'secrets'];

type Ready = { ok: true; version: string; kube: KubeTarget } | { ok: false; diagnostics: Diagnostic[] };

/**
 * The engine contract's live-system readers (status, the ownership check, endpoints), written to
 * the shape the engine contract takes for every engine in this issue (Engine.status,
 * labelledResources, endpoints); declared here until that contract is merged.
 */
export interface KubernetesStatusReport {
  readonly unavailable?: Diagnostic;
  readonly modules: readonly ModuleLive[];
  readonly missing: Readonly<Record<string, readonly string[]>>;
  readonly endpoints: readonly KubeEndpoint[];
  readonly drift?: readonly DriftItem[];
}

interface LiveReaders {
  status(ctx: EngineContext): Promise<KubernetesStatusReport>;
  labelledResources(ctx: EngineContext): Promise<readonly { readonly kind: string; readonly name: string; readonly owner: string }[]>;
  endpoints(model: unknown): readonly KubeEndpoint[];
}

/** Registered as 'pulumi-kubernetes': the kubernetes target names it as its engine. */
export const kubernetesEngine: Engine & LiveReaders = {
  name: 'pulumi-kubernetes',
  generatesSecrets: true,
  backups: kubeBackups,
  drift: kubeDriftCheck,
  async prerequisites(ctx) {
    const ready = await prerequisites(ctx);
    return ready.ok ? { ok: true, tool: `pulumi ${ready.version}` } : ready;
  },
  async outputs(ctx) {
    const ready = await prerequisites(ctx);
    if (!ready.ok) return undefined;
    let values: Record<string, Record<string, string>> | undefined;
    const run = await withStack(
      ctx,
      ready.version,
      async (stack) => {
        values = ((await stack.outputs()).outputs?.value ?? undefined) as Record<string, Record<string, string>> | undefined;
      },
      extras(ctx, ready.kube),
    );
    return run.ok ? values : undefined;
  },
  async apply(ctx) {
    const ready = await prerequisites(ctx);
    if (!ready.ok) return { ok: false, modules: [], diagnostics: ready.diagnostics };
    const view = kubeView(ctx.ir);
    const expected = view.modules;
    const tool = `pulumi ${ready.version}`;
    const before = (await livePods(ready.kube, ctx.system, ctx.paths.owner)) ?? [];
    const claimsBefore = await liveClaims(ready.kube, ctx.system, ctx.paths.owner);
    // Nothing to change and every module ready: no engine run, so a no-op apply stays fast.
    const rolledOut = (await liveRollouts(ready.kube, ctx.system, ctx.paths.owner))?.every((r) => r.done) ?? false;
    // The same drift check as `status` and `drift` (an image set by hand, a claim gone…); unknown objects are only reported.
    const converged = async (): Promise<boolean> => (await kubeDriftCheck(ctx)).items.every((i) => i.kind === 'unknown');
    if (!ctx.hasChanges && rolledOut && allReady(systemHealth(expected, before)) && (claimsBefore.length > 0 || view.stores.length === 0) && (await converged())) {
      ctx.emit({ type: 'engine', message: 'no changes and every module ready: nothing to do' });
      return { ok: true, modules: outcomes(expected, undefined, before, before), diagnostics: [], tool };
    }
    const images = await prepareClusterImages(ctx, view.images, view.imageRegistry);
    if (images.length > 0) return { ok: false, modules: [], diagnostics: images, tool };
    const run = await withStack(ctx, ready.version, (stack, ops) => stack.up({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal }), extras(ctx, ready.kube));
    // Tasks (Jobs) were awaited by Pulumi itself: the wait is for the long-lived modules.
    const lasting = expected.filter((m) => !m.runsToCompletion);
    const waited = run.ok ? await waitReady(ctx, ready.kube, lasting) : { pods: (await livePods(ready.kube, ctx.system, ctx.paths.owner)) ?? [], pending: new Set<string>() };
    const after = waited.pods;
    // A module whose rollout is stuck is not ready, whatever its old pods say.
    const live = systemHealth(expected, after).map((m): ModuleLive => (waited.pending.has(m.module) && m.health === 'healthy' ? { ...m, health: 'starting' } : m));
    const modules = outcomes(expected, run, before, after).map((m): ModuleOutcome => (waited.pending.has(m.module) && m.health === 'healthy' ? { ...m, health: 'starting' } : m));
    const unhealthy = run.ok ? await unhealthyDiagnostics(ctx, ready.kube, live.filter((m) => lasting.some((l) => l.module === m.module)), after) : [];
    // A task's Job that failed (or did not complete in time) is ERR_ENGINE_TASK_FAILED, not the engine's generic failure.
    const tasks = run.ok ? { diagnostics: [], onlyTasks: false } : await taskFailures(ctx, ready.kube, run.failed, expected, after);
    const runDiagnostics = tasks.onlyTasks ? run.diagnostics.filter((d) => d.code !== 'ERR_ENGINE_FAILED') : run.diagnostics;
    return { ...run, ok: run.ok && unhealthy.length === 0, diagnostics: [...runDiagnostics, ...tasks.diagnostics, ...unhealthy], modules };
  },
  async preview(ctx) {
    const ready = await prerequisites(ctx);
    if (!ready.ok) return { ok: false, steps: [], diagnostics: ready.diagnostics };
    const run = await withStack(ctx, ready.version, (stack, ops) => stack.preview({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal }), extras(ctx, ready.kube));
    return { ok: run.ok, steps: previewSteps(run.typedOps), diagnostics: run.diagnostics, tool: run.tool ?? 'pulumi' };
  },
  async destroy(ctx, options) {
    const ready = await prerequisites(ctx);
    if (!ready.ok) return { ok: false, modules: [], diagnostics: ready.diagnostics };
    const tool = `pulumi ${ready.version}`;
    const claimsBefore = await liveClaims(ready.kube, ctx.system, ctx.paths.owner);
    let run: EngineResult;
    if (keyMissing(ctx)) {
      // Without the key Pulumi's state cannot be decrypted: take the system down by its labels and forget the stack.
      ctx.emit({ type: 'warning', message: "the secret key is missing, so Pulumi's state cannot be read: deleting the system's objects by their labels and forgetting the stack" });
      const gone = await deleteByLabels(ready.kube, WORKLOAD_KINDS, ctx.system, ctx.paths.owner, ctx.timeoutSeconds);
      if (gone.ok) rmSync(ctx.paths.pulumiBackend, { recursive: true, force: true });
      run = { ok: gone.ok, modules: [], diagnostics: gone.ok ? [] : [diagnostic('ERR_ENGINE_FAILED', { engine: 'kubectl delete', reason: gone.message })], tool };
    } else {
      run = await withStack(
        ctx,
        ready.version,
        async (stack, ops) => {
          // Kept data keeps its credentials: the generated passwords (random resources) stay in the
          // stack's state, so a later apply hands the stores the passwords their data was made with.
          const keep = options.deleteData ? [] : generatedCredentials((await stack.exportStack()).deployment);
          return stack.destroy({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal, ...(keep.length > 0 ? { exclude: keep } : {}) });
        },
        extras(ctx, ready.kube),
      );
    }
    // Pods go after their controllers: wait (bounded) until none of the system's is left.
    const left = await waitGone(ctx, ready.kube);
    let ok = run.ok && left.length === 0;
    const diagnostics = [...run.diagnostics];
    if (run.ok && left.length > 0) diagnostics.push(diagnostic('ERR_ENGINE_FAILED', { engine: tool, reason: `pods still exist: ${left.map((p) => printable(`${p.namespace}/${p.name}`)).join(', ')}` }));
    if (ok && options.deleteData) {
      // Stored data goes only when asked for, and only claims (then namespaces) labelled with this system and owner.
      const claims = await deleteByLabels(ready.kube, ['persistentvolumeclaims'], ctx.system, ctx.paths.owner, ctx.timeoutSeconds);
      const namespaces = claims.ok ? await deleteByLabels(ready.kube, ['namespaces'], ctx.system, ctx.paths.owner, ctx.timeoutSeconds) : claims;
      if (!namespaces.ok) {
        ok = false;
        diagnostics.push(diagnostic('ERR_ENGINE_FAILED', { engine: 'kubectl delete', reason: namespaces.message }));
      }
    }
    const claimsAfter = await liveClaims(ready.kube, ctx.system, ctx.paths.owner);
    const modules = kubeView(ctx.ir)
      .modules.filter((m) => !left.some((p) => p.module === m.module))
      .map((m): ModuleOutcome => ({ module: m.module, outcome: 'deleted', health: 'missing' }));
    return { ...run, ok, diagnostics, modules, volumesKept: claimsAfter, volumesDeleted: claimsBefore.filter((c) => !claimsAfter.includes(c)), imagesRemoved: [] };
  },
  async status(ctx) {
    const view = kubeView(ctx.ir);
    const expected = view.modules;
    const endpoints = view.endpoints;
    const kube = kubeTarget(ctx.env, contextOf(ctx));
    const problem = await checkCluster(kube);
    const pods = problem ? undefined : await livePods(kube, ctx.system, ctx.paths.owner);
    if (!pods) {
      const unavailable = problem ?? diagnostic('ERR_PREREQ_KUBERNETES', { reason: 'the pods of the system cannot be listed' });
      const missing: Record<string, readonly string[]> = {};
      return { unavailable, modules: expected.map((m): ModuleLive => ({ module: m.module, health: 'missing', containers: [] })), missing, endpoints };
    }
    // A store's data lives in the claims of its StatefulSet (labelled with its module).
    const claims = await liveClaims(kube, ctx.system, ctx.paths.owner, true);
    const drift = await kubeDriftCheck(ctx);
    return { modules: systemHealth(expected, pods), missing: { volumes: view.stores.filter((m) => !claims.includes(m)) }, endpoints, drift: drift.items };
  },
  async labelledResources(ctx) {
    return labelledObjects(kubeTarget(ctx.env, contextOf(ctx)), ctx.system);
  },
  endpoints(model) {
    return kubeView(model).endpoints;
  },
};

/** The kubeconfig context: platform setting `kubernetes.context` (--context), else ANINFRA_KUBE_CONTEXT, else the current one. */
function contextOf(ctx: EngineContext): string | undefined {
  const platform = (ctx as { readonly platform?: Readonly<Record<string, Readonly<Record<string, unknown>> | undefined>> }).platform;
  const chosen = platform?.kubernetes?.context;
  return typeof chosen === 'string' && chosen !== '' ? chosen : undefined;
}

async function prerequisites(ctx: EngineContext): Promise<Ready> {
  const cli = await pulumiCli(ctx);
  if (!cli.ok) return cli;
  if (!pluginOnPath(ctx.env)) {
    return { ok: false, diagnostics: [diagnostic('ERR_PREREQ_PULUMI', { reason: `the plugin ${PROVIDER_PLUGIN} (the Kubernetes provider) is not on PATH` }, { hint: PLUGIN_HINT })] };
  }
  const kube = kubeTarget(ctx.env, contextOf(ctx));
  const cluster = await checkCluster(kube);
  if (cluster) return { ok: false, diagnostics: [cluster] };
  if (kubeView(ctx.ir).images.length > 0) {
    const docker = await checkDocker(ctx.env);
    if (docker) return { ok: false, diagnostics: [docker] };
  }
  return { ok: true, version: cli.version, kube };
}

/** Pulumi finds ambient plugins on PATH (downloads are off). */
export function pluginOnPath(env: NodeJS.ProcessEnv): boolean {
  return onPath(PROVIDER_PLUGIN, env) !== undefined;
}

function extras(ctx: EngineContext, kube: KubeTarget): StackExtras {
  return {
    // The Automation API spawns `pulumi` (and Pulumi its plugins) with this PATH.
    env: { KUBECONFIG: kube.kubeconfig, ...(ctx.env.PATH ? { PATH: ctx.env.PATH } : {}) },
    // The program may bound Pulumi's own await by it (customTimeouts / pulumi.com/timeoutSeconds).
    config: { 'aninfra:timeoutSeconds': String(ctx.timeoutSeconds), ...(kube.context ? { 'kubernetes:context': kube.context } : {}) },
    pluginHint: PLUGIN_HINT,
  };
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal.addEventListener('abort', stop, { once: true });
  });
}

/**
 * Polls until every long-running module has its pods ready and every Deployment and StatefulSet has
 * rolled out its latest spec (old pods still serving do not make a stuck rollout ready), or the
 * timeout passes; the last pods and the modules whose rollout is not done.
 */
async function waitReady(ctx: EngineContext, kube: KubeTarget, expected: readonly ExpectedModule[]): Promise<{ pods: LivePod[]; pending: Set<string> }> {
  const until = Date.now() + ctx.timeoutSeconds * 1000;
  for (;;) {
    const pods = (await livePods(kube, ctx.system, ctx.paths.owner)) ?? [];
    const rollouts = (await liveRollouts(kube, ctx.system, ctx.paths.owner)) ?? [];
    const pending = new Set(rollouts.filter((r) => !r.done).map((r) => r.module));
    if ((allReady(systemHealth(expected, pods)) && pending.size === 0) || Date.now() >= until || ctx.signal.aborted) return { pods, pending };
    await sleep(1000, ctx.signal);
  }
}

async function waitGone(ctx: EngineContext, kube: KubeTarget): Promise<LivePod[]> {
  const until = Date.now() + ctx.timeoutSeconds * 1000;
  for (;;) {
    const pods = (await livePods(kube, ctx.system, ctx.paths.owner)) ?? [];
    if (pods.length === 0 || Date.now() >= until || ctx.signal.aborted) return pods;
    await sleep(1000, ctx.signal);
  }
}

async function unhealthyDiagnostics(ctx: EngineContext, kube: KubeTarget, live: readonly ModuleLive[], pods: readonly LivePod[]): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const m of live) {
    if (m.health === 'healthy' || m.health === 'none') continue;
    // the newest pod that is not ready says why (a stuck rollout's new pod)
    const pod = pods.filter((p) => p.module === m.module && !p.terminating && !p.ready).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
    let tail = '';
    if (pod) {
      const logs = await kubectl(kube, ['logs', '-n', pod.namespace, pod.name, '--all-containers', '--tail=15'], { timeoutMs: 30_000 });
      tail = printable(ctx.redact(`${pod.reason ? `${pod.reason}\n` : ''}${logs.stdout}`.trim()));
    }
    out.push(diagnostic('ERR_ENGINE_MODULE_UNHEALTHY', { module: m.module, health: m.health, seconds: ctx.timeoutSeconds }, tail ? { hint: `last log lines:\n${tail}` } : {}));
  }
  return out;
}

/**
 * Preview steps by model node id: the target names each Pulumi resource after its object,
 * `<Kind>/<name>`, which is the node's id; other resources (the stack, the provider, generated
 * passwords) have no node.
 */
export function previewSteps(typedOps: ReadonlyMap<string, readonly string[]>): PreviewStep[] {
  const steps: PreviewStep[] = [];
  for (const [key, list] of typedOps) {
    const [type = '', name = ''] = key.split('::');
    if (!type.startsWith('kubernetes:') || type.startsWith('kubernetes:index/') || !/^[A-Za-z]+\/./.test(name)) continue;
    const op = list.some((o) => o.includes('replace')) ? 'replace' : (list.find((o) => o !== 'same') ?? 'same');
    steps.push({ id: name, op });
  }
  return steps.sort((a, b) => a.id.localeCompare(b.id));
}

/** URNs of the random resources (generated passwords and keys) in an exported deployment. */
export function generatedCredentials(deployment: unknown): string[] {
  const resources = (deployment as { resources?: unknown } | undefined)?.resources;
  if (!Array.isArray(resources)) return [];
  return (resources as { type?: unknown; urn?: unknown }[]).flatMap((r) => (typeof r.type === 'string' && r.type.startsWith('random:') && typeof r.urn === 'string' ? [r.urn] : []));
}

/** A Pulumi resource named after the module: `web`, `web-config`, or the target's `<Kind>/web…`. */
export function ofModule(resource: string, module: string): boolean {
  const bare = resource.slice(resource.indexOf('/') + 1);
  return bare === module || bare.startsWith(`${module}-`);
}

/** Per module: what the run did (from Pulumi's ops on resources named after the module, and the pods' revisions) and its health now. */
function outcomes(expected: readonly ExpectedModule[], run: RunResult | undefined, before: readonly LivePod[], after: readonly LivePod[]): ModuleOutcome[] {
  const live = new Map(systemHealth(expected, after).map((m) => [m.module, m]));
  return expected.map((m): ModuleOutcome => {
    const mine = (pods: readonly LivePod[]): LivePod[] => pods.filter((p) => p.module === m.module && !p.terminating);
    const ops = [...(run?.ops ?? new Map<string, string[]>())].filter(([name]) => ofModule(name, m.module)).flatMap(([, list]) => list);
    const failure = [...(run?.failed ?? new Map<string, string>())].find(([name]) => ofModule(name, m.module))?.[1];
    const was = new Set(mine(before).map((p) => p.revision));
    const now = new Set(mine(after).map((p) => p.revision));
    const rolled = [...now].some((r) => !was.has(r));
    const outcome: ModuleOutcome['outcome'] = failure
      ? 'failed'
      : was.size === 0 && now.size > 0
        ? 'created'
        : ops.some((o) => o.includes('replace'))
          ? 'replaced'
          : rolled || ops.includes('update')
            ? 'updated'
            : ops.includes('create')
              ? 'created'
              : 'unchanged';
    const health = live.get(m.module)?.health ?? 'missing';
    return { module: m.module, outcome, health: health === 'running' ? 'healthy' : health, ...(failure ? { message: failure } : {}) };
  });
}
