/**
 * A task (run to completion, e.g. migrations): a `batch/v1` Job named `<module>-<hash8>`, the hash
 * of the task's own inputs (its pod template: image reference, which for a build carries the
 * context's content hash, command, env as written, mounts and files) and of its dependencies'
 * identities (a design node's id; for a task it depends on, that task's Job name, so a rerun
 * upstream reruns it too). Unchanged inputs name the same Job, which stays after it completed
 * (no ttlSecondsAfterFinished), so nothing runs again; changed inputs name a new Job that runs once
 * while the old one is deleted. `restartPolicy: Never`, `backoffLimit: 0`: one run, like compose's
 * `restart: no`. The Pulumi provider awaits a Job's completion (no `pulumi.com/skipAwait`), so the
 * objects after it, which depend on it, are created only once it succeeded; a failed Job fails
 * the apply (the engine reports ERR_ENGINE_TASK_FAILED). `pulumi.com/replaceUnready` makes the
 * next apply rerun a Job that failed instead of waiting on it again.
 */
import { createHash } from 'node:crypto';
import type { InfraIR, TaskNode } from '../../compiler/lower/ir.js';
import { depsOf, filesNodes, labelsOf, meta, type LowerContext } from './context.js';
import { secretDeps } from './lower-workload.js';
import { k8sNode, type JsonObject, type K8sNode } from './model.js';
import { podParts, podTemplate, type PodParts } from './pod.js';

/** Room for `-<hash8>` in a 63-character name (a Job's name is also its pods' `job-name` label). */
const MAX_PREFIX = 54;

/** One run: a failed task fails the apply, as on compose (`restart: no`). */
export const TASK_BACKOFF_LIMIT = 0;

/** The Job's pod parts: no probes (readiness means nothing for a run to completion). */
function taskParts(n: TaskNode, ctx: LowerContext): PodParts {
  const parts = podParts({ name: n.module, module: n.module, process: n.process, ports: [] }, ctx.pod);
  const container = Object.fromEntries(Object.entries(parts.container).filter(([k]) => k !== 'readinessProbe' && k !== 'livenessProbe'));
  return { ...parts, container };
}

function jobSpec(n: TaskNode, ctx: LowerContext, parts: PodParts): JsonObject {
  return { backoffLimit: TASK_BACKOFF_LIMIT, template: podTemplate(labelsOf(ctx, n.provenance), parts, 'Never') };
}

/**
 * Job name of every task of the design, by design node id. A task's dependencies on other tasks
 * are resolved first (the design is acyclic); the hash covers the Job's spec and the ConfigMap of
 * its files (whose content the pod reads through a fixed name).
 */
export function taskJobNames(ir: InfraIR, ctx: LowerContext): Map<string, string> {
  const tasks = new Map<string, TaskNode>();
  for (const n of ir.nodes) if (n.kind === 'task') tasks.set(n.id, n);
  const names = new Map<string, string>();
  const visiting = new Set<string>();
  const nameOf = (n: TaskNode): string => {
    const known = names.get(n.id);
    if (known !== undefined) return known;
    if (visiting.has(n.id)) throw new Error(`internal: tasks depend on each other in a cycle through ${n.id}`);
    visiting.add(n.id);
    const after = n.dependsOn.map((d) => {
      const t = tasks.get(d);
      return t ? `Job/${nameOf(t)}` : d;
    });
    const parts = taskParts(n, ctx);
    const inputs = JSON.stringify({ spec: jobSpec(n, ctx, parts), files: parts.filesConfigMap?.data ?? {}, after });
    const name = `${n.module.slice(0, MAX_PREFIX).replace(/-+$/, '')}-${createHash('sha256').update(inputs).digest('hex').slice(0, 8)}`;
    visiting.delete(n.id);
    names.set(n.id, name);
    return name;
  };
  for (const n of tasks.values()) nameOf(n);
  return names;
}

/** The Job (and the ConfigMap of its files): named as `taskJobNames` named it (through ctx.objectsOf). */
export function lowerTask(n: TaskNode, ctx: LowerContext): K8sNode[] {
  const p = n.provenance;
  const id = ctx.objectsOf(n.id)[0];
  if (id === undefined || !id.startsWith('Job/')) throw new Error(`internal: task ${n.module} has no Job name`);
  const parts = taskParts(n, ctx);
  const files = filesNodes(ctx, parts, p, (o, d) => k8sNode(o, p, d));
  const job = k8sNode(
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { ...meta(ctx, id.slice('Job/'.length), p), annotations: { 'pulumi.com/replaceUnready': 'true' } },
      spec: jobSpec(n, ctx, parts),
    },
    p,
    depsOf(ctx, n.dependsOn, [...files.map((f) => f.id), ...secretDeps(parts)]),
  );
  return [...files, job];
}
