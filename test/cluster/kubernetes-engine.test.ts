/**
 * The kubernetes engine on the local cluster, driven directly with a hand-written @pulumi/kubernetes
 * program (test/fixtures/kubernetes-program: a redis StatefulSet, a 2-replica Deployment, a gateway
 * Deployment publishing a hostPort) and the IR v2 nodes the engine reads: a service image built
 * and imported into the cluster's containerd, apply to all-ready, HTTP through the gateway to the
 * workload and on to the store, replicas 2 → 3, an env change rolls pods, status from pods,
 * destroy keeps the claim, destroy --delete-data deletes it.
 *
 * Runs only with ANINFRA_K8S_E2E (cluster project); serialize with the docker e2e lock.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InfraIR as InfraIRv1 } from '../../src/compiler/lower/ir.js';
import type { InfraIR, IrNode } from '../../src/compiler/lower/ir.js';
import type { EngineContext } from '../../src/engine/engine.js';
import { normalizeRef } from '../../src/engine/kube-images.js';
import { kubernetesEngine } from '../../src/engine/kubernetes-engine.js';
import { statePaths } from '../../src/state/paths.js';
import { SecretStore } from '../../src/state/secret-store.js';
import { ROOT } from '../helpers/e2e.js';
import { CLUSTER_TESTS, clusterEnv, freePort, httpText, kubectlRun, modulePods, systemClaims, waitFor } from './cluster-env.js';

const SYSTEM = `k8s-eng-${process.pid % 100000}`;
const FIXTURE = join(ROOT, 'test', 'fixtures', 'kubernetes-program');

function node(kind: IrNode['kind'], module: string, extra: Record<string, unknown>): IrNode {
  return { id: `${kind}:${module}`, kind, module, provenance: { module, rule: 'test', detail: '' }, dependsOn: [], type: kind, version: '1', labels: {}, ...extra } as unknown as IrNode;
}

describe.runIf(CLUSTER_TESTS)('kubernetes engine on the local cluster', () => {
  let env: NodeJS.ProcessEnv = {};
  let dir = '';
  let publish = 0;
  let image = '';
  let ctxFor: (settings: { replicas: number; greeting: string; broken?: boolean }) => EngineContext = () => {
    throw new Error('not set up');
  };

  beforeAll(async () => {
    env = clusterEnv();
    dir = mkdtempSync(join(tmpdir(), 'aninfra-k8s-engine-'));
    publish = await freePort();
    const paths = statePaths(join(dir, 'spec.yaml'), SYSTEM, join(dir, 'state'), { ...env, XDG_CONFIG_HOME: join(dir, 'config') });
    SecretStore.open(paths, env).save();
    image = `aninfra-${SYSTEM}-web:fixture`;
    const context = join(dir, 'web');
    mkdirSync(context);
    writeFileSync(join(context, 'Dockerfile'), 'FROM local/python:bookworm\nRUN echo fixture > /fixture.txt\n');
    ctxFor = (settings) => {
      const programDir = paths.deploy('kubernetes');
      mkdirSync(programDir, { recursive: true });
      cpSync(FIXTURE, programDir, { recursive: true });
      writeFileSync(join(programDir, 'settings.json'), JSON.stringify({ system: SYSTEM, owner: paths.owner, publish, image, store: 'local/redis:bookworm', ...settings }));
      const ir: InfraIR = {
        irVersion: 2,
        system: SYSTEM,
        owner: paths.owner,
        platform: {},
        nodes: [
          node('image', 'web', { ref: image, source: { kind: 'build', context: 'web', args: {} } }),
          node('store', 'cache', { engine: 'redis', availability: 'standard' }),
          node('workload', 'web', { replicas: settings.replicas }),
          node('gateway', 'edge', { publish, replicas: 1 }),
        ],
        outputs: [],
      };
      return {
        system: SYSTEM,
        ir: ir as unknown as InfraIRv1,
        platform: {},
        programDir,
        specDir: dir,
        paths,
        secrets: new Map(),
        hostEnv: {},
        hasChanges: true,
        timeoutSeconds: 150,
        pull: 'never',
        signal: new AbortController().signal,
        env: { ...env, XDG_CONFIG_HOME: join(dir, 'config') },
        emit: () => undefined,
        redact: (t) => t,
      };
    };
  }, 120_000);

  afterAll(async () => {
    if (!dir) return;
    // Whatever a failed test left: the stack, then anything labelled with the system, then the image.
    await kubernetesEngine.destroy(ctxFor({ replicas: 1, greeting: 'bye' }), { deleteData: true }).catch(() => undefined);
    kubectlRun(env, ['delete', 'namespace', SYSTEM, '--ignore-not-found', '--wait=true', '--timeout=90s']);
    spawnSync('docker', ['rmi', '-f', image], { stdio: 'ignore', timeout: 60_000 });
    const socket = (env.ANINFRA_K8S_IMAGE_LOAD ?? '').replace(/^ctr:/, '');
    if (socket) spawnSync('ctr', ['-a', socket, '-n', 'k8s.io', 'images', 'rm', normalizeRef(image)], { stdio: 'ignore', timeout: 60_000 });
    rmSync(dir, { recursive: true, force: true });
  }, 400_000);

  it('applies to all-ready: the gateway answers on 127.0.0.1 and reaches the workload and the store by service name', async () => {
    const result = await kubernetesEngine.apply(ctxFor({ replicas: 2, greeting: 'hello' }));
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.modules.map((m) => [m.module, m.outcome, m.health])).toEqual([
      ['cache', 'created', 'healthy'],
      ['edge', 'created', 'healthy'],
      ['web', 'created', 'healthy'],
    ]);
    expect(kubernetesEngine.endpoints(ctxFor({ replicas: 2, greeting: 'hello' }).ir)).toEqual([{ module: 'edge', container: 'edge', url: `http://127.0.0.1:${publish}` }]);
    expect(modulePods(env, SYSTEM, 'web').filter((p) => p.ready)).toHaveLength(2);
    expect((await httpText(`http://127.0.0.1:${publish}/`)).startsWith('hello web-')).toBe(true);
    expect(await httpText(`http://127.0.0.1:${publish}/cache`)).toBe('+PONG');
    expect(systemClaims(env, SYSTEM)).toEqual([`${SYSTEM}/data-cache-0`]);
  }, 400_000);

  it('a no-op apply does not run Pulumi; status reads every module healthy from the pods; the ownership check sees its objects', async () => {
    const started = Date.now();
    const result = await kubernetesEngine.apply({ ...ctxFor({ replicas: 2, greeting: 'hello' }), hasChanges: false });
    expect(result.ok).toBe(true);
    expect(result.modules.every((m) => m.outcome === 'unchanged')).toBe(true);
    expect(Date.now() - started).toBeLessThan(20_000);
    const live = await kubernetesEngine.status(ctxFor({ replicas: 2, greeting: 'hello' }));
    expect(live.unavailable).toBeUndefined();
    expect(live.modules.map((m) => [m.module, m.health])).toEqual([
      ['cache', 'healthy'],
      ['edge', 'healthy'],
      ['web', 'healthy'],
    ]);
    expect(live.endpoints.map((e) => e.url)).toEqual([`http://127.0.0.1:${publish}`]);
    expect(live.missing).toEqual({ volumes: [] });
    const owned = await kubernetesEngine.labelledResources(ctxFor({ replicas: 2, greeting: 'hello' }));
    const owner = ctxFor({ replicas: 2, greeting: 'hello' }).paths.owner;
    expect(owned.filter((r) => r.kind === 'Namespace')).toEqual([{ kind: 'Namespace', name: SYSTEM, owner }]);
    expect(owned.some((r) => r.kind === 'PersistentVolumeClaim' && r.name === `${SYSTEM}/data-cache-0` && r.owner === owner)).toBe(true);
  }, 120_000);

  it('replicas 2 → 3 rolls out a third ready pod', async () => {
    const result = await kubernetesEngine.apply(ctxFor({ replicas: 3, greeting: 'hello' }));
    expect(result.ok).toBe(true);
    expect(result.modules.find((m) => m.module === 'web')?.outcome).toBe('updated');
    expect(modulePods(env, SYSTEM, 'web').filter((p) => p.ready)).toHaveLength(3);
  }, 400_000);

  it('an env change rolls every pod of the workload to the new value', async () => {
    const before = modulePods(env, SYSTEM, 'web');
    const result = await kubernetesEngine.apply(ctxFor({ replicas: 3, greeting: 'bonjour' }));
    expect(result.ok).toBe(true);
    const after = await waitFor('the old pods to go', 90, () => {
      const pods = modulePods(env, SYSTEM, 'web');
      return pods.length === 3 && pods.every((p) => p.ready && p.env.GREETING === 'bonjour') ? pods : undefined;
    });
    expect(after.some((p) => before.some((b) => b.uid === p.uid))).toBe(false);
    expect((await httpText(`http://127.0.0.1:${publish}/`)).startsWith('bonjour ')).toBe(true);
  }, 400_000);

  it('a deleted pod comes back and the module is healthy again', async () => {
    const [victim] = modulePods(env, SYSTEM, 'web');
    expect(victim).toBeDefined();
    expect(kubectlRun(env, ['delete', 'pod', '-n', SYSTEM, victim?.name ?? '', '--wait=false']).code).toBe(0);
    await waitFor('a replacement pod', 90, () => {
      const pods = modulePods(env, SYSTEM, 'web');
      return pods.length === 3 && pods.every((p) => p.ready) && !pods.some((p) => p.uid === victim?.uid) ? pods : undefined;
    });
    const live = await kubernetesEngine.status(ctxFor({ replicas: 3, greeting: 'bonjour' }));
    expect(live.modules.find((m) => m.module === 'web')?.health).toBe('healthy');
  }, 120_000);

  it('a rollout whose new pods never get ready fails the apply (ERR_ENGINE_MODULE_UNHEALTHY) while the old pods serve; a good apply recovers', async () => {
    const broken = await kubernetesEngine.apply({ ...ctxFor({ replicas: 3, greeting: 'broken', broken: true }), timeoutSeconds: 20 });
    expect(broken.ok).toBe(false);
    expect(broken.diagnostics.map((d) => d.code)).toEqual(['ERR_ENGINE_MODULE_UNHEALTHY']);
    expect(broken.modules.find((m) => m.module === 'web')?.health).not.toBe('healthy');
    expect((await httpText(`http://127.0.0.1:${publish}/`)).startsWith('bonjour ')).toBe(true);
    const fixed = await kubernetesEngine.apply(ctxFor({ replicas: 3, greeting: 'bonjour' }));
    expect(fixed.diagnostics).toEqual([]);
    expect(fixed.ok).toBe(true);
    await waitFor('three ready web pods', 90, () => (modulePods(env, SYSTEM, 'web').filter((p) => p.ready).length === 3 ? true : undefined));
  }, 400_000);

  it('destroy keeps the claim (and its namespace) and the generated password; destroy with deleteData removes them', async () => {
    const password = (): string => Buffer.from(kubectlRun(env, ['get', 'secret', '-n', SYSTEM, 'cache-secrets', '-o', 'jsonpath={.data.password}']).stdout, 'base64').toString();
    const before = password();
    expect(before).toMatch(/^[A-Za-z0-9]{24}$/);
    const kept = await kubernetesEngine.destroy(ctxFor({ replicas: 3, greeting: 'bonjour' }), { deleteData: false });
    expect(kept.diagnostics).toEqual([]);
    expect(kept.ok).toBe(true);
    expect(kept.volumesKept).toEqual([`${SYSTEM}/data-cache-0`]);
    expect(kept.modules.map((m) => m.outcome)).toEqual(['deleted', 'deleted', 'deleted']);
    expect(modulePods(env, SYSTEM, 'web')).toEqual([]);
    expect(systemClaims(env, SYSTEM)).toEqual([`${SYSTEM}/data-cache-0`]);
    // The kept data comes back with the credentials it was written with.
    const again = await kubernetesEngine.apply(ctxFor({ replicas: 1, greeting: 'again' }));
    expect(again.ok).toBe(true);
    expect(password()).toBe(before);
    expect(await httpText(`http://127.0.0.1:${publish}/cache`)).toBe('+PONG');
    const gone = await kubernetesEngine.destroy(ctxFor({ replicas: 3, greeting: 'bonjour' }), { deleteData: true });
    expect(gone.ok).toBe(true);
    expect(kubectlRun(env, ['get', 'namespace', SYSTEM]).code).not.toBe(0);
    expect(gone.volumesDeleted).toEqual([`${SYSTEM}/data-cache-0`]);
    expect(gone.volumesKept).toEqual([]);
    expect(systemClaims(env, SYSTEM)).toEqual([]);
  }, 400_000);
});
