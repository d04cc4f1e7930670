/**
 * The load balancer in front of a replicated workload: an nginx container that takes the module's
 * own name and port, so consumers keep reaching `<module>:<port>` however many replicas run.
 * Round-robin over the replicas, WebSocket upgrades passed through when the port speaks it.
 */
import type { Port, WorkloadNode } from '../../compiler/lower/ir.js';
import { resourceNames } from '../../compiler/validate/resource-names.js';
import { NGINX_COMMAND, nginxFiles, upstreamName } from '../../modules/design/nginx-config.js';
import type { DockerLowering } from './containers.js';
import { healthCheck } from './health-checks.js';
import type { ContainerNode, DockerImageNode, DockerNode } from './model.js';

export const LB_RULE = 'replicated-service-lb';
export const LB_PUBLIC_IMAGE = 'nginx:1.27';
/** Docker's embedded DNS server on user-defined networks. */
export const DOCKER_DNS = '127.0.0.11';
/** Path every aninfra nginx answers 200 on. */
const HEALTH_PATH = '/.aninfra/health';

export function loadBalancer(node: WorkloadNode, served: Port, replicas: readonly ContainerNode[], l: DockerLowering): DockerNode[] {
  const module = node.module;
  const provenance = {
    module,
    rule: LB_RULE,
    detail: `${module} runs ${replicas.length} replicas: nginx balances ${module}:${served.port} round-robin across them`,
  };
  const mapped = Object.hasOwn(l.images, LB_PUBLIC_IMAGE) ? l.images[LB_PUBLIC_IMAGE] : undefined;
  // The workload's own image holds the id `image:<module>`, so the balancer's image has its own.
  const image: DockerImageNode = {
    kind: 'image',
    id: `image:${resourceNames.loadBalancerImage(module)}`,
    ref: mapped ?? LB_PUBLIC_IMAGE,
    source: mapped ? { kind: 'local' } : { kind: 'pull' },
    labels: sorted(l.ownership(module, LB_RULE)),
    provenance,
    dependsOn: [],
  };
  const upstream = upstreamName(module);
  const site = {
    listen: served.port,
    // Every replica carries the alias `<module>--replicas`; nginx resolves it per request, so
    // recreated replicas are found again and requests rotate over all of them.
    upstreams: [{ name: upstream, servers: [{ host: resourceNames.replicasAlias(module), port: served.port }] }],
    routes: [{ path: '/', upstream, websocket: served.protocol === 'websocket', stripPrefix: false }],
    resolver: DOCKER_DNS,
  };
  const container: ContainerNode = {
    kind: 'container',
    id: `container:${module}`,
    name: module,
    module,
    image: image.id,
    command: NGINX_COMMAND,
    env: {},
    ports: [{ name: 'http', container: served.port, ...(served.publish !== undefined ? { host: served.publish } : {}), hostIp: '127.0.0.1', protocol: 'tcp' }],
    mounts: [],
    files: nginxFiles(site),
    healthcheck: healthCheck({ probe: { kind: 'http', path: HEALTH_PATH, port: served.port }, timing: { intervalSeconds: 2, timeoutSeconds: 5, retries: 30, startPeriodSeconds: 1 } }, 'nginx'),
    restart: 'unless-stopped',
    aliases: [module],
    labels: sorted({ ...node.labels, ...l.ownership(module, LB_RULE), 'aninfra.container': module }),
    provenance,
    dependsOn: [...new Set([l.network, ...l.dependencies(node.dependsOn), image.id, ...replicas.map((r) => r.id)])].sort(),
    envOrigin: {},
  };
  return [image, container];
}

function sorted(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
