/**
 * service: a long-running program serving HTTP or WebSocket on one port, built from a directory
 * (node, python, go) or run from a prebuilt image: a workload with an HTTP (or exec) readiness
 * probe, a replica count (or autoscale) and resources. Consumers reach it as `<module>:<port>`
 * however many replicas run (the docker family puts an nginx load balancer in front of them).
 * Consumers get PREFIX_URL (http://<module>:<port>), PREFIX_HOST, PREFIX_PORT.
 */
import type { Readiness, WorkloadNode } from '../compiler/lower/ir.js';
import { concat, outputRef, text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor, ModuleInstance } from './descriptor.js';
import { autoscaleOf, moduleBase, port as portDecl, processOf, readiness, replicasOf } from './design/design-node.js';
import { ROUTE_PATH_PATTERN } from './design/nginx-config.js';
import { commandInput, programConflicts, programHostPaths, programImage, programProperties, replicasProperty, runtimeOf } from './design/program.js';
import { workloadScaling } from './contract/l4-inputs.js';

const DEFAULT_PORT = 8080;
const DEFAULT_HEALTH_PATH = '/health';
/** The public image of the load balancer the docker family puts in front of replicas. */
const LB_PUBLIC_IMAGE = 'nginx:1.27';

export const service: ModuleDescriptor = {
  kind: 'service',
  summary: 'A long-running HTTP or WebSocket program, built from source or run from an image, with health checks and optional load-balanced replicas.',
  category: 'compute',
  versions: { supported: ['1'], default: '1' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    required: ['runtime'],
    properties: {
      ...programProperties('Command (argv, exec form) replacing the image default.'),
      port: { type: 'integer', minimum: 1, maximum: 65535, default: DEFAULT_PORT, description: 'Port the program listens on inside the network (also set as PORT).' },
      protocol: { type: 'string', enum: ['http', 'websocket'], default: 'http', description: 'What the port speaks; websocket makes gateways and the load balancer pass upgrades.' },
      ...workloadScaling,
      health: {
        description: "Health probe: { path } (HTTP GET, default /health, any status below 500 is healthy), { command } (exec argv), or 'none'.",
        default: { path: DEFAULT_HEALTH_PATH },
        anyOf: [
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              path: { type: 'string', pattern: ROUTE_PATH_PATTERN, maxLength: 256, description: 'HTTP path probed on 127.0.0.1:<port> (default /health).' },
              command: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Exec-form probe run inside the container; exit 0 means healthy.' },
            },
          },
          { type: 'string', enum: ['none'], description: 'No health probe: running counts as ready.' },
          { type: 'boolean', enum: [false], description: 'Same as none.' },
        ],
      },
      publish: { type: 'integer', minimum: 1, maximum: 65535, description: 'Host port to publish the service port on (127.0.0.1 only). Unpublished by default.' },
    },
  },
  outputs: {
    host: { type: 'string', secret: false, description: 'Host name on the system network (the load balancer when replicated).' },
    port: { type: 'integer', secret: false, description: 'Port on the system network.' },
    url: { type: 'url', secret: false, description: 'http://<module>:<port>' },
    wsUrl: { type: 'url', secret: false, description: 'ws://<module>:<port> (meaningful when protocol is websocket).' },
  },
  inject: { URL: 'url', HOST: 'host', PORT: 'port' },
  ownedEnv: ['PORT'],
  capabilities: { provides: ['connection', 'http', 'websocket'], uses: ['connection'] },
  ports: [{ name: 'http', port: DEFAULT_PORT, protocol: 'http', input: 'port' }],
  readiness: { kind: 'http', description: 'GET http://127.0.0.1:<port><health.path> answers below 500, or health.command exits 0' },
  stateful: false,
  realizes: ['workload', 'image'],
  // The program's own image is built or given; the one public image a service may pull is its load balancer's.
  images: { '1': LB_PUBLIC_IMAGE },
  examples: [
    { title: 'Node API with two replicas', name: 'api', module: { type: 'service', with: { runtime: 'node', build: './services/api', port: 8080, replicas: 2 } } },
    { title: 'WebSocket server in Go', name: 'realtime', module: { type: 'service', with: { runtime: 'go', build: './services/ws', port: 9000, protocol: 'websocket', health: { path: '/healthz' } } } },
    { title: 'Prebuilt image', name: 'whoami', module: { type: 'service', with: { runtime: 'image', image: 'traefik/whoami:v1.10', port: 80, publish: 8081 } } },
  ],
  conflicts(w) {
    const out = programConflicts(w);
    const health = w.health;
    if (typeof health === 'object' && health !== null && 'path' in health && 'command' in health) {
      out.push({ path: '/with/health', problem: "health takes 'path' or 'command', not both" });
    }
    return out;
  },
  published: (w) => (typeof w.publish === 'number' ? [{ path: '/with/publish', port: w.publish }] : []),
  hostPaths: programHostPaths,
  outputValues(m) {
    const port = portOf(m);
    const host = outputRef(m.name, 'host');
    return {
      host,
      port: text(String(port)),
      url: concat('http://', host, `:${port}`),
      wsUrl: concat('ws://', host, `:${port}`),
    };
  },
  secrets: () => ({}),
  design(m, ctx) {
    const port = portOf(m);
    const image = programImage(m, ctx);
    const command = commandInput(m);
    const probe = serviceReadiness(m, port);
    const runtime = runtimeOf(m);
    const autoscale = autoscaleOf(m.with);
    const workload: WorkloadNode = {
      ...moduleBase(m, ctx, 'workload', [image.id]),
      process: processOf(m, { image, ...(command ? { command } : {}), env: { PORT: text(String(port)) }, ...(probe ? { readiness: probe } : {}), ...(runtime ? { runtime } : {}) }),
      ports: [portDecl('http', port, m.with.protocol === 'websocket' ? 'websocket' : 'http', m.with.publish)],
      replicas: replicasOf(m.with),
      ...(autoscale ? { autoscale } : {}),
    };
    return [image, workload];
  },
};

function portOf(m: ModuleInstance): number {
  return typeof m.with.port === 'number' ? m.with.port : DEFAULT_PORT;
}

/** HTTP GET of health.path (default /health) on the service's port, or health.command; none when health is 'none' or false. */
function serviceReadiness(m: ModuleInstance, port: number): Readiness | undefined {
  const health = m.with.health;
  if (health === 'none' || health === false) return undefined;
  const spec = typeof health === 'object' && health !== null ? (health as { path?: unknown; command?: unknown }) : {};
  if (Array.isArray(spec.command)) return readiness({ kind: 'exec', command: spec.command.map(String) }, { startPeriodSeconds: 5 });
  const path = typeof spec.path === 'string' ? spec.path : DEFAULT_HEALTH_PATH;
  return readiness({ kind: 'http', path, port }, { startPeriodSeconds: 5 });
}
