/**
 * A gateway: an nginx Deployment whose configuration (a ConfigMap mounted on /etc/nginx/conf.d)
 * routes path prefixes to the modules' Services, a ClusterIP Service, and an Ingress routing `/` to
 * that Service (ingressClassName from platform.kubernetes.ingressClass). The published port is a
 * hostPort on 127.0.0.1 (of the gateway's pod, or of its publisher when it runs several replicas:
 * lower-publisher.ts), so the gateway answers on the machine running a local cluster without any
 * ingress controller; on a real cluster the Ingress is the entry point.
 */
import type { GatewayNode, Port } from '../../compiler/lower/ir.js';
import { depsOf, filesNodes, labelsOf, meta, selectorOf, type LowerContext } from './context.js';
import { deploymentNode, scalingNodes } from './lower-workload.js';
import { k8sNode, type K8sNode } from './model.js';
import { gatewayConfigFiles, NGINX_HEALTH_PATH, nginxConfigVolumes } from './nginx.js';
import { NGINX_COMMAND } from '../../modules/design/nginx-config.js';
import { podParts, serviceObject } from './pod.js';
import { needsPublisher, publisherNodes } from './lower-publisher.js';

export const gatewayConfigName = (module: string): string => `${module}-nginx`;

export function lowerGateway(n: GatewayNode, ctx: LowerContext): K8sNode[] {
  const p = n.provenance;
  const selector = selectorOf(ctx, p);
  const configMap = k8sNode(
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(ctx, gatewayConfigName(n.module), p), data: gatewayConfigFiles(n.listen, ctx.namespace, n.routes) },
    p,
    [ctx.namespaceId],
  );
  // Several replicas cannot share one hostPort on a node: a publisher pod publishes for them.
  const published = !needsPublisher(n);
  const nginx = nginxConfigVolumes(configMap.object.metadata.name);
  const port: Port = { name: 'http', port: n.listen, protocol: 'http', ...(published ? { publish: n.publish } : {}) };
  const timing = n.process.readiness?.timing ?? { intervalSeconds: 5, timeoutSeconds: 3, retries: 5, startPeriodSeconds: 2 };
  const parts = podParts(
    {
      name: n.module,
      module: n.module,
      // The ConfigMap owns nginx's configuration directory: files a design delivers there (the docker family's config) are the target's to write.
      process: { ...n.process, files: n.process.files.filter((f) => !f.path.startsWith('/etc/nginx/')) },
      ports: [port],
      // The generated config answers the health location: probe it over HTTP whatever image runs nginx.
      readiness: { probe: { kind: 'http', path: NGINX_HEALTH_PATH, port: n.listen }, timing },
      extraMounts: nginx.mounts,
      // nginx in the foreground, as the docker family runs it: an image with nginx installed need not start it by itself
      args: NGINX_COMMAND,
    },
    ctx.pod,
  );
  const files = filesNodes(ctx, parts, p, (o, d) => k8sNode(o, p, d));
  const withConfig = { ...parts, volumes: [...parts.volumes, ...nginx.volumes] };
  const deployment = deploymentNode(ctx, n.module, n, withConfig, selector, [configMap.id, ...files.map((f) => f.id)], published);
  const service = k8sNode(serviceObject(n.module, ctx.namespace, labelsOf(ctx, p), selector, [{ name: 'http', port: n.listen, protocol: 'http' }]), p, [ctx.namespaceId], { immutable: { clusterIP: 'auto' } });
  const ingress = k8sNode(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      // Pulumi would otherwise wait for a load balancer address, which a cluster without an ingress controller never reports.
      metadata: { ...meta(ctx, n.module, p), annotations: { 'pulumi.com/skipAwait': 'true' } },
      spec: {
        ...(ctx.settings.ingressClass !== undefined ? { ingressClassName: ctx.settings.ingressClass } : {}),
        rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: n.module, port: { number: n.listen } } } }] } }],
      },
    },
    p,
    depsOf(ctx, [], [service.id]),
  );
  return [configMap, ...files, deployment, service, ingress, ...scalingNodes(ctx, n.module, n, selector, deployment.id), ...(published ? [] : publisherNodes(n, ctx, service.id))];
}
