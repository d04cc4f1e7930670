/**
 * The docker family's plan rules (targets `docker` and `compose`): what Docker and Compose change
 * without recreating a resource, which resources hold stored data, and what recreates a container.
 * Only aninfra's own bookkeeping is in place, never anything Docker sees: container labels are
 * immutable in Docker (Compose recreates on any label change) and dependsOn only orders
 * operations. Volumes, networks and built images carry their provenance rule and module as labels,
 * so only the detail text is in place for them.
 */
import type { PlanRules } from '../../compiler/emit/target.js';
import type { DockerKind, DockerNode } from './model.js';

const inPlace: Readonly<Record<DockerKind, readonly string[]>> = {
  network: ['provenance.detail'],
  volume: ['provenance.detail'],
  secret: ['provenance'],
  image: ['provenance.detail'],
  container: ['provenance', 'envOrigin', 'dependsOn'],
};

/** Ids of the docker model are `<kind>:<name>`; only the container kind is recreated through another node. */
const isContainerId = (id: string): boolean => id.startsWith('container:');

export const dockerPlanRules: PlanRules<DockerNode> = {
  inPlace(node, field) {
    const fields = inPlace[node.kind];
    return fields.includes(field) || fields.includes(field.split('.')[0] as string);
  },
  holdsData(node) {
    return node.kind === 'volume' && node.keep;
  },
  /**
   * A container is recreated from a replaced image (new ref, new source, new build hash), and with
   * a replaced volume, secret or network it uses. Another container's replacement does not
   * recreate it (dependsOn between containers only orders operations).
   */
  recreatedWith(node) {
    if (node.kind !== 'container') return [];
    const uses = [node.image, ...node.dependsOn, ...node.mounts.flatMap((m) => (m.kind === 'volume' ? [m.volume] : []))];
    return [...new Set(uses)].filter((id) => !isContainerId(id));
  },
};
