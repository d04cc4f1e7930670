/**
 * The docker family's lowering (targets `docker` and `compose`): the system design (InfraIR v2) →
 * DockerModel. One private network per system; volumes named `<system>--<module>--<purpose>`;
 * built images tagged `<system>--<module>:<content hash>`; every process a container reachable by
 * its module's name (an alias), published on 127.0.0.1 only; replicas as N containers behind an
 * nginx load balancer; a gateway as nginx resolving through Docker's DNS; a schedule as a looping
 * container. Apply-time references resolve to the referenced module's name on the network.
 * Design fields Docker cannot realize get a coded warning saying what runs instead.
 * A store with a backup policy also gets a backup volume and a scheduler container (backup.ts).
 * Codes: ERR_NAME_COLLISION, WARN_TARGET_AUTOSCALE_FIXED, WARN_TARGET_RESOURCES_IGNORED,
 * WARN_TARGET_AVAILABILITY_SINGLE_HOST, WARN_TARGET_GATEWAY_SINGLE, WARN_BACKUP_ENGINE_UNSUPPORTED.
 */
import { diagnostic, type Diagnostic, type StageResult } from '../../compiler/diagnostics/diagnostic.js';
import type { ImageNode, InfraIR, IrNode, VolumeNode } from '../../compiler/lower/ir.js';
import { concat, type Value } from '../../compiler/resolve/value.js';
import { resourceNames } from '../../compiler/validate/resource-names.js';
import { backupNames, backupNodes } from './backup.js';
import { moduleContainers, type DockerLowering, type ModuleNode } from './containers.js';
import type { DockerImageNode, DockerModel, DockerNode, DockerVolumeNode, NetworkNode } from './model.js';

export function lowerDockerFamily(ir: InfraIR, target: string): StageResult<DockerModel> {
  const { system } = ir;
  const ownership = (module: string | null, rule: string): Record<string, string> => ({
    'aninfra.managed-by': 'aninfra',
    ...(ir.owner !== undefined ? { 'aninfra.owner': ir.owner } : {}),
    'aninfra.system': system,
    ...(module !== null ? { 'aninfra.module': module } : {}),
    'aninfra.rule': rule,
  });
  const network: NetworkNode = {
    kind: 'network',
    id: `network:${system}`,
    name: resourceNames.network(system),
    labels: ownership(null, 'system-network'),
    provenance: { module: null, rule: 'system-network', detail: 'one private network per system; modules reach each other by name' },
    dependsOn: [],
  };
  const moduleOf = new Map(ir.nodes.flatMap((n) => ('process' in n ? [[n.id, n.module] as const] : [])));
  const containersOf = new Map<string, string[]>();
  const lowering: DockerLowering = {
    system,
    network: network.id,
    images: ir.images ?? {},
    ownership,
    resolve: resolveRefs,
    generatedImages: new Set(ir.nodes.flatMap((n) => (n.kind === 'image' && n.source.kind === 'build' && n.source.generatedDockerfile !== undefined ? [n.id] : []))),
    dependencies(ids) {
      return ids.flatMap((id) => {
        const module = moduleOf.get(id);
        if (module === undefined) return [];
        const containers = containersOf.get(module) ?? [];
        const entry = containers.find((c) => c === `container:${module}`);
        return entry ? [entry] : containers;
      });
    },
  };
  const nodes: DockerNode[] = [network];
  const diagnostics: Diagnostic[] = [];
  for (const node of ir.nodes) {
    if (!('process' in node)) {
      nodes.push(resource(node, system, ownership));
      continue;
    }
    const lowered = moduleContainers(node, lowering);
    containersOf.set(node.module, lowered.filter((n) => n.kind === 'container').map((n) => n.id));
    nodes.push(...lowered);
    diagnostics.push(...warnings(node, target));
    if (node.kind === 'store' && node.backup) {
      const entry = lowered.find((n) => n.id === `container:${node.module}`);
      const backups = backupNodes(node, {
        system,
        image: node.process.image,
        storeContainer: `container:${node.module}`,
        dependsOn: entry?.dependsOn ?? [network.id],
        labels: (module, rule) => sortedKeys({ ...ownership(module, rule), 'aninfra.container': backupNames.container(module) }),
        resourceLabels: (module, rule) => sortedKeys(ownership(module, rule)),
      });
      nodes.push(...backups.nodes);
      diagnostics.push(...backups.diagnostics);
    }
  }
  const duplicate = firstDuplicate(nodes);
  if (duplicate) {
    const { first, second } = duplicate;
    const module = second.provenance.module ?? '';
    return { diagnostics: [diagnostic('ERR_NAME_COLLISION', { module, name: second.id, other: first.provenance.module ?? '' }, { path: module ? `/modules/${module}` : '' })] };
  }
  const outputs = ir.outputs.map((o) => ({ ...o, value: resolveRefs(o.value) }));
  return { value: { system, nodes, outputs }, diagnostics };
}

/** A module is reached by its name on the system network: that is what an apply-time reference to it resolves to. */
export function resolveRefs(value: Value): Value {
  if (!value.some((p) => p.kind === 'ref')) return value;
  return concat(...value.map((p): Value => (p.kind === 'ref' ? [{ kind: 'text', text: p.module }] : [p])));
}

type Ownership = DockerLowering['ownership'];

function resource(node: Exclude<IrNode, ModuleNode>, system: string, ownership: Ownership): DockerNode {
  switch (node.kind) {
    case 'secret':
      return node;
    case 'volume':
      return volume(node, system, ownership);
    case 'image':
      return image(node, system, ownership);
    default: {
      const never: never = node;
      throw new Error(`internal: unsupported design node ${JSON.stringify(never)}`);
    }
  }
}

function volume(node: VolumeNode, system: string, ownership: Ownership): DockerVolumeNode {
  const data = node.purpose === 'data';
  return {
    kind: 'volume',
    id: node.id,
    name: data ? resourceNames.dataVolume(system, node.module) : `${system}--${node.module}--${node.purpose}`,
    // The name data volumes had before names were made unambiguous, for the migration check only.
    ...(data ? { legacyName: `${system}-${node.module}-data` } : {}),
    keep: node.keep,
    labels: sortedKeys(ownership(node.provenance.module, node.provenance.rule)),
    provenance: node.provenance,
    dependsOn: node.dependsOn,
  };
}

function image(node: ImageNode, system: string, ownership: Ownership): DockerImageNode {
  const ref = node.source.kind === 'build' ? resourceNames.builtImage(system, node.module, node.source.contentHash ?? 'latest') : node.ref;
  if (ref === undefined) throw new Error(`internal: image ${node.id} has no reference`);
  return {
    kind: 'image',
    id: node.id,
    ref,
    source: node.source,
    labels: sortedKeys(ownership(node.provenance.module, node.provenance.rule)),
    provenance: node.provenance,
    dependsOn: node.dependsOn,
  };
}

/** What Docker does instead of a design field it cannot realize. */
function warnings(node: ModuleNode, target: string): Diagnostic[] {
  const at = (field: string) => ({ path: `/modules/${node.module}/with/${field}` });
  const out: Diagnostic[] = [];
  if ((node.kind === 'workload' || node.kind === 'gateway') && node.autoscale) {
    out.push(diagnostic('WARN_TARGET_AUTOSCALE_FIXED', { module: node.module, min: node.autoscale.min, max: node.autoscale.max, target }, at('autoscale')));
  }
  if (node.kind === 'gateway' && node.replicas > 1) {
    out.push(diagnostic('WARN_TARGET_GATEWAY_SINGLE', { module: node.module, replicas: node.replicas, target, port: node.publish }, at(node.autoscale ? 'autoscale' : 'replicas')));
  }
  if (node.process.resources) out.push(diagnostic('WARN_TARGET_RESOURCES_IGNORED', { module: node.module, target }, at('resources')));
  if (node.kind === 'store' && node.availability === 'high') out.push(diagnostic('WARN_TARGET_AVAILABILITY_SINGLE_HOST', { module: node.module, target }, at('availability')));
  return out;
}

/** Node ids must be unique (targets name resources and variables after them). */
function firstDuplicate(nodes: readonly DockerNode[]): { first: DockerNode; second: DockerNode } | undefined {
  const seen = new Map<string, DockerNode>();
  for (const node of nodes) {
    const first = seen.get(node.id);
    if (first) return { first, second: node };
    seen.set(node.id, node);
  }
  return undefined;
}

function sortedKeys<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
