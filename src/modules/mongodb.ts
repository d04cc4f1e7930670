/**
 * mongodb: a MongoDB server with a generated root password, a data volume and an authenticated
 * mongosh ping probe (red during the entrypoint's unauthenticated init phase).
 * Consumers get PREFIX_URL, PREFIX_HOST, PREFIX_PORT, PREFIX_USER, PREFIX_PASSWORD, PREFIX_NAME.
 */
import { concat, outputRef, secretRef, text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor } from './descriptor.js';
import { storeResilience } from './contract/l4-inputs.js';
import { DATABASE_INJECT, databaseOutputs, publishInput, storageInput } from './design/database-contract.js';
import { port, readiness, shellProbe } from './design/design-node.js';
import { storeDesign } from './design/store-design.js';

const PORT = 27017;
const PING =
  'mongosh --quiet --norc --host 127.0.0.1 -u "$MONGO_INITDB_ROOT_USERNAME" -p "$MONGO_INITDB_ROOT_PASSWORD" ' +
  '--authenticationDatabase admin --eval "quit(db.adminCommand({ ping: 1 }).ok ? 0 : 1)"';

export const mongodb: ModuleDescriptor = {
  kind: 'mongodb',
  summary: 'MongoDB document database with a generated password and a persistent volume.',
  category: 'database',
  versions: { supported: ['6', '7', '8'], default: '7' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    properties: {
      database: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,62}$', description: 'Default database of the connection URL (default: the module name with dashes as underscores).' },
      user: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.-]{0,63}$', default: 'app', description: 'Root user created at first start (authenticates against admin).' },
      storage: storageInput,
      publish: publishInput(PORT),
      ...storeResilience,
    },
  },
  outputs: databaseOutputs({ user: 'User name (authSource admin).', password: 'Generated password.', url: 'mongodb:// connection URL including the password and authSource=admin.' }),
  inject: DATABASE_INJECT,
  ownedEnv: ['MONGO_INITDB_DATABASE', 'MONGO_INITDB_ROOT_PASSWORD', 'MONGO_INITDB_ROOT_USERNAME'],
  capabilities: { provides: ['connection', 'document-store'], uses: [] },
  ports: [{ name: 'mongodb', port: PORT, protocol: 'tcp' }],
  readiness: { kind: 'exec', description: 'mongosh ping, authenticated as the root user' },
  dataPath: '/data/db',
  stateful: true,
  realizes: ['store', 'volume', 'image', 'secret'],
  images: { '6': 'mongo:6', '7': 'mongo:7', '8': 'mongo:8' },
  examples: [
    { title: 'Documents store', name: 'docs', module: { type: 'mongodb', version: '7', with: { database: 'docs' } } },
  ],
  published: (w) => (typeof w.publish === 'number' ? [{ path: '/with/publish', port: w.publish }] : []),
  outputValues(m) {
    const user = String(m.with.user ?? 'app');
    const database = databaseName(m.name, m.with.database);
    const password = secretRef(m.name, 'password');
    return {
      host: outputRef(m.name, 'host'),
      port: text(String(PORT)),
      user: text(user),
      password,
      database: text(database),
      url: concat(`mongodb://${user}:`, password, '@', outputRef(m.name, 'host'), `:${PORT}/${database}?authSource=admin`),
    };
  },
  secrets: () => ({ password: 24 }),
  design(m, ctx) {
    const user = String(m.with.user ?? 'app');
    return storeDesign(m, ctx, {
      publicImage: mongodb.images[m.version] ?? 'mongo:7',
      env: {
        MONGO_INITDB_ROOT_USERNAME: text(user),
        MONGO_INITDB_ROOT_PASSWORD: secretRef(m.name, 'password'),
        MONGO_INITDB_DATABASE: text(databaseName(m.name, m.with.database)),
      },
      ports: [port('mongodb', PORT, 'tcp', m.with.publish)],
      dataPath: mongodb.dataPath,
      readiness: readiness(shellProbe(PING), { startPeriodSeconds: 20 }),
    });
  },
};

function databaseName(module: string, input: unknown): string {
  return typeof input === 'string' ? input : module.replace(/-/g, '_');
}
