/**
 * The Pulumi runner shared by every Pulumi target (docker, kubernetes): the Automation API
 * (LocalWorkspace) on the emitted project, with a local file backend under .aninfra/, the
 * passphrase secrets provider keyed by the state key, and offline settings (no update check, no
 * plugin downloads). Engine events become progress events; step events give the per-resource
 * ops and failures. The SDK loads only here, never for validate or plan.
 * Codes: ERR_PREREQ_PULUMI, ERR_ENGINE_FAILED, ERR_ENGINE_INTERRUPTED.
 */
import { accessSync, constants, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { StateError } from '../state/journal.js';
import { SecretStore } from '../state/secret-store.js';
import type { EngineContext, EngineResult } from './engine.js';
import { removeStaleLocks, stopOrphanedPlugins } from './pulumi-processes.js';
import { runProcess, trackDescendants } from './run-process.js';

type Automation = typeof import('@pulumi/pulumi/automation/index.js');
export type OpType = 'same' | 'create' | 'update' | 'delete' | 'replace' | 'create-replacement' | 'delete-replaced' | 'read' | 'refresh' | string;

/** Whether the state key is gone (Pulumi's state cannot be decrypted without it). */
export function keyMissing(ctx: EngineContext): boolean {
  try {
    SecretStore.open(ctx.paths, ctx.env, { readOnly: true });
    return false;
  } catch (e) {
    if (e instanceof StateError && e.diagnostic.code === 'ERR_STATE_KEY_MISSING') return true;
    throw e;
  }
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

/** An executable of that name on the environment's PATH (absolute), if any. */
export function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = resolve(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The absolute path of the `pulumi` CLI the environment names (ANINFRA_PULUMI, else PATH). */
function pulumiBinary(env: NodeJS.ProcessEnv): string | undefined {
  const named = env.ANINFRA_PULUMI ?? 'pulumi';
  if (isAbsolute(named)) return named;
  return named.includes('/') ? resolve(named) : onPath(named, env);
}

/** The `pulumi` CLI answers `pulumi version` (ANINFRA_PULUMI names another binary). */
export async function pulumiCli(ctx: EngineContext): Promise<{ ok: true; version: string } | { ok: false; diagnostics: Diagnostic[] }> {
  const pulumi = ctx.env.ANINFRA_PULUMI ?? 'pulumi';
  const r = await runProcess(pulumi, ['version'], { env: { ...ctx.env, PULUMI_SKIP_UPDATE_CHECK: 'true' }, timeoutMs: 30_000 });
  if (r.spawnError || r.code !== 0) {
    const reason = r.spawnError ? `\`${pulumi}\` is not on PATH (${r.spawnError.code ?? 'spawn failed'})` : `\`${pulumi} version\` failed: ${r.stderr.trim().split('\n')[0] ?? ''}`;
    return { ok: false, diagnostics: [diagnostic('ERR_PREREQ_PULUMI', { reason }, { hint: 'install the Pulumi CLI, or build it offline with scripts/pulumi-engine.sh and put its bin dir on PATH; or use --target compose' })] };
  }
  return { ok: true, version: r.stdout.trim() };
}

export interface StackOps {
  onEvent(e: import('@pulumi/pulumi/automation/index.js').EngineEvent): void;
  onOutput(line: string): void;
}

export interface RunResult extends EngineResult {
  readonly ops: Map<string, OpType[]>;
  /** Ops per `<type>::<name>`, from the steps the engine announced (previews report these only). */
  readonly typedOps: Map<string, OpType[]>;
  readonly failed: Map<string, string>;
}

/** What a target adds to every run: stack config (e.g. `kubernetes:context`) and environment (e.g. KUBECONFIG). */
export interface StackExtras {
  readonly config?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  /** How a missing plugin is built (named in ERR_PREREQ_PULUMI). */
  readonly pluginHint?: string;
}

export async function withStack(
  ctx: EngineContext,
  version: string,
  action: (stack: import('@pulumi/pulumi/automation/index.js').Stack, ops: StackOps) => Promise<unknown>,
  extras: StackExtras = {},
): Promise<RunResult> {
  const tool = `pulumi ${version}`;
  const ops = new Map<string, OpType[]>();
  const typedOps = new Map<string, OpType[]>();
  const failed = new Map<string, string>();
  const automation: Automation = await import('@pulumi/pulumi/automation/index.js');
  linkSdk(ctx.programDir);
  // Read-only: the key decrypts Pulumi's state; nothing is generated or written here.
  const store = SecretStore.open(ctx.paths, ctx.env, { readOnly: true });
  const envVars = { ...(extras.env ?? {}), ...pulumiEnv(ctx, store.passphrase()) };
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
    const pulumi = pulumiBinary(ctx.env);
    // The CLI of the engine's environment (its PATH, ANINFRA_PULUMI), not the one of this process' PATH.
    const pulumiCommand = pulumi && basename(pulumi) === 'pulumi' && basename(dirname(pulumi)) === 'bin' ? await automation.PulumiCommand.get({ root: dirname(dirname(pulumi)), skipVersionCheck: true }) : undefined;
    const stack = await automation.LocalWorkspace.createOrSelectStack({ stackName: ctx.system, workDir: ctx.programDir }, { envVars, workDir: ctx.programDir, ...(pulumiCommand ? { pulumiCommand } : {}) });
    for (const [name, value] of Object.entries(ctx.hostEnv)) await stack.setConfig(name, { value, secret: true });
    for (const [name, value] of Object.entries(extras.config ?? {})) await stack.setConfig(name, { value });
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
      return { ok: false, modules: [], diagnostics: [diagnostic('ERR_PREREQ_PULUMI', { reason: `the plugin ${plugin[1] ?? ''} is not installed: ${plugin[0]}` }, { hint: extras.pluginHint ?? 'build the plugins with scripts/pulumi-engine.sh and put its bin dir on PATH' })], tool, ops, typedOps, failed };
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

