/**
 * nats: a NATS server with JetStream persisted on a data volume (or core NATS only with
 * `jetstream: false`), and a probe of its /healthz monitoring endpoint.
 * Consumers get PREFIX_URL, PREFIX_HOST, PREFIX_PORT.
 */
import { concat, outputRef, text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor } from './descriptor.js';
import { port, readiness, shellProbe } from './design/design-node.js';
import { storeDesign } from './design/store-design.js';
import { storeResilience } from './contract/l4-inputs.js';

const PORT = 4222;
const MONITOR_PORT = 8222;
/**
 * wget (alpine image), curl, or bash's /dev/tcp (Debian images without either): whichever exists.
 * An unhealthy server answers /healthz with 503, which every branch treats as a failure.
 */
const PROBE =
  `wget -qO- http://127.0.0.1:${MONITOR_PORT}/healthz || curl -fsS http://127.0.0.1:${MONITOR_PORT}/healthz || ` +
  `bash -c 'exec 3<>/dev/tcp/127.0.0.1/${MONITOR_PORT} && printf "GET /healthz HTTP/1.0\\r\\n\\r\\n" >&3 && head -n 1 <&3 | grep -q " 200 "'`;

export const nats: ModuleDescriptor = {
  kind: 'nats',
  summary: 'NATS messaging server with JetStream persistence on a volume.',
  category: 'queue',
  versions: { supported: ['2.10'], default: '2.10' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    properties: {
      jetstream: { type: 'boolean', default: true, description: 'Enable JetStream (persistent streams, key-value) with its store on a volume; false runs core NATS in memory.' },
      publish: { type: 'integer', minimum: 1, maximum: 65535, description: 'Host port to publish the client port (4222) on (127.0.0.1 only). Unpublished by default.' },
      publishMonitoring: { type: 'integer', minimum: 1, maximum: 65535, description: 'Host port to publish the HTTP monitoring port (8222) on (127.0.0.1 only).' },
      ...storeResilience,
    },
  },
  outputs: {
    host: { type: 'string', secret: false, description: 'Host name on the system network.' },
    port: { type: 'integer', secret: false, description: 'Client port on the system network.' },
    url: { type: 'url', secret: false, description: 'nats://<module>:4222' },
  },
  inject: { URL: 'url', HOST: 'host', PORT: 'port' },
  ownedEnv: [],
  capabilities: { provides: ['connection', 'message-queue'], uses: [] },
  ports: [
    { name: 'client', port: PORT, protocol: 'tcp' },
    { name: 'monitoring', port: MONITOR_PORT, protocol: 'http' },
  ],
  readiness: { kind: 'http', description: `GET http://127.0.0.1:${MONITOR_PORT}/healthz answers 200` },
  dataPath: '/data',
  // Stateful by default (JetStream on); `jetstream: false` drops the volume for that instance.
  stateful: true,
  realizes: ['store', 'volume', 'image'],
  images: { '2.10': 'nats:2.10-alpine' },
  examples: [
    { title: 'Event bus with JetStream', name: 'bus', module: { type: 'nats', version: '2.10' } },
    { title: 'Core NATS only', name: 'signals', module: { type: 'nats', with: { jetstream: false } } },
  ],
  published: (w) => [
    ...(typeof w.publish === 'number' ? [{ path: '/with/publish', port: w.publish }] : []),
    ...(typeof w.publishMonitoring === 'number' ? [{ path: '/with/publishMonitoring', port: w.publishMonitoring }] : []),
  ],
  outputValues(m) {
    const host = outputRef(m.name, 'host');
    return { host, port: text(String(PORT)), url: concat('nats://', host, `:${PORT}`) };
  },
  secrets: () => ({}),
  design(m, ctx) {
    const jetstream = m.with.jetstream !== false;
    return storeDesign(m, ctx, {
      publicImage: nats.images[m.version] ?? 'nats:2.10-alpine',
      // Explicit, so Debian-packaged images (no entrypoint) run the same binary as the official one.
      entrypoint: ['nats-server'],
      command: jetstream ? ['-js', '-m', String(MONITOR_PORT), '-sd', '/data'] : ['-m', String(MONITOR_PORT)],
      ports: [
        port('client', PORT, 'tcp', m.with.publish),
        port('monitoring', MONITOR_PORT, 'http', m.with.publishMonitoring),
      ],
      ...(jetstream ? { dataPath: nats.dataPath } : {}),
      readiness: readiness(shellProbe(PROBE)),
    });
  },
};
