/**
 * Shared by the cluster tests: whether they run (ANINFRA_K8S_E2E set and not "0"/"off"; then a
 * cluster that is not up fails the suite), and the environment aninfra needs to apply on the local
 * cluster: its kubeconfig, kubectl and the Kubernetes provider on PATH (with the Pulumi engine),
 * and built images loaded into the cluster's containerd.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from '../helpers/e2e.js';

export const SCRIPT = join(ROOT, 'scripts', 'local-cluster.sh');
const FLAG = process.env.ANINFRA_K8S_E2E;
export const CLUSTER_TESTS = FLAG !== undefined && FLAG !== '' && FLAG !== '0' && FLAG !== 'off';

/** KUBECONFIG, PATH and the image load method for the local cluster; throws when it is not up or the engine is not built. */
export function clusterEnv(): NodeJS.ProcessEnv {
  const status = spawnSync(SCRIPT, ['status'], { encoding: 'utf8', timeout: 60_000 });
  if (status.status !== 0) throw new Error(`ANINFRA_K8S_E2E is set but the local cluster is not up (scripts/local-cluster.sh status: ${status.stdout.trim()}); run scripts/local-cluster.sh up`);
  const kubeconfig = status.stdout.trim().split('\n').pop() ?? '';
  const k8sBin = spawnSync(SCRIPT, ['bin'], { encoding: 'utf8', timeout: 10_000 }).stdout.trim();
  const pulumi = spawnSync('bash', [join(ROOT, 'scripts', 'pulumi-engine.sh'), '--check'], { encoding: 'utf8', timeout: 60_000 });
  if (pulumi.status !== 0) throw new Error('ANINFRA_K8S_E2E is set but scripts/pulumi-engine.sh --check finds no working Pulumi engine');
  const pulumiBin = pulumi.stdout.trim().split('\n').pop() ?? '';
  const run = process.env.ANINFRA_K8S_RUN ?? '/tmp/aninfra-k8s';
  return {
    ...process.env,
    KUBECONFIG: kubeconfig,
    PATH: `${pulumiBin}:${k8sBin}:${process.env.PATH ?? ''}`,
    ANINFRA_K8S_IMAGE_LOAD: `ctr:${join(run, 'containerd', 'containerd.sock')}`,
    NO_COLOR: '1',
  };
}

export function kubectlJson(env: NodeJS.ProcessEnv, args: readonly string[]): unknown {
  const r = spawnSync(SCRIPT, ['kubectl', ...args, '-o', 'json'], { encoding: 'utf8', timeout: 60_000, env });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

export function kubectlRun(env: NodeJS.ProcessEnv, args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(SCRIPT, ['kubectl', ...args], { encoding: 'utf8', timeout: 180_000, env });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export interface PodView {
  readonly name: string;
  readonly uid: string;
  readonly ready: boolean;
  readonly revision: string;
  readonly env: Record<string, string>;
}

/** Pods (not being deleted) of one module of a system, by the aninfra labels. */
export function modulePods(env: NodeJS.ProcessEnv, system: string, module: string): PodView[] {
  const doc = kubectlJson(env, ['get', 'pods', '--all-namespaces', '-l', `aninfra.system=${system},aninfra.module=${module}`]) as {
    items: { metadata: { name: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string }; spec: { containers: { env?: { name: string; value?: string }[] }[] }; status: { conditions?: { type: string; status: string }[] } }[];
  };
  return doc.items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => ({
      name: p.metadata.name,
      uid: p.metadata.uid,
      ready: (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      revision: p.metadata.labels?.['pod-template-hash'] ?? p.metadata.labels?.['controller-revision-hash'] ?? '',
      env: Object.fromEntries((p.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value ?? ''])),
    }));
}

/** `<namespace>/<name>` of a system's persistent volume claims. */
export function systemClaims(env: NodeJS.ProcessEnv, system: string): string[] {
  const doc = kubectlJson(env, ['get', 'pvc', '--all-namespaces', '-l', `aninfra.system=${system}`]) as { items: { metadata: { name: string; namespace: string } }[] };
  return doc.items.map((c) => `${c.metadata.namespace}/${c.metadata.name}`).sort();
}

export async function waitFor<T>(what: string, seconds: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const until = Date.now() + seconds * 1000;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out after ${seconds}s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function httpText(url: string, seconds = 60): Promise<string> {
  return waitFor(`${url} to answer 200`, seconds, async () => {
    const r = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return r.status === 200 ? await r.text() : undefined;
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
