/**
 * Tasks on the kubernetes engine: a task is a Job (`Job/<module>-<hash8>`) that Pulumi awaits to
 * completion; when it fails (a Failed condition, or not complete within the timeout) the Pulumi
 * run fails on that resource. This turns such a failure into ERR_ENGINE_TASK_FAILED with the exit
 * status of the Job's pod (-1 when it did not finish) and its log tail, instead of the engine's
 * generic failure.
 * Codes: ERR_ENGINE_TASK_FAILED.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import type { EngineContext } from './engine.js';
import { kubectl, type KubeTarget, type LivePod } from './kube-cli.js';
import type { ExpectedModule } from './kube-live.js';

/** The task module a failed Pulumi resource (`Job/<module>-<hash8>`) belongs to, if it is a task's Job. */
export function failedTask(resource: string, tasks: readonly ExpectedModule[]): string | undefined {
  const m = /^Job\/(.+)-[0-9a-f]{8}$/.exec(resource);
  if (!m) return undefined;
  const prefix = m[1] ?? '';
  // The Job name carries the module name cut to 54 characters.
  return tasks.find((t) => t.runsToCompletion && (t.module === prefix || (prefix.length >= 54 && t.module.startsWith(prefix))))?.module;
}

/** The exit status of a Job pod's container, -1 when it has not terminated (still running at the timeout). */
export function exitCodeOf(podJson: string): number {
  try {
    const pod = JSON.parse(podJson) as { status?: { containerStatuses?: { state?: { terminated?: { exitCode?: number } } }[] } };
    const code = pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode;
    return typeof code === 'number' ? code : -1;
  } catch {
    return -1;
  }
}

/**
 * One ERR_ENGINE_TASK_FAILED per task Job among the run's failed resources, and whether every
 * failed resource was such a Job (then the generic ERR_ENGINE_FAILED says nothing more).
 */
export async function taskFailures(ctx: EngineContext, kube: KubeTarget, failed: ReadonlyMap<string, string>, expected: readonly ExpectedModule[], pods: readonly LivePod[]): Promise<{ diagnostics: Diagnostic[]; onlyTasks: boolean }> {
  const diagnostics: Diagnostic[] = [];
  let onlyTasks = failed.size > 0;
  for (const resource of [...failed.keys()].sort()) {
    const module = failedTask(resource, expected);
    if (module === undefined) {
      onlyTasks = false;
      continue;
    }
    const job = resource.slice('Job/'.length);
    const pod = pods.filter((p) => (p.labels['job-name'] ?? p.labels['batch.kubernetes.io/job-name']) === job).sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
    let exitCode = -1;
    let tail = '';
    if (pod) {
      const [got, logs] = await Promise.all([kubectl(kube, ['get', 'pod', '-n', pod.namespace, pod.name, '-o', 'json']), kubectl(kube, ['logs', '-n', pod.namespace, pod.name, '--tail=15'], { timeoutMs: 30_000 })]);
      if (got.code === 0) exitCode = exitCodeOf(got.stdout);
      tail = printable(ctx.redact(logs.stdout.trim()));
    }
    diagnostics.push(diagnostic('ERR_ENGINE_TASK_FAILED', { module, exitCode }, tail ? { hint: `last log lines:\n${tail}` } : {}));
  }
  return { diagnostics, onlyTasks };
}
