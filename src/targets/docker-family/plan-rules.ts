/**
 * How the docker family's engines apply changes (Compose and Pulumi on @pulumi/docker alike): only
 * aninfra's own bookkeeping changes in place, never anything Docker sees. Container labels are
 * immutable in Docker (Compose recreates on any label change), and dependsOn only orders
 * operations. Volumes, networks and built images carry their provenance rule and module as labels,
 * so only the detail text is in place. A kept volume holds the stored data.
 */
import type { PlanRules } from '../../compiler/emit/target.js';
import type { DockerKind, DockerNode } from './model.js';

const IN_PLACE: Readonly<Record<DockerKind, readonly string[]>> = {
  network: ['provenance.detail'],
  volume: ['provenance.detail'],
  secret: ['provenance'],
  image: ['provenance.detail'],
  container: ['provenance', 'envOrigin', 'dependsOn'],
};

export const dockerPlanRules: PlanRules<DockerNode> = {
  inPlace: (node, field) => IN_PLACE[node.kind].includes(field) || IN_PLACE[node.kind].includes(field.split('.')[0] as string),
  holdsData: (node) => node.kind === 'volume' && node.keep,
  recreatedWith: (node) =>
    node.kind === 'container' ? [...new Set([node.image, ...node.dependsOn, ...node.mounts.flatMap((m) => (m.kind === 'volume' ? [m.volume] : []))])] : [],
};
