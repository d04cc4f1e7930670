/**
 * postgres: a PostgreSQL server with a generated password, a data volume and a pg_isready probe.
 * Consumers get PREFIX_URL, PREFIX_HOST, PREFIX_PORT, PREFIX_USER, PREFIX_PASSWORD, PREFIX_NAME.
 */
import { concat, outputRef, secretRef, text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor } from './descriptor.js';
import { storeResilience } from './contract/l4-inputs.js';
import { DATABASE_INJECT, databaseOutputs, publishInput, storageInput } from './design/database-contract.js';
import { port, readiness } from './design/design-node.js';
import { storeDesign } from './design/store-design.js';

const PORT = 5432;

export const postgres: ModuleDescriptor = {
  kind: 'postgres',
  summary: 'PostgreSQL relational database with a generated password and a persistent volume.',
  category: 'database',
  versions: { supported: ['14', '15', '16', '17'], default: '16' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    properties: {
      database: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$', description: 'Database created at first start (default: the module name with dashes as underscores).' },
      user: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$', default: 'app', description: 'Owner role of the database.' },
      storage: storageInput,
      publish: publishInput(PORT),
      ...storeResilience,
    },
  },
  outputs: databaseOutputs({ user: 'Database user.', password: 'Generated password.', url: 'postgres:// connection URL including the password.' }),
  inject: DATABASE_INJECT,
  ownedEnv: ['PGDATA', 'POSTGRES_DB', 'POSTGRES_PASSWORD', 'POSTGRES_USER'],
  capabilities: { provides: ['connection', 'sql'], uses: [] },
  ports: [{ name: 'postgres', port: PORT, protocol: 'tcp' }],
  readiness: { kind: 'exec', description: 'pg_isready -U <user> -d <database>' },
  dataPath: '/var/lib/postgresql/data',
  stateful: true,
  realizes: ['store', 'volume', 'image', 'secret'],
  images: { '14': 'postgres:14', '15': 'postgres:15', '16': 'postgres:16', '17': 'postgres:17' },
  examples: [
    { title: 'Accounts database', name: 'accounts-db', module: { type: 'postgres', version: '16', with: { database: 'accounts', storage: '10Gi' } } },
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
      url: concat(`postgres://${user}:`, password, '@', outputRef(m.name, 'host'), `:${PORT}/${database}`),
    };
  },
  secrets: () => ({ password: 24 }),
  design(m, ctx) {
    const user = String(m.with.user ?? 'app');
    const database = databaseName(m.name, m.with.database);
    return storeDesign(m, ctx, {
      publicImage: postgres.images[m.version] ?? 'postgres:16',
      env: { POSTGRES_USER: text(user), POSTGRES_PASSWORD: secretRef(m.name, 'password'), POSTGRES_DB: text(database), PGDATA: text('/var/lib/postgresql/data/pgdata') },
      ports: [port('postgres', PORT, 'tcp', m.with.publish)],
      dataPath: postgres.dataPath,
      readiness: readiness({ kind: 'exec', command: ['pg_isready', '-U', user, '-d', database, '-h', '127.0.0.1'] }),
    });
  },
};

function databaseName(module: string, input: unknown): string {
  return typeof input === 'string' ? input : module.replace(/-/g, '_');
}
