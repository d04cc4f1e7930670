/**
 * The Pulumi engine of the aws target ('pulumi-aws'): the shared Pulumi runner (pulumi-runner.ts)
 * on the emitted `@pulumi/aws` program with the user's standard AWS credentials. Before anything
 * starts it checks, in this order: AWS credentials (environment keys, AWS_PROFILE, a shared
 * credentials file, web identity or container credentials; none → ERR_PREREQ_AWS_CREDENTIALS),
 * the `pulumi` CLI, and the AWS provider plugin (ERR_PREREQ_PULUMI with its install command);
 * Docker only when the program builds images. `status` reads the stack's state (which resources
 * the last apply created), never an AWS endpoint.
 * Codes: ERR_PREREQ_AWS_CREDENTIALS, ERR_PREREQ_PULUMI, ERR_PREREQ_DOCKER, ERR_ENGINE_FAILED,
 * ERR_ENGINE_INTERRUPTED.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { ModuleOutcome } from '../state/journal.js';
import { checkDocker } from './docker-cli.js';
import type { Engine, EngineContext, ModuleStatus, PreviewStep } from './engine.js';
import { resourceType } from '../targets/aws/index.js';
import { generatedCredentials, ofModule } from './kubernetes-engine.js';
import { onPath, pulumiCli, withStack, type StackExtras } from './pulumi-runner.js';

/** The provider version the emitted program pins (AWS_SDK_VERSIONS['@pulumi/aws']). */
export const AWS_PROVIDER_VERSION = '7.48.0';
export const AWS_PLUGIN_INSTALL = `pulumi plugin install resource aws ${AWS_PROVIDER_VERSION}`;

interface AwsLikeModel {
  readonly nodes?: readonly { readonly id: string; readonly kind: string; readonly provenance: { readonly module: string | null } }[];
  readonly region?: string;
}

/** Where the standard AWS credential chain would find credentials; undefined when it would find none. */
export function awsCredentialSource(env: NodeJS.ProcessEnv, home: string = env.HOME ?? homedir()): string | undefined {
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) return 'AWS_ACCESS_KEY_ID';
  if (env.AWS_PROFILE) return `AWS_PROFILE ${env.AWS_PROFILE}`;
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) return 'AWS_WEB_IDENTITY_TOKEN_FILE';
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) return 'container credentials';
  const file = env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials');
  return existsSync(file) ? file : undefined;
}

/** The AWS provider plugin: `pulumi-resource-aws` on PATH, or installed under $PULUMI_HOME/plugins (default ~/.pulumi). */
export function awsPluginInstalled(env: NodeJS.ProcessEnv, home: string = env.HOME ?? homedir()): boolean {
  if (onPath('pulumi-resource-aws', env) !== undefined) return true;
  const dir = join(env.PULUMI_HOME ?? join(home, '.pulumi'), 'plugins');
  try {
    return readdirSync(dir).some((d) => d.startsWith('resource-aws-v'));
  } catch {
    return false;
  }
}

type Ready = { ok: true; version: string } | { ok: false; diagnostics: Diagnostic[] };

/** Credentials, CLI, plugin, then Docker when images are built: the first missing one stops here. */
export async function awsPrerequisites(ctx: EngineContext): Promise<Ready> {
  if (awsCredentialSource(ctx.env) === undefined) {
    return { ok: false, diagnostics: [diagnostic('ERR_PREREQ_AWS_CREDENTIALS', { reason: 'no AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or ~/.aws/credentials' })] };
  }
  const cli = await pulumiCli(ctx);
  if (!cli.ok) return cli;
  if (!awsPluginInstalled(ctx.env)) {
    return { ok: false, diagnostics: [diagnostic('ERR_PREREQ_PULUMI', { reason: `the plugin pulumi-resource-aws (the AWS provider ${AWS_PROVIDER_VERSION}) is not installed` }, { hint: `install it with: ${AWS_PLUGIN_INSTALL}` })] };
  }
  if ((ctx.ir as AwsLikeModel).nodes?.some((n) => n.kind.startsWith('docker.'))) {
    const docker = await checkDocker(ctx.env);
    if (docker) return { ok: false, diagnostics: [docker] };
  }
  return { ok: true, version: cli.version };
}

function extras(ctx: EngineContext, deleteData = false): StackExtras {
  return {
    env: { ...(ctx.env.PATH ? { PATH: ctx.env.PATH } : {}), ...pick(ctx.env, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'HOME', 'PULUMI_HOME']) },
    // The program keeps data (retainOnDelete, deletion protection) unless aninfra:deleteData is true.
    config: { 'aninfra:timeoutSeconds': String(ctx.timeoutSeconds), 'aninfra:deleteData': deleteData ? 'true' : 'false' },
    pluginHint: `install it with: ${AWS_PLUGIN_INSTALL}`,
  };
}

function pick(env: NodeJS.ProcessEnv, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((k) => (env[k] ? [[k, env[k] as string]] : [])));
}

/** Preview steps by model node id: each Pulumi resource is `<type>::<node name>`; resources without a node (provider, site files) are left out. */
export function awsPreviewSteps(model: unknown, typedOps: ReadonlyMap<string, readonly string[]>): PreviewStep[] {
  const nodes = ((model as { nodes?: readonly { id: string; kind: string; name?: string }[] }).nodes ?? []).filter((n) => n.name !== undefined);
  const byKey = new Map(nodes.map((n) => [`${resourceType(n)}::${n.name ?? ''}`, n.id]));
  const steps: PreviewStep[] = [];
  for (const [key, list] of typedOps) {
    const id = byKey.get(key);
    if (id === undefined) continue;
    steps.push({ id, op: list.some((o) => o.includes('replace')) ? 'replace' : (list.find((o) => o !== 'same') ?? 'same') });
  }
  return steps.sort((a, b) => a.id.localeCompare(b.id));
}

/** Modules of the model (those owning a resource), sorted. */
function modulesOf(model: unknown): string[] {
  const nodes = (model as AwsLikeModel).nodes ?? [];
  return [...new Set(nodes.flatMap((n) => (n.provenance.module !== null ? [n.provenance.module] : [])))].sort();
}

export const awsEngine: Engine = {
  name: 'pulumi-aws',
  generatesSecrets: true,
  async prerequisites(ctx) {
    const ready = await awsPrerequisites(ctx);
    return ready.ok ? { ok: true, tool: `pulumi ${ready.version}` } : ready;
  },
  async outputs(ctx) {
    const ready = await awsPrerequisites(ctx);
    if (!ready.ok) return undefined;
    let values: Record<string, Record<string, string>> | undefined;
    const run = await withStack(ctx, ready.version, async (stack) => {
      values = ((await stack.outputs()).outputs?.value ?? undefined) as Record<string, Record<string, string>> | undefined;
    }, extras(ctx));
    return run.ok ? values : undefined;
  },
  async apply(ctx) {
    const ready = await awsPrerequisites(ctx);
    if (!ready.ok) return { ok: false, modules: [], diagnostics: ready.diagnostics };
    const run = await withStack(ctx, ready.version, (stack, ops) => stack.up({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal }), extras(ctx));
    const modules = modulesOf(ctx.ir).map((module): ModuleOutcome => {
      const ops = [...run.ops].filter(([name]) => ofModule(name, module)).flatMap(([, list]) => list);
      const failure = [...run.failed].find(([name]) => ofModule(name, module))?.[1];
      const outcome: ModuleOutcome['outcome'] = failure ? 'failed' : ops.some((o) => o.includes('replace')) ? 'replaced' : ops.includes('create') ? 'created' : ops.includes('update') ? 'updated' : 'unchanged';
      return { module, outcome, health: failure ? 'unhealthy' : run.ok ? 'healthy' : 'missing', ...(failure ? { message: failure } : {}) };
    });
    return { ...run, modules };
  },
  async preview(ctx) {
    const ready = await awsPrerequisites(ctx);
    if (!ready.ok) return { ok: false, steps: [], diagnostics: ready.diagnostics };
    const run = await withStack(ctx, ready.version, (stack, ops) => stack.preview({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal }), extras(ctx));
    return { ok: run.ok, steps: awsPreviewSteps(ctx.ir, run.typedOps), diagnostics: run.diagnostics, tool: run.tool ?? 'pulumi' };
  },
  async destroy(ctx, options) {
    const ready = await awsPrerequisites(ctx);
    if (!ready.ok) return { ok: false, modules: [], diagnostics: ready.diagnostics };
    const run = await withStack(ctx, ready.version, async (stack, ops) => {
      // Data (databases, buckets, passwords) is retained by the program; with --delete-data an
      // update first lifts deletion protection and retention (config aninfra:deleteData), then destroy deletes it.
      if (options.deleteData) await stack.up({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal });
      const keep = options.deleteData ? [] : generatedCredentials((await stack.exportStack()).deployment);
      return stack.destroy({ color: 'never', onEvent: ops.onEvent, onOutput: ops.onOutput, signal: ctx.signal, ...(keep.length > 0 ? { exclude: keep } : {}) });
    }, extras(ctx, options.deleteData));
    return { ...run, modules: modulesOf(ctx.ir).map((module): ModuleOutcome => ({ module, outcome: 'deleted', health: 'missing' })), volumesKept: [], volumesDeleted: [], imagesRemoved: [] };
  },
  async status(ctx) {
    const ready = await awsPrerequisites(ctx);
    const modules = modulesOf(ctx.ir);
    if (!ready.ok) return { unavailable: ready.diagnostics[0] as Diagnostic, modules: modules.map((m): ModuleStatus => ({ module: m, health: 'missing', containers: [] })), missing: {}, endpoints: [] };
    let names: string[] = [];
    await withStack(ctx, ready.version, async (stack) => {
      const resources = ((await stack.exportStack()).deployment as { resources?: { urn?: string }[] } | undefined)?.resources ?? [];
      names = resources.map((r) => String(r.urn ?? '').split('::').pop() ?? '');
    }, extras(ctx));
    return { modules: modules.map((m): ModuleStatus => ({ module: m, health: names.some((n) => ofModule(n, m)) ? 'running' : 'missing', containers: [] })), missing: {}, endpoints: [] };
  },
  async labelledResources() {
    // Ownership lives in the stack's own state; AWS tags are not listed here (no endpoint is read).
    return [];
  },
  endpoints() {
    // A load balancer's DNS name is known only after apply (the stack outputs carry it).
    return [];
  },
};
