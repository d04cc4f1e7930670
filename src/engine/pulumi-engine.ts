/**
 * The Pulumi engine: the Automation API (LocalWorkspace) on the emitted project, with a local file
 * backend under .aninfra/, the passphrase secrets provider keyed by the state key, and offline
 * settings (no update check, no plugin downloads). Engine events become progress events; step
 * events give the per-module outcome. The SDK loads only here, never for validate or plan.
 * Codes: ERR_PREREQ_PULUMI, ERR_PREREQ_DOCKER, ERR_ENGINE_FAILED, ERR_ENGINE_INTERRUPTED.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { dockerModel, type DockerModel } from '../targets/docker-family/model.js';
import type { ModuleOutcome } from '../state/journal.js';
import { StateError } from '../state/journal.js';
import { SecretStore } from '../state/secret-store.js';
import { checkDocker, dockerBinary, liveContainers, type LiveContainer } from './docker-cli.js';
import { knownContainers, strayContainers } from './pulumi-strays.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { converged, labelledResources, liveState } from './live-check.js';
import { removeByLabels, teardown } from './teardown.js';
import { dockerEndpoints, dockerStatus } from './docker-status.js';
import type { Engine, EngineContext, EngineResult, PreviewStep } from './engine.js';
import { resourceName, resourceType } from '../targets/docker.js';
import { descendants, runProcess, trackDescendants } from './run-process.js';

type Automation = typeof import('@pulumi/pulumi/automation/index.js');
type OpType = 'same' | 'create' | 'update' | 'delete' | 'replace' | 'create-replacement' | 'delete-replaced' | 'read' | 'refresh' | string;

export const pulumiEngine: Engine = {
  name: 'pulumi',
  generatesSecrets: true,
  status: dockerStatus,
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
    const live = await liveState(ctx.system, dockerModel(ctx.ir), ctx.env);
    const before = new Map(live.containers.map((c) => [c.service, c]));
    // Nothing to change and everything the system owns is there and healthy: no engine run, so a no-op apply stays fast.
    if (!ctx.hasChanges && converged(live)) {
      ctx.emit({ type: 'engine', message: 'no changes and every module healthy: nothing to do' });
      return { ok: true, modules: outcomes(dockerModel(ctx.ir), new Map(), new Map(), before, before), diagnostics: [], tool: `pulumi ${ready.version}` };
    }
    const run = await withStack(ctx, ready.version, async (stack, ops) => {
      await removeStrays(ctx, (await stack.exportStack()).deployment);
      return stack.up({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal });
    });
    const after = new Map((await liveContainers(ctx.system, ctx.env)).map((c) => [c.service, c]));
    return { ...run, modules: outcomes(dockerModel(ctx.ir), run.ops, run.failed, before, after) };
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

function keyMissing(ctx: EngineContext): boolean {
  try {
    SecretStore.open(ctx.paths, ctx.env, { readOnly: true });
    return false;
  } catch (e) {
    if (e instanceof StateError && e.diagnostic.code === 'ERR_STATE_KEY_MISSING') return true;
    throw e;
  }
}

/** Destroy without Pulumi's state: remove the system's containers and network by label and name, then drop the stack's state. */
async function forgetStack(ctx: EngineContext, tool: string): Promise<EngineResult> {
  ctx.emit({ type: 'warning', message: "the secret key is missing, so Pulumi's state cannot be read: removing the system's containers and network by their labels and forgetting the stack" });
  const left = await removeByLabels({ system: ctx.system, owner: ctx.paths.owner, ir: dockerModel(ctx.ir), env: ctx.env });
  if (left.length > 0) return { ok: false, modules: [], diagnostics: [diagnostic('ERR_ENGINE_FAILED', { engine: tool, reason: `still exist: ${left.join(', ')}` })], tool };
  rmSync(ctx.paths.pulumiBackend, { recursive: true, force: true });
  return { ok: true, modules: [], diagnostics: [], tool };
}

/** Offline settings: a run never reaches for the network and fails fast when a plugin is missing. */
export function pulumiEnv(ctx: Pick<EngineContext, 'paths' | 'env'>, passphrase: string): Record<string, string> {
  mkdirSync(ctx.paths.pulumiBackend, { recursive: true });
  return {
    PULUMI_BACKEND_URL: `file://${ctx.paths.pulumiBackend}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_SKIP_UPDATE_CHECK: 'true',
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: 'true',
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: 'true',
    PULUMI_SKIP_CONFIRMATIONS: 'true',
  };
}

async function prerequisites(ctx: EngineContext): Promise<{ ok: true; version: string } | { ok: false; diagnostics: Diagnostic[] }> {
  const pulumi = ctx.env.ANINFRA_PULUMI ?? 'pulumi';
  const r = await runProcess(pulumi, ['version'], { env: { ...ctx.env, PULUMI_SKIP_UPDATE_CHECK: 'true' }, timeoutMs: 30_000 });
  if (r.spawnError || r.code !== 0) {
    const reason = r.spawnError ? `\`${pulumi}\` is not on PATH (${r.spawnError.code ?? 'spawn failed'})` : `\`${pulumi} version\` failed: ${r.stderr.trim().split('\n')[0] ?? ''}`;
    return { ok: false, diagnostics: [diagnostic('ERR_PREREQ_PULUMI', { reason }, { hint: 'install the Pulumi CLI, or build it offline with scripts/pulumi-engine.sh and put its bin dir on PATH; or use --target compose' })] };
  }
  const docker = await checkDocker(ctx.env);
  if (docker) return { ok: false, diagnostics: [docker] };
  return { ok: true, version: r.stdout.trim() };
}

/**
 * Pulumi's own stack locks (`.pulumi/locks/…/<id>.json`, with the pid and host of the `pulumi`
 * process) left by a run whose aninfra was killed (kill -9): Pulumi would refuse every later run of
 * the stack ("the stack is currently locked"). A lock of this host whose process is gone, or whose
 * `pulumi` process was orphaned (its parent is no aninfra process any more, so nobody waits for its
 * result), is removed, the orphan stopped first with its plugins; a live run keeps its lock.
 */
export async function removeStaleLocks(backend: string): Promise<void> {
  const root = join(backend, '.pulumi', 'locks');
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const file = join(entry.parentPath, entry.name);
    let lock: { pid?: unknown; hostname?: unknown };
    try {
      lock = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; hostname?: unknown };
    } catch {
      continue;
    }
    if (typeof lock.pid !== 'number' || lock.hostname !== hostname()) continue;
    if (processAlive(lock.pid)) {
      if (!orphaned(lock.pid)) continue;
      await stopTree(lock.pid);
    }
    rmSync(file, { force: true });
  }
}

/**
 * Pulumi processes (the CLI, its language host and resource plugins) running in this deploy dir
 * whose aninfra is gone: a plugin whose `pulumi` exited or was orphaned keeps running otherwise.
 * A plugin of a live run (its `pulumi` still has an aninfra parent) is left alone.
 */
export async function stopOrphanedPlugins(programDir: string): Promise<void> {
  // The deploy dir holding the program: a program replaced since keeps its old, deleted dir as cwd.
  const root = dirname(resolve(programDir));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || !readText(`/proc/${pid}/comm`).startsWith('pulumi')) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, '');
    } catch {
      continue;
    }
    if (cwd !== root && !cwd.startsWith(`${root}/`)) continue;
    const parent = parentPid(pid);
    const parentIsPulumi = readText(`/proc/${parent}/comm`).startsWith('pulumi');
    if (parentIsPulumi && processAlive(parent) && !orphaned(parent)) continue;
    if (!parentIsPulumi && !orphaned(pid)) continue;
    if (processAlive(pid)) await stopTree(pid);
  }
}

function parentPid(pid: number): number {
  const stat = readText(`/proc/${pid}/stat`);
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie has exited already.
  return !/^\d+ \(.*\) Z/.test(readText(`/proc/${pid}/stat`));
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The process's parent is no aninfra command (the Automation API's `pulumi` outlived it). */
function orphaned(pid: number): boolean {
  if (!readText(`/proc/${pid}/stat`)) return false;
  return !readText(`/proc/${parentPid(pid)}/cmdline`).includes('aninfra');
}

/** SIGTERM the process and its descendants, wait up to 5 s, then SIGKILL what is left. */
async function stopTree(pid: number): Promise<void> {
  const tree = [pid, ...descendants(pid)];
  const send = (p: number, sig: NodeJS.Signals): void => {
    try {
      process.kill(p, sig);
    } catch {
      // already gone
    }
  };
  for (const p of tree) send(p, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (tree.some(processAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const p of tree) if (processAlive(p)) send(p, 'SIGKILL');
}

interface StackOps {
  onEvent(e: import('@pulumi/pulumi/automation/index.js').EngineEvent): void;
  onOutput(line: string): void;
}

interface RunResult extends EngineResult {
  readonly ops: Map<string, OpType[]>;
  /** Ops per `<type>::<name>`, from the steps the engine announced (previews report these only). */
  readonly typedOps: Map<string, OpType[]>;
  readonly failed: Map<string, string>;
}

async function withStack(
  ctx: EngineContext,
  version: string,
  action: (stack: import('@pulumi/pulumi/automation/index.js').Stack, ops: StackOps) => Promise<unknown>,
): Promise<RunResult> {
  const tool = `pulumi ${version}`;
  const ops = new Map<string, OpType[]>();
  const typedOps = new Map<string, OpType[]>();
  const failed = new Map<string, string>();
  const automation: Automation = await import('@pulumi/pulumi/automation/index.js');
  linkSdk(ctx.programDir);
  // Read-only: the key decrypts Pulumi's state; nothing is generated or written here.
  const store = SecretStore.open(ctx.paths, ctx.env, { readOnly: true });
  const envVars = pulumiEnv(ctx, store.passphrase());
  await removeStaleLocks(ctx.paths.pulumiBackend);
  await stopOrphanedPlugins(ctx.programDir);
  const handlers: StackOps = {
    onEvent: (e) => {
      const step = e.resourcePreEvent?.metadata ?? e.resOutputsEvent?.metadata;
      if (step && e.resOutputsEvent) {
        const name = step.urn.split('::').pop() ?? step.urn;
        ops.set(name, [...(ops.get(name) ?? []), step.op]);
        if (step.op !== 'same') ctx.emit({ type: 'progress', message: `${step.op} ${step.type} ${name}` });
      }
      const d = e.diagnosticEvent;
      if (d && d.severity === 'error' && d.urn && !d.message.startsWith('update failed')) {
        const name = d.urn.split('::').pop() ?? d.urn;
        failed.set(name, ctx.redact(d.message.trim()));
      }
      if (e.resourcePreEvent) {
        const m = e.resourcePreEvent.metadata;
        const key = `${m.type}::${m.urn.split('::').pop() ?? ''}`;
        typedOps.set(key, [...(typedOps.get(key) ?? []), m.op]);
      }
      if (e.resourcePreEvent && e.resourcePreEvent.metadata.op !== 'same') ctx.emit({ type: 'progress', message: `${e.resourcePreEvent.metadata.op} ${e.resourcePreEvent.metadata.urn.split('::').pop() ?? ''} …` });
    },
    onOutput: () => undefined,
  };
  try {
    const stack = await automation.LocalWorkspace.createOrSelectStack({ stackName: ctx.system, workDir: ctx.programDir }, { envVars, workDir: ctx.programDir });
    for (const [name, value] of Object.entries(ctx.hostEnv)) await stack.setConfig(name, { value, secret: true });
    // The Automation API spawns the pulumi CLI itself: record those processes in the lock too.
    await trackDescendants(ctx.onChild, () => action(stack, handlers));
    return { ok: true, modules: [], diagnostics: [], tool, ops, typedOps, failed };
  } catch (e) {
    if (ctx.signal.aborted) return { ok: false, modules: [], diagnostics: [diagnostic('ERR_ENGINE_INTERRUPTED', { operation: 'pulumi up', signal: 'a signal' })], tool, ops, typedOps, failed };
    const err = e as { commandResult?: { err?: { code?: string }; stderr?: string }; message?: string };
    if (err.commandResult?.err?.code === 'ENOENT') {
      return { ok: false, modules: [], diagnostics: [diagnostic('ERR_PREREQ_PULUMI', { reason: 'spawn pulumi ENOENT' })], tool, ops, typedOps, failed };
    }
    const perResource = [...failed].map(([name, message]) => `${name}: ${message}`);
    const plugin = /no resource plugin '([^']+)'[^\n]*/.exec([...failed.values(), String(err.message ?? '')].join('\n'));
    if (plugin) {
      // Plugins are never downloaded (offline settings): a missing one is a missing prerequisite.
      return { ok: false, modules: [], diagnostics: [diagnostic('ERR_PREREQ_PULUMI', { reason: `the plugin ${plugin[1] ?? ''} is not installed: ${plugin[0]}` }, { hint: 'build the plugins with scripts/pulumi-engine.sh and put its bin dir on PATH' })], tool, ops, typedOps, failed };
    }
    const raw = String(err.commandResult?.stderr || err.message || e).replace(/\\u000a/g, '\n');
    const text = perResource.length > 0 ? perResource.join('\n') : ctx.redact(raw).trim().split('\n').filter(Boolean).slice(-12).join('\n');
    return { ok: false, modules: [], diagnostics: [diagnostic('ERR_ENGINE_FAILED', { engine: tool, reason: text || 'pulumi failed' })], tool, ops, typedOps, failed };
  }
}

/** The emitted project uses aninfra's own SDK packages: link them instead of installing. */
function linkSdk(programDir: string): void {
  const here = dirname(fileURLToPath(import.meta.url));
  let root = here;
  while (!existsSync(join(root, 'node_modules', '@pulumi', 'pulumi')) && dirname(root) !== root) root = dirname(root);
  const target = join(programDir, 'node_modules');
  rmSync(target, { recursive: true, force: true });
  symlinkSync(resolve(root, 'node_modules'), target, 'dir');
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
    const health: ModuleOutcome['health'] = failure ? 'unhealthy' : !live ? 'missing' : live.state !== 'running' ? 'exited' : live.health;
    const prev = result.get(n.module);
    const rank = { failed: 6, replaced: 5, created: 4, updated: 3, restarted: 2, unchanged: 1, deleted: 0 } as const;
    if (!prev || rank[outcome] > rank[prev.outcome]) {
      result.set(n.module, { module: n.module, outcome, health, ...(failure ? { message: failure } : {}) });
    }
  }
  return [...result.values()].sort((a, b) => a.module.localeCompare(b.module));
}
