/**
 * service: a long-running program serving HTTP or WebSocket on one port, built from a directory
 * (node, python, go) or run from a prebuilt image, with a health probe and optional replicas behind
 * a synthesized nginx load balancer that keeps the name `<module>:<port>`.
 * Consumers get PREFIX_URL (http://<module>:<port>), PREFIX_HOST, PREFIX_PORT.
 */
import type { HealthCheck, IrNode } from '../compiler/lower/ir.js';
import { text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor, ModuleInstance } from './descriptor.js';
import { loadBalancer, LB_PUBLIC_IMAGE } from './lowering/load-balancer.js';
import { ROUTE_PATH_PATTERN } from './lowering/nginx-config.js';
import { commandInput, programConflicts, programContainers, programHostPaths, programImage, programProperties, replicaCount } from './lowering/program.js';
import { workloadScaling } from './contract/l4-inputs.js';
import { healthcheck } from './lowering/single-container.js';

const DEFAULT_PORT = 8080;
const DEFAULT_HEALTH_PATH = '/health';

/** Node: exit 0 when the URL (argv[1]) answers below 500, 1 on error or timeout. The URL is never spliced in. */
const NODE_PROBE =
  "const u=process.argv[1];const r=require(u.startsWith('https:')?'https':'http').get(u,(s)=>{s.resume();process.exit(s.statusCode<500?0:1)});" +
  'r.on(\'error\',()=>process.exit(1));r.setTimeout(4000,()=>process.exit(1));';
/** Python: the same with urllib; an HTTP error below 500 still counts as alive. */
const PYTHON_PROBE = [
  'import sys, urllib.request, urllib.error',
  'try:',
  '    urllib.request.urlopen(sys.argv[1], timeout=4)',
  'except urllib.error.HTTPError as e:',
  '    sys.exit(0 if e.code < 500 else 1)',
  'except Exception:',
  '    sys.exit(1)',
].join('\n');

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
  targets: ['compose', 'docker'],
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
    return {
      host: text(m.name),
      port: text(String(port)),
      url: text(`http://${m.name}:${port}`),
      wsUrl: text(`ws://${m.name}:${port}`),
    };
  },
  secrets: () => ({}),
  lower(m, ctx) {
    const port = portOf(m);
    const replicas = replicaCount(m);
    const publish = typeof m.with.publish === 'number' ? m.with.publish : undefined;
    const image = programImage(m, ctx);
    const command = commandInput(m);
    const probe = serviceHealthcheck(m, port);
    const containers = programContainers(m, ctx, {
      image,
      replicas,
      ...(command ? { command } : {}),
      env: { PORT: text(String(port)) },
      port: { name: 'http', container: port, ...(publish !== undefined ? { host: publish } : {}) },
      ...(probe ? { healthcheck: probe } : {}),
    });
    const nodes: IrNode[] = [image, ...containers];
    if (replicas > 1) {
      nodes.push(...loadBalancer(m, ctx, { port, websocket: m.with.protocol === 'websocket', replicas: containers, ...(publish !== undefined ? { publish } : {}) }));
    }
    return nodes;
  },
};

function portOf(m: ModuleInstance): number {
  return typeof m.with.port === 'number' ? m.with.port : DEFAULT_PORT;
}

/** The probe for the service's runtime, exec form; none when health is 'none' or false. */
function serviceHealthcheck(m: ModuleInstance, port: number): HealthCheck | undefined {
  const health = m.with.health;
  if (health === 'none' || health === false) return undefined;
  const spec = typeof health === 'object' && health !== null ? (health as { path?: unknown; command?: unknown }) : {};
  if (Array.isArray(spec.command)) return healthcheck(['CMD', ...spec.command.map(String)], { startPeriodSeconds: 5 });
  const path = typeof spec.path === 'string' ? spec.path : DEFAULT_HEALTH_PATH;
  // Port is an integer and path matches ROUTE_PATH_PATTERN (no shell characters), so the URL is safe text.
  const url = `http://127.0.0.1:${port}${path}`;
  switch (m.with.runtime) {
    case 'node':
      return healthcheck(['CMD', 'node', '-e', NODE_PROBE, url], { startPeriodSeconds: 5 });
    case 'python':
      return healthcheck(['CMD', 'python3', '-c', PYTHON_PROBE, url], { startPeriodSeconds: 5 });
    default:
      return healthcheck(['CMD-SHELL', `curl -fsS ${url} >/dev/null || wget -qO- ${url} >/dev/null`], { startPeriodSeconds: 5 });
  }
}
