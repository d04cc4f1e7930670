/**
 * The compose engine: docker compose v2 (or docker-compose v1) on the emitted compose file, with
 * project name = system name. Builds images itself (skipping unchanged contexts), starts with
 * health-gated depends_on, then waits until every module is healthy — Compose v1 counts an exited
 * dependency as healthy, so health is always checked here — and reports per module by comparing
 * container ids before and after. Secrets reach Compose only as environment variables of the
 * compose process.
 * A task (runs to completion) counts as settled once it exited 0; its dependants start only then
 * (`service_completed_successfully`), and a failed task is ERR_ENGINE_TASK_FAILED with its log tail.
 * A task that exited 0 with the inputs the model asks for is left out of `up`, so it runs again only
 * when its own inputs change (docker-tasks.ts).
 * Codes: ERR_PREREQ_DOCKER, ERR_PREREQ_COMPOSE, ERR_PREREQ_IMAGE_MISSING, ERR_ENGINE_FAILED,
 * ERR_ENGINE_MODULE_UNHEALTHY, ERR_ENGINE_TASK_FAILED.
 */
import { dockerBackups } from './docker-backups.js';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { dockerModel, type ContainerNode } from '../targets/docker-family/model.js';
import type { ModuleOutcome } from '../state/journal.js';
import { composeSecretVariable } from '../targets/compose.js';
import { prepareImages } from './build-images.js';
import { checkDocker, containerSettled, detectCompose, liveContainers, logTail, type ComposeCommand, type LiveContainer } from './docker-cli.js';
import { converged, existing, labelledResources, liveState } from './live-check.js';
import { teardown } from './teardown.js';
import { dockerDriftCheck, dockerEndpoints, dockerStatus } from './docker-status.js';
import type { Engine, EngineContext, EngineResult } from './engine.js';
import { runProcess } from './run-process.js';
import { unchangedTasks } from './docker-tasks.js';

export const composeEngine: Engine = {
  name: 'compose',
  backups: dockerBackups,
  generatesSecrets: false,
  status: dockerStatus,
  drift: dockerDriftCheck,
  endpoints: (model) => dockerEndpoints(model),
  labelledResources: (ctx) => labelledResources(ctx.system, ctx.env),
  async prerequisites(ctx) {
    const pre = await prerequisites(ctx);
    return 'command' in pre ? { ok: true, tool: toolName(pre) } : { ok: false, diagnostics: pre };
  },
  async apply(ctx) {
    const pre = await prerequisites(ctx);
    if (!('command' in pre)) return { ok: false, modules: [], diagnostics: pre };
    const compose = pre;
    const tool = toolName(compose);
    ctx.emit({ type: 'engine', message: `using ${tool}` });
    const imageProblems = await prepareImages(ctx, ctx.specDir);
    if (imageProblems.length > 0) return { ok: false, modules: [], diagnostics: imageProblems, tool };
    if (ctx.signal.aborted) return interrupted(tool);

    const live = await liveState(ctx.system, dockerModel(ctx.ir), ctx.env, ctx.secrets);
    const before = byService(live.containers);
    const containers = dockerModel(ctx.ir).nodes.filter((n): n is ContainerNode => n.kind === 'container');
    // Nothing to change and everything the system owns is there and healthy: leave Compose out (a no-op apply stays fast).
    if (!ctx.hasChanges && converged(live)) {
      const modules = outcomes(containers, before, before, new Map(containers.map((c) => [c.name, { health: c.healthcheck ? 'healthy' : 'none' } as Waited])));
      ctx.emit({ type: 'engine', message: 'no changes and every module healthy: nothing to do' });
      return { ok: true, modules, diagnostics: [], tool };
    }
    // The plugin waits itself (`up --wait`: healthy, or running without a health check) and fails on
    // a dependency that exits, which v1 counts as healthy; aninfra's own check below has the last word.
    const plugin = compose.flavour === 'v2';
    // Containers attached to a network that was removed by hand must be recreated to rejoin it.
    const heal = live.missingNetworks.length > 0 ? ['--force-recreate'] : [];
    // Both CLIs start an exited task again on every `up`: a task that already ran with the same
    // inputs is left out (`--no-deps` with every other service keeps their order and health gates).
    const done = new Set(await unchangedTasks(dockerModel(ctx.ir), before, ctx.env));
    const only = done.size > 0 ? ['--no-deps', ...containers.filter((c) => !done.has(c.name)).map((c) => c.name)] : [];
    if (done.size > 0) ctx.emit({ type: 'engine', message: `tasks already run with these inputs, not run again: ${[...done].join(', ')}` });
    const up =
      done.size > 0 && only.length === 1
        ? { code: 0, stdout: '', stderr: '' }
        : await runCompose(compose, ctx, ['up', '-d', '--no-build', '--remove-orphans', ...heal, ...(plugin ? ['--pull', ctx.pull === 'never' ? 'never' : 'missing', '--wait', '--wait-timeout', String(ctx.timeoutSeconds)] : []), ...only]);
    if (ctx.signal.aborted) return interrupted(tool);
    // A failed `up` starts nothing more: one look at the containers, no waiting for the timeout.
    const waited = await waitHealthy(ctx, containers, up.code === 0 ? ctx.timeoutSeconds : 0);
    const after = byService(await liveContainers(ctx.system, ctx.env));
    const modules = outcomes(containers, before, after, waited);
    const diagnostics: Diagnostic[] = [];
    const tasks = new Set(containers.filter((c) => c.runsToCompletion).map((c) => c.module));
    for (const m of modules) {
      if (m.outcome !== 'failed') continue;
      if (tasks.has(m.module)) {
        const exitCode = after.get(m.module)?.state === 'exited' ? (after.get(m.module)?.exitCode ?? -1) : -1;
        diagnostics.push(diagnostic('ERR_ENGINE_TASK_FAILED', { module: m.module, exitCode }, { ...(m.logTail ? { hint: `last log lines:\n${m.logTail}` } : {}) }));
        continue;
      }
      diagnostics.push(
        diagnostic('ERR_ENGINE_MODULE_UNHEALTHY', { module: m.module, health: m.health, seconds: ctx.timeoutSeconds }, { ...(m.logTail ? { hint: `last log lines:\n${m.logTail}` } : {}) }),
      );
    }
    // The engine's own words (e.g. "port is already allocated") come first: they are the cause. A
    // failed `up --wait` after which every module is healthy was a transient unhealthy state.
    if (up.code !== 0 && (diagnostics.length > 0 || !plugin)) diagnostics.unshift(diagnostic('ERR_ENGINE_FAILED', { engine: tool, reason: ctx.redact(lastLines(up.stderr || up.stdout, 8)) }));
    return { ok: diagnostics.length === 0, modules, diagnostics, tool };
  },
  async destroy(ctx, options) {
    const pre = await prerequisites(ctx);
    if (!('command' in pre)) return { ok: false, modules: [], diagnostics: pre };
    const tool = toolName(pre);
    const before = await liveContainers(ctx.system, ctx.env);
    // Volumes are never removed by Compose: teardown deletes only those labelled with this system and owner.
    const r = await runCompose(pre, ctx, ['down', '--remove-orphans', '--timeout', '10']);
    const after = await liveContainers(ctx.system, ctx.env);
    const networks = dockerModel(ctx.ir).nodes.flatMap((n) => (n.kind === 'network' ? [n.name] : []));
    const leftNetworks = [...(await existing('network', networks, ctx.env))];
    const gone = [...new Set(before.map((c) => c.module))].filter((m) => !after.some((c) => c.module === m)).sort();
    const modules = gone.map((module): ModuleOutcome => ({ module, outcome: 'deleted', health: 'missing' }));
    const diagnostics: Diagnostic[] = [];
    if (r.code !== 0 || after.length > 0 || leftNetworks.length > 0) {
      const left = [...after.map((c) => `container ${c.name}`), ...leftNetworks.map((n) => `network ${n}`)];
      const reason = r.code !== 0 ? lastLines(r.stderr || r.stdout, 8) : `still exist after down: ${left.join(', ')}`;
      diagnostics.push(diagnostic('ERR_ENGINE_FAILED', { engine: tool, reason: ctx.redact(reason) }));
    }
    const ok = diagnostics.length === 0;
    const rest = await teardown({ system: ctx.system, owner: ctx.paths.owner, ir: dockerModel(ctx.ir), env: ctx.env }, ok ? options : { deleteData: false, keepImages: true });
    return { ok, modules, diagnostics, tool, ...rest };
  },
};

/** As `status` and `history` report it: 'docker compose 5.6.0' or 'docker-compose (v1)'. */
function toolName(compose: ComposeCommand): string {
  return compose.flavour === 'v2' ? `docker compose ${compose.version}` : 'docker-compose (v1)';
}

async function prerequisites(ctx: EngineContext): Promise<ComposeCommand | Diagnostic[]> {
  const docker = await checkDocker(ctx.env);
  if (docker) return [docker];
  const compose = await detectCompose(ctx.env);
  return 'command' in compose ? compose : [compose];
}

function runCompose(compose: ComposeCommand, ctx: EngineContext, args: string[]) {
  const env: NodeJS.ProcessEnv = { ...ctx.env, ...ctx.hostEnv };
  for (const node of dockerModel(ctx.ir).nodes) {
    if (node.kind === 'secret') env[composeSecretVariable(node.module, node.key)] = ctx.secrets.get(node.id) ?? '';
  }
  const file = `${ctx.programDir}/docker-compose.yml`;
  return runProcess(compose.command, [...compose.prefix, '-p', ctx.system, '-f', file, ...args], {
    env,
    cwd: ctx.programDir,
    signal: ctx.signal,
    onChild: ctx.onChild,
    timeoutMs: (ctx.timeoutSeconds + 120) * 1000,
    onLine: (line) => ctx.emit({ type: 'progress', message: ctx.redact(line) }),
  });
}

interface Waited {
  readonly health: ModuleOutcome['health'];
  readonly logTail?: string;
}

/**
 * Polls until every container is healthy (or running, without a health check), or fails, or times out.
 * Called once `up` returned: both CLIs have then created and started all they will, so a container
 * that is missing or left `created` (its dependency failed, its port was taken) fails at once.
 */
async function waitHealthy(ctx: EngineContext, containers: readonly ContainerNode[], seconds: number): Promise<Map<string, Waited>> {
  const result = new Map<string, Waited>();
  const deadline = Date.now() + seconds * 1000;
  const reported = new Set<string>();
  for (;;) {
    const live = byService(await liveContainers(ctx.system, ctx.env));
    let pending = false;
    for (const c of containers) {
      if (result.has(c.name)) continue;
      const l = live.get(c.name);
      if (containerSettled(l, c)) {
        result.set(c.name, { health: c.healthcheck ? 'healthy' : 'none' });
        if (!reported.has(c.name)) ctx.emit({ type: 'module', module: c.module, message: `${c.name} ${c.runsToCompletion ? 'completed' : `is ${c.healthcheck ? 'healthy' : 'running'}`}` });
        reported.add(c.name);
        continue;
      }
      // A task is judged by its exit alone: a health check its image declares means nothing for it.
      const failed = l ? (l.state === 'exited' && !(c.runsToCompletion && l.exitCode === 0)) || l.state === 'dead' || l.state === 'created' || (l.health === 'unhealthy' && !c.runsToCompletion && Date.now() > deadline - seconds * 500) : true;
      if (failed || Date.now() > deadline || ctx.signal.aborted) {
        // A container its restart policy brought back after a crash is seen running, but it exited.
        // A task still running has not completed: that is a failure too, not a settled container.
        const unfinished = c.runsToCompletion && l?.state === 'running';
        const health: ModuleOutcome['health'] = !l || l.state === 'created' ? 'missing' : unfinished ? 'starting' : l.state !== 'running' || l.restartCount > 0 ? 'exited' : l.health === 'none' ? 'none' : l.health;
        result.set(c.name, { health, ...(l ? { logTail: ctx.redact(await logTail(l.id, 20, ctx.env)) } : {}) });
        continue;
      }
      pending = true;
    }
    if (!pending) return result;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function byService(list: readonly LiveContainer[]): Map<string, LiveContainer> {
  return new Map(list.map((c) => [c.service, c]));
}

function outcomes(containers: readonly ContainerNode[], before: Map<string, LiveContainer>, after: Map<string, LiveContainer>, waited: Map<string, Waited>): ModuleOutcome[] {
  const perModule = new Map<string, ModuleOutcome[]>();
  for (const c of containers) {
    const w = waited.get(c.name);
    const old = before.get(c.name);
    const now = after.get(c.name);
    const ok = w !== undefined && (w.health === 'healthy' || w.health === 'none');
    const outcome: ModuleOutcome['outcome'] = !ok ? 'failed' : !old ? 'created' : old.id !== now?.id ? 'replaced' : !containerSettled(old, c) ? 'restarted' : 'unchanged';
    const list = perModule.get(c.module) ?? [];
    list.push({ module: c.module, outcome, health: w?.health ?? 'missing', ...(w?.logTail ? { logTail: w.logTail } : {}), message: `${c.name}: ${outcome}` });
    perModule.set(c.module, list);
  }
  const rank: Record<ModuleOutcome['outcome'], number> = { failed: 6, replaced: 5, created: 4, updated: 3, restarted: 2, unchanged: 1, deleted: 0 };
  return [...perModule.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([module, list]) => {
      const worst = list.reduce((a, b) => (rank[b.outcome] > rank[a.outcome] ? b : a));
      return { ...worst, module, message: list.map((l) => l.message).join('; ') };
    });
}

function interrupted(tool: string): EngineResult {
  return { ok: false, modules: [], diagnostics: [diagnostic('ERR_ENGINE_INTERRUPTED', { operation: 'apply', signal: 'a signal' })], tool };
}

function lastLines(s: string, n: number): string {
  return s.trim().split('\n').slice(-n).join('\n');
}
