/**
 * The load balancer synthesized in front of a replicated service: an nginx container that takes the
 * service's own name and port, so consumers keep reaching `<module>:<port>` however many replicas
 * run. Round-robin over the replicas, WebSocket upgrades passed through when the service speaks it.
 */
import type { ContainerNode, ImageNode, IrNode } from '../../compiler/lower/ir.js';
import { resourceNames } from '../../compiler/validate/resource-names.js';
import type { LowerContext, ModuleInstance } from '../descriptor.js';
import { NGINX_COMMAND, nginxFiles, nginxHealthcheck, upstreamName } from './nginx-config.js';

export const LB_RULE = 'replicated-service-lb';
export const LB_PUBLIC_IMAGE = 'nginx:1.27';

export interface LoadBalancerOptions {
  /** Port the service listens on; the balancer listens on the same one. */
  readonly port: number;
  readonly websocket: boolean;
  /** The replica containers it balances. */
  readonly replicas: readonly ContainerNode[];
  /** Host port to publish on 127.0.0.1, if the user asked. */
  readonly publish?: number;
}

export function loadBalancer(m: ModuleInstance, ctx: LowerContext, options: LoadBalancerOptions): IrNode[] {
  const provenance = {
    module: m.name,
    rule: LB_RULE,
    detail: `${m.name} runs ${options.replicas.length} replicas: nginx balances ${m.name}:${options.port} round-robin across them`,
  };
  // The context names images after their module; the service's own image may already hold that id,
  // so the balancer's image gets an id of its own (same reference, same mapping).
  const pulled = ctx.image(m.name, LB_PUBLIC_IMAGE);
  const image: ImageNode = { ...pulled, id: `image:${resourceNames.loadBalancerImage(m.name)}`, provenance };
  const upstream = upstreamName(m.name);
  const site = {
    listen: options.port,
    // Every replica carries the alias `<module>--replicas`; nginx resolves it per request, so
    // recreated replicas are found again and requests rotate over all of them.
    upstreams: [{ name: upstream, servers: [{ host: resourceNames.replicasAlias(m.name), port: options.port }] }],
    routes: [{ path: '/', upstream, websocket: options.websocket, stripPrefix: false }],
  };
  const container: ContainerNode = {
    kind: 'container',
    id: `container:${m.name}`,
    name: m.name,
    module: m.name,
    image: image.id,
    command: NGINX_COMMAND,
    env: {},
    ports: [{ name: 'http', container: options.port, ...(options.publish !== undefined ? { host: options.publish } : {}), hostIp: '127.0.0.1', protocol: 'tcp' }],
    mounts: [],
    files: nginxFiles(site),
    healthcheck: nginxHealthcheck(options.port),
    restart: 'unless-stopped',
    aliases: [m.name],
    labels: { ...ctx.labels(m.name, LB_RULE), ...m.labels },
    provenance,
    dependsOn: [...new Set([...ctx.dependsOn, image.id, ...options.replicas.map((r) => r.id)])].sort(),
  };
  return [image, container];
}
