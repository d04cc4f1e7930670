/**
 * The `task` module type on the local Kubernetes cluster (CLI, kubernetes target, its own
 * namespace = the unique system name): a task is a Job `<module>-<hash8>` that completes before
 * the worker after it is created; status reports it settled; a re-apply without change runs
 * nothing (the same Job, same uid); a changed command runs a new Job once and removes the old; a
 * failing task (exit 3) fails the apply with ERR_ENGINE_TASK_FAILED (exit status, log tail) and
 * the worker after it is never created; the next apply runs the failed Job again, and a fixed
 * command lets the worker follow.
 *
 * Runs only with ANINFRA_K8S_E2E (cluster project); serialize with the docker e2e lock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, LOCAL_IMAGES, type CliResult } from '../helpers/e2e.js';
import { CLUSTER_TESTS, clusterEnv, kubectlJson, kubectlRun, waitFor } from './cluster-env.js';

const SYSTEM = `tk-${process.pid % 100000}`;
const TIMEOUT = 600_000;

interface JobJson {
  metadata: { name: string; uid: string; labels?: Record<string, string>; deletionTimestamp?: string };
  spec: { backoffLimit?: number };
  status: { succeeded?: number; failed?: number; completionTime?: string };
}

function specText(taskScript: string): string {
  return `apiVersion: aninfra/v1
kind: System
metadata:
  name: ${SYSTEM}
target: kubernetes
modules:
  migrate:
    type: task
    with:
      runtime: image
      image: debian:bookworm-slim
      command: [/bin/sh, -c, ${JSON.stringify(taskScript)}]
  reader:
    type: worker
    with:
      runtime: image
      image: debian:bookworm-slim
      command: [/bin/sh, -c, 'exec sleep 100000']
    after: [migrate]
`;
}

describe.runIf(CLUSTER_TESTS)('task modules on the local Kubernetes cluster (CLI)', () => {
  let env: NodeJS.ProcessEnv = {};
  let dir = '';
  let spec = '';
  const run = (args: readonly string[]): Promise<CliResult> => cli([...args, '--json'], { cwd: dir, env, timeoutMs: TIMEOUT });
  const apply = (timeout = 240): Promise<CliResult> => run(['apply', '--images', LOCAL_IMAGES, '--timeout', String(timeout), spec]);
  const jobs = (): JobJson[] => (kubectlJson(env, ['get', 'jobs', '-n', SYSTEM, '-l', `aninfra.system=${SYSTEM},aninfra.module=migrate`]) as { items: JobJson[] }).items.filter((j) => !j.metadata.deletionTimestamp);
  const readerDeployment = (): { metadata: { creationTimestamp: string } } | undefined => {
    const r = kubectlRun(env, ['get', 'deployment', 'reader', '-n', SYSTEM, '-o', 'json', '--ignore-not-found']);
    return r.stdout.trim() ? (JSON.parse(r.stdout) as { metadata: { creationTimestamp: string } }) : undefined;
  };

  beforeAll(() => {
    env = clusterEnv();
    dir = mkdtempSync(join(tmpdir(), `aninfra-${SYSTEM}-`));
    env = { ...env, XDG_CONFIG_HOME: join(dir, 'config') };
    spec = join(dir, 'aninfra.yaml');
    writeFileSync(spec, specText('echo ran-v1'));
  }, 120_000);

  afterAll(async () => {
    if (!dir) return;
    try {
      await run(['destroy', '--delete-data', spec]).catch(() => undefined);
    } finally {
      kubectlRun(env, ['delete', 'namespace', '-l', `aninfra.system=${SYSTEM}`, '--ignore-not-found', '--wait=true', '--timeout=120s']);
      rmSync(dir, { recursive: true, force: true });
    }
  }, TIMEOUT);

  let first: JobJson | undefined;

  it('runs the task Job to completion before the worker after it is created; status reports it settled', async () => {
    const r = await apply();
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    const list = jobs();
    expect(list).toHaveLength(1);
    first = list[0];
    expect(first?.metadata.name).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(first?.status.succeeded).toBe(1);
    const reader = readerDeployment();
    expect(reader).toBeDefined();
    expect(Date.parse(reader?.metadata.creationTimestamp ?? '')).toBeGreaterThanOrEqual(Date.parse(first?.status.completionTime ?? 'x'));
    const logs = kubectlRun(env, ['logs', '-n', SYSTEM, `job/${first?.metadata.name ?? ''}`]);
    expect(logs.stdout).toContain('ran-v1');

    const s = await run(['status', spec]);
    const modules = (s.json.modules ?? []) as { module: string; health: string }[];
    expect(modules.find((m) => m.module === 'migrate')?.health).toBe('none');
    expect(modules.find((m) => m.module === 'reader')?.health).toBe('healthy');
    const d = await run(['drift', spec]);
    expect(d.code, JSON.stringify(d.json)).toBe(0);
  }, TIMEOUT);

  it('a re-apply without change runs nothing new: the same Job (uid)', async () => {
    const r = await apply();
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    expect(jobs().map((j) => j.metadata.uid)).toEqual([first?.metadata.uid]);
  }, TIMEOUT);

  it('a changed command runs a new Job once and removes the old one', async () => {
    writeFileSync(spec, specText('echo ran-v2'));
    const r = await apply();
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(0);
    const now = await waitFor('the old Job deleted', 60, () => {
      const list = jobs();
      return list.length === 1 ? list : undefined;
    });
    expect(now[0]?.metadata.name).not.toBe(first?.metadata.name);
    expect(now[0]?.metadata.uid).not.toBe(first?.metadata.uid);
    expect(now[0]?.status.succeeded).toBe(1);
    expect(kubectlRun(env, ['logs', '-n', SYSTEM, `job/${now[0]?.metadata.name ?? ''}`]).stdout).toContain('ran-v2');
  }, TIMEOUT);

  it('a failing task fails the apply with ERR_ENGINE_TASK_FAILED; the worker after it is not created', async () => {
    const down = await run(['destroy', spec]);
    expect(down.code, `${down.stderr}\n${JSON.stringify(down.json.diagnostics)}`).toBe(0);
    expect(readerDeployment()).toBeUndefined();
    writeFileSync(spec, specText('echo "migration failed on purpose" >&2; exit 3'));
    const r = await apply(120);
    expect(r.code, `${r.stderr}\n${JSON.stringify(r.json.diagnostics)}`).toBe(3);
    const diagnostics = (r.json.diagnostics ?? []) as { code: string; message: string; hint?: string }[];
    const failed = diagnostics.find((d) => d.code === 'ERR_ENGINE_TASK_FAILED');
    expect(failed, JSON.stringify(diagnostics)).toBeDefined();
    expect(failed?.message).toContain('migrate');
    expect(failed?.message).toContain('3');
    expect(failed?.hint).toContain('migration failed on purpose');
    // the Job's failure is the task's, not a generic engine failure
    expect(diagnostics.map((d) => d.code)).not.toContain('ERR_ENGINE_FAILED');
    expect(((r.json.modules ?? []) as { module: string; outcome: string }[]).find((m) => m.module === 'migrate')?.outcome).toBe('failed');
    expect(readerDeployment()).toBeUndefined();
    const s = await run(['status', spec]);
    const modules = (s.json.modules ?? []) as { module: string; health: string }[];
    expect(modules.find((m) => m.module === 'migrate')?.health).toBe('exited');
    failedJob = jobs()[0];
    expect(failedJob?.status.failed).toBe(1);
  }, TIMEOUT);

  let failedJob: JobJson | undefined;

  it('a re-apply after a failure runs the failed Job again (not waiting on the old run); once fixed, the worker follows', async () => {
    const again = await apply(120);
    expect(again.code, `${again.stderr}\n${JSON.stringify(again.json.diagnostics)}`).toBe(3);
    expect(((again.json.diagnostics ?? []) as { code: string }[]).map((d) => d.code)).toContain('ERR_ENGINE_TASK_FAILED');
    const rerun = jobs();
    expect(rerun.map((j) => j.metadata.name)).toEqual([failedJob?.metadata.name]);
    expect(rerun[0]?.metadata.uid).not.toBe(failedJob?.metadata.uid);
    writeFileSync(spec, specText('echo ran-v3'));
    const fixed = await apply();
    expect(fixed.code, `${fixed.stderr}\n${JSON.stringify(fixed.json.diagnostics)}`).toBe(0);
    expect(readerDeployment()).toBeDefined();
    const s = await run(['status', spec]);
    const modules = (s.json.modules ?? []) as { module: string; health: string }[];
    expect(modules.find((m) => m.module === 'migrate')?.health).toBe('none');
  }, TIMEOUT);
});
