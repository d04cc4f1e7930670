/**
 * Tasks on the kubernetes engine without a cluster: the IR v2 and the target's model both expect a
 * task module that runs to completion; its health is its newest Job pod's (succeeded settled,
 * failed exited, running starting, none missing); drift reports a failed task, never a settled
 * one; a failed Pulumi resource `Job/<module>-<hash8>` maps back to its task, with the pod's exit
 * status (-1 when it has not terminated) and its log tail, replacing the engine's generic failure
 * only when every failed resource was a task's Job.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InfraIR, IrNode } from '../../src/compiler/lower/ir.js';
import { compileFile } from '../../src/operations/compile-file.js';
import { parsePods, type LivePod } from '../../src/engine/kube-cli.js';
import { kubeDrift, parseControllers, type KubeLive } from '../../src/engine/kube-drift.js';
import { allReady, expectedModules, kubeView, moduleHealth } from '../../src/engine/kube-live.js';
import { exitCodeOf, failedTask, taskFailures } from '../../src/engine/kube-tasks.js';
import type { EngineContext } from '../../src/engine/engine.js';

function pod(module: string, phase: string, startTime: string, job = `${module}-0123abcd`): unknown {
  return {
    metadata: { name: `${job}-xyz`, namespace: 'shop', uid: `u-${startTime}`, labels: { 'aninfra.module': module, 'job-name': job } },
    spec: { containers: [{}] },
    status: { phase, startTime, conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [{ restartCount: 0, state: phase === 'Running' ? { running: {} } : { terminated: { reason: phase === 'Failed' ? 'Error' : 'Completed', exitCode: phase === 'Failed' ? 3 : 0 } } }] },
  };
}
const pods = (...items: unknown[]): LivePod[] => parsePods(JSON.stringify({ items }));
const task = { module: 'migrate', longRunning: false, replicas: 0, runsToCompletion: true } as const;

describe('task health on kubernetes', () => {
  it('the IR v2 expects a task module that runs to completion', () => {
    const ir = { irVersion: 2, system: 's', platform: {}, outputs: [], nodes: [{ id: 'task:migrate', kind: 'task', module: 'migrate', provenance: { module: 'migrate', rule: 't', detail: '' }, dependsOn: [] } as unknown as IrNode] } as InfraIR;
    expect(expectedModules(ir)).toEqual([task]);
  });

  it('is its newest pod: succeeded settles, failed is exited, running is starting, none is missing', () => {
    expect(moduleHealth(task, pods(pod('migrate', 'Succeeded', '2026-11-28T10:00:00Z'))).health).toBe('none');
    expect(allReady([moduleHealth(task, pods(pod('migrate', 'Succeeded', '2026-11-28T10:00:00Z')))])).toBe(true);
    expect(moduleHealth(task, pods(pod('migrate', 'Failed', '2026-11-28T10:00:00Z'))).health).toBe('exited');
    expect(moduleHealth(task, pods(pod('migrate', 'Running', '2026-11-28T10:00:00Z'))).health).toBe('starting');
    expect(moduleHealth(task, []).health).toBe('missing');
    // an older failed run left behind does not outweigh the newer success
    expect(moduleHealth(task, pods(pod('migrate', 'Failed', '2026-11-28T09:00:00Z', 'migrate-aaaaaaaa'), pod('migrate', 'Succeeded', '2026-11-28T10:00:00Z'))).health).toBe('none');
  });
});

describe('tasks in the compiled model: view and drift', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-kube-tasks-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const spec = join(dir, 'shop.yaml');
  writeFileSync(
    spec,
    'apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: shop\ntarget: kubernetes\nmodules:\n  db:\n    type: postgres\n    version: "16"\n  migrate:\n    type: task\n    with: { runtime: image, image: "busybox:1.36", command: [sh, -c, "exit 0"] }\n    uses: [db]\n',
  );
  const compiled = compileFile(spec, { outDir: join(dir, 'out') });
  const model = compiled.ir as unknown as { nodes: { kind: string; object: { metadata: { name: string; namespace?: string }; spec?: unknown } }[] };
  const job = model.nodes.find((n) => n.kind === 'Job')?.object.metadata.name ?? '';
  const live = (taskPods: unknown[]): KubeLive => ({
    pods: pods(
      {
        metadata: { name: 'db-0', namespace: 'shop', uid: 'u-db', labels: { 'aninfra.module': 'db' } },
        spec: { containers: [{}] },
        status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ restartCount: 0, state: { running: {} } }] },
      },
      ...taskPods,
    ),
    controllers: parseControllers(JSON.stringify({ items: model.nodes.filter((n) => n.kind === 'StatefulSet').map((n) => ({ kind: n.kind, metadata: n.object.metadata, spec: n.object.spec })) })),
    claimModules: ['db'],
    labelled: model.nodes.map((n) => ({ kind: n.kind, name: n.object.metadata.namespace ? `${n.object.metadata.namespace}/${n.object.metadata.name}` : n.object.metadata.name, owner: 'me' })),
  });

  it('compiles, and the model view expects the task as the IR does', () => {
    expect(compiled.ok).toBe(true);
    expect(job).toMatch(/^migrate-[0-9a-f]{8}$/);
    expect(kubeView(compiled.ir).modules.find((m) => m.module === 'migrate')).toEqual(task);
  });

  it('a succeeded task is no drift; a failed one is stopped', () => {
    expect(kubeDrift(compiled.ir, live([pod('migrate', 'Succeeded', '2026-11-28T10:00:00Z', job)]))).toEqual([]);
    const items = kubeDrift(compiled.ir, live([pod('migrate', 'Failed', '2026-11-28T10:00:00Z', job)]));
    expect(items.map((i) => `${i.kind}:${i.module}`)).toEqual(['stopped:migrate']);
  });

  it('maps a failed Pulumi resource of a task Job back to the task, with the pod exit status', () => {
    expect(failedTask(`Job/${job}`, [task])).toBe('migrate');
    expect(failedTask('Job/other-0123abcd', [task])).toBeUndefined();
    expect(failedTask('Deployment/migrate', [task])).toBeUndefined();
    expect(failedTask('Job/migrate-0123abcd', [{ ...task, runsToCompletion: undefined } as never])).toBeUndefined();
    expect(exitCodeOf(JSON.stringify(pod('migrate', 'Failed', 't')))).toBe(3);
    expect(exitCodeOf(JSON.stringify(pod('migrate', 'Running', 't')))).toBe(-1);
    expect(exitCodeOf('not json')).toBe(-1);
  });
});

describe('taskFailures (a fake kubectl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-kube-tasks-fake-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const kubectl = join(dir, 'kubectl');
  writeFileSync(join(dir, 'pod.json'), JSON.stringify(pod('migrate', 'Failed', '2026-11-28T10:00:00Z')));
  writeFileSync(kubectl, `#!/bin/sh\ncase "$*" in\n  *"get pod"*) cat "${join(dir, 'pod.json')}" ;;\n  *"logs"*) echo "migration failed on purpose" ;;\n  *) exit 3 ;;\nesac\n`);
  chmodSync(kubectl, 0o755);
  const kube = { kubeconfig: join(dir, 'pod.json'), env: { ...process.env, ANINFRA_KUBECTL: kubectl } };
  const ctx = { redact: (t: string) => t } as unknown as EngineContext;
  const live = pods(pod('migrate', 'Failed', '2026-11-28T10:00:00Z'));

  it('a failed task Job is ERR_ENGINE_TASK_FAILED with its exit status and log tail, and the only failure', async () => {
    const r = await taskFailures(ctx, kube, new Map([['Job/migrate-0123abcd', 'Job has failed']]), [task], live);
    expect(r.onlyTasks).toBe(true);
    expect(r.diagnostics.map((d) => [d.code, d.message.includes("'migrate'"), d.message.includes('3')])).toEqual([['ERR_ENGINE_TASK_FAILED', true, true]]);
    expect(r.diagnostics[0]?.hint).toContain('migration failed on purpose');
  });

  it('another failed resource keeps the generic failure; no failed task, no task diagnostic', async () => {
    const both = await taskFailures(ctx, kube, new Map([['Job/migrate-0123abcd', 'x'], ['Deployment/api', 'y']]), [task], live);
    expect(both.onlyTasks).toBe(false);
    expect(both.diagnostics.map((d) => d.code)).toEqual(['ERR_ENGINE_TASK_FAILED']);
    const none = await taskFailures(ctx, kube, new Map([['Deployment/api', 'y']]), [task], live);
    expect(none).toEqual({ diagnostics: [], onlyTasks: false });
    // a Job that never got a pod (not started within the timeout) is status -1
    const nopod = await taskFailures(ctx, kube, new Map([['Job/migrate-0123abcd', 'timeout']]), [task], []);
    expect(nopod.diagnostics.map((d) => d.message.includes('-1'))).toEqual([true]);
  });
});
