/**
 * Which Compose images aninfra knows as module types, and how each image's own configuration
 * (its env variables, ports, data directories) maps onto that module's inputs.
 */

export type Family = 'postgres' | 'mysql' | 'mariadb' | 'mongo' | 'redis' | 'rabbitmq' | 'nats' | 'minio' | 'nginx';

export interface ImageRef {
  readonly family: Family;
  /** The tag ('' when none). */
  readonly tag: string;
}

/** Repository paths (registry and `library/` removed) → family. */
const repositories: Readonly<Record<string, Family>> = {
  postgres: 'postgres',
  'bitnami/postgresql': 'postgres',
  mysql: 'mysql',
  'mysql/mysql-server': 'mysql',
  'bitnami/mysql': 'mysql',
  mariadb: 'mariadb',
  'bitnami/mariadb': 'mariadb',
  mongo: 'mongo',
  'bitnami/mongodb': 'mongo',
  'mongodb/mongodb-community-server': 'mongo',
  redis: 'redis',
  'bitnami/redis': 'redis',
  rabbitmq: 'rabbitmq',
  'bitnami/rabbitmq': 'rabbitmq',
  nats: 'nats',
  'bitnami/nats': 'nats',
  'minio/minio': 'minio',
  'bitnami/minio': 'minio',
  nginx: 'nginx',
  'nginxinc/nginx-unprivileged': 'nginx',
  'bitnami/nginx': 'nginx',
};

export function classifyImage(image: string): ImageRef | undefined {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const tag = colon > slash ? noDigest.slice(colon + 1) : '';
  let repo = colon > slash ? noDigest.slice(0, colon) : noDigest;
  const parts = repo.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0] as string)) parts.shift();
  if (parts[0] === 'library') parts.shift();
  repo = parts.join('/').toLowerCase();
  const family = repositories[repo];
  return family ? { family, tag } : undefined;
}

export interface VersionChoice {
  readonly version?: string;
  /** False when the image's version is not supported and another was chosen. */
  readonly exact: boolean;
}

/** The supported version an image tag names: '16-alpine' → '16', '8' → the highest '8.x'. */
export function chooseVersion(tag: string, supported: readonly string[], fallback: string): VersionChoice {
  const release = /^RELEASE\.(\d{4})-/.exec(tag);
  const plain = release ? (release[1] as string) : (tag.split('-')[0] ?? '');
  if (plain === '' || !/^\d/.test(plain)) return { exact: true };
  const matches = supported.filter((v) => plain === v || plain.startsWith(v + '.') || v.startsWith(plain + '.'));
  const best = [...matches].sort(compareVersions).pop();
  return best !== undefined ? { version: best, exact: true } : { version: fallback, exact: false };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** How a known image's configuration maps onto its module type. */
export interface ImageProfile {
  readonly type: string;
  /** Container port → the `with:` input publishing it on the host. */
  readonly publish: Readonly<Record<number, string>>;
  /** Image env variable → `with:` input taking its value. */
  readonly inputs: Readonly<Record<string, string>>;
  /** Image env variables holding a credential aninfra now generates → the output consumers get it from. */
  readonly credentials: Readonly<Record<string, string>>;
  /** Prefixes of the image's own env variables: those not mapped are dropped (they would fight the module). */
  readonly ownPrefixes: readonly string[];
  /** Container directories holding data; a volume mounted there is replaced by the module's own. */
  readonly dataDirs: readonly string[];
  /** Whether the module always requires authentication (programs must use the generated credentials). */
  readonly authenticated: boolean;
}

const profiles: Readonly<Record<Exclude<Family, 'nginx'>, ImageProfile>> = {
  postgres: {
    type: 'postgres',
    publish: { 5432: 'publish' },
    inputs: { POSTGRES_USER: 'user', POSTGRES_DB: 'database', POSTGRESQL_USERNAME: 'user', POSTGRESQL_DATABASE: 'database' },
    credentials: { POSTGRES_PASSWORD: 'password', POSTGRESQL_PASSWORD: 'password' },
    ownPrefixes: ['POSTGRES_', 'POSTGRESQL_', 'PGDATA'],
    dataDirs: ['/var/lib/postgresql/data', '/var/lib/postgresql', '/bitnami/postgresql'],
    authenticated: true,
  },
  mysql: {
    type: 'mysql',
    publish: { 3306: 'publish' },
    inputs: { MYSQL_DATABASE: 'database', MYSQL_USER: 'user' },
    credentials: { MYSQL_PASSWORD: 'password' },
    ownPrefixes: ['MYSQL_'],
    dataDirs: ['/var/lib/mysql', '/bitnami/mysql'],
    authenticated: true,
  },
  mariadb: {
    type: 'mysql',
    publish: { 3306: 'publish' },
    inputs: { MYSQL_DATABASE: 'database', MYSQL_USER: 'user', MARIADB_DATABASE: 'database', MARIADB_USER: 'user' },
    credentials: { MYSQL_PASSWORD: 'password', MARIADB_PASSWORD: 'password' },
    ownPrefixes: ['MYSQL_', 'MARIADB_'],
    dataDirs: ['/var/lib/mysql', '/bitnami/mariadb'],
    authenticated: true,
  },
  mongo: {
    type: 'mongodb',
    publish: { 27017: 'publish' },
    inputs: { MONGO_INITDB_ROOT_USERNAME: 'user', MONGO_INITDB_DATABASE: 'database' },
    credentials: { MONGO_INITDB_ROOT_PASSWORD: 'password' },
    ownPrefixes: ['MONGO_INITDB_', 'MONGODB_'],
    dataDirs: ['/data/db', '/data/configdb', '/bitnami/mongodb'],
    authenticated: true,
  },
  redis: {
    type: 'redis',
    publish: { 6379: 'publish' },
    inputs: {},
    credentials: { REDIS_PASSWORD: 'password' },
    ownPrefixes: ['REDIS_', 'ALLOW_EMPTY_PASSWORD'],
    dataDirs: ['/data', '/bitnami/redis/data'],
    authenticated: true,
  },
  rabbitmq: {
    type: 'rabbitmq',
    publish: { 5672: 'publish', 15672: 'publishManagement' },
    inputs: { RABBITMQ_DEFAULT_USER: 'user', RABBITMQ_DEFAULT_VHOST: 'vhost' },
    credentials: { RABBITMQ_DEFAULT_PASS: 'password' },
    ownPrefixes: ['RABBITMQ_'],
    dataDirs: ['/var/lib/rabbitmq', '/bitnami/rabbitmq/mnesia'],
    authenticated: true,
  },
  nats: {
    type: 'nats',
    publish: { 4222: 'publish', 8222: 'publishMonitoring' },
    inputs: {},
    credentials: {},
    ownPrefixes: [],
    dataDirs: ['/data', '/tmp/nats', '/nats/data'],
    authenticated: false,
  },
  minio: {
    type: 'object-store',
    publish: { 9000: 'publish', 9001: 'publishConsole' },
    inputs: { MINIO_ROOT_USER: 'user', MINIO_ACCESS_KEY: 'user' },
    credentials: { MINIO_ROOT_PASSWORD: 'secretKey', MINIO_SECRET_KEY: 'secretKey' },
    ownPrefixes: ['MINIO_'],
    dataDirs: ['/data', '/export', '/bitnami/minio/data'],
    authenticated: true,
  },
};

export function profileOf(family: Exclude<Family, 'nginx'>): ImageProfile {
  return profiles[family];
}

/** Where nginx serves static files from in the official image. */
export const NGINX_HTML_DIRS = ['/usr/share/nginx/html', '/app', '/opt/bitnami/nginx/html'];
