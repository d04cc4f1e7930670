/**
 * lower: ResolvedGraph → InfraIR. Synthesizes the system network, generated secrets and image
 * mappings, asks each descriptor for its nodes, and wires explicit dependencies: every container
 * depends on the network, its images, volumes, the secrets its env reads, and the containers of
 * the modules it depends on.
 */
import type { StageResult } from '../diagnostics/diagnostic.js';
import type { LowerContext } from '../../modules/descriptor.js';
import type { ResolvedGraph } from '../resolve/resolve-graph.js';
import { isSecret, type Value } from '../resolve/value.js';
import type { ContainerNode, ImageNode, InfraIR, IrNode, NetworkNode, SecretNode, StackOutput } from './ir.js';

export function lowerToIr(graph: ResolvedGraph): StageResult<InfraIR> {
  const { system, spec } = graph;
  const network: NetworkNode = {
    kind: 'network',
    id: `network:${system}`,
    name: `${system}-net`,
    provenance: { module: null, rule: 'system-network', detail: 'one private network per system; modules reach each other by name' },
    dependsOn: [],
  };
  const nodes: IrNode[] = [network];
  const outputs: StackOutput[] = [];
  const containersOf = new Map<string, string[]>();
  const systemLabels = spec.metadata.labels ?? {};

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
      image: (module, publicRef) => imageNode(module, publicRef, spec.images?.[publicRef]),
      labels: (module, rule) => ({ ...systemLabels, 'aninfra.managed-by': 'aninfra', 'aninfra.system': system, 'aninfra.module': module, 'aninfra.rule': rule }),
    };
    const lowered = descriptor.lower(instance, ctx);
    nodes.push(...secretNodes);
    const ids: string[] = [];
    for (const node of lowered) {
      if (node.kind !== 'container') {
        nodes.push(node);
        continue;
      }
      ids.push(node.id);
      nodes.push(withSecretsAndOrigins(node, resolved.injected, Object.keys(spec.modules[name]?.env ?? {})));
    }
    containersOf.set(name, ids);
    for (const [output, decl] of Object.entries(descriptor.outputs)) {
      const value = resolved.outputs[output];
      if (value) outputs.push({ module: name, name: output, value, secret: decl.secret || isSecret(value) });
    }
  }
  return { value: { system, nodes, outputs }, diagnostics: [] };
}

function imageNode(module: string, publicRef: string, mapped: string | undefined): ImageNode {
  return {
    kind: 'image',
    id: `image:${module}`,
    ref: mapped ?? publicRef,
    source: mapped ? { kind: 'local' } : { kind: 'pull' },
    provenance: mapped
      ? { module, rule: 'image-mapping', detail: `${publicRef} mapped to the local image ${mapped}` }
      : { module, rule: 'public-image', detail: `default image ${publicRef}` },
    dependsOn: [],
  };
}

function secretIds(values: Iterable<Value>): string[] {
  const ids = new Set<string>();
  for (const value of values) for (const part of value) if (part.kind === 'secret') ids.add(`secret:${part.module}-${part.name}`);
  return [...ids];
}

function withSecretsAndOrigins(node: ContainerNode, injected: Readonly<Record<string, string>>, specEnv: readonly string[]): ContainerNode {
  const envOrigin: Record<string, string> = {};
  for (const key of Object.keys(node.env).sort()) {
    const from = injected[key];
    envOrigin[key] = from !== undefined ? `uses:${from}` : specEnv.includes(key) ? 'spec' : 'module';
  }
  return { ...node, envOrigin, dependsOn: [...new Set([...node.dependsOn, ...secretIds(Object.values(node.env))])].sort() };
}
