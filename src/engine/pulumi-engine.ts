/**
 * The Pulumi engine of the docker target: the shared Pulumi runner (pulumi-runner.ts) plus the
 * docker hooks: live state from `docker ps` by labels (the no-op fast path and per-module health),
 * stray containers an orphaned run left, and teardown of volumes and images by labels.
 * A task's container runs attached and its dependants wait for its exit 0 (the program's gate); a
 * task that exited non-zero is ERR_ENGINE_TASK_FAILED with its log tail (docker-tasks.ts).
 * Codes: ERR_PREREQ_PULUMI, ERR_PREREQ_DOCKER, ERR_ENGINE_FAILED, ERR_ENGINE_INTERRUPTED, ERR_ENGINE_TASK_FAILED.
 */
import { dockerBackups } from './docker-backups.js';
import { rmSync } from 'node:fs';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { dockerModel, type DockerModel } from '../targets/docker-family/model.js';
import type { ModuleOutcome } from '../state/journal.js';
import { checkDocker, dockerBinary, liveContainers, taskSucceeded, type LiveContainer } from './docker-cli.js';
import { knownContainers, strayContainers } from './pulumi-strays.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { converged, labelledResources, liveState, type LiveState } from './live-check.js';
import { healedByApply } from './docker-drift.js';
import { removeByLabels, teardown } from './teardown.js';
import { dockerDriftCheck, dockerEndpoints, dockerStatus } from './docker-status.js';
import type { Engine, EngineContext, EngineResult, PreviewStep } from './engine.js';
import { resourceName, resourceType } from '../targets/docker.js';
import { runProcess } from './run-process.js';
import { failedTasks } from './docker-tasks.js';
import { keyMissing, pulumiCli, withStack, type OpType } from './pulumi-runner.js';


export const pulumiEngine: Engine = {
  name: 'pulumi',
  backups: dockerBackups,
  generatesSecrets: true,
  status: dockerStatus,
  drift: dockerDriftCheck,
  endpoints: (model) => dockerEndpoints(model),
  labelledResources: (ctx) => labelledResources(ctx.system, ctx.env),
  async outputs(ctx) {
    const ready = await prerequisites(ctx);
    if (!ready.ok) return undefined;
    let values: Record<string, Record<string, string>> | undefined;
    const run = await withStack(ctx, ready.version, async (stack) => {
      const all = await stack.outputs();
      values = (all.outputs?.value ?? undefined) as Record<string, Record<string, string>> | undefined;
    });
    return run.ok ? values : undefined;
  },
  async prerequisites(ctx) {
    const ready = await prerequisites(ctx);
    return ready.ok ? { ok: true, tool: `pulumi ${ready.version}` } : ready;
  },
  async apply(ctx) {
    const ready = await prerequisites(ctx);
    if (!ready.ok) return { ok: false, modules: [], diagnostics: ready.diagnostics };
    const live = await liveState(ctx.system, dockerModel(ctx.ir), ctx.env, ctx.secrets);
    const before = new Map(live.containers.map((c) => [c.service, c]));
    // Nothing to change and everything the system owns is there and healthy: no engine run, so a no-op apply stays fast.
    if (!ctx.hasChanges && converged(live)) {
      ctx.emit({ type: 'engine', message: 'no changes and every module healthy: nothing to do' });
      return { ok: true, modules: outcomes(dockerModel(ctx.ir), new Map(), new Map(), before, before), diagnostics: [], tool: `pulumi ${ready.version}` };
    }
    const drifted = await removeDrifted(ctx, live);
    const run = await withStack(ctx, ready.version, async (stack, ops) => {
      // Pulumi's state still holds what drifted by hand (a container stopped, a network removed):
      // refresh drops what is gone, so `up` creates it again.
      // (A new stack has nothing to refresh.)
      let deployment = (await stack.exportStack()).deployment as { resources?: unknown[] } | undefined;
      if (drifted && (deployment?.resources?.length ?? 0) > 0) {
        await stack.refresh({ color: 'never', onOutput: ops.onOutput, signal: ctx.signal });
        deployment = (await stack.exportStack()).deployment as typeof deployment;
      }
      await removeStrays(ctx, deployment);
      return stack.up({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal });
    });
    const after = new Map((await liveContainers(ctx.system, ctx.env)).map((c) => [c.service, c]));
    // A failed task fails the program (its dependants' gate) with a generic error, or nothing at
    // all when no module comes after it: its container's exit status is the diagnostic.
    const model = dockerModel(ctx.ir);
    const tasks = await failedTasks(model, after, ctx.env, ctx.redact);
    if (tasks.length === 0) return { ...run, modules: outcomes(model, run.ops, run.failed, before, after) };
    const failed = new Map([...run.failed, ...tasks.map((t) => [t.name, t.diagnostic.message] as const)]);
    // Pulumi's own failure is the tasks' gate unless a resource of the model failed besides them.
    const taskNames = new Set(tasks.map((t) => t.name));
    const resources = new Set(model.nodes.map(resourceName));
    const besides = [...run.failed.keys()].some((name) => resources.has(name) && !taskNames.has(name));
    const others = run.diagnostics.filter((d) => besides || d.code !== 'ERR_ENGINE_FAILED');
    return { ...run, ok: false, diagnostics: [...tasks.map((t) => t.diagnostic), ...others], modules: outcomes(model, run.ops, failed, before, after) };
  },
  async preview(ctx) {
    const ready = await prerequisites(ctx);
    if (!ready.ok) return { ok: false, steps: [], diagnostics: ready.diagnostics };
    const run = await withStack(ctx, ready.version, async (stack, ops) => stack.preview({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal }));
    const byResource = new Map(dockerModel(ctx.ir).nodes.map((n) => [`${resourceType(n)}::${resourceName(n)}`, n.id]));
    const steps: PreviewStep[] = [];
    for (const [key, list] of run.typedOps) {
      const id = byResource.get(key);
      if (!id) continue;
      const op = list.some((o) => o.includes('replace')) ? 'replace' : (list.find((o) => o !== 'same') ?? 'same');
      steps.push({ id, op });
    }
    return { ok: run.ok, steps: steps.sort((a, b) => a.id.localeCompare(b.id)), diagnostics: run.diagnostics, tool: run.tool ?? 'pulumi' };
  },
  async destroy(ctx, options) {
    const ready = await prerequisites(ctx);
    if (!ready.ok) return { ok: false, modules: [], diagnostics: ready.diagnostics };
    // Without the key Pulumi's state cannot be decrypted: take the system down by its labels and forget the stack.
    const run = keyMissing(ctx)
      ? await forgetStack(ctx, `pulumi ${ready.version}`)
      : await withStack(ctx, ready.version, async (stack, ops) => stack.destroy({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal }));
    const after = await liveContainers(ctx.system, ctx.env);
    const ok = run.ok && after.length === 0;
    // Volumes of stateful modules are retainOnDelete in the program; deleting data is an explicit,
    // separate step that touches only volumes labelled with this system and owner.
    const rest = await teardown({ system: ctx.system, owner: ctx.paths.owner, ir: dockerModel(ctx.ir), env: ctx.env }, ok ? options : { deleteData: false, keepImages: true });
    const modules = [...new Set(dockerModel(ctx.ir).nodes.flatMap((n) => (n.kind === 'container' ? [n.module] : [])))]
      .filter((m) => !after.some((c) => c.module === m))
      .sort()
      .map((module): ModuleOutcome => ({ module, outcome: 'deleted', health: 'missing' }));
    const diagnostics = ok || !run.ok ? run.diagnostics : [diagnostic('ERR_ENGINE_FAILED', { engine: run.tool ?? 'pulumi', reason: `containers still exist: ${after.map((c) => c.name).join(', ')}` })];
    return { ...run, ok, diagnostics, modules, ...rest };
  },
};

/** Containers of this system and owner that Pulumi's state lacks (created by an orphaned run): removed, never their volumes. */
async function removeStrays(ctx: EngineContext, deployment: unknown): Promise<void> {
  const strays = strayContainers(await liveContainers(ctx.system, ctx.env), ctx.system, ctx.paths.owner, knownContainers(deployment));
  if (strays.length === 0) return;
  ctx.emit({ type: 'engine', message: `removing containers missing from Pulumi's state: ${strays.map((c) => printable(c.name)).join(', ')}` });
  await runProcess(dockerBinary(ctx.env), ['rm', '-f', ...strays.map((c) => c.id)], { env: ctx.env, timeoutMs: 120_000 });
}

/**
 * Pulumi never looks at live containers, so what drifted by hand is made visible to it: containers
 * of this system and owner that are stopped or unhealthy (all of them when the network is gone,
 * since they must rejoin it) are removed, never their volumes, and the caller refreshes the stack,
 * so `up` recreates them as Compose's `up --force-recreate` does. Another image or env only counts
 * when the plan changes nothing (otherwise the new model differs on purpose); a refresh then lets
 * Pulumi see it. Whether the stack must be refreshed.
 */
async function removeDrifted(ctx: EngineContext, live: LiveState): Promise<boolean> {
  const drift = live.drift.filter(healedByApply);
  const structural = drift.filter((d) => d.kind !== 'image' && d.kind !== 'env');
  const networkGone = structural.some((d) => d.kind === 'network-missing');
  const names = new Set(structural.filter((d) => d.resourceKind === 'container').map((d) => d.resource));
  const mine = (c: LiveContainer): boolean => c.labels['aninfra.system'] === ctx.system && (c.labels['aninfra.owner'] ?? ctx.paths.owner) === ctx.paths.owner;
  const known = new Set(dockerModel(ctx.ir).nodes.flatMap((n) => (n.kind === 'container' ? [n.name] : [])));
  const remove = live.containers.filter((c) => mine(c) && known.has(c.service) && (networkGone || names.has(c.name)));
  if (remove.length > 0) {
    ctx.emit({ type: 'engine', message: `recreating containers that drifted: ${remove.map((c) => printable(c.name)).join(', ')}` });
    await runProcess(dockerBinary(ctx.env), ['rm', '-f', ...remove.map((c) => c.id)], { env: ctx.env, timeoutMs: 120_000 });
  }
  return structural.length > 0 || (!ctx.hasChanges && drift.length > 0);
}

/** Destroy without Pulumi's state: remove the system's containers and network by label and name, then drop the stack's state. */
async function forgetStack(ctx: EngineContext, tool: string): Promise<EngineResult> {
  ctx.emit({ type: 'warning', message: "the secret key is missing, so Pulumi's state cannot be read: removing the system's containers and network by their labels and forgetting the stack" });
  const left = await removeByLabels({ system: ctx.system, owner: ctx.paths.owner, ir: dockerModel(ctx.ir), env: ctx.env });
  if (left.length > 0) return { ok: false, modules: [], diagnostics: [diagnostic('ERR_ENGINE_FAILED', { engine: tool, reason: `still exist: ${left.join(', ')}` })], tool };
  rmSync(ctx.paths.pulumiBackend, { recursive: true, force: true });
  return { ok: true, modules: [], diagnostics: [], tool };
}

async function prerequisites(ctx: EngineContext): Promise<{ ok: true; version: string } | { ok: false; diagnostics: Diagnostic[] }> {
  const cli = await pulumiCli(ctx);
  if (!cli.ok) return cli;
  const docker = await checkDocker(ctx.env);
  if (docker) return { ok: false, diagnostics: [docker] };
  return cli;
}

function outcomes(ir: DockerModel, ops: Map<string, OpType[]>, failed: Map<string, string>, before: Map<string, LiveContainer>, after: Map<string, LiveContainer>): ModuleOutcome[] {
  const result = new Map<string, ModuleOutcome>();
  for (const n of ir.nodes) {
    if (n.kind !== 'container') continue;
    const list = ops.get(n.name) ?? [];
    const failure = failed.get(n.name);
    const outcome: ModuleOutcome['outcome'] = failure
      ? 'failed'
      : list.some((o) => o.includes('replace'))
        ? 'replaced'
        : list.includes('create')
          ? 'created'
          : list.includes('update')
            ? 'updated'
            : before.get(n.name) !== undefined && before.get(n.name)?.id !== after.get(n.name)?.id
              ? 'replaced'
              : 'unchanged';
    const live = after.get(n.name);
    // Health as Docker sees it now, so a run that stopped early never reports modules it did not reach as healthy.
    // A task that exited 0 is where it should be: no health to report.
    const health: ModuleOutcome['health'] = failure ? (n.runsToCompletion && live?.state === 'exited' ? 'exited' : 'unhealthy') : !live ? 'missing' : n.runsToCompletion && taskSucceeded(live) ? 'none' : live.state !== 'running' ? 'exited' : live.health;
    const prev = result.get(n.module);
    const rank = { failed: 6, replaced: 5, created: 4, updated: 3, restarted: 2, unchanged: 1, deleted: 0 } as const;
    if (!prev || rank[outcome] > rank[prev.outcome]) {
      result.set(n.module, { module: n.module, outcome, health, ...(failure ? { message: failure } : {}) });
    }
  }
  return [...result.values()].sort((a, b) => a.module.localeCompare(b.module));
}
