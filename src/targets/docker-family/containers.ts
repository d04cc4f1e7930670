/**
 * The containers of one design node. A workload is one container named after its module, or one
 * per replica (`<module>--<i>`, all carrying the alias `<module>--replicas`) with a load balancer
 * taking the module's name when it serves a port; a store is one container with its data volume
 * mounted; a gateway one nginx container with the generated routes; a schedule one container
 * looping over the command; a task one container run to completion (restart `no`). Every container is reachable by its name on the system network.
 */
import type { GatewayNode, IrNode, Process, RestartIntent, ScheduleNode, StoreNode, WorkloadNode } from '../../compiler/lower/ir.js';
import type { Provenance } from '../../compiler/lower/ir.js';
import type { Value } from '../../compiler/resolve/value.js';
import { resourceNames } from '../../compiler/validate/resource-names.js';
import { NGINX_COMMAND, nginxFiles, upstreamName, type NginxSite } from '../../modules/design/nginx-config.js';
import { GENERATED_GO_RUNTIME, healthCheck } from './health-checks.js';
import { DOCKER_DNS, loadBalancer } from './load-balancer.js';
import type { ContainerNode, DockerNode, Mount, PortBinding } from './model.js';
import { TASK_INPUTS_LABEL, taskInputsHash } from './task.js';

export type ModuleNode = Extract<IrNode, { readonly process: Process }>;

/** What the lowering of one node needs from the whole model. */
export interface DockerLowering {
  readonly system: string;
  /** Id of the network node. */
  readonly network: string;
  /** The image mapping, for images the docker family adds (the load balancer's). */
  readonly images: Readonly<Record<string, string>>;
  ownership(module: string | null, rule: string): Record<string, string>;
  /** A value with its apply-time references resolved. */
  resolve(value: Value): Value;
  /** Design node ids of modules → the containers serving them (the entry container, else all). */
  dependencies(ids: readonly string[]): string[];
  /** Ids of the images built with a Dockerfile aninfra generated (their probe tools are known). */
  readonly generatedImages?: ReadonlySet<string>;
}

const RESTART: Readonly<Record<RestartIntent, ContainerNode['restart']>> = { always: 'unless-stopped', 'on-failure': 'on-failure', never: 'no' };

export function moduleContainers(node: ModuleNode, l: DockerLowering): DockerNode[] {
  switch (node.kind) {
    case 'workload':
      return workload(node, l);
    case 'store':
      return [container(node, l, { name: node.module, ports: ports(node, true), dataMount: { volume: node.data.volume, path: node.data.path } })];
    case 'gateway':
      return [gateway(node, l)];
    case 'schedule':
      return [schedule(node, l)];
    case 'task':
      return [container(node, l, { name: node.module, ports: [], runsToCompletion: true })];
    default: {
      const never: never = node;
      throw new Error(`internal: unsupported design node ${JSON.stringify(never)}`);
    }
  }
}

function workload(node: WorkloadNode, l: DockerLowering): DockerNode[] {
  const replicas = node.replicas;
  if (replicas <= 1) return [container(node, l, { name: node.module, ports: ports(node, true) })];
  const containers = Array.from({ length: replicas }, (_, i) =>
    container(node, l, {
      name: resourceNames.replica(node.module, i + 1),
      ports: ports(node, false),
      aliases: [resourceNames.replica(node.module, i + 1), resourceNames.replicasAlias(node.module)],
      detail: `${node.provenance.detail}, replica ${i + 1} of ${replicas}`,
    }),
  );
  const served = node.ports[0];
  if (!served) return containers;
  return [...containers, ...loadBalancer(node, served, containers, l)];
}

function gateway(node: GatewayNode, l: DockerLowering): ContainerNode {
  const targets = new Map<string, number>();
  for (const r of node.routes) if (!targets.has(r.to)) targets.set(r.to, r.port);
  const site: NginxSite = {
    listen: node.listen,
    // A route target is reached by its module name, resolved per request through Docker's DNS.
    upstreams: [...targets.keys()].sort().map((to) => ({ name: upstreamName(to), servers: [{ host: to, port: targets.get(to) as number }] })),
    routes: node.routes.map((r) => ({ path: r.path, upstream: upstreamName(r.to), websocket: r.websocket, stripPrefix: r.stripPrefix })),
    resolver: DOCKER_DNS,
  };
  return container(node, l, {
    name: node.module,
    command: NGINX_COMMAND,
    ports: [{ name: 'http', container: node.listen, host: node.publish, hostIp: '127.0.0.1', protocol: 'tcp' }],
    files: nginxFiles(site),
  });
}

function schedule(node: ScheduleNode, l: DockerLowering): ContainerNode {
  // `sleep & wait` keeps the shell (PID 1) responsive to `docker stop`; the interval is a number.
  const loop = `trap 'exit 0' TERM INT; while :; do "$@"; sleep ${node.everySeconds} & wait $!; done`;
  return container(node, l, { name: node.module, entrypoint: ['/bin/sh', '-c', loop, 'cron'], ports: [] });
}

/** The node's ports; published on 127.0.0.1 only when `publish` (a load balancer publishes for replicas). */
function ports(node: WorkloadNode | StoreNode, publish: boolean): PortBinding[] {
  return node.ports.map((p) => ({ name: p.name, container: p.port, ...(publish && p.publish !== undefined ? { host: p.publish } : {}), hostIp: '127.0.0.1', protocol: 'tcp' }));
}

interface ContainerOptions {
  readonly name: string;
  readonly ports: readonly PortBinding[];
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  readonly files?: ContainerNode['files'];
  readonly aliases?: readonly string[];
  readonly detail?: string;
  readonly dataMount?: { readonly volume: string; readonly path: string };
  readonly runsToCompletion?: true;
}

function container(node: ModuleNode, l: DockerLowering, o: ContainerOptions): ContainerNode {
  const p = node.process;
  const entrypoint = o.entrypoint ?? p.entrypoint;
  const command = o.command ?? p.command;
  const mounts: Mount[] = [...(o.dataMount ? [{ kind: 'volume' as const, volume: o.dataMount.volume, target: o.dataMount.path, readOnly: false }] : []), ...p.mounts];
  const rule = node.provenance.rule;
  const provenance: Provenance = o.detail !== undefined ? { ...node.provenance, detail: o.detail } : node.provenance;
  const env = Object.fromEntries(Object.entries(p.env).map(([k, v]) => [k, l.resolve(v)]));
  const ids = [l.network, ...l.dependencies(node.dependsOn), ...node.dependsOn.filter((id) => !/^(workload|store|gateway|schedule|task):/.test(id)), ...mounts.flatMap((m) => (m.kind === 'volume' ? [m.volume] : []))];
  const dependsOn = [...new Set(ids)].sort();
  const files = o.files ?? p.files;
  // A task's own inputs, hashed: an engine reruns it only when they change (task.ts).
  const task: Record<string, string> = o.runsToCompletion ? { [TASK_INPUTS_LABEL]: taskInputsHash({ image: p.image, entrypoint, command, env: p.env, mounts, files, dependsOn }) } : {};
  return {
    kind: 'container',
    id: `container:${o.name}`,
    name: o.name,
    module: node.module,
    image: p.image,
    ...(entrypoint ? { entrypoint } : {}),
    ...(command ? { command } : {}),
    env,
    ports: o.ports,
    mounts,
    files,
    ...(p.readiness ? { healthcheck: healthCheck(p.readiness, p.runtime === 'go' && l.generatedImages?.has(p.image) ? GENERATED_GO_RUNTIME : p.runtime) } : {}),
    restart: RESTART[p.restart],
    ...(o.runsToCompletion ? { runsToCompletion: true } : {}),
    aliases: o.aliases ?? [o.name],
    labels: sortedLabels({ ...node.labels, ...l.ownership(node.module, rule), 'aninfra.container': o.name, ...task }),
    provenance,
    dependsOn,
    envOrigin: p.envOrigin,
  };
}

function sortedLabels(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
