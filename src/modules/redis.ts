/**
 * redis: a Redis server requiring a generated password, with append-only persistence on a data
 * volume (or purely in memory with `persistence: false`) and a redis-cli ping probe.
 * Consumers get PREFIX_URL, PREFIX_HOST, PREFIX_PORT, PREFIX_PASSWORD.
 */
import { concat, outputRef, secretRef, text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor } from './descriptor.js';
import { port, readiness, shellProbe } from './design/design-node.js';
import { storeDesign } from './design/store-design.js';
import { storeResilience } from './contract/l4-inputs.js';

const PORT = 6379;
// The password reaches redis-server through the environment, so it never appears in argv or any file.
const PERSISTENT = 'exec redis-server --bind 0.0.0.0 --appendonly yes --dir /data --requirepass "$REDIS_PASSWORD"';
const IN_MEMORY = 'exec redis-server --bind 0.0.0.0 --appendonly no --save \'\' --requirepass "$REDIS_PASSWORD"';

export const redis: ModuleDescriptor = {
  kind: 'redis',
  summary: 'Redis key-value store with a generated password; append-only persistence on a volume by default.',
  category: 'cache',
  versions: { supported: ['6', '7'], default: '7' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    properties: {
      persistence: { type: 'boolean', default: true, description: 'Keep data across restarts (append-only file on a volume); false keeps it in memory only.' },
      publish: { type: 'integer', minimum: 1, maximum: 65535, description: 'Host port to publish 6379 on (127.0.0.1 only). Unpublished by default.' },
      ...storeResilience,
    },
  },
  outputs: {
    host: { type: 'string', secret: false, description: 'Host name on the system network.' },
    port: { type: 'integer', secret: false, description: 'Port on the system network.' },
    password: { type: 'string', secret: true, description: 'Generated password (AUTH).' },
    url: { type: 'url', secret: true, description: 'redis:// connection URL including the password, database 0.' },
  },
  inject: { URL: 'url', HOST: 'host', PORT: 'port', PASSWORD: 'password' },
  ownedEnv: ['REDIS_PASSWORD'],
  capabilities: { provides: ['connection', 'key-value'], uses: [] },
  ports: [{ name: 'redis', port: PORT, protocol: 'tcp' }],
  readiness: { kind: 'exec', description: 'redis-cli ping (authenticated) answers PONG' },
  dataPath: '/data',
  // Stateful by default; `persistence: false` drops the volume for that instance.
  stateful: true,
  realizes: ['store', 'volume', 'image', 'secret'],
  images: { '6': 'redis:6', '7': 'redis:7' },
  examples: [
    { title: 'Session cache', name: 'cache', module: { type: 'redis', version: '7' } },
    { title: 'Throwaway cache, reachable from the host', name: 'scratch', module: { type: 'redis', with: { persistence: false, publish: 6380 } } },
  ],
  published: (w) => (typeof w.publish === 'number' ? [{ path: '/with/publish', port: w.publish }] : []),
  outputValues(m) {
    const password = secretRef(m.name, 'password');
    return {
      host: outputRef(m.name, 'host'),
      port: text(String(PORT)),
      password,
      url: concat('redis://:', password, '@', outputRef(m.name, 'host'), `:${PORT}/0`),
    };
  },
  secrets: () => ({ password: 24 }),
  design(m, ctx) {
    const persistent = m.with.persistence !== false;
    return storeDesign(m, ctx, {
      publicImage: redis.images[m.version] ?? 'redis:7',
      env: { REDIS_PASSWORD: secretRef(m.name, 'password') },
      command: ['sh', '-c', persistent ? PERSISTENT : IN_MEMORY],
      ports: [port('redis', PORT, 'tcp', m.with.publish)],
      ...(persistent ? { dataPath: redis.dataPath } : {}),
      readiness: readiness(shellProbe('redis-cli -a "$REDIS_PASSWORD" --no-auth-warning ping | grep -q PONG')),
    });
  },
};
