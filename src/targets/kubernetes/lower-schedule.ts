/**
 * A schedule (cron-job module): a CronJob running the process on the schedule converted to cron
 * (WARN_TARGET_SCHEDULE_APPROXIMATED when it cannot be exact), one run at a time.
 */
import type { ScheduleNode } from '../../compiler/lower/ir.js';
import { depsOf, filesNodes, labelsOf, meta, type LowerContext } from './context.js';
import { scheduleWarning, toCron } from './cron.js';
import { secretDeps } from './lower-workload.js';
import { k8sNode, type K8sNode } from './model.js';
import { podParts, podTemplate } from './pod.js';

export function lowerSchedule(n: ScheduleNode, ctx: LowerContext): K8sNode[] {
  const p = n.provenance;
  const cron = toCron(n.schedule, n.everySeconds);
  if (cron.approximated) ctx.diagnostics.push(scheduleWarning(n.module, n.schedule, cron.cron, cron.approximated));
  const parts = podParts({ name: n.module, module: n.module, process: n.process, ports: [] }, ctx.pod);
  // A run to completion has no liveness to watch; readiness means nothing for a job.
  const container = Object.fromEntries(Object.entries(parts.container).filter(([k]) => k !== 'readinessProbe' && k !== 'livenessProbe'));
  const files = filesNodes(ctx, parts, p, (o, d) => k8sNode(o, p, d));
  const restart = n.process.restart === 'never' ? 'Never' : 'OnFailure';
  const job = k8sNode(
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta(ctx, n.module, p),
      spec: {
        schedule: cron.cron,
        concurrencyPolicy: 'Forbid',
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: { spec: { backoffLimit: restart === 'Never' ? 0 : 3, template: podTemplate(labelsOf(ctx, p), { ...parts, container }, restart) } },
      },
    },
    p,
    depsOf(ctx, n.dependsOn, [...files.map((f) => f.id), ...secretDeps(parts)]),
  );
  return [...files, job];
}
