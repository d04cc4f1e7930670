/**
 * The kubernetes target's lowering, object by object, over hand-built designs: names and kinds,
 * probes, resources, env composition with secrets, images, storage, scaling, schedules, network
 * policies, settings, refusals and plan rules.
 */
import { describe, expect, it } from 'vitest';
import type { InfraIR, IrNode } from '../../../src/compiler/lower/ir.js';
import { concat, hostEnv, text } from '../../../src/compiler/resolve/value.js';
import { escapeExpansion } from '../../../src/targets/kubernetes/env.js';
import { toCron } from '../../../src/targets/kubernetes/cron.js';
import { Ajv } from 'ajv';
import { KUBERNETES_SETTING_KEYS, KUBERNETES_SETTINGS_SCHEMA, kubernetesTarget, type K8sModel, type K8sNode } from '../../../src/targets/kubernetes/index.js';
import { labelValue } from '../../../src/targets/kubernetes/labels.js';
import { networkPolicyEdgesPolicy, probesPolicy, serviceTypePolicy, type Obj } from './policies.js';
import { designOf, envOf, gateway, image, notesDesign, process, schedule, secret, store, TIMING, volume, workload } from './design-of.js';

const lower = (ir: InfraIR): { model?: K8sModel; codes: string[] } => {
  const r = kubernetesTarget.lower(ir, { toolVersion: 'test' });
  return { ...(r.value ? { model: r.value as K8sModel } : {}), codes: r.diagnostics.map((d) => d.code) };
};
const modelOf = (ir: InfraIR): K8sModel => {
  const { model } = lower(ir);
  if (!model) throw new Error('no model');
  return model;
};
const get = (m: K8sModel, id: string): K8sNode => {
  const n = m.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no ${id} in ${m.nodes.map((x) => x.id).join(', ')}`);
  return n;
};
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const at = (n: K8sNode, ...path: (string | number)[]): any => path.reduce<unknown>((o, k) => (o as Record<string | number, unknown> | undefined)?.[k], n.object);
const containerOf = (n: K8sNode): Record<string, unknown> => (n.kind === 'CronJob' ? at(n, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0) : at(n, 'spec', 'template', 'spec', 'containers', 0));

describe('objects of the notes design', () => {
  const m = modelOf(notesDesign());

  it('creates the namespace, controllers, services, ingress, scaling and backup objects by name', () => {
    const ids = m.nodes.map((n) => n.id).sort();
    expect(ids).toEqual(
      expect.arrayContaining([
        'Namespace/notes',
        'Deployment/notes',
        'Deployment/accounts',
        'Deployment/edge',
        'Service/notes',
        'Service/accounts',
        'Service/edge',
        'StatefulSet/db',
        'StatefulSet/cache',
        'Service/db',
        'Service/db-headless',
        'Service/cache',
        'Service/cache-headless',
        'ConfigMap/edge-nginx',
        'Ingress/edge',
        'HorizontalPodAutoscaler/accounts',
        'PodDisruptionBudget/notes',
        'PodDisruptionBudget/accounts',
        'PodDisruptionBudget/db',
        'CronJob/cleanup',
        'CronJob/db-backup',
        'PersistentVolumeClaim/db-backups',
        'Secret/db-secrets',
        'Secret/cache-secrets',
        'NetworkPolicy/default-deny-ingress',
      ]),
    );
    expect(m.nodes.some((n) => n.id === 'PodDisruptionBudget/cache')).toBe(false);
    expect(m.nodes.some((n) => n.id === 'PodDisruptionBudget/edge')).toBe(false);
    expect(m.namespace).toBe('notes');
  });

  it('puts every object but the namespace in the namespace, with provenance labels on objects and pod templates', () => {
    for (const n of m.nodes) {
      const labels = n.object.metadata.labels;
      expect(labels['aninfra.managed-by'], n.id).toBe('aninfra');
      expect(labels['aninfra.system']).toBe('notes');
      expect(labels['aninfra.owner']).toBe('a1b2c3d4e5f60718');
      expect(labels['aninfra.rule']).toMatch(/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/);
      expect(n.object.metadata.namespace).toBe(n.kind === 'Namespace' ? undefined : 'notes');
      const template = n.kind === 'CronJob' ? at(n, 'spec', 'jobTemplate', 'spec', 'template') : at(n, 'spec', 'template');
      if (template) expect(template.metadata.labels, n.id).toEqual(labels);
    }
  });

  it('lists objects in dependency order', () => {
    const seen = new Set<string>();
    for (const n of m.nodes) {
      for (const d of n.dependsOn) expect(seen.has(d), `${n.id} after ${d}`).toBe(true);
      seen.add(n.id);
    }
    expect(get(m, 'Deployment/notes').dependsOn).toEqual(expect.arrayContaining(['StatefulSet/cache', 'Secret/cache-secrets', 'Namespace/notes']));
  });

  it('derives readiness and liveness from the typed probe and its timing', () => {
    expect(containerOf(get(m, 'Deployment/notes')).readinessProbe).toEqual({ httpGet: { path: '/health', port: 8080 }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 10, initialDelaySeconds: 5 });
    expect(containerOf(get(m, 'Deployment/accounts')).livenessProbe).toMatchObject({ tcpSocket: { port: 8000 } });
    expect(containerOf(get(m, 'StatefulSet/db')).readinessProbe).toMatchObject({ exec: { command: ['pg_isready', '-U', 'app', '-d', 'accounts', '-h', '127.0.0.1'] } });
    expect(containerOf(get(m, 'Deployment/edge')).readinessProbe).toMatchObject({ httpGet: { path: '/.aninfra/health', port: 8080 } });
  });

  it('sets requests equal to limits when the design sets resources, and a CPU request for autoscaling', () => {
    expect(containerOf(get(m, 'Deployment/notes')).resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } });
    expect(containerOf(get(m, 'Deployment/accounts')).resources).toEqual({ requests: { cpu: '100m' } });
    expect(containerOf(get(m, 'StatefulSet/cache')).resources).toBeUndefined();
  });

  it('composes env values with secrets from secretKeyRef variables, private ones first, and escapes literal $( and $$', () => {
    expect(containerOf(get(m, 'Deployment/accounts')).env).toEqual([
      { name: 'ANINFRA_S_CACHE_PASSWORD', valueFrom: { secretKeyRef: { name: 'cache-secrets', key: 'password' } } },
      { name: 'ANINFRA_S_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-secrets', key: 'password' } } },
      { name: 'CACHE_URL', value: 'redis://:$(ANINFRA_S_CACHE_PASSWORD)@cache:6379/0' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-secrets', key: 'password' } } },
      { name: 'DB_URL', value: 'postgres://app:$(ANINFRA_S_DB_PASSWORD)@db:5432/accounts' },
    ]);
    expect(containerOf(get(m, 'Deployment/notes')).env).toContainEqual({ name: 'GREETING', value: 'hello $$(USER) $$$' });
  });

  it('names built images <system>--<module>:<hash or latest>, pulled only when missing, and lists them for the engine', () => {
    expect(containerOf(get(m, 'Deployment/notes'))).toMatchObject({ image: 'notes--notes:0123456789abcdef', imagePullPolicy: 'IfNotPresent' });
    expect(containerOf(get(m, 'Deployment/accounts'))).toMatchObject({ image: 'notes--accounts:latest', imagePullPolicy: 'IfNotPresent' });
    expect(containerOf(get(m, 'CronJob/cleanup'))).toMatchObject({ image: 'local/cleanup:1', imagePullPolicy: 'IfNotPresent' });
    expect(containerOf(get(m, 'StatefulSet/db')).imagePullPolicy).toBeUndefined();
    expect(m.images.map((i) => [i.module, i.ref, i.source, i.push])).toEqual([
      ['notes', 'notes--notes:0123456789abcdef', 'build', false],
      ['accounts', 'notes--accounts:latest', 'build', false],
      ['cleanup', 'local/cleanup:1', 'local', false],
    ]);
  });

  it('keeps store data in a volumeClaimTemplate sized from the design (1Gi by default) and retained with the StatefulSet', () => {
    const db = get(m, 'StatefulSet/db');
    expect(at(db, 'spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage')).toBe('2Gi');
    expect(at(get(m, 'StatefulSet/cache'), 'spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage')).toBe('1Gi');
    expect(at(db, 'spec', 'serviceName')).toBe('db-headless');
    expect(at(db, 'spec', 'persistentVolumeClaimRetentionPolicy')).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(at(get(m, 'Service/db-headless'), 'spec', 'clusterIP')).toBe('None');
    expect(containerOf(db).volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/postgresql/data', subPath: 'data' }]);
    expect(m.nodes.filter((n) => n.kind === 'PersistentVolumeClaim').map((n) => n.id)).toEqual(['PersistentVolumeClaim/db-backups']);
  });

  it('backs a store up with a CronJob writing to the retained backup claim, the dump argv and policy in variables', () => {
    const job = get(m, 'CronJob/db-backup');
    expect(at(job, 'spec', 'schedule')).toBe('0 0 * * *');
    const c = containerOf(job);
    expect(c.args).toEqual(['sh', '-c', 'PGPASSWORD="$POSTGRES_PASSWORD" pg_dump -h "$STORE_HOST" -p "$STORE_PORT" -U app accounts | gzip']);
    expect(c.env).toEqual(expect.arrayContaining([{ name: 'STORE_HOST', value: 'db' }, { name: 'STORE_PORT', value: '5432' }, { name: 'BACKUP_RETAIN', value: '7' }, { name: 'BACKUP_EXT', value: 'sql.gz' }, { name: 'BACKUP_MODULE', value: 'db' }]));
    expect(c.readinessProbe).toBeUndefined();
    expect(at(job, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'volumes')).toEqual([{ name: 'backups', persistentVolumeClaim: { claimName: 'db-backups' } }]);
    expect(get(m, 'PersistentVolumeClaim/db-backups').retainOnDelete).toBe(true);
    expect(get(m, 'Namespace/notes').retainOnDelete).toBe(true);
    expect(m.nodes.filter((n) => n.retainOnDelete).map((n) => n.id).sort()).toEqual(['Namespace/notes', 'PersistentVolumeClaim/db-backups', 'Secret/cache-secrets', 'Secret/db-secrets']);
  });

  it('scales: replicas with a surge-first rolling update, an HPA instead of replicas when autoscaling, PDBs', () => {
    expect(at(get(m, 'Deployment/notes'), 'spec', 'replicas')).toBe(2);
    expect(at(get(m, 'Deployment/notes'), 'spec', 'strategy')).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(at(get(m, 'Deployment/accounts'), 'spec', 'replicas')).toBeUndefined();
    expect(at(get(m, 'HorizontalPodAutoscaler/accounts'), 'spec')).toMatchObject({ minReplicas: 2, maxReplicas: 5, metrics: [{ resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] });
    expect(at(get(m, 'PodDisruptionBudget/db'), 'spec', 'minAvailable')).toBe(1);
    expect(at(get(m, 'PodDisruptionBudget/notes'), 'spec', 'maxUnavailable')).toBe(1);
  });

  it('publishes the gateway on a hostPort of 127.0.0.1, rolls it stop-first, and routes the Ingress to its Service', () => {
    expect(containerOf(get(m, 'Deployment/edge')).ports).toEqual([{ containerPort: 8080, protocol: 'TCP', hostPort: 18080, hostIP: '127.0.0.1' }]);
    expect(at(get(m, 'Deployment/edge'), 'spec', 'strategy', 'rollingUpdate')).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    const ingress = get(m, 'Ingress/edge');
    expect(at(ingress, 'spec', 'ingressClassName')).toBe('nginx');
    expect(at(ingress, 'spec', 'rules', 0, 'http', 'paths', 0)).toEqual({ path: '/', pathType: 'Prefix', backend: { service: { name: 'edge', port: { number: 8080 } } } });
    for (const s of m.nodes.filter((n) => n.kind === 'Service')) expect(at(s, 'spec', 'type'), s.id).toBe('ClusterIP');
  });

  it('configures nginx with the cluster DNS, FQDN upstreams and WebSocket upgrade headers on WebSocket routes', () => {
    const conf = at(get(m, 'ConfigMap/edge-nginx'), 'data', 'aninfra.conf') as string;
    expect(conf).toContain('resolver kube-dns.kube-system.svc.cluster.local');
    expect(conf).toContain('set $aninfra_upstream http://accounts.notes.svc.cluster.local:8000;');
    const live = conf.slice(conf.indexOf('location = /live'));
    expect(live).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(live).toContain('rewrite ^/live/?(.*)$ /$1 break;');
    const notes = conf.slice(conf.indexOf('location = /notes'), conf.indexOf('location /notes/'));
    expect(notes).not.toContain('Upgrade');
    expect(containerOf(get(m, 'Deployment/edge')).volumeMounts).toEqual([
      { name: 'nginx-config', mountPath: '/etc/nginx/conf.d', readOnly: true },
      { name: 'nginx-sites', mountPath: '/etc/nginx/sites-enabled', readOnly: true },
    ]);
    expect(at(get(m, 'Deployment/edge'), 'spec', 'template', 'spec', 'volumes')).toEqual([
      { name: 'nginx-config', configMap: { name: 'edge-nginx' } },
      { name: 'nginx-sites', configMap: { name: 'edge-nginx', items: [{ key: 'default.conf', path: 'default' }] } },
    ]);
  });

  it('converts a cron-job schedule to cron and runs one job at a time', () => {
    const job = get(m, 'CronJob/cleanup');
    expect(at(job, 'spec')).toMatchObject({ schedule: '*/15 * * * *', concurrencyPolicy: 'Forbid' });
    expect(at(job, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'restartPolicy')).toBe('OnFailure');
  });

  it('allows ingress once per uses edge and gateway route target, for backups, and to the gateway from anywhere', () => {
    const policies = m.nodes.filter((n) => n.kind === 'NetworkPolicy').map((n) => n.object.metadata.name);
    expect(policies.sort()).toEqual([
      'allow-accounts-to-cache',
      'allow-accounts-to-db',
      'allow-cleanup-to-db',
      'allow-db-backup-to-db',
      'allow-edge-to-accounts',
      'allow-edge-to-notes',
      'allow-notes-to-cache',
      'allow-public-to-edge',
      'default-deny-ingress',
    ]);
    expect(at(get(m, 'NetworkPolicy/allow-public-to-edge'), 'spec', 'ingress')).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(at(get(m, 'NetworkPolicy/default-deny-ingress'), 'spec')).toEqual({ podSelector: { matchLabels: { 'aninfra.system': 'notes' } }, policyTypes: ['Ingress'] });
  });

  it('leaves generated secrets to apply time: a Secret per module with its keys and no data', () => {
    const s = get(m, 'Secret/db-secrets');
    expect(s.source).toBe('generated');
    expect(s.generated).toEqual([{ key: 'password', length: 32 }]);
    expect(Object.keys(s.object).sort()).toEqual(['apiVersion', 'kind', 'metadata', 'type']);
  });
});

describe('settings and variants', () => {
  it('reads platform.kubernetes: namespace, storage class, image registry; no ingress class by default', () => {
    const m = modelOf(notesDesign({ kubernetes: { namespace: 'team-a', storageClass: 'fast', imageRegistry: 'registry.example.com:5000/apps' } }));
    expect(m.namespace).toBe('team-a');
    expect(m.nodes.every((n) => n.kind === 'Namespace' ? n.object.metadata.name === 'team-a' : n.object.metadata.namespace === 'team-a')).toBe(true);
    expect(at(get(m, 'StatefulSet/db'), 'spec', 'volumeClaimTemplates', 0, 'spec', 'storageClassName')).toBe('fast');
    expect(at(get(m, 'PersistentVolumeClaim/db-backups'), 'spec', 'storageClassName')).toBe('fast');
    const notes = containerOf(get(m, 'Deployment/notes'));
    expect(notes.image).toBe('registry.example.com:5000/apps/notes--notes:0123456789abcdef');
    expect(notes.imagePullPolicy).toBeUndefined();
    expect(m.images.find((i) => i.module === 'notes')?.push).toBe(true);
    expect(at(get(m, 'Ingress/edge'), 'spec', 'ingressClassName')).toBeUndefined();
    expect(at(get(m, 'ConfigMap/edge-nginx'), 'data', 'aninfra.conf')).toContain('http://notes.team-a.svc.cluster.local:8080');
  });

  it('refuses a host bind mount with ERR_TARGET_UNSUPPORTED_FIELD', () => {
    const site = workload('site', { process: process('site', { mounts: [{ kind: 'bind', source: './public', target: '/usr/share/nginx/html', readOnly: true }] }), ports: [{ name: 'http', port: 80, protocol: 'http' }] });
    const r = lower(designOf('web', [image('site', 'nginx:1.27'), site]));
    expect(r.model).toBeUndefined();
    expect(r.codes).toEqual(['ERR_TARGET_UNSUPPORTED_FIELD']);
  });

  it('warns with WARN_TARGET_SCHEDULE_APPROXIMATED when an interval has no exact cron form, and runs it every minute below a minute', () => {
    const job = (every: string, seconds: number): IrNode[] => [image('tick', 'busybox:1'), schedule('tick', every, seconds, process('tick', { command: ['true'] }))];
    const fast = lower(designOf('s', job('@every 30s', 30)));
    expect(fast.codes).toEqual(['WARN_TARGET_SCHEDULE_APPROXIMATED']);
    expect(at(get(fast.model as K8sModel, 'CronJob/tick'), 'spec', 'schedule')).toBe('* * * * *');
    expect(lower(designOf('s', job('@every 90s', 90))).codes).toEqual(['WARN_TARGET_SCHEDULE_APPROXIMATED']);
    expect(lower(designOf('s', job('@every 2h', 7200))).codes).toEqual([]);
  });

  it('reads host-env values from the <system>-host-env Secret and resolves apply-time references to the Service name', () => {
    const ref = [{ kind: 'ref', module: 'db', output: 'host' }] as unknown as ReturnType<typeof text>;
    const api = workload('api', {
      process: process('api', { ...envOf({ DB_HOST: [ref, 'uses:db'], KEY: [hostEnv('OPENAI_API_KEY'), 'uses:openai'], AUTH: [concat('Bearer ', hostEnv('OPENAI_API_KEY')), 'uses:openai'] }), readiness: { probe: { kind: 'tcp', port: 80 }, timing: TIMING } }),
      ports: [{ name: 'http', port: 80, protocol: 'http' }],
    });
    const m = modelOf(designOf('shop', [image('api', 'api:1'), api]));
    expect(get(m, 'Secret/shop-host-env')).toMatchObject({ source: 'host-env', hostEnv: ['OPENAI_API_KEY'] });
    expect(containerOf(get(m, 'Deployment/api')).env).toEqual([
      { name: 'ANINFRA_H_OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'shop-host-env', key: 'OPENAI_API_KEY' } } },
      { name: 'AUTH', value: 'Bearer $(ANINFRA_H_OPENAI_API_KEY)' },
      { name: 'DB_HOST', value: 'db' },
      { name: 'KEY', valueFrom: { secretKeyRef: { name: 'shop-host-env', key: 'OPENAI_API_KEY' } } },
    ]);
    expect(get(m, 'Deployment/api').dependsOn).toContain('Secret/shop-host-env');
  });

  it('mounts a workload volume through its own retained claim', () => {
    const w = workload('uploads', { process: process('uploads', { mounts: [{ kind: 'volume', volume: 'volume:uploads-files', target: '/srv', readOnly: false }] }) });
    const m = modelOf(designOf('s', [image('uploads', 'u:1'), volume('uploads', 'files', '5Gi'), w]));
    expect(get(m, 'PersistentVolumeClaim/uploads-files')).toMatchObject({ retainOnDelete: true });
    expect(at(get(m, 'Deployment/uploads'), 'spec', 'template', 'spec', 'volumes')).toEqual([{ name: 'vol-0', persistentVolumeClaim: { claimName: 'uploads-files' } }]);
    expect(m.nodes.some((n) => n.kind === 'Service')).toBe(false);
  });

  it('probes a workload the design gives no probe by a TCP connect to its first port; one without ports gets none', () => {
    const api = workload('api', { process: process('api'), ports: [{ name: 'http', port: 3000, protocol: 'http' }, { name: 'admin', port: 3001, protocol: 'http' }] });
    const worker = workload('worker', { process: process('worker') });
    const m = modelOf(designOf('s', [image('api', 'api:1'), image('worker', 'w:1'), api, worker]));
    expect(containerOf(get(m, 'Deployment/api')).readinessProbe).toMatchObject({ tcpSocket: { port: 3000 } });
    expect(containerOf(get(m, 'Deployment/api')).livenessProbe).toMatchObject({ tcpSocket: { port: 3000 } });
    expect(containerOf(get(m, 'Deployment/worker')).readinessProbe).toBeUndefined();
  });

  it('delivers generated files through a ConfigMap mounted by subPath', () => {
    const w = workload('api', { process: process('api', { files: [{ path: '/etc/app/conf.ini', content: 'a=1\n' }] }) });
    const m = modelOf(designOf('s', [image('api', 'api:1'), w]));
    expect(at(get(m, 'ConfigMap/api-files'), 'data')).toEqual({ 'file-0': 'a=1\n' });
    expect(containerOf(get(m, 'Deployment/api')).volumeMounts).toEqual([{ name: 'aninfra-files', mountPath: '/etc/app/conf.ini', subPath: 'file-0', readOnly: true }]);
  });

  it('gives a gateway only its own nginx configuration, whatever files the design delivers under /etc/nginx', () => {
    const gw = gateway('gw', { listen: 80, publish: 8081, routes: [], process: process('gw', { files: [{ path: '/etc/nginx/conf.d/default.conf', content: '#' }, { path: '/usr/share/nginx/html/index.html', content: 'hi' }] }) });
    const m = modelOf(designOf('s', [image('gw', 'nginx:1.27'), gw]));
    expect(at(get(m, 'ConfigMap/gw-files'), 'data')).toEqual({ 'file-0': 'hi' });
    expect(containerOf(get(m, 'Deployment/gw')).volumeMounts).toEqual([
      { name: 'aninfra-files', mountPath: '/usr/share/nginx/html/index.html', subPath: 'file-0', readOnly: true },
      { name: 'nginx-config', mountPath: '/etc/nginx/conf.d', readOnly: true },
      { name: 'nginx-sites', mountPath: '/etc/nginx/sites-enabled', readOnly: true },
    ]);
  });

  it('publishes a replicated gateway through one publisher pod (one hostPort per node), which forwards to the gateway Service', () => {
    const ir = notesDesign();
    const design = { ...ir, nodes: ir.nodes.map((n) => (n.kind === 'gateway' ? { ...n, replicas: 3 } : n)) };
    const m = modelOf(design);
    const gw = containerOf(get(m, 'Deployment/edge'));
    expect(gw.ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
    expect(at(get(m, 'Deployment/edge'), 'spec', 'replicas')).toBe(3);
    expect(at(get(m, 'Deployment/edge'), 'spec', 'strategy', 'rollingUpdate')).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    const pub = get(m, 'Deployment/edge-publish');
    expect(at(pub, 'spec', 'replicas')).toBe(1);
    expect(containerOf(pub)).toMatchObject({ image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP', hostPort: 18080, hostIP: '127.0.0.1' }], readinessProbe: { httpGet: { path: '/.aninfra/health', port: 8080 } } });
    expect(containerOf(pub).env).toBeUndefined();
    const conf = at(get(m, 'ConfigMap/edge-publish-nginx'), 'data', 'aninfra.conf') as string;
    expect(conf).toContain('set $aninfra_upstream http://edge.notes.svc.cluster.local:8080;');
    expect(conf).toContain('proxy_set_header Upgrade $http_upgrade;');
    expect(pub.dependsOn).toEqual(expect.arrayContaining(['Service/edge', 'ConfigMap/edge-publish-nginx']));
    expect(at(get(m, 'NetworkPolicy/allow-public-to-edge-publish'), 'spec', 'ingress')).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
    expect(at(get(m, 'NetworkPolicy/allow-edge-publish-to-edge'), 'spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchLabels')).toEqual({ 'aninfra.system': 'notes', 'aninfra.module': 'edge', 'aninfra.rule': 'gateway-publisher' });
    expect(m.nodes.filter((n) => n.kind === 'Deployment').flatMap((n) => (containerOf(n).ports as { hostPort?: number }[] | undefined) ?? []).filter((p) => p.hostPort !== undefined)).toHaveLength(1);
    const objects = m.nodes.map((n) => n.object as unknown as Obj);
    expect([...probesPolicy(objects), ...serviceTypePolicy(objects), ...networkPolicyEdgesPolicy(objects, design)]).toEqual([]);
  });

  it('publishes a replicated workload through one publisher pod instead of a hostPort on each replica, which would leave all but one Pending', () => {
    const published = (replicas: number, extra: { autoscale?: { min: number; max: number; cpu: number } } = {}): InfraIR =>
      designOf('pub', [
        image('api', 'api:1'),
        workload('api', {
          process: process('api', { readiness: { probe: { kind: 'http', path: '/health', port: 8080 }, timing: TIMING } }),
          ports: [{ name: 'http', port: 8080, protocol: 'websocket', publish: 18099 }],
          replicas,
          ...extra,
        }),
      ], { owner: 'o1' });
    const hostPorts = (m: K8sModel): { id: string; hostPort: number }[] =>
      m.nodes.filter((n) => n.kind === 'Deployment').flatMap((n) => ((containerOf(n).ports as { hostPort?: number }[] | undefined) ?? []).flatMap((p) => (p.hostPort !== undefined ? [{ id: n.id, hostPort: p.hostPort }] : [])));
    for (const design of [published(3), published(1, { autoscale: { min: 2, max: 4, cpu: 70 } })]) {
      const m = modelOf(design);
      // Only the publisher holds the hostPort; the replicas roll start-first as any workload.
      expect(hostPorts(m)).toEqual([{ id: 'Deployment/api-publish', hostPort: 18099 }]);
      expect(containerOf(get(m, 'Deployment/api')).ports).toEqual([{ containerPort: 8080, protocol: 'TCP' }]);
      expect(at(get(m, 'Deployment/api'), 'spec', 'strategy', 'rollingUpdate')).toEqual({ maxSurge: 1, maxUnavailable: 0 });
      expect(at(get(m, 'Service/api'), 'spec', 'type')).toBe('ClusterIP');
      const pub = get(m, 'Deployment/api-publish');
      expect(at(pub, 'spec', 'replicas')).toBe(1);
      expect(containerOf(pub)).toMatchObject({ image: 'nginx:1.27', ports: [{ containerPort: 8080, protocol: 'TCP', hostPort: 18099, hostIP: '127.0.0.1' }], readinessProbe: { httpGet: { path: '/.aninfra/health', port: 8080 } } });
      expect(containerOf(pub).env).toBeUndefined();
      const conf = at(get(m, 'ConfigMap/api-publish-nginx'), 'data', 'aninfra.conf') as string;
      expect(conf).toContain('listen 8080;');
      expect(conf).toContain('set $aninfra_upstream http://api.pub.svc.cluster.local:8080;');
      expect(conf).toContain('proxy_set_header Upgrade $http_upgrade;');
      expect(pub.dependsOn).toEqual(expect.arrayContaining(['Service/api', 'ConfigMap/api-publish-nginx']));
      expect(at(get(m, 'NetworkPolicy/allow-public-to-api-publish'), 'spec', 'ingress')).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
      expect(at(get(m, 'NetworkPolicy/allow-public-to-api-publish'), 'spec', 'podSelector', 'matchLabels')).toEqual({ 'aninfra.system': 'pub', 'aninfra.module': 'api', 'aninfra.rule': 'workload-publisher' });
      const objects = m.nodes.map((n) => n.object as unknown as Obj);
      expect([...probesPolicy(objects), ...serviceTypePolicy(objects), ...networkPolicyEdgesPolicy(objects, design)]).toEqual([]);
    }
    // One replica publishes from its own pod, as before: no publisher.
    const single = modelOf(published(1));
    expect(hostPorts(single)).toEqual([{ id: 'Deployment/api', hostPort: 18099 }]);
    expect(single.nodes.some((n) => n.id.includes('api-publish'))).toBe(false);
    expect(at(get(single, 'Deployment/api'), 'spec', 'strategy', 'rollingUpdate')).toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  it("maps the workload publisher's nginx through the design's image mapping and has the engine load it", () => {
    const design = designOf(
      'pub',
      [image('api', 'api:1'), workload('api', { process: process('api'), ports: [{ name: 'http', port: 8080, protocol: 'http', publish: 18099 }], replicas: 2 })],
      { owner: 'o1' },
    );
    const m = modelOf({ ...design, images: { 'nginx:1.27': 'local/nginx:bookworm' } });
    expect(containerOf(get(m, 'Deployment/api-publish'))).toMatchObject({ image: 'local/nginx:bookworm', imagePullPolicy: 'IfNotPresent' });
    expect(m.images).toEqual([{ module: 'api', ref: 'local/nginx:bookworm', source: 'local', push: false }]);
    expect(modelOf(design).images).toEqual([]);
  });

  it('runs nginx in the foreground in the gateway and its publisher (an image with nginx installed need not start it)', () => {
    // The compiler's gateway process names only the image: the command is the target's.
    const bare = (n: IrNode, replicas: number): IrNode => {
      if (n.kind !== 'gateway') return n;
      const { command: _command, ...rest } = n.process;
      return { ...n, replicas, process: rest };
    };
    const ir = notesDesign();
    const single = modelOf({ ...ir, nodes: ir.nodes.map((n) => bare(n, 1)) });
    const replicated = modelOf({ ...ir, nodes: ir.nodes.map((n) => bare(n, 2)) });
    const foreground = ['nginx', '-g', 'daemon off;'];
    expect(containerOf(get(single, 'Deployment/edge')).args).toEqual(foreground);
    expect(containerOf(get(replicated, 'Deployment/edge')).args).toEqual(foreground);
    expect(containerOf(get(replicated, 'Deployment/edge-publish')).args).toEqual(foreground);
  });

  it("mounts a store's claim at its data path when the process' mounts do not name the data volume (as the compiler lowers stores)", () => {
    const ir = notesDesign();
    const m = modelOf({ ...ir, nodes: ir.nodes.map((n) => (n.kind === 'store' ? { ...n, process: { ...n.process, mounts: [] } } : n)) });
    expect(containerOf(get(m, 'StatefulSet/db')).volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/postgresql/data', subPath: 'data' }]);
    expect(containerOf(get(m, 'StatefulSet/cache')).volumeMounts).toEqual([{ name: 'data', mountPath: '/data', subPath: 'data' }]);
  });

  it('lowers deterministically', () => {
    expect(JSON.stringify(modelOf(notesDesign()))).toBe(JSON.stringify(modelOf(notesDesign())));
  });

  it('makes for a store without backups and with standard availability neither backup objects nor a PDB', () => {
    const s = store('kv', 'redis', { process: process('kv', { readiness: { probe: { kind: 'tcp', port: 6379 }, timing: TIMING } }), ports: [{ name: 'redis', port: 6379, protocol: 'tcp' }] });
    const m = modelOf(designOf('s', [image('kv', 'redis:7'), volume('kv', 'data'), secret('kv', 'password'), s, image('gw', 'nginx:1.27'), gateway('gw', { listen: 80, publish: 8081, routes: [] })]));
    expect(m.nodes.map((n) => n.kind)).not.toContain('CronJob');
    expect(m.nodes.map((n) => n.kind)).not.toContain('PodDisruptionBudget');
  });
});

describe('backups without dump commands', () => {
  it('makes no backup job, claim or policy for a store whose engine has no dump argv', () => {
    const ir = notesDesign();
    const nodes = ir.nodes.map((n) => (n.kind === 'store' && n.backup ? { ...n, backup: { ...n.backup, dump: [], restore: [], extension: '' } } : n));
    const m = modelOf({ ...ir, nodes });
    expect(m.nodes.filter((n) => n.provenance.rule === 'store-backup')).toEqual([]);
  });
});

describe('settings schema', () => {
  const ajv = new Ajv({ strict: true, allErrors: true });
  const check = ajv.compile(KUBERNETES_SETTINGS_SCHEMA);
  it.each([[{}], [{ namespace: 'team-a', ingressClass: 'nginx', storageClass: 'local-path', imageRegistry: 'registry.example.com:5000/team' }], [{ imageRegistry: 'localhost:5000' }], [{ context: 'kind-aninfra' }], [{ context: 'arn:aws:eks:eu-west-1:123:cluster/prod' }]])('accepts %j', (v) => {
    expect(check(v), JSON.stringify(check.errors)).toBe(true);
  });
  it.each([[{ namespace: 'Team_A' }], [{ namespace: 'x'.repeat(64) }], [{ storageClass: '' }], [{ imageRegistry: 'https://registry' }], [{ context: '' }], [{ context: 'a b' }], [{ replicas: 2 }]])('refuses %j', (v) => {
    expect(check(v)).toBe(false);
  });
  it('keys the settings reader knows', () => {
    expect(Object.keys(KUBERNETES_SETTINGS_SCHEMA.properties).sort()).toEqual([...KUBERNETES_SETTING_KEYS].sort());
  });
});

describe('helpers', () => {
  it('escapes exactly the sequences the kubelet expands', () => {
    expect(escapeExpansion('a$(B)c')).toBe('a$$(B)c');
    expect(escapeExpansion('$$')).toBe('$$$');
    expect(escapeExpansion('$HOME $')).toBe('$HOME $');
  });

  it.each([
    ['@hourly', 3600, '0 * * * *', false],
    ['@daily', 86400, '0 0 * * *', false],
    ['*/5 * * * *', 300, '*/5 * * * *', false],
    ['@every 15m', 900, '*/15 * * * *', false],
    ['@every 7m', 420, '*/7 * * * *', true],
    ['@every 6h', 21600, '0 */6 * * *', false],
    ['@every 45s', 45, '* * * * *', true],
  ])('%s → %s', (schedule, seconds, cron, approximated) => {
    const r = toCron(schedule, seconds);
    expect(r.cron).toBe(cron);
    expect(r.approximated !== undefined).toBe(approximated);
  });

  it('makes label values valid', () => {
    expect(labelValue('module:postgres')).toBe('module-postgres');
    expect(labelValue('x'.repeat(80))).toHaveLength(63);
    expect(labelValue('-a-')).toBe('a');
  });
});

describe('plan rules', () => {
  const m = modelOf(notesDesign());
  const rules = kubernetesTarget.plan;

  it('changes pod templates, replicas, ports, config and policies in place; replaces on immutable fields and kinds', () => {
    const d = get(m, 'Deployment/notes');
    for (const f of ['object', 'object.spec.replicas', 'object.spec.template.spec.containers', 'object.metadata.labels', 'dependsOn', 'provenance.detail']) expect(rules.inPlace(d, f), f).toBe(true);
    for (const f of ['immutable', 'kind', 'object.spec.selector', 'object.metadata.name']) expect(rules.inPlace(d, f), f).toBe(false);
    const s = get(m, 'StatefulSet/db');
    expect(rules.inPlace(s, 'object.spec.volumeClaimTemplates')).toBe(false);
    expect(rules.inPlace(s, 'object.spec.serviceName')).toBe(false);
    expect(rules.inPlace(get(m, 'Service/db'), 'object.spec.clusterIP')).toBe(false);
    expect(rules.inPlace(get(m, 'Service/db'), 'object.spec.ports')).toBe(true);
    expect(rules.inPlace(get(m, 'ConfigMap/edge-nginx'), 'object.data')).toBe(true);
  });

  it('marks the stores\' StatefulSets and the claims as holding data, nothing else', () => {
    expect(m.nodes.filter((n) => rules.holdsData(n)).map((n) => n.id).sort()).toEqual(['PersistentVolumeClaim/db-backups', 'StatefulSet/cache', 'StatefulSet/db']);
  });

  it('keeps selectors and claim templates in `immutable`', () => {
    expect(get(m, 'StatefulSet/db').immutable).toMatchObject({ serviceName: 'db-headless', selector: { matchLabels: { 'aninfra.module': 'db' } } });
    expect(Object.keys(get(m, 'StatefulSet/db').immutable).sort()).toEqual(['selector', 'serviceName', 'volumeClaimTemplates']);
  });
});
