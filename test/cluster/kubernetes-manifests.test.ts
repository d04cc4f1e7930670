/**
 * The kubernetes target's manifests.yaml is accepted by the local cluster's API server: a
 * server-side dry run (`kubectl apply --dry-run=server`) of every object of the notes-like and the
 * hostile designs. Read-only: the objects go to the existing `default` namespace (a dry-run
 * namespace cannot hold dry-run objects), and a dry run persists nothing.
 *
 * Runs only when ANINFRA_K8S_E2E is set (the `cluster` vitest project); then a cluster that is not
 * up fails the test instead of skipping it. Start one with `scripts/local-cluster.sh up`.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostileDesign, notesDesign } from '../targets/kubernetes/design-of.js';
import { emitDesign, manifestObjects } from '../targets/kubernetes/program.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'local-cluster.sh');
const FLAG = process.env.ANINFRA_K8S_E2E;
const ENABLED = FLAG !== undefined && FLAG !== '' && FLAG !== '0' && FLAG !== 'off';
const NS = 'default';

function kubectl(args: readonly string[], input?: string): { status: number | null; out: string; err: string } {
  const r = spawnSync(SCRIPT, ['kubectl', ...args], { input, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, out: r.stdout ?? '', err: r.stderr ?? '' };
}

describe.runIf(ENABLED)('manifests.yaml on the local cluster (server-side dry run)', () => {
  beforeAll(() => {
    const status = spawnSync(SCRIPT, ['status'], { encoding: 'utf8', timeout: 60_000 });
    if (status.status !== 0) throw new Error(`ANINFRA_K8S_E2E is set but the local cluster is not up (${status.stdout.trim()}); run scripts/local-cluster.sh up`);
  }, 120_000);

  it.each([
    ['notes', () => notesDesign({ kubernetes: { namespace: NS, ingressClass: 'nginx', storageClass: 'standard' } })],
    ['hostile', () => ({ ...hostileDesign(), platform: { kubernetes: { namespace: NS } } })],
    [
      'replicated-gateway',
      () => {
        const ir = notesDesign({ kubernetes: { namespace: NS, imageRegistry: 'registry.example.com/apps' } });
        return { ...ir, nodes: ir.nodes.map((n) => (n.kind === 'gateway' ? { ...n, replicas: 2, autoscale: { min: 2, max: 4, cpu: 60 } } : n)) };
      },
    ],
  ])('accepts every object of the %s design', (_name, design) => {
    const text = emitDesign(design()).file('manifests.yaml');
    const objects = manifestObjects(text);
    const r = kubectl(['apply', '--dry-run=server', '-o', 'name', '-f', '-'], text);
    expect(r.status, `${r.out}${r.err}`).toBe(0);
    const names = r.out.trim().split('\n').filter((l) => l.includes('/'));
    expect(names, `${r.out}${r.err}`).toHaveLength(objects.length);
    // Nothing was created: the dry run persisted none of the system's objects.
    const live = kubectl(['get', 'deployments,statefulsets,cronjobs', '-n', NS, '-l', `aninfra.system=${objects[0]?.metadata.labels?.['aninfra.system'] ?? ''}`, '-o', 'name']);
    expect(live.out.trim()).toBe('');
  });
});
