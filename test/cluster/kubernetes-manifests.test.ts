/**
 * The kubernetes target's manifests.yaml is accepted by the local cluster's API server: a
 * server-side dry run (`kubectl apply --dry-run=server`) of every object of the notes-like design,
 * in a namespace of its own (created for real, since a dry-run namespace cannot hold dry-run
 * objects, and deleted afterwards).
 *
 * Runs only when ANINFRA_K8S_E2E is set (the `cluster` vitest project); then a cluster that is not
 * up fails the test instead of skipping it. Start one with `scripts/local-cluster.sh up`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileDesign, notesDesign } from '../targets/kubernetes/design-of.js';
import { emitDesign, manifestObjects } from '../targets/kubernetes/program.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'local-cluster.sh');
const FLAG = process.env.ANINFRA_K8S_E2E;
const ENABLED = FLAG !== undefined && FLAG !== '' && FLAG !== '0' && FLAG !== 'off';
const NS = `aninfra-dry-${process.pid}-${randomBytes(3).toString('hex')}`;

function kubectl(args: readonly string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync(SCRIPT, ['kubectl', ...args], { input, encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

describe.runIf(ENABLED)('manifests.yaml on the local cluster (server-side dry run)', () => {
  beforeAll(() => {
    const status = spawnSync(SCRIPT, ['status'], { encoding: 'utf8', timeout: 60_000 });
    if (status.status !== 0) throw new Error(`ANINFRA_K8S_E2E is set but the local cluster is not up (${status.stdout.trim()}); run scripts/local-cluster.sh up`);
    execFileSync(SCRIPT, ['kubectl', 'create', 'namespace', NS], { encoding: 'utf8', timeout: 60_000 });
  }, 120_000);
  afterAll(() => {
    if (ENABLED) kubectl(['delete', 'namespace', NS, '--wait=false', '--ignore-not-found']);
  });

  it.each([
    ['notes', () => notesDesign({ kubernetes: { namespace: NS, ingressClass: 'nginx', storageClass: 'standard' } })],
    ['hostile', () => ({ ...hostileDesign(), platform: { kubernetes: { namespace: NS } } })],
  ])('accepts every object of the %s design', (_name, design) => {
    const text = emitDesign(design()).file('manifests.yaml');
    const objects = manifestObjects(text);
    const r = kubectl(['apply', '--dry-run=server', '-o', 'name', '-f', '-'], text);
    expect(r.status, r.out).toBe(0);
    const names = r.out.trim().split('\n').filter((l) => l.includes('/'));
    expect(names).toHaveLength(objects.length);
  });
});
