/**
 * A replicated workload with a published port on the local Kubernetes cluster (one node), through
 * the real CLI: the notes API with `replicas: 3` and `publish:` runs all three replicas ready (a
 * hostPort on each would leave two Pending) behind one publisher pod, and answers on
 * 127.0.0.1:<publish>; the Service it forwards to has all three replicas as endpoints.
 *
 * Runs only with ANINFRA_K8S_E2E (cluster project); serialize with the docker e2e lock.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, LOCAL_IMAGES, purgeSystem, ROOT, type CliResult } from '../helpers/e2e.js';
import { CLUSTER_TESTS, clusterEnv, freePort, httpText, kubectlRun, modulePods } from './cluster-env.js';

const SYSTEM = `kp-${process.pid % 100000}`;
const TIMEOUT = 600_000;

describe.runIf(CLUSTER_TESTS)('a published workload with 3 replicas on the local Kubernetes cluster (CLI)', () => {
  let env: NodeJS.ProcessEnv = {};
  let dir = '';
  let spec = '';
  let port = 0;
  const run = (args: readonly string[]): Promise<CliResult> => cli([...args, '--json'], { cwd: dir, env, timeoutMs: TIMEOUT });

  beforeAll(async () => {
    env = clusterEnv();
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), `aninfra-${SYSTEM}-`));
    env = { ...env, XDG_CONFIG_HOME: join(dir, 'config') };
    cpSync(join(ROOT, 'specs', 'examples', 'notes'), join(dir, 'notes'), { recursive: true });
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(
      spec,
      `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${SYSTEM}\ntarget: kubernetes\nmodules:\n  cache:\n    type: redis\n    version: "7"\n  notes:\n    type: service\n    with:\n      runtime: node\n      build: ./notes/notes-api\n      port: 8080\n      publish: ${port}\n      replicas: 3\n    uses: [cache]\n`,
    );
  }, 120_000);

  afterAll(async () => {
    if (!dir) return;
    await run(['destroy', '--delete-data', spec]).catch(() => undefined);
    kubectlRun(env, ['delete', 'namespace', '-l', `aninfra.system=${SYSTEM}`, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    kubectlRun(env, ['delete', 'pvc', '--all-namespaces', '-l', `aninfra.system=${SYSTEM}`, '--ignore-not-found', '--wait=true', '--timeout=60s']);
    purgeSystem(SYSTEM);
    rmSync(dir, { recursive: true, force: true });
  }, TIMEOUT);

  it('applies to all-ready: three replicas and the publisher, no pod Pending', async () => {
    const r = await run(['apply', '--images', LOCAL_IMAGES, '--timeout', '240', spec]);
    expect(r.json.diagnostics, r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    const pods = modulePods(env, SYSTEM, 'notes');
    expect(pods.filter((p) => p.name.startsWith('notes-publish-')).map((p) => p.ready)).toEqual([true]);
    expect(pods.filter((p) => !p.name.startsWith('notes-publish-')).map((p) => p.ready)).toEqual([true, true, true]);
  }, TIMEOUT);

  it('answers on 127.0.0.1:<publish> through the publisher, whose Service balances over all three replicas', async () => {
    expect(await httpText(`http://127.0.0.1:${port}/health`, 120)).toBeTruthy();
    const status = await run(['status', spec]);
    expect(status.code, JSON.stringify(status.json)).toBe(0);
    const endpoints = kubectlRun(env, ['get', 'endpoints', 'notes', '--namespace', SYSTEM, '-o', 'jsonpath={.subsets[*].addresses[*].ip}']);
    expect(endpoints.stdout.trim().split(/\s+/)).toHaveLength(3);
  }, TIMEOUT);
});
