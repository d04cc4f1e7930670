/**
 * Drift on the local Kubernetes cluster (CLI, kubernetes target, its own namespace = the unique
 * system name): right after apply nothing drifted; `kubectl set image` (the same image under
 * another name, so pods stay healthy) and `kubectl set env` on the store's StatefulSet are exactly
 * WARN_DRIFT_IMAGE and WARN_DRIFT_ENV (exit 2), `status` lists the same; a stray Deployment with
 * the system's labels is WARN_DRIFT_UNKNOWN_RESOURCE with the kubectl command that deletes it, and
 * running that command takes it off the list. (Whether the Pulumi Kubernetes engine's apply
 * restores fields another field manager took over is not asserted here.)
 *
 * Runs only with ANINFRA_K8S_E2E (cluster project); serialize with the docker e2e lock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, LOCAL_IMAGES, type CliResult } from '../helpers/e2e.js';
import { CLUSTER_TESTS, clusterEnv, kubectlJson, kubectlRun } from './cluster-env.js';

const SYSTEM = `dk-${process.pid % 100000}`;
const TIMEOUT = 600_000;

interface Item {
  code: string;
  resource: string;
  heal: string;
}

describe.runIf(CLUSTER_TESTS)('drift on the local Kubernetes cluster (CLI)', () => {
  let env: NodeJS.ProcessEnv = {};
  let dir = '';
  let spec = '';
  const run = (args: readonly string[]): Promise<CliResult> => cli([...args, '--json'], { cwd: dir, env, timeoutMs: TIMEOUT });
  const codes = (items: unknown): string[] => (items as Item[]).map((i) => i.code).sort();
  const container = (): { image: string; env: { name: string }[] } => {
    const sts = kubectlJson(env, ['get', 'statefulset', 'cache', '-n', SYSTEM]) as { spec: { template: { spec: { containers: { image: string; env?: { name: string }[] }[] } } } };
    const c = sts.spec.template.spec.containers[0];
    return { image: c?.image ?? '', env: c?.env ?? [] };
  };

  beforeAll(() => {
    env = clusterEnv();
    dir = mkdtempSync(join(tmpdir(), `aninfra-${SYSTEM}-`));
    env = { ...env, XDG_CONFIG_HOME: join(dir, 'config') };
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(spec, `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${SYSTEM}\ntarget: kubernetes\nmodules:\n  cache:\n    type: redis\n    version: "7"\n`);
  }, 120_000);

  afterAll(async () => {
    if (!dir) return;
    kubectlRun(env, ['delete', 'deployment', 'stray', '-n', SYSTEM, '--ignore-not-found']);
    await run(['destroy', '--delete-data', spec]).catch(() => undefined);
    kubectlRun(env, ['delete', 'namespace', '-l', `aninfra.system=${SYSTEM}`, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    kubectlRun(env, ['delete', 'pvc', '--all-namespaces', '-l', `aninfra.system=${SYSTEM}`, '--ignore-not-found', '--wait=true', '--timeout=60s']);
    rmSync(dir, { recursive: true, force: true });
  }, TIMEOUT);

  it('finds no drift right after apply', async () => {
    const r = await run(['apply', '--images', LOCAL_IMAGES, '--timeout', '240', spec]);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    const d = await run(['drift', spec]);
    expect(d.code, JSON.stringify(d.json)).toBe(0);
  }, TIMEOUT);

  it('sees an image and env set by hand and a stray labelled Deployment; status shows the same', async () => {
    const before = container();
    // The same image under its fully qualified name: the spec string differs, the pods stay healthy.
    const other = before.image.startsWith('docker.io/') ? before.image.slice('docker.io/'.length) : `docker.io/${before.image}`;
    expect(kubectlRun(env, ['set', 'image', 'statefulset/cache', '-n', SYSTEM, `cache=${other}`]).code).toBe(0);
    expect(kubectlRun(env, ['set', 'env', 'statefulset/cache', '-n', SYSTEM, 'DRIFT_PROBE=1']).code).toBe(0);
    expect(kubectlRun(env, ['rollout', 'status', 'statefulset/cache', '-n', SYSTEM, '--timeout=180s']).code).toBe(0);
    const stray = kubectlRun(env, ['create', 'deployment', 'stray', '-n', SYSTEM, `--image=${before.image}`, '--replicas=0']);
    expect(stray.code, stray.stderr).toBe(0);
    expect(kubectlRun(env, ['label', 'deployment', 'stray', '-n', SYSTEM, `aninfra.system=${SYSTEM}`]).code).toBe(0);

    const d = await run(['drift', spec]);
    expect(d.code, JSON.stringify(d.json)).toBe(2);
    expect(codes(d.json.items)).toEqual(['WARN_DRIFT_ENV', 'WARN_DRIFT_IMAGE', 'WARN_DRIFT_UNKNOWN_RESOURCE']);
    const unknown = (d.json.items as Item[]).find((i) => i.code === 'WARN_DRIFT_UNKNOWN_RESOURCE');
    expect(unknown).toMatchObject({ resource: `${SYSTEM}/stray`, heal: `kubectl delete deployment stray -n ${SYSTEM}` });
    const s = await run(['status', spec]);
    expect(codes(s.json.drift)).toEqual(codes(d.json.items));
  }, TIMEOUT);

  it("the stray's heal command deletes it, and it is no longer reported", async () => {
    const d = await run(['drift', spec]);
    const heal = (d.json.items as Item[]).find((i) => i.code === 'WARN_DRIFT_UNKNOWN_RESOURCE')?.heal.split(' ') ?? [];
    expect(heal.slice(0, 2)).toEqual(['kubectl', 'delete']);
    expect(kubectlRun(env, heal.slice(1)).code).toBe(0);
    const after = await run(['drift', spec]);
    expect(codes(after.json.items)).toEqual(['WARN_DRIFT_ENV', 'WARN_DRIFT_IMAGE']);
  }, TIMEOUT);
});
