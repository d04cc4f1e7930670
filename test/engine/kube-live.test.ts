/**
 * The kubernetes engine's reading of the cluster without a cluster: pods from `kubectl get pods -o
 * json`, per-module health (replicas, crash loops, terminating pods, schedules), what the IR v2
 * expects, and the image load method and containerd names.
 */
import { describe, expect, it } from 'vitest';
import type { InfraIR, IrNode } from '../../src/compiler/lower/ir.js';
import { parsePods, parseRollouts, type LivePod } from '../../src/engine/kube-cli.js';
import { loadMethod, normalizeRef } from '../../src/engine/kube-images.js';
import { generatedCredentials, ofModule, previewSteps } from '../../src/engine/kubernetes-engine.js';
import { allReady, expectedModules, gatewayEndpoints, imagesToLoad, irV2, kubeView, moduleHealth } from '../../src/engine/kube-live.js';

function pod(module: string, o: { ready?: boolean; phase?: string; reason?: string; terminating?: boolean; name?: string } = {}): unknown {
  return {
    metadata: { name: o.name ?? `${module}-x`, namespace: 'ns', uid: 'u-1234567890abcdef', labels: { 'aninfra.module': module, 'pod-template-hash': 'abc' }, ...(o.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: { containers: [{ ports: [{ containerPort: 8081, hostPort: 18080, hostIP: '127.0.0.1' }] }] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
      containerStatuses: [{ restartCount: 2, state: o.reason ? { waiting: { reason: o.reason } } : { running: {} } }],
    },
  };
}

const pods = (...items: unknown[]): LivePod[] => parsePods(JSON.stringify({ items }));

function node(kind: IrNode['kind'], module: string, extra: Record<string, unknown>): IrNode {
  return { id: `${kind}:${module}`, kind, module, provenance: { module, rule: 'test', detail: '' }, dependsOn: [], ...extra } as unknown as IrNode;
}

describe('kubernetes live state', () => {
  it('parses pods: module label, readiness, restarts, waiting reason, hostPorts, revision, terminating', () => {
    const [p] = pods(pod('web', { ready: false, reason: 'CrashLoopBackOff', terminating: true }));
    expect(p).toMatchObject({ module: 'web', namespace: 'ns', ready: false, restarts: 2, reason: 'CrashLoopBackOff', terminating: true, revision: 'abc', hostPorts: [{ hostIp: '127.0.0.1', hostPort: 18080, containerPort: 8081 }] });
    expect(parsePods('not json')).toEqual([]);
  });

  it('a module is healthy only with as many ready pods as its replicas; terminating pods do not count', () => {
    const web = { module: 'web', longRunning: true, replicas: 2 };
    expect(moduleHealth(web, pods(pod('web', { name: 'a' }), pod('web', { name: 'b' }))).health).toBe('healthy');
    expect(moduleHealth(web, pods(pod('web', { name: 'a' }), pod('web', { name: 'b', terminating: true }))).health).toBe('starting');
    expect(moduleHealth(web, pods(pod('web', { name: 'a' }), pod('web', { name: 'b', ready: false, reason: 'CrashLoopBackOff' }))).health).toBe('unhealthy');
    expect(moduleHealth(web, pods(pod('other'))).health).toBe('missing');
    expect(moduleHealth(web, pods(pod('web', { phase: 'Failed', ready: false }))).health).toBe('exited');
  });

  it('a schedule has no pods most of the time: none, and exited after a failed run', () => {
    const job = { module: 'nightly', longRunning: false, replicas: 0 };
    expect(moduleHealth(job, []).health).toBe('none');
    expect(moduleHealth(job, pods(pod('nightly', { phase: 'Failed', ready: false }))).health).toBe('exited');
    expect(allReady([moduleHealth(job, [])])).toBe(true);
  });

  it('expects one entry per module from IR v2, gateways on 127.0.0.1:<publish>, and loads only built or local images', () => {
    const ir: InfraIR = irV2({
      system: 's',
      nodes: [
        node('workload', 'api', { replicas: 2 }),
        node('workload', 'auto', { replicas: 1, autoscale: { min: 3, max: 5, cpu: 70 } }),
        node('store', 'db', { availability: 'standard' }),
        node('gateway', 'edge', { publish: 18080, replicas: 1 }),
        node('gateway', 'edge3', { publish: 18081, replicas: 3 }),
        node('workload', 'web', { replicas: 2, ports: [{ name: 'http', port: 8080, protocol: 'http', publish: 18082 }] }),
        node('schedule', 'nightly', {}),
        node('image', 'api', { ref: 'aninfra-s-api:1', source: { kind: 'build', context: 'api', args: {} } }),
        node('image', 'db', { ref: 'postgres:16', source: { kind: 'pull' } }),
        node('image', 'edge', { ref: 'local/nginx:bookworm', source: { kind: 'local' } }),
      ],
    });
    expect(expectedModules(ir).map((m) => [m.module, m.longRunning, m.replicas])).toEqual([
      ['api', true, 2],
      ['auto', true, 3],
      ['db', true, 1],
      ['edge', true, 1],
      // a replicated gateway or published workload: its publisher's pod too
      ['edge3', true, 4],
      ['nightly', false, 0],
      ['web', true, 3],
    ]);
    expect(gatewayEndpoints(ir)).toEqual([
      { module: 'edge', container: 'edge', url: 'http://127.0.0.1:18080' },
      { module: 'edge3', container: 'edge3', url: 'http://127.0.0.1:18081' },
    ]);
    expect(imagesToLoad(ir).map((i) => i.ref)).toEqual(['aninfra-s-api:1', 'local/nginx:bookworm']);
  });

  it('chooses the image load method from ANINFRA_K8S_IMAGE_LOAD, else push with a registry, else none', () => {
    expect(loadMethod({ ANINFRA_K8S_IMAGE_LOAD: 'ctr:/run/k.sock' }, undefined)).toEqual({ kind: 'ctr', socket: '/run/k.sock' });
    expect(loadMethod({ ANINFRA_K8S_IMAGE_LOAD: 'kind' }, undefined)).toEqual({ kind: 'kind', cluster: 'kind' });
    expect(loadMethod({ ANINFRA_K8S_IMAGE_LOAD: 'kind:dev' }, undefined)).toEqual({ kind: 'kind', cluster: 'dev' });
    expect(loadMethod({}, 'registry.example.com/team')).toEqual({ kind: 'push' });
    expect(loadMethod({}, undefined)).toEqual({ kind: 'none' });
    expect(loadMethod({ ANINFRA_K8S_IMAGE_LOAD: 'ftp' }, undefined)).toBe('ftp');
  });

  it('names images as containerd stores them', () => {
    expect(normalizeRef('local/node:host')).toBe('docker.io/local/node:host');
    expect(normalizeRef('redis')).toBe('docker.io/library/redis:latest');
    expect(normalizeRef('registry.example.com:5000/a/b:1')).toBe('registry.example.com:5000/a/b:1');
    expect(normalizeRef('localhost/x')).toBe('localhost/x:latest');
  });

  it('reads the same from the kubernetes target model: controllers, HPA minimum, hostPorts, stores, images to load', () => {
    const obj = (kind: string, module: string, spec: unknown): unknown => ({ id: `${kind}/${module}`, kind, provenance: { module, rule: 'r', detail: '' }, dependsOn: [], object: { apiVersion: 'v1', kind, metadata: { name: module, labels: { 'aninfra.module': module } }, spec } });
    const model = {
      system: 's',
      namespace: 's',
      outputs: [],
      nodes: [
        { id: 'Namespace/s', kind: 'Namespace', provenance: { module: null, rule: 'namespace', detail: '' }, dependsOn: [], object: { metadata: { name: 's', labels: {} } } },
        obj('Deployment', 'api', { replicas: 2 }),
        obj('Deployment', 'auto', {}),
        obj('HorizontalPodAutoscaler', 'auto', { minReplicas: 3, maxReplicas: 5 }),
        obj('StatefulSet', 'db', { replicas: 1 }),
        obj('CronJob', 'db', {}),
        obj('Deployment', 'edge', { replicas: 1, template: { spec: { containers: [{ ports: [{ containerPort: 8080, hostPort: 18080, hostIP: '127.0.0.1' }] }] } } }),
        obj('CronJob', 'nightly', {}),
        obj('Deployment', 'web', { replicas: 3 }),
        { ...(obj('Deployment', 'web', { replicas: 1, template: { spec: { containers: [{ ports: [{ containerPort: 8080, hostPort: 18082, hostIP: '127.0.0.1' }] }] } } }) as object), id: 'Deployment/web-publish' },
      ],
      images: [
        { module: 'api', ref: 's-api:1', source: 'build', context: 'api', push: false },
        { module: 'edge', ref: 'local/nginx:bookworm', source: 'local', push: false },
      ],
    };
    const view = kubeView(model);
    expect(view.modules.map((m) => [m.module, m.longRunning, m.replicas])).toEqual([
      ['api', true, 2],
      ['auto', true, 3],
      ['db', true, 1],
      ['edge', true, 1],
      ['nightly', false, 0],
      // the workload's 3 replicas and its publisher's pod
      ['web', true, 4],
    ]);
    expect(view.endpoints).toEqual([
      { module: 'edge', container: 'edge', url: 'http://127.0.0.1:18080' },
      { module: 'web', container: 'web', url: 'http://127.0.0.1:18082' },
    ]);
    expect(view.stores).toEqual(['db']);
    expect(view.images.map((i) => [i.ref, i.source.kind])).toEqual([
      ['s-api:1', 'build'],
      ['local/nginx:bookworm', 'local'],
    ]);
    expect(view.imageRegistry).toBeUndefined();
  });

  it('keeps generated credentials on a data-keeping destroy: the random resources of the stack', () => {
    const deployment = {
      resources: [
        { type: 'pulumi:pulumi:Stack', urn: 'urn:pulumi:s::p::pulumi:pulumi:Stack::p-s' },
        { type: 'random:index/randomPassword:RandomPassword', urn: 'urn:pulumi:s::p::random:index/randomPassword:RandomPassword::db-password' },
        { type: 'kubernetes:core/v1:Secret', urn: 'urn:pulumi:s::p::kubernetes:core/v1:Secret::Secret/db-secrets' },
      ],
    };
    expect(generatedCredentials(deployment)).toEqual(['urn:pulumi:s::p::random:index/randomPassword:RandomPassword::db-password']);
    expect(generatedCredentials(undefined)).toEqual([]);
  });

  it("matches Pulumi resources to modules by name, also the target's <Kind>/<name>", () => {
    expect(ofModule('Deployment/notes', 'notes')).toBe(true);
    expect(ofModule('ConfigMap/edge-nginx', 'edge')).toBe(true);
    expect(ofModule('web', 'web')).toBe(true);
    expect(ofModule('Deployment/notes2', 'notes')).toBe(false);
    expect(ofModule('Service/accounts', 'notes')).toBe(false);
  });

  it('a rollout is done only when the latest spec is observed and every replica is updated and ready', () => {
    const ctl = (kind: string, status: Record<string, unknown>, generation = 2): unknown => ({ kind, metadata: { name: 'web', namespace: 'ns', generation, labels: { 'aninfra.module': 'web' } }, spec: { replicas: 3 }, status });
    const rollouts = (...items: unknown[]): boolean[] => parseRollouts(JSON.stringify({ items })).map((r) => r.done);
    expect(rollouts(ctl('Deployment', { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3 }))).toEqual([true]);
    // old pods still ready, the new one stuck: 4 pods, 1 updated
    expect(rollouts(ctl('Deployment', { observedGeneration: 2, replicas: 4, updatedReplicas: 1, readyReplicas: 3 }))).toEqual([false]);
    expect(rollouts(ctl('Deployment', { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3 }))).toEqual([false]);
    expect(rollouts(ctl('StatefulSet', { observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, currentRevision: 'a', updateRevision: 'a' }))).toEqual([true]);
    expect(parseRollouts('nope')).toEqual([]);
  });

  it("maps Pulumi's preview to model node ids (<Kind>/<name>), leaving out the stack, the provider and passwords", () => {
    const ops = new Map<string, string[]>([
      ['pulumi:pulumi:Stack::aninfra-s-s', ['same']],
      ['pulumi:providers:kubernetes::aninfra-kubernetes', ['same']],
      ['random:index/randomPassword:RandomPassword::db-password', ['create']],
      ['kubernetes:apps/v1:Deployment::Deployment/notes', ['update']],
      ['kubernetes:apps/v1:StatefulSet::StatefulSet/db', ['create-replacement', 'replace', 'delete-replaced']],
      ['kubernetes:core/v1:Namespace::Namespace/s', ['same']],
    ]);
    expect(previewSteps(ops)).toEqual([
      { id: 'Deployment/notes', op: 'update' },
      { id: 'Namespace/s', op: 'same' },
      { id: 'StatefulSet/db', op: 'replace' },
    ]);
  });
});
