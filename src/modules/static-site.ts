/**
 * static-site: nginx serving a directory of files (relative to the spec, mounted read-only) on
 * port 8080, with an optional single-page-app fallback and an optional host port.
 * Consumers get PREFIX_URL (http://<module>:8080), PREFIX_HOST, PREFIX_PORT.
 */
import type { WorkloadNode } from '../compiler/lower/ir.js';
import { concat, outputRef, text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor } from './descriptor.js';
import { moduleBase, port, processOf, readiness } from './design/design-node.js';
import { NGINX_COMMAND, NGINX_HEALTH_PATH, NGINX_STATIC_ROOT, nginxFiles } from './design/nginx-config.js';

const LISTEN = 8080;

export const staticSite: ModuleDescriptor = {
  kind: 'static-site',
  summary: 'Static files (HTML, JS, assets) from a directory, served by nginx.',
  category: 'compute',
  versions: { supported: ['1.27'], default: '1.27' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    required: ['root'],
    properties: {
      root: { type: 'string', minLength: 1, maxLength: 1024, description: 'Directory to serve, relative to the spec file (mounted read-only).' },
      spa: { type: 'boolean', default: false, description: 'Single-page app: unknown paths serve /index.html instead of 404.' },
      publish: { type: 'integer', minimum: 1, maximum: 65535, description: 'Host port to publish 8080 on (127.0.0.1 only). Unpublished by default.' },
    },
  },
  outputs: {
    host: { type: 'string', secret: false, description: 'Host name on the system network.' },
    port: { type: 'integer', secret: false, description: 'Port on the system network (8080).' },
    url: { type: 'url', secret: false, description: 'http://<module>:8080' },
  },
  inject: { URL: 'url', HOST: 'host', PORT: 'port' },
  ownedEnv: [],
  capabilities: { provides: ['http', 'connection'], uses: [] },
  ports: [{ name: 'http', port: LISTEN, protocol: 'http' }],
  readiness: { kind: 'http', description: `GET http://127.0.0.1:${LISTEN}${NGINX_HEALTH_PATH} answers 200` },
  stateful: false,
  realizes: ['workload', 'image', 'host-directory'],
  images: { '1.27': 'nginx:1.27' },
  examples: [
    { title: 'Documentation site', name: 'docs-site', module: { type: 'static-site', with: { root: './site/public' } } },
    { title: 'Single-page app on the host', name: 'web', module: { type: 'static-site', with: { root: './web/dist', spa: true, publish: 8088 } } },
  ],
  published: (w) => (typeof w.publish === 'number' ? [{ path: '/with/publish', port: w.publish }] : []),
  hostPaths: (w) => (typeof w.root === 'string' ? [{ path: '/with/root', directory: w.root, what: 'site root' }] : []),
  outputValues(m) {
    const host = outputRef(m.name, 'host');
    return { host, port: text(String(LISTEN)), url: concat('http://', host, `:${LISTEN}`) };
  },
  secrets: () => ({}),
  design(m, ctx) {
    const image = ctx.image(staticSite.images[m.version] ?? 'nginx:1.27');
    const workload: WorkloadNode = {
      ...moduleBase(m, ctx, 'workload', [image.id]),
      process: processOf(m, {
        image,
        command: NGINX_COMMAND,
        mounts: [{ kind: 'bind', source: String(m.with.root), target: NGINX_STATIC_ROOT, readOnly: true }],
        files: nginxFiles({ listen: LISTEN, upstreams: [], routes: [], staticFiles: { spa: m.with.spa === true } }),
        readiness: readiness({ kind: 'http', path: NGINX_HEALTH_PATH, port: LISTEN }),
        runtime: 'nginx',
      }),
      ports: [port('http', LISTEN, 'http', m.with.publish)],
      replicas: 1,
    };
    return [image, workload];
  },
};
