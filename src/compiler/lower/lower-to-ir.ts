/**
 * lower: ResolvedGraph → InfraIR. Synthesizes the system network, generated secrets and image
 * mappings, asks each descriptor for its nodes, and wires explicit dependencies: every container
 * depends on the network, its images, volumes, the secrets its env reads, and the containers of
 * the modules it depends on.
 */
import { diagnostic, type StageResult } from '../diagnostics/diagnostic.js';
import type { LowerContext } from '../../modules/descriptor.js';
import type { ResolvedGraph } from '../resolve/resolve-graph.js';
import { isSecret, literalOf, type Value } from '../resolve/value.js';
import { parseTemplate } from '../validate/templates.js';
import type { ContainerNode, ImageNode, InfraIR, IrNode, NetworkNode, SecretNode, StackOutput } from './ir.js';
import { IMAGE_TAG_PATTERN, resourceNames } from '../validate/resource-names.js';

export interface LowerOptions {
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
}

export function lowerToIr(graph: ResolvedGraph, options: LowerOptions = {}): StageResult<InfraIR> {
  const { system, spec } = graph;
  const merged: Readonly<Record<string, string>> = { ...(spec.images ?? {}), ...(options.images ?? {}) };
  // Own keys only: a public image named 'constructor' must not find Object.prototype.constructor.
  const mapping = (publicRef: string): string | undefined => (Object.hasOwn(merged, publicRef) ? merged[publicRef] : undefined);
  const ownership = (module: string | null, rule: string): Record<string, string> => ({
    'aninfra.managed-by': 'aninfra',
    ...(options.owner !== undefined ? { 'aninfra.owner': options.owner } : {}),
    'aninfra.system': system,
    ...(module !== null ? { 'aninfra.module': module } : {}),
    'aninfra.rule': rule,
  });
  const contentHash = (context: string): string | undefined => {
    const hash = options.contextHash?.(context);
    return hash !== undefined && IMAGE_TAG_PATTERN.test(hash) ? hash : undefined;
  };
  const network: NetworkNode = {
    kind: 'network',
    id: `network:${system}`,
    name: resourceNames.network(system),
    labels: ownership(null, 'system-network'),
    provenance: { module: null, rule: 'system-network', detail: 'one private network per system; modules reach each other by name' },
    dependsOn: [],
  };
  const nodes: IrNode[] = [network];
  const outputs: StackOutput[] = [];
  const containersOf = new Map<string, string[]>();
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
    const dependsOn = [network.id];
    for (const dep of resolved.dependencies) {
      const ids = containersOf.get(dep) ?? [];
      const entry = ids.find((id) => id === `container:${dep}`);
      dependsOn.push(...(entry ? [entry] : ids));
    }
    const ctx: LowerContext = {
      network: network.id,
      dependsOn: [...new Set(dependsOn)].sort(),
      image: (module, publicRef) => imageNode(module, publicRef, mapping(publicRef), ownership),
      mapImage: (publicRef) => mapping(publicRef) ?? publicRef,
      labels: (module, rule) => ({ ...systemLabels, ...ownership(module, rule) }),
      resourceLabels: ownership,
      contentHash,
    };
    const lowered = descriptor.lower(instance, ctx);
    nodes.push(...secretNodes);
    const ids: string[] = [];
    for (const node of lowered) {
      if (node.kind !== 'container') {
        nodes.push(withOwnership(node, ownership));
        continue;
      }
      ids.push(node.id);
      nodes.push(withProvenanceLabels(withSecretsAndOrigins(node, resolved.injected, Object.keys(spec.modules[name]?.env ?? {})), ownership));
    }
    containersOf.set(name, ids);
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
  return { value: { system, nodes, outputs }, diagnostics: [] };
}

/**
 * Metadata labels reach every container: resolve their `${module.output}` references and `$${`
 * escapes like module labels (validation allows only non-secret outputs there).
 */
function resolveSystemLabels(graph: ResolvedGraph): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, raw] of Object.entries(graph.spec.metadata.labels ?? {})) {
    const parts = parseTemplate(raw).map((piece) => {
      if (piece.kind === 'text') return piece.text;
      if (piece.kind === 'ref') {
        const value = graph.modules.get(piece.module)?.outputs[piece.output];
        return value ? literalOf(value) ?? '' : '';
      }
      return '';
    });
    labels[key] = parts.join('');
  }
  return labels;
}

/** Node ids must be unique (targets name resources and variables after them). */
function firstDuplicate(nodes: readonly IrNode[]): { first: IrNode; second: IrNode } | undefined {
  const seen = new Map<string, IrNode>();
  for (const node of nodes) {
    const first = seen.get(node.id);
    if (first) return { first, second: node };
    seen.set(node.id, node);
  }
  return undefined;
}

type Ownership = (module: string | null, rule: string) => Record<string, string>;

function imageNode(module: string, publicRef: string, mapped: string | undefined, ownership: Ownership): ImageNode {
  const rule = mapped ? 'image-mapping' : 'public-image';
  return {
    kind: 'image',
    id: `image:${module}`,
    ref: mapped ?? publicRef,
    source: mapped ? { kind: 'local' } : { kind: 'pull' },
    labels: ownership(module, rule),
    provenance: mapped ? { module, rule, detail: `${publicRef} mapped to the local image ${mapped}` } : { module, rule, detail: `default image ${publicRef}` },
    dependsOn: [],
  };
}

/**
 * The ownership labels of a network, volume or image are aninfra's, whatever a descriptor put
 * there: laid over its labels, in name order. Secrets are not Docker resources and carry none.
 */
function withOwnership(node: Exclude<IrNode, ContainerNode>, ownership: Ownership): IrNode {
  if (node.kind === 'secret') return node;
  return { ...node, labels: sortedKeys({ ...node.labels, ...ownership(node.provenance.module, node.provenance.rule) }) };
}

function secretIds(values: Iterable<Value>): string[] {
  const ids = new Set<string>();
  for (const value of values) for (const part of value) if (part.kind === 'secret') ids.add(`secret:${part.module}-${part.name}`);
  return [...ids];
}

/**
 * The provenance labels engines find containers by (`aninfra.system`, `aninfra.owner`,
 * `aninfra.module`, `aninfra.container`) are aninfra's: a user label of the same key (module
 * labels are laid over the defaults) must not move a container into another system or module.
 */
function withProvenanceLabels(node: ContainerNode, ownership: Ownership): ContainerNode {
  return { ...node, labels: sortedKeys({ ...node.labels, ...ownership(node.module, node.provenance.rule), 'aninfra.container': node.name }) };
}

function withSecretsAndOrigins(node: ContainerNode, injected: Readonly<Record<string, string>>, specEnv: readonly string[]): ContainerNode {
  // fromEntries defines own properties, so an env var named __proto__ stays a key.
  const envOrigin: Record<string, string> = Object.fromEntries(
    Object.keys(node.env)
      .sort()
      .map((key) => {
        const from = Object.hasOwn(injected, key) ? injected[key] : undefined;
        return [key, from !== undefined ? `uses:${from}` : specEnv.includes(key) ? 'spec' : 'module'];
      }),
  );
  // Env and labels in name order: the IR is the same whatever order the spec wrote its keys in.
  return {
    ...node,
    env: sortedKeys(node.env),
    labels: sortedKeys(node.labels),
    envOrigin,
    dependsOn: [...new Set([...node.dependsOn, ...secretIds(Object.values(node.env))])].sort(),
  };
}

function sortedKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
