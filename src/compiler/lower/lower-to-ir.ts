/**
 * lower: ResolvedGraph → InfraIR v2, the system design. Generates the secrets each module needs,
 * applies the image mapping, asks each descriptor for its design nodes, and completes the module
 * nodes: env and labels in name order, where each env var comes from (envOrigin), and explicit
 * dependencies (its image and volumes, the secrets its env reads, the nodes of the modules it
 * depends on). Nothing here is about one target: targets lower this design to their resources.
 * Codes: ERR_NAME_COLLISION.
 */
import { diagnostic, type StageResult } from '../diagnostics/diagnostic.js';
import type { DesignContext } from '../../modules/descriptor.js';
import type { ResolvedGraph } from '../resolve/resolve-graph.js';
import { isSecret, labelText, type Value } from '../resolve/value.js';
import { parseTemplate } from '../validate/templates.js';
import type { ImageNode, InfraIR, IrNode, Process, SecretNode, StackOutput } from './ir.js';
import { IMAGE_TAG_PATTERN } from '../validate/resource-names.js';
import { resolve as resolvePath } from 'node:path';
import type { HostFiles } from '../source/host-files.js';
import type { ContextView } from '../../modules/descriptor.js';

export interface LowerOptions {
  /** Platform settings for targets: the spec's `platform:` with outside overrides merged (default: the spec's). */
  readonly platform?: InfraIR['platform'];
  /** Image mapping given outside the spec (--images); wins over the spec's `images:`. */
  readonly images?: Readonly<Record<string, string>>;
  /** Id of the state directory that owns the system's resources; every resource is labelled with it. */
  readonly owner?: string;
  /**
   * Content hash of a build context, given the context as written in the spec (`with.build`,
   * relative to the spec file); undefined when unknown. Supplied by the plan layer, which reads
   * the files; the compiler only calls it.
   */
  readonly contextHash?: (context: string) => string | undefined;
  /**
   * The host's files and the spec's directory: build contexts are looked into (a few named files,
   * bounded reads) so a program without a Dockerfile gets one generated. Validation has checked the
   * contexts exist inside the spec's directory.
   */
  readonly files?: HostFiles;
  readonly specDir?: string;
}

/** Largest file the build detection reads from a context (package.json and the like). */
const MAX_CONTEXT_FILE_BYTES = 1024 * 1024;

type ModuleNode = Extract<IrNode, { process: Process }>;

export function lowerToIr(graph: ResolvedGraph, options: LowerOptions = {}): StageResult<InfraIR> {
  const { system, spec } = graph;
  const merged: Readonly<Record<string, string>> = { ...(spec.images ?? {}), ...(options.images ?? {}) };
  // Own keys only: a public image named 'constructor' must not find Object.prototype.constructor.
  const mapping = (publicRef: string): string | undefined => (Object.hasOwn(merged, publicRef) ? merged[publicRef] : undefined);
  const contentHash = (context: string): string | undefined => {
    const hash = options.contextHash?.(context);
    return hash !== undefined && IMAGE_TAG_PATTERN.test(hash) ? hash : undefined;
  };
  const files = options.files;
  const specDir = options.specDir;
  const contextView = files && specDir !== undefined
    ? (context: string): ContextView | undefined => {
        const dir = resolvePath(specDir, context);
        if (files.kind(dir) !== 'directory') return undefined;
        return { has: (name) => files.kind(resolvePath(dir, name)) === 'file', read: (name) => files.readText?.(resolvePath(dir, name), MAX_CONTEXT_FILE_BYTES) };
      }
    : undefined;
  const nodes: IrNode[] = [];
  const outputs: StackOutput[] = [];
  const moduleNodes = new Map<string, string[]>();
  const systemLabels = resolveSystemLabels(graph);

  for (const name of graph.order) {
    const resolved = graph.modules.get(name);
    if (!resolved) continue;
    const { instance, descriptor } = resolved;
    const secretNodes: SecretNode[] = Object.entries(descriptor.secrets(instance))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, length]) => ({
        kind: 'secret',
        id: `secret:${name}-${key}`,
        module: name,
        key,
        length,
        provenance: { module: name, rule: 'generated-secret', detail: `${key} generated at apply time, stored encrypted, never a literal in the program` },
        dependsOn: [],
      }));
    const dependsOn = [...new Set(resolved.dependencies.flatMap((dep) => moduleNodes.get(dep) ?? []))].sort();
    const ctx: DesignContext = {
      dependsOn,
      image: (publicRef) => imageNode(name, publicRef, mapping(publicRef)),
      mapImage: (publicRef) => mapping(publicRef) ?? publicRef,
      labels: sortedKeys({ ...systemLabels, ...instance.labels }),
      contentHash,
      ...(contextView ? { contextView } : {}),
    };
    const designed = descriptor.design(instance, ctx);
    nodes.push(...secretNodes);
    const ids: string[] = [];
    const specEnv = Object.keys(spec.modules[name]?.env ?? {});
    for (const node of designed) {
      if (!('process' in node)) {
        nodes.push(node);
        continue;
      }
      ids.push(node.id);
      nodes.push(completed(node, resolved.injected, specEnv));
    }
    moduleNodes.set(name, ids);
    for (const [output, decl] of Object.entries(descriptor.outputs)) {
      const value = resolved.outputs[output];
      if (value) outputs.push({ module: name, name: output, value, secret: decl.secret || isSecret(value) });
    }
  }
  const duplicate = firstDuplicate(nodes);
  if (duplicate) {
    const { first, second } = duplicate;
    const module = second.provenance.module ?? '';
    return { diagnostics: [diagnostic('ERR_NAME_COLLISION', { module, name: second.id, other: first.provenance.module ?? '' }, { path: module ? `/modules/${module}` : '' })] };
  }
  const platform = options.platform ?? (spec as { readonly platform?: InfraIR['platform'] }).platform ?? {};
  return {
    value: { irVersion: 2, system, ...(options.owner !== undefined ? { owner: options.owner } : {}), platform, images: merged, nodes, outputs },
    diagnostics: [],
  };
}

/**
 * Metadata labels reach every module node: resolve their `${module.output}` references and `$${`
 * escapes like module labels (validation allows only non-secret outputs there).
 */
function resolveSystemLabels(graph: ResolvedGraph): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, raw] of Object.entries(graph.spec.metadata.labels ?? {})) {
    const parts = parseTemplate(raw).map((piece) => {
      if (piece.kind === 'text') return piece.text;
      if (piece.kind === 'ref') {
        const value = graph.modules.get(piece.module)?.outputs[piece.output];
        return value ? labelText(value) ?? '' : '';
      }
      return '';
    });
    labels[key] = parts.join('');
  }
  return labels;
}

/** Node ids must be unique (targets name resources after them). */
function firstDuplicate(nodes: readonly IrNode[]): { first: IrNode; second: IrNode } | undefined {
  const seen = new Map<string, IrNode>();
  for (const node of nodes) {
    const first = seen.get(node.id);
    if (first) return { first, second: node };
    seen.set(node.id, node);
  }
  return undefined;
}

function imageNode(module: string, publicRef: string, mapped: string | undefined): ImageNode {
  const rule = mapped ? 'image-mapping' : 'public-image';
  return {
    kind: 'image',
    id: `image:${module}`,
    module,
    ref: mapped ?? publicRef,
    source: mapped ? { kind: 'local' } : { kind: 'pull' },
    provenance: mapped ? { module, rule, detail: `${publicRef} mapped to the local image ${mapped}` } : { module, rule, detail: `default image ${publicRef}` },
    dependsOn: [],
  };
}

function secretIds(values: Iterable<Value>): string[] {
  const ids = new Set<string>();
  for (const value of values) for (const part of value) if (part.kind === 'secret') ids.add(`secret:${part.module}-${part.name}`);
  return [...ids];
}

/** Env in name order with the origin of each variable, and the secrets it reads as dependencies. */
function completed(node: ModuleNode, injected: Readonly<Record<string, string>>, specEnv: readonly string[]): ModuleNode {
  const run: Process = node.process;
  const env = sortedKeys(run.env);
  // fromEntries defines own properties, so an env var named __proto__ stays a key.
  const envOrigin: Record<string, string> = Object.fromEntries(
    Object.keys(env).map((key) => {
      const from = Object.hasOwn(injected, key) ? injected[key] : undefined;
      return [key, from !== undefined ? `uses:${from}` : specEnv.includes(key) ? 'spec' : 'module'];
    }),
  );
  // Env and labels in name order: the design is the same whatever order the spec wrote its keys in.
  return {
    ...node,
    labels: sortedKeys(node.labels),
    process: { ...run, env, envOrigin },
    dependsOn: [...new Set([...node.dependsOn, ...secretIds(Object.values(env))])].sort(),
  };
}

function sortedKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
