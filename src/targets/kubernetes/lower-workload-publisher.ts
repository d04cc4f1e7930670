/**
 * The publisher of a replicated workload (a service with a published port and replicas > 1 or
 * autoscale): a hostPort admits one pod per node, so the workload's own pods publish nothing (the
 * extra ones would stay Pending); one nginx pod publishes 127.0.0.1:<publish> for each published
 * port instead and forwards everything (WebSocket upgrades too) to the workload's Service, which
 * balances over the replicas. This is what the docker family's load balancer does on Docker, with
 * the same image (nginx:1.27, mapped through the design's image mapping). A single-replica
 * workload publishes its own port and needs none of this.
 */
import type { InfraIR, Port, Process, Provenance, WorkloadNode } from '../../compiler/lower/ir.js';
import { NGINX_COMMAND } from '../../modules/design/nginx-config.js';
import { meta, selectorOf, type LowerContext } from './context.js';
import { publisherName } from './lower-publisher.js';
import { deploymentNode, needsWorkloadPublisher } from './lower-workload.js';
import { k8sNode, type K8sNode } from './model.js';
import { NGINX_HEALTH_PATH, nginxConfigVolumes, proxyConfigFiles } from './nginx.js';
import { podParts, type ImageUse } from './pod.js';

/** The image of every workload publisher, before the design's image mapping. */
export const WORKLOAD_PUBLISHER_IMAGE = 'nginx:1.27';
/** Its id among the pods' images (no design node has it: the target adds it). */
export const WORKLOAD_PUBLISHER_IMAGE_ID = 'image:aninfra--workload-publisher';

/** The publisher image's use by pods, and the reference when it is a local image the engine loads; undefined when no workload needs a publisher. */
export function workloadPublisherImage(ir: Pick<InfraIR, 'nodes' | 'images'>): { readonly use: ImageUse; readonly local?: string } | undefined {
  if (!ir.nodes.some((n) => n.kind === 'workload' && needsWorkloadPublisher(n))) return undefined;
  const mapped = ir.images !== undefined && Object.hasOwn(ir.images, WORKLOAD_PUBLISHER_IMAGE) ? ir.images[WORKLOAD_PUBLISHER_IMAGE] : undefined;
  return mapped !== undefined ? { use: { ref: mapped, pullPolicy: 'IfNotPresent' }, local: mapped } : { use: { ref: WORKLOAD_PUBLISHER_IMAGE } };
}

export const workloadPublisherProvenance = (n: Pick<WorkloadNode, 'module' | 'ports'>): Provenance => ({
  module: n.module,
  rule: 'workload-publisher',
  detail: `one pod publishing ${n.ports.flatMap((p) => (p.publish !== undefined ? [`127.0.0.1:${p.publish}`] : [])).join(', ')} for the workload's replicas`,
});

export function workloadPublisherNodes(n: WorkloadNode, ctx: LowerContext, serviceId: string): K8sNode[] {
  const p = workloadPublisherProvenance(n);
  const name = publisherName(n.module);
  const published = n.ports.filter((x) => x.publish !== undefined);
  const configMap = k8sNode(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(ctx, `${name}-nginx`, p),
      data: proxyConfigFiles(
        ctx.namespace,
        published.map((x) => ({ listen: x.port, to: n.module, port: x.port, websocket: x.protocol === 'websocket' })),
      ),
    },
    p,
    [ctx.namespaceId],
  );
  const nginx = nginxConfigVolumes(configMap.object.metadata.name);
  const process: Process = { image: WORKLOAD_PUBLISHER_IMAGE_ID, env: {}, envOrigin: {}, files: [], mounts: [], restart: 'always' };
  const first = published[0]?.port ?? 0;
  const parts = podParts(
    {
      name,
      module: n.module,
      process,
      ports: published.map((x): Port => ({ name: x.name, port: x.port, protocol: 'http', ...(x.publish !== undefined ? { publish: x.publish } : {}) })),
      readiness: { probe: { kind: 'http', path: NGINX_HEALTH_PATH, port: first }, timing: { intervalSeconds: 5, timeoutSeconds: 3, retries: 5, startPeriodSeconds: 2 } },
      extraMounts: nginx.mounts,
      // nginx in the foreground, as the docker family runs it
      args: NGINX_COMMAND,
    },
    ctx.pod,
  );
  const withConfig = { ...parts, volumes: [...parts.volumes, ...nginx.volumes] };
  const deployment = deploymentNode(ctx, name, { provenance: p, dependsOn: [], replicas: 1 }, withConfig, selectorOf(ctx, p), [configMap.id, serviceId], true);
  return [configMap, deployment];
}
