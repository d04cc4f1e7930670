/**
 * object-store: S3-compatible object storage (MinIO) with a generated root secret, a data volume,
 * the console on 9001, and the listed buckets created at start (healthy only once they exist).
 * Consumers get PREFIX_ENDPOINT, PREFIX_ACCESS_KEY, PREFIX_SECRET_KEY, PREFIX_REGION.
 */
import { concat, outputRef, secretRef, text } from '../compiler/resolve/value.js';
import type { ModuleDescriptor } from './descriptor.js';
import { port, readiness, shellProbe } from './design/design-node.js';
import { storeDesign } from './design/store-design.js';
import { storeResilience } from './contract/l4-inputs.js';

const API_PORT = 9000;
const CONSOLE_PORT = 9001;
const READY_MARKER = '/tmp/.aninfra-buckets-ready';
/**
 * With buckets: run the server in the background, create each bucket ("$@", never spliced into the
 * script) once it answers, then mark readiness and wait. TERM is forwarded so `docker stop` is clean.
 */
const WITH_BUCKETS = [
  `rm -f ${READY_MARKER}`,
  `minio server /data --console-address :${CONSOLE_PORT} & pid=$!`,
  `trap 'kill -TERM "$pid" 2>/dev/null' TERM INT`,
  'until mc ready local >/dev/null 2>&1; do kill -0 "$pid" 2>/dev/null || exit 1; sleep 1; done',
  `mc alias set aninfra http://127.0.0.1:${API_PORT} "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null`,
  'for b in "$@"; do mc mb --ignore-existing "aninfra/$b" >/dev/null || { kill -TERM "$pid"; wait "$pid"; exit 1; }; done',
  `touch ${READY_MARKER}`,
  'wait "$pid"; status=$?; wait "$pid" 2>/dev/null; exit "$status"',
].join('\n');

export const objectStore: ModuleDescriptor = {
  kind: 'object-store',
  summary: 'S3-compatible object storage (MinIO) with a generated secret key, buckets created at start, and a persistent volume.',
  category: 'storage',
  versions: { supported: ['2025'], default: '2025' },
  inputs: {
    type: 'object',
    additionalProperties: false,
    properties: {
      user: { type: 'string', pattern: '^[A-Za-z0-9_-]{3,64}$', default: 'aninfra', description: 'Root user (MINIO_ROOT_USER), which is the access key consumers get.' },
      buckets: {
        type: 'array',
        uniqueItems: true,
        maxItems: 100,
        default: [],
        description: 'Buckets created at start if missing (S3 names: 3-63 lowercase letters, digits, dots, hyphens).',
        items: { type: 'string', pattern: '^(?!xn--)(?!.*\\.\\.)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
      },
      region: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,31}$', default: 'us-east-1', description: 'Region the server reports (MINIO_SITE_REGION) and consumers sign requests for.' },
      storage: { type: 'string', pattern: '^[0-9]+(Mi|Gi|Ti)$', default: '10Gi', description: 'Requested volume size (advisory on Docker).' },
      ...storeResilience,
      publish: { type: 'integer', minimum: 1, maximum: 65535, description: 'Host port to publish the S3 API (9000) on (127.0.0.1 only). Unpublished by default.' },
      publishConsole: { type: 'integer', minimum: 1, maximum: 65535, description: 'Host port to publish the web console (9001) on (127.0.0.1 only).' },
    },
  },
  outputs: {
    endpoint: { type: 'url', secret: false, description: 'http://<module>:9000, the S3 API endpoint (path-style addressing).' },
    accessKey: { type: 'string', secret: false, description: 'Access key id (the root user).' },
    secretKey: { type: 'string', secret: true, description: 'Generated secret access key (the root password).' },
    region: { type: 'string', secret: false, description: 'Region to sign requests for.' },
  },
  inject: { ENDPOINT: 'endpoint', ACCESS_KEY: 'accessKey', SECRET_KEY: 'secretKey', REGION: 'region' },
  ownedEnv: ['MINIO_ROOT_PASSWORD', 'MINIO_ROOT_USER', 'MINIO_SITE_REGION'],
  capabilities: { provides: ['connection', 'object-storage'], uses: [] },
  ports: [
    { name: 'api', port: API_PORT, protocol: 'http' },
    { name: 'console', port: CONSOLE_PORT, protocol: 'http' },
  ],
  readiness: { kind: 'exec', description: 'mc ready local, and every listed bucket created' },
  dataPath: '/data',
  stateful: true,
  realizes: ['store', 'volume', 'image', 'secret'],
  images: { '2025': 'minio/minio:RELEASE.2025-04-22T22-12-26Z' },
  examples: [
    { title: 'Uploads and backups', name: 'files', module: { type: 'object-store', with: { buckets: ['uploads', 'backups'] } } },
  ],
  conflicts(w) {
    const buckets = Array.isArray(w.buckets) ? w.buckets : [];
    return buckets.flatMap((b, i) =>
      typeof b === 'string' && /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/.test(b) ? [{ path: `/with/buckets/${i}`, problem: `bucket name '${b}' looks like an IP address, which S3 forbids` }] : [],
    );
  },
  published: (w) => [
    ...(typeof w.publish === 'number' ? [{ path: '/with/publish', port: w.publish }] : []),
    ...(typeof w.publishConsole === 'number' ? [{ path: '/with/publishConsole', port: w.publishConsole }] : []),
  ],
  outputValues(m) {
    return {
      endpoint: concat('http://', outputRef(m.name, 'host'), `:${API_PORT}`),
      accessKey: text(userOf(m.with)),
      secretKey: secretRef(m.name, 'rootPassword'),
      region: text(regionOf(m.with)),
    };
  },
  secrets: () => ({ rootPassword: 32 }),
  design(m, ctx) {
    const buckets = Array.isArray(m.with.buckets) ? m.with.buckets.map(String) : [];
    const run =
      buckets.length === 0
        ? { command: ['server', '/data', '--console-address', `:${CONSOLE_PORT}`], readiness: readiness({ kind: 'exec', command: ['mc', 'ready', 'local'] }, { startPeriodSeconds: 5 }) }
        : {
            entrypoint: ['/bin/sh', '-c', WITH_BUCKETS, 'object-store'],
            command: buckets,
            readiness: readiness(shellProbe(`test -f ${READY_MARKER} && mc ready local`), { startPeriodSeconds: 5 }),
          };
    return storeDesign(m, ctx, {
      publicImage: objectStore.images[m.version] ?? 'minio/minio:RELEASE.2025-04-22T22-12-26Z',
      env: {
        MINIO_ROOT_USER: text(userOf(m.with)),
        MINIO_ROOT_PASSWORD: secretRef(m.name, 'rootPassword'),
        MINIO_SITE_REGION: text(regionOf(m.with)),
      },
      ...run,
      ports: [
        port('api', API_PORT, 'http', m.with.publish),
        port('console', CONSOLE_PORT, 'http', m.with.publishConsole),
      ],
      dataPath: objectStore.dataPath,
    });
  },
};

function userOf(w: Readonly<Record<string, unknown>>): string {
  return typeof w.user === 'string' ? w.user : 'aninfra';
}

function regionOf(w: Readonly<Record<string, unknown>>): string {
  return typeof w.region === 'string' ? w.region : 'us-east-1';
}
