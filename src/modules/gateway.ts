/**
 * gateway: the system's entry point, published on <port>, routing path prefixes to HTTP modules
 * (optionally stripping the prefix, optionally passing WebSocket upgrades): a gateway node with
 * its routes (module and port); the proxy's configuration is the target's (nginx on the docker
 * family). Every route is an edge to its target, which must provide http.
 * Consumers get PREFIX_URL (http://<module>:8080 inside the network), PREFIX_HOST, PREFIX_PORT.
 */
import type { GatewayNode } from '../compiler/lower/ir.js';
import { concat, literalOf, outputRef, text } from '../compiler/resolve/value.js';
import type { Capability, ModuleDescriptor, ModuleInstance } from './descriptor.js';
import { autoscaleOf, moduleBase, processOf, readiness, replicasOf } from './design/design-node.js';
import { NGINX_HEALTH_PATH, normalizeRoutePath, ROUTE_PATH_PATTERN } from './design/nginx-config.js';
import { workloadScaling } from './contract/l4-inputs.js';

const LISTEN = 8080;
const DEFAULT_HOST_PORT = 8080;
const MODULE_NAME_PATTERN = '^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$';

interface Route {
  readonly path: string;
  readonly to: string;
  readonly websocket: boolean;
  readonly stripPrefix: boolean;
}

export const gateway: ModuleDescriptor = {
  kind: 'gateway',
  summary: 'Reverse proxy (nginx) published on the host that routes URL path prefixes to HTTP and WebSocket modules.',
  category: 'network',
  versions: { supported: ['1.27'], default: '1.27' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    required: ['routes'],
    properties: {
      port: { type: 'integer', minimum: 1, maximum: 65535, default: DEFAULT_HOST_PORT, description: 'Host port the gateway is published on (127.0.0.1 only): the entry point of the system.' },
      routes: {
        type: 'array',
        minItems: 1,
        maxItems: 200,
        description: 'Path prefixes and the module each routes to; the longest matching prefix wins.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['path', 'to'],
          properties: {
            path: { type: 'string', pattern: ROUTE_PATH_PATTERN, maxLength: 256, description: "URL path prefix, e.g. '/api' (letters, digits, . _ ~ - and /)." },
            to: { type: 'string', pattern: MODULE_NAME_PATTERN, description: 'Name of the module that serves this path (must provide http).' },
            websocket: { type: 'boolean', default: false, description: 'Pass WebSocket upgrades through (the target must provide websocket).' },
            stripPrefix: { type: 'boolean', default: false, description: "Remove the prefix before forwarding: '/api/users' reaches the target as '/users'." },
          },
        },
      },
      ...workloadScaling,
    },
  },
  outputs: {
    url: { type: 'url', secret: false, description: 'http://127.0.0.1:<port>, the entry point from the host.' },
    internalUrl: { type: 'url', secret: false, description: 'http://<module>:8080, the gateway from inside the system network.' },
    host: { type: 'string', secret: false, description: 'Host name on the system network.' },
    port: { type: 'integer', secret: false, description: 'Port on the system network (8080).' },
  },
  inject: { URL: 'internalUrl', HOST: 'host', PORT: 'port' },
  ownedEnv: [],
  capabilities: { provides: ['http', 'connection'], uses: ['http'] },
  ports: [{ name: 'http', port: LISTEN, protocol: 'http' }],
  readiness: { kind: 'http', description: `GET http://127.0.0.1:${LISTEN}${NGINX_HEALTH_PATH} answers 200` },
  stateful: false,
  realizes: ['gateway', 'image'],
  images: { '1.27': 'nginx:1.27' },
  examples: [
    {
      title: 'API and WebSocket behind one entry point',
      name: 'edge',
      module: { type: 'gateway', with: { port: 8443, routes: [{ path: '/api', to: 'api', stripPrefix: true }, { path: '/ws', to: 'realtime', websocket: true }, { path: '/', to: 'web' }] } },
    },
  ],
  edges: (m) =>
    routesOf(m.with).map((r, i) => ({
      target: r.to,
      path: `/with/routes/${i}/to`,
      via: 'routes to',
      needs: needsOf(r),
    })),
  conflicts(w) {
    const out: { path: string; problem: string }[] = [];
    const first = new Map<string, number>();
    routesOf(w).forEach((r, i) => {
      const path = normalizeRoutePath(r.path);
      if (path === NGINX_HEALTH_PATH || path.startsWith('/.aninfra/') || path === '/.aninfra') {
        out.push({ path: `/with/routes/${i}/path`, problem: `route path '${r.path}' is reserved for aninfra's health check` });
        return;
      }
      const earlier = first.get(path);
      if (earlier !== undefined) out.push({ path: `/with/routes/${i}/path`, problem: `route path '${r.path}' is also used by routes[${earlier}]` });
      else first.set(path, i);
    });
    return out;
  },
  published: (w) => [{ path: '/with/port', port: hostPort(w) }],
  outputValues(m) {
    const host = outputRef(m.name, 'host');
    return {
      url: text(`http://127.0.0.1:${hostPort(m.with)}`),
      internalUrl: concat('http://', host, `:${LISTEN}`),
      host,
      port: text(String(LISTEN)),
    };
  },
  secrets: () => ({}),
  design(m, ctx) {
    const image = ctx.image(gateway.images[m.version] ?? 'nginx:1.27');
    const autoscale = autoscaleOf(m.with);
    const node: GatewayNode = {
      ...moduleBase(m, ctx, 'gateway', [image.id]),
      process: processOf(m, { image, readiness: readiness({ kind: 'http', path: NGINX_HEALTH_PATH, port: LISTEN }), runtime: 'nginx' }),
      listen: LISTEN,
      publish: hostPort(m.with),
      routes: routesOf(m.with).map((r) => ({ path: normalizeRoutePath(r.path), to: r.to, port: routePort(m, r.to), websocket: r.websocket, stripPrefix: r.stripPrefix })),
      replicas: replicasOf(m.with),
      ...(autoscale ? { autoscale } : {}),
    };
    return [image, node];
  },
};

function needsOf(r: Route): Capability[] {
  return r.websocket ? ['http', 'websocket'] : ['http'];
}

function hostPort(w: Readonly<Record<string, unknown>>): number {
  return typeof w.port === 'number' ? w.port : DEFAULT_HOST_PORT;
}

function routesOf(w: Readonly<Record<string, unknown>>): Route[] {
  const routes = Array.isArray(w.routes) ? (w.routes as Record<string, unknown>[]) : [];
  return routes.map((r) => ({ path: String(r.path), to: String(r.to), websocket: r.websocket === true, stripPrefix: r.stripPrefix === true }));
}

/** The port a route target listens on: its `port` output, plain text for every http module. */
function routePort(m: ModuleInstance, to: string): number {
  const dep = m.deps[to];
  const port = dep?.outputs.port ? Number(literalOf(dep.outputs.port)) : NaN;
  // Resolve guarantees every route target is a dependency providing http; anything else is a bug upstream.
  if (!Number.isInteger(port)) throw new Error(`internal: gateway ${m.name} routes to ${to}, which has no plain port output`);
  return port;
}
