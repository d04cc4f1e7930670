/**
 * The publisher of a replicated gateway: a hostPort admits one pod per node, so a gateway that
 * runs several replicas (or autoscales) does not publish itself; one nginx pod of the gateway's
 * image publishes 127.0.0.1:<publish> instead and forwards everything (WebSocket upgrades too) to
 * the gateway's Service, which balances over the replicas. A single-replica gateway publishes its
 * own port and needs none of this.
 */
import type { GatewayNode, Port, Provenance } from '../../compiler/lower/ir.js';
import { meta, selectorOf, type LowerContext } from './context.js';
import { deploymentNode } from './lower-workload.js';
import { k8sNode, type K8sNode } from './model.js';
import { gatewayConfigFiles, NGINX_HEALTH_PATH, nginxConfigVolumes } from './nginx.js';
import { NGINX_COMMAND } from '../../modules/design/nginx-config.js';
import { podParts } from './pod.js';

export const publisherName = (module: string): string => `${module}-publish`;

export const needsPublisher = (n: Pick<GatewayNode, 'replicas' | 'autoscale'>): boolean => n.autoscale !== undefined || n.replicas > 1;

export const publisherProvenance = (n: Pick<GatewayNode, 'module' | 'publish'>): Provenance => ({
  module: n.module,
  rule: 'gateway-publisher',
  detail: `one pod publishing 127.0.0.1:${n.publish} for the gateway's replicas`,
});

export function publisherNodes(n: GatewayNode, ctx: LowerContext, gatewayServiceId: string): K8sNode[] {
  const p = publisherProvenance(n);
  const name = publisherName(n.module);
  const configMap = k8sNode(
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta(ctx, `${name}-nginx`, p),
      data: gatewayConfigFiles(n.listen, ctx.namespace, [{ path: '/', to: n.module, port: n.listen, websocket: true, stripPrefix: false }]),
    },
    p,
    [ctx.namespaceId],
  );
  const nginx = nginxConfigVolumes(configMap.object.metadata.name);
  const port: Port = { name: 'http', port: n.listen, protocol: 'http', publish: n.publish };
  const timing = n.process.readiness?.timing ?? { intervalSeconds: 5, timeoutSeconds: 3, retries: 5, startPeriodSeconds: 2 };
  const parts = podParts(
    {
      name,
      module: n.module,
      process: { ...n.process, files: [], mounts: [], env: {}, envOrigin: {} },
      ports: [port],
      readiness: { probe: { kind: 'http', path: NGINX_HEALTH_PATH, port: n.listen }, timing },
      extraMounts: nginx.mounts,
      // nginx in the foreground, as the docker family runs it: an image with nginx installed need not start it by itself
      args: NGINX_COMMAND,
    },
    ctx.pod,
  );
  const withConfig = { ...parts, volumes: [...parts.volumes, ...nginx.volumes] };
  const deployment = deploymentNode(ctx, name, { provenance: p, dependsOn: [], replicas: 1 }, withConfig, selectorOf(ctx, p), [configMap.id, gatewayServiceId], true);
  return [configMap, deployment];
}
