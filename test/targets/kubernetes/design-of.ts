/**
 * Hand-built InfraIR v2 designs for the kubernetes target tests: `designOf()` assembles a design
 * from a few module builders, and `notesDesign()` is the notes example's shape (postgres with
 * backups and availability high, redis, two services, a gateway with a WebSocket route, a cron job).
 */
import type { GatewayNode, ImageNode, InfraIR, IrNode, Process, ProbeTiming, ScheduleNode, SecretNode, StackOutput, StoreNode, VolumeNode, WorkloadNode } from '../../../src/compiler/lower/ir.js';
import { concat, secretRef, text, type Value } from '../../../src/compiler/resolve/value.js';

export const TIMING: ProbeTiming = { intervalSeconds: 5, timeoutSeconds: 3, retries: 10, startPeriodSeconds: 5 };
export const OWNER = 'a1b2c3d4e5f60718';

const prov = (module: string | null, rule: string, detail = ''): IrNode['provenance'] => ({ module, rule, detail });

export function image(module: string, ref: string, source: ImageNode['source'] = { kind: 'pull' }): ImageNode {
  return { kind: 'image', id: `image:${module}`, module, ...(source.kind === 'build' ? {} : { ref }), source, provenance: prov(module, 'module-image'), dependsOn: [] };
}

export function secret(module: string, key: string, length = 32): SecretNode {
  return { kind: 'secret', id: `secret:${module}-${key}`, module, key, length, provenance: prov(module, 'generated-secret'), dependsOn: [] };
}

export function volume(module: string, purpose: string, size?: string): VolumeNode {
  return { kind: 'volume', id: `volume:${module}-${purpose}`, module, purpose, keep: true, ...(size ? { size } : {}), provenance: prov(module, 'stateful-volume'), dependsOn: [] };
}

export function process(module: string, over: Partial<Process> = {}): Process {
  return { image: `image:${module}`, env: {}, envOrigin: {}, files: [], mounts: [], restart: 'always', ...over };
}

/** Env built from `uses` edges: each entry records its origin. */
export function envOf(entries: Readonly<Record<string, readonly [Value, string]>>): Pick<Process, 'env' | 'envOrigin'> {
  const keys = Object.keys(entries).sort();
  return { env: Object.fromEntries(keys.map((k) => [k, entries[k]![0]])), envOrigin: Object.fromEntries(keys.map((k) => [k, entries[k]![1]])) };
}

type ModuleBase = Pick<WorkloadNode, 'module' | 'type' | 'version' | 'labels' | 'provenance' | 'id' | 'dependsOn'>;
const base = (module: string, type: string, kind: string, dependsOn: readonly string[]): ModuleBase => ({
  id: `${kind}:${module}`,
  module,
  type,
  version: '1',
  labels: {},
  provenance: prov(module, `module:${type}`, `${type} 1`),
  dependsOn: [`image:${module}`, ...dependsOn],
});

export function workload(module: string, over: Partial<WorkloadNode> & { process: Process }, dependsOn: readonly string[] = []): WorkloadNode {
  return { ...base(module, 'service', 'workload', dependsOn), kind: 'workload', ports: [], replicas: 1, ...over };
}

export function store(module: string, engine: string, over: Partial<StoreNode> & { process: Process }): StoreNode {
  return { ...base(module, engine, 'store', [`volume:${module}-data`]), kind: 'store', engine, ports: [], data: { volume: `volume:${module}-data`, path: '/data' }, availability: 'standard', ...over };
}

export function gateway(module: string, over: Partial<GatewayNode> & Pick<GatewayNode, 'routes' | 'listen' | 'publish'>, dependsOn: readonly string[] = []): GatewayNode {
  return { ...base(module, 'gateway', 'gateway', dependsOn), kind: 'gateway', process: process(module, { command: ['nginx', '-g', 'daemon off;'] }), replicas: 1, ...over };
}

export function schedule(module: string, every: string, seconds: number, p: Process, dependsOn: readonly string[] = []): ScheduleNode {
  return { ...base(module, 'cron-job', 'schedule', dependsOn), kind: 'schedule', schedule: every, everySeconds: seconds, process: p };
}

export function designOf(system: string, nodes: readonly IrNode[], extra: { platform?: InfraIR['platform']; outputs?: readonly StackOutput[]; owner?: string } = {}): InfraIR {
  return { irVersion: 2, system, ...(extra.owner !== undefined ? { owner: extra.owner } : {}), platform: extra.platform ?? {}, nodes, outputs: extra.outputs ?? [] };
}

const dbUrl = concat('postgres://app:', secretRef('db', 'password'), '@db:5432/accounts');
const cacheUrl = concat('redis://:', secretRef('cache', 'password'), '@cache:6379/0');

export function notesDesign(platform: InfraIR['platform'] = { kubernetes: { ingressClass: 'nginx' } }): InfraIR {
  return designOf(
    'notes',
    [
      image('db', 'postgres:16'),
      image('cache', 'redis:7'),
      image('notes', '', { kind: 'build', context: './notes/notes-api', args: {}, contentHash: '0123456789abcdef' }),
      image('accounts', '', { kind: 'build', context: './notes/accounts-api', args: {} }),
      image('edge', 'nginx:1.27'),
      image('cleanup', 'local/cleanup:1', { kind: 'local' }),
      secret('cache', 'password'),
      secret('db', 'password'),
      volume('cache', 'data'),
      volume('db', 'backups'),
      volume('db', 'data', '2Gi'),
      store('db', 'postgres', {
        process: process('db', {
          ...envOf({ POSTGRES_DB: [text('accounts'), 'module'], POSTGRES_PASSWORD: [secretRef('db', 'password'), 'module'], POSTGRES_USER: [text('app'), 'module'] }),
          readiness: { probe: { kind: 'exec', command: ['pg_isready', '-U', 'app', '-d', 'accounts', '-h', '127.0.0.1'] }, timing: TIMING },
          mounts: [{ kind: 'volume', volume: 'volume:db-data', target: '/var/lib/postgresql/data', readOnly: false }],
          resources: { cpu: '500m', memory: '512Mi' },
        }),
        ports: [{ name: 'postgres', port: 5432, protocol: 'tcp' }],
        data: { volume: 'volume:db-data', path: '/var/lib/postgresql/data', size: '2Gi' },
        availability: 'high',
        backup: {
          schedule: '@daily',
          retain: 7,
          dump: ['sh', '-c', 'PGPASSWORD="$POSTGRES_PASSWORD" pg_dump -h "$STORE_HOST" -p "$STORE_PORT" -U app accounts | gzip'],
          restore: ['sh', '-c', 'gunzip | PGPASSWORD="$POSTGRES_PASSWORD" psql -h "$STORE_HOST" -U app accounts'],
          extension: 'sql.gz',
        },
      }),
      store('cache', 'redis', {
        process: process('cache', {
          ...envOf({ REDIS_PASSWORD: [secretRef('cache', 'password'), 'module'] }),
          command: ['sh', '-c', 'exec redis-server --requirepass "$REDIS_PASSWORD" --appendonly yes'],
          readiness: { probe: { kind: 'tcp', port: 6379 }, timing: TIMING },
          mounts: [{ kind: 'volume', volume: 'volume:cache-data', target: '/data', readOnly: false }],
        }),
        ports: [{ name: 'redis', port: 6379, protocol: 'tcp' }],
      }),
      workload(
        'notes',
        {
          process: process('notes', {
            ...envOf({ CACHE_HOST: [text('cache'), 'uses:cache'], CACHE_URL: [cacheUrl, 'uses:cache'], GREETING: [text('hello $(USER) $$'), 'spec'] }),
            readiness: { probe: { kind: 'http', path: '/health', port: 8080 }, timing: TIMING },
            resources: { cpu: '250m', memory: '256Mi' },
          }),
          ports: [{ name: 'http', port: 8080, protocol: 'http' }],
          replicas: 2,
        },
        ['store:cache'],
      ),
      workload(
        'accounts',
        {
          process: process('accounts', {
            ...envOf({ CACHE_URL: [cacheUrl, 'uses:cache'], DB_PASSWORD: [secretRef('db', 'password'), 'uses:db'], DB_URL: [dbUrl, 'uses:db'] }),
            readiness: { probe: { kind: 'tcp', port: 8000 }, timing: TIMING },
          }),
          ports: [{ name: 'http', port: 8000, protocol: 'http' }],
          replicas: 2,
          autoscale: { min: 2, max: 5, cpu: 70 },
        },
        ['store:cache', 'store:db'],
      ),
      gateway(
        'edge',
        {
          listen: 8080,
          publish: 18080,
          routes: [
            { path: '/notes', to: 'notes', port: 8080, websocket: false, stripPrefix: false },
            { path: '/accounts', to: 'accounts', port: 8000, websocket: false, stripPrefix: false },
            { path: '/live', to: 'notes', port: 8080, websocket: true, stripPrefix: true },
          ],
        },
        ['workload:accounts', 'workload:notes'],
      ),
      schedule('cleanup', '@every 15m', 900, process('cleanup', { ...envOf({ DB_URL: [dbUrl, 'uses:db'] }), command: ['python3', '/app/cleanup.py'], restart: 'on-failure' }), ['store:db']),
    ],
    {
      owner: OWNER,
      platform,
      outputs: [
        { module: 'db', name: 'url', value: dbUrl, secret: true },
        { module: 'edge', name: 'url', value: text('http://127.0.0.1:18080'), secret: false },
      ],
    },
  );
}

/** Characters that break code or YAML when spliced raw, and the kubelet's expansion syntax. */
export const HOSTILE = 'q"\'`${x}\\ \n */ \u2028 \u{1F600} $(A) $$ $ </script> #: - [a]: {b}';

/** A design whose free-text fields (env, command, generated files, output values) carry HOSTILE. */
export function hostileDesign(): InfraIR {
  const api = workload('api', {
    process: process('api', {
      ...envOf({ HOSTILE: [text(HOSTILE), 'spec'], MIXED: [concat(HOSTILE, secretRef('api', 'token'), HOSTILE), 'module'], KEY: [concat('k=', hostEnvValue('HOSTILE_KEY')), 'uses:ext'] }),
      command: ['sh', '-c', HOSTILE],
      files: [{ path: '/etc/app/hostile.conf', content: HOSTILE }],
      readiness: { probe: { kind: 'exec', command: ['test', HOSTILE] }, timing: TIMING },
    }),
    ports: [{ name: 'http', port: 8080, protocol: 'http' }],
  });
  return designOf('hostile', [image('api', 'api:1'), secret('api', 'token'), api], { outputs: [{ module: 'api', name: 'text', value: text(HOSTILE), secret: false }, { module: 'api', name: 'key', value: concat(HOSTILE, hostEnvValue('HOSTILE_KEY')), secret: true }] });
}

function hostEnvValue(name: string): Value {
  return [{ kind: 'host-env', name }];
}
