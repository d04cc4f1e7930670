/**
 * ECS services and scheduled tasks. A service (workload, or a store without a managed service,
 * e.g. nats) runs `replicas` tasks in the private subnets with its own security group, registers
 * in Cloud Map, joins the target groups of the gateway routes to it, and with `autoscale` gets
 * Application Auto Scaling target tracking on average CPU. A cron job is an EventBridge Scheduler
 * schedule running its task definition on the cluster.
 *
 * Codes: WARN_AWS_NO_MANAGED_NATS (a store engine without a managed service runs as a service),
 * WARN_TARGET_SCHEDULE_APPROXIMATED (a schedule Scheduler's rate cannot express exactly).
 */
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { ScheduleNode, StoreNode, WorkloadNode } from '../../compiler/lower/ir.js';
import { add, tagsOf, type AwsContext } from './context.js';
import { CLUSTER_ID, discoveryService, lowerTask } from './lower-ecs.js';
import { securityGroupId, servedPorts } from './lower-security.js';
import { awsNode, concatOf, jsonOf, net, out, type AwsValue } from './model.js';

/** Target groups a service joins: id, container port, and the listener rule it waits for. */
export interface Attachment {
  readonly targetGroup: string;
  readonly port: number;
  readonly rule: string;
}

export function lowerService(ctx: AwsContext, n: WorkloadNode | StoreNode, attachments: readonly Attachment[]): void {
  if (n.kind === 'store') {
    ctx.diagnostics.push(diagnostic('WARN_AWS_NO_MANAGED_NATS', { module: n.module, engine: n.engine }, { path: `/modules/${n.module}` }));
  }
  const p = n.provenance;
  const ports = servedPorts(n);
  const task = lowerTask(ctx, n.module, n.process, ports, p);
  const discovery = ports.length > 0 ? discoveryService(ctx, n.module, p) : undefined;
  if (discovery) add(ctx, discovery);
  const replicas = n.kind === 'workload' ? n.replicas : 1;
  const autoscale = n.kind === 'workload' ? n.autoscale : undefined;
  const service = awsNode(
    'aws.ecs.Service',
    n.module,
    p,
    {
      name: n.module,
      cluster: out(CLUSTER_ID, 'arn'),
      taskDefinition: out(task.taskDefinition, 'arn'),
      desiredCount: autoscale ? autoscale.min : replicas,
      launchType: 'FARGATE',
      networkConfiguration: { subnets: net('privateSubnetIds'), securityGroups: [out(securityGroupId(n.module), 'id')], assignPublicIp: false },
      ...(discovery ? { serviceRegistries: { registryArn: out(discovery, 'arn') } } : {}),
      ...(attachments.length > 0 ? { loadBalancers: attachments.map((a) => ({ targetGroupArn: out(a.targetGroup, 'arn'), containerName: task.containerName, containerPort: a.port })), healthCheckGracePeriodSeconds: 60 } : {}),
      deploymentCircuitBreaker: { enable: true, rollback: true },
      propagateTags: 'SERVICE',
      tags: tagsOf(ctx, p),
    },
    [...n.dependsOn.flatMap((d) => ctx.mainOf(d)), ...attachments.map((a) => a.rule)],
  );
  add(ctx, service);
  if (autoscale) {
    const ap = { ...p, rule: 'autoscale', detail: `${autoscale.min}-${autoscale.max} tasks at ${autoscale.cpu}% average CPU` };
    const target = awsNode('aws.appautoscaling.Target', n.module, ap, {
      minCapacity: autoscale.min,
      maxCapacity: autoscale.max,
      resourceId: concatOf('service/', out(CLUSTER_ID, 'name'), '/', out(service, 'name')),
      scalableDimension: 'ecs:service:DesiredCount',
      serviceNamespace: 'ecs',
    });
    const policy = awsNode('aws.appautoscaling.Policy', n.module, ap, {
      policyType: 'TargetTrackingScaling',
      resourceId: out(target, 'resourceId'),
      scalableDimension: out(target, 'scalableDimension'),
      serviceNamespace: out(target, 'serviceNamespace'),
      targetTrackingScalingPolicyConfiguration: { targetValue: autoscale.cpu, predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' } },
    });
    add(ctx, target, policy);
  }
}

/** `rate(...)` of an interval: whole days, hours or minutes; anything else rounds up to minutes. */
export function rateOf(seconds: number): { readonly expression: string; readonly exact: boolean } {
  const unit = (n: number, word: string): string => `rate(${n} ${word}${n === 1 ? '' : 's'})`;
  if (seconds % 86400 === 0) return { expression: unit(seconds / 86400, 'day'), exact: true };
  if (seconds % 3600 === 0) return { expression: unit(seconds / 3600, 'hour'), exact: true };
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return { expression: unit(minutes, 'minute'), exact: seconds % 60 === 0 };
}

export function lowerSchedule(ctx: AwsContext, n: ScheduleNode): void {
  const p = n.provenance;
  const task = lowerTask(ctx, n.module, n.process, [], p);
  const rate = rateOf(n.everySeconds);
  if (!rate.exact) ctx.diagnostics.push(diagnostic('WARN_TARGET_SCHEDULE_APPROXIMATED', { module: n.module, schedule: n.schedule, cron: rate.expression, target: 'aws', reason: 'EventBridge Scheduler rates count whole minutes' }, { path: `/modules/${n.module}/with/schedule` }));
  const sp = { ...p, rule: 'schedule', detail: `runs the task ${rate.expression}` };
  const role = awsNode('aws.iam.Role', `${n.module}-scheduler`, sp, {
    assumeRolePolicy: jsonOf({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'scheduler.amazonaws.com' } }] }),
    tags: tagsOf(ctx, sp),
  });
  const passRoles: AwsValue[] = [out(task.taskRole, 'arn'), out(`aws.iam.Role/${n.module}-exec`, 'arn')];
  const policy = awsNode('aws.iam.RolePolicy', `${n.module}-scheduler`, sp, {
    role: out(role, 'id'),
    policy: jsonOf({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['ecs:RunTask'], Resource: [out(task.taskDefinition, 'arnWithoutRevision'), concatOf(out(task.taskDefinition, 'arnWithoutRevision'), ':*')] },
        { Effect: 'Allow', Action: ['iam:PassRole'], Resource: passRoles },
      ],
    }),
  });
  const schedule = awsNode(
    'aws.scheduler.Schedule',
    n.module,
    sp,
    {
      name: `${ctx.system}-${n.module}`.slice(0, 64),
      scheduleExpression: rate.expression,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: out(CLUSTER_ID, 'arn'),
        roleArn: out(role, 'arn'),
        ecsParameters: {
          taskDefinitionArn: out(task.taskDefinition, 'arn'),
          launchType: 'FARGATE',
          taskCount: 1,
          networkConfiguration: { subnets: net('privateSubnetIds'), securityGroups: [out(securityGroupId(n.module), 'id')], assignPublicIp: false },
        },
      },
    },
    [policy.id, ...n.dependsOn.flatMap((d) => ctx.mainOf(d))],
  );
  add(ctx, role, policy, schedule);
}
