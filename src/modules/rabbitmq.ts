/**
 * rabbitmq: a RabbitMQ broker with the management plugin, a generated password, a data volume and
 * a rabbitmq-diagnostics check_port_connectivity probe. The node name is pinned so the volume
 * survives recreation.
 * Consumers get PREFIX_URL, PREFIX_HOST, PREFIX_PORT, PREFIX_USER, PREFIX_PASSWORD.
 */
import { concat, outputRef, secretRef, text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor } from './descriptor.js';
import { port, readiness } from './design/design-node.js';
import { storeDesign } from './design/store-design.js';
import { storeResilience } from './contract/l4-inputs.js';

const PORT = 5672;
const MANAGEMENT_PORT = 15672;

export const rabbitmq: ModuleDescriptor = {
  kind: 'rabbitmq',
  summary: 'RabbitMQ message broker (AMQP 0-9-1) with the management UI, a generated password and a persistent volume.',
  category: 'queue',
  versions: { supported: ['3.13', '4.0'], default: '4.0' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    properties: {
      user: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$', default: 'app', description: 'User created at first start (administrator).' },
      vhost: { type: 'string', pattern: '^(/|[A-Za-z0-9_.-]{1,64})$', default: '/', description: "Virtual host created at first start ('/' is the default vhost)." },
      publish: { type: 'integer', minimum: 1, maximum: 65535, description: 'Host port to publish AMQP (5672) on (127.0.0.1 only). Unpublished by default.' },
      publishManagement: { type: 'integer', minimum: 1, maximum: 65535, description: 'Host port to publish the management UI (15672) on (127.0.0.1 only).' },
      ...storeResilience,
    },
  },
  outputs: {
    host: { type: 'string', secret: false, description: 'Host name on the system network.' },
    port: { type: 'integer', secret: false, description: 'AMQP port on the system network.' },
    user: { type: 'string', secret: false, description: 'User name.' },
    password: { type: 'string', secret: true, description: 'Generated password.' },
    url: { type: 'url', secret: true, description: 'amqp:// connection URL including the password and the vhost.' },
  },
  inject: { URL: 'url', HOST: 'host', PORT: 'port', USER: 'user', PASSWORD: 'password' },
  ownedEnv: ['RABBITMQ_DEFAULT_PASS', 'RABBITMQ_DEFAULT_USER', 'RABBITMQ_DEFAULT_VHOST', 'RABBITMQ_NODENAME'],
  capabilities: { provides: ['connection', 'message-queue'], uses: [] },
  ports: [
    { name: 'amqp', port: PORT, protocol: 'tcp' },
    { name: 'management', port: MANAGEMENT_PORT, protocol: 'http' },
  ],
  readiness: { kind: 'exec', description: 'rabbitmq-diagnostics -q check_port_connectivity (every listener accepts connections)' },
  dataPath: '/var/lib/rabbitmq',
  stateful: true,
  realizes: ['store', 'volume', 'image', 'secret'],
  images: { '3.13': 'rabbitmq:3.13-management', '4.0': 'rabbitmq:4.0-management' },
  examples: [
    { title: 'Job queue', name: 'queue', module: { type: 'rabbitmq', version: '4.0' } },
    { title: 'Own vhost, management UI on the host', name: 'events', module: { type: 'rabbitmq', with: { vhost: 'events', publishManagement: 15672 } } },
  ],
  published: (w) => [
    ...(typeof w.publish === 'number' ? [{ path: '/with/publish', port: w.publish }] : []),
    ...(typeof w.publishManagement === 'number' ? [{ path: '/with/publishManagement', port: w.publishManagement }] : []),
  ],
  outputValues(m) {
    const user = String(m.with.user ?? 'app');
    const password = secretRef(m.name, 'password');
    return {
      host: outputRef(m.name, 'host'),
      port: text(String(PORT)),
      user: text(user),
      password,
      url: concat(`amqp://${user}:`, password, '@', outputRef(m.name, 'host'), `:${PORT}/${encodeURIComponent(vhostOf(m.with))}`),
    };
  },
  secrets: () => ({ password: 24 }),
  design(m, ctx) {
    return storeDesign(m, ctx, {
      publicImage: rabbitmq.images[m.version] ?? 'rabbitmq:4.0-management',
      env: {
        RABBITMQ_DEFAULT_USER: text(String(m.with.user ?? 'app')),
        RABBITMQ_DEFAULT_PASS: secretRef(m.name, 'password'),
        RABBITMQ_DEFAULT_VHOST: text(vhostOf(m.with)),
        // Data lives under mnesia/<node name>; the default name embeds the container's random hostname.
        RABBITMQ_NODENAME: text('rabbit@localhost'),
      },
      ports: [
        port('amqp', PORT, 'tcp', m.with.publish),
        port('management', MANAGEMENT_PORT, 'http', m.with.publishManagement),
      ],
      dataPath: rabbitmq.dataPath,
      // Not `ping`: it answers once the Erlang node runs, before the AMQP listener opens (seen ~10 s
      // apart under load), so "healthy" came before clients could connect.
      readiness: readiness({ kind: 'exec', command: ['rabbitmq-diagnostics', '-q', 'check_port_connectivity'] }, { intervalSeconds: 5, timeoutSeconds: 10, startPeriodSeconds: 20 }),
    });
  },
};

function vhostOf(w: Readonly<Record<string, unknown>>): string {
  return typeof w.vhost === 'string' ? w.vhost : '/';
}
