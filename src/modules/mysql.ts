/**
 * mysql: a MySQL server with generated user and root passwords, a data volume and a mysqladmin
 * ping probe over TCP (red while the entrypoint's socket-only init server runs).
 * Consumers get PREFIX_URL, PREFIX_HOST, PREFIX_PORT, PREFIX_USER, PREFIX_PASSWORD, PREFIX_NAME.
 */
import { concat, outputRef, secretRef, text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor } from './descriptor.js';
import { storeResilience } from './contract/l4-inputs.js';
import { DATABASE_INJECT, databaseOutputs, publishInput, storageInput } from './design/database-contract.js';
import { port, readiness, shellProbe } from './design/design-node.js';
import { storeDesign } from './design/store-design.js';

const PORT = 3306;

export const mysql: ModuleDescriptor = {
  kind: 'mysql',
  summary: 'MySQL relational database with generated passwords and a persistent volume.',
  category: 'database',
  versions: { supported: ['8.0', '8.4'], default: '8.4' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    properties: {
      database: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$', description: 'Database created at first start (default: the module name with dashes as underscores).' },
      user: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,31}$', default: 'app', description: "User owning the database (not 'root': root has its own generated password)." },
      storage: storageInput,
      publish: publishInput(PORT),
      ...storeResilience,
    },
  },
  outputs: databaseOutputs({ user: 'Database user.', password: 'Generated password of the user.', url: 'mysql:// connection URL including the password.' }),
  inject: DATABASE_INJECT,
  ownedEnv: ['MYSQL_DATABASE', 'MYSQL_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MYSQL_USER'],
  capabilities: { provides: ['connection', 'sql'], uses: [] },
  ports: [{ name: 'mysql', port: PORT, protocol: 'tcp' }],
  readiness: { kind: 'exec', description: 'mysqladmin ping -h 127.0.0.1 as root' },
  dataPath: '/var/lib/mysql',
  stateful: true,
  realizes: ['store', 'volume', 'image', 'secret'],
  images: { '8.0': 'mysql:8.0', '8.4': 'mysql:8.4' },
  examples: [
    { title: 'Orders database', name: 'orders-db', module: { type: 'mysql', version: '8.4', with: { database: 'orders', storage: '5Gi' } } },
  ],
  conflicts: (w) => (w.user === 'root' ? [{ path: '/with/user', problem: "user cannot be 'root': the root account is created separately with its own generated password" }] : []),
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
      url: concat(`mysql://${user}:`, password, '@', outputRef(m.name, 'host'), `:${PORT}/${database}`),
    };
  },
  secrets: () => ({ password: 24, rootPassword: 24 }),
  design(m, ctx) {
    const user = String(m.with.user ?? 'app');
    const database = databaseName(m.name, m.with.database);
    return storeDesign(m, ctx, {
      publicImage: mysql.images[m.version] ?? 'mysql:8.4',
      env: {
        MYSQL_DATABASE: text(database),
        MYSQL_USER: text(user),
        MYSQL_PASSWORD: secretRef(m.name, 'password'),
        MYSQL_ROOT_PASSWORD: secretRef(m.name, 'rootPassword'),
      },
      ports: [port('mysql', PORT, 'tcp', m.with.publish)],
      dataPath: mysql.dataPath,
      // First start initialises the data directory for 10-30 s before the TCP listener opens.
      readiness: readiness(shellProbe('mysqladmin ping -h 127.0.0.1 -uroot -p"$MYSQL_ROOT_PASSWORD" --silent'), { startPeriodSeconds: 30 }),
    });
  },
};

function databaseName(module: string, input: unknown): string {
  return typeof input === 'string' ? input : module.replace(/-/g, '_');
}
