/**
 * Containers on ECS Fargate: the system's cluster and Cloud Map namespace, and per module that
 * runs a container (service, worker, a store without a managed service, a cron job) a log group,
 * an execution role reading exactly its own secrets, a task role (granted buckets by
 * lower-storage), a task definition sized by sizing.ts (`resources`, default 0.25 vCPU / 512 MiB)
 * whose secret env values come from Secrets Manager through `secrets`, and for a built image an
 * ECR repository the program builds and pushes to.
 */
import type { Process, Provenance } from '../../compiler/lower/ir.js';
import { generatedDockerfilePath } from '../../modules/design/dockerfile.js';
import { consumerEnv } from './consumer-env.js';
import { add, tagsOf, type AwsContext } from './context.js';
import { awsNode, concatOf, jsonOf, net, nodeId, out, type AwsNode, type AwsObject, type AwsValue } from './model.js';
import { envSecret } from './lower-secrets.js';
import { taskSize } from './sizing.js';
import { awsValue, hasSecret } from './values.js';

const SYSTEM: Provenance = { module: null, rule: 'ecs-cluster', detail: 'the system\'s ECS cluster and private DNS namespace' };
export const CLUSTER_ID = nodeId('aws.ecs.Cluster', 'cluster');
export const NAMESPACE_ID = nodeId('aws.servicediscovery.PrivateDnsNamespace', 'internal');
const EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';

export function lowerCluster(ctx: AwsContext): void {
  add(
    ctx,
    awsNode('aws.ecs.Cluster', 'cluster', SYSTEM, { settings: [{ name: 'containerInsights', value: 'enabled' }], tags: tagsOf(ctx, SYSTEM) }),
    awsNode('aws.servicediscovery.PrivateDnsNamespace', 'internal', SYSTEM, { name: `${ctx.system}.internal`, vpc: net('vpcId'), description: `modules of ${ctx.system}`, tags: tagsOf(ctx, SYSTEM) }),
  );
}

const assumeRole = (service: string): AwsValue => jsonOf({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: service } }] });

export interface TaskParts {
  readonly taskDefinition: AwsNode;
  readonly taskRole: AwsNode;
  readonly containerName: string;
}

/** Log group, roles, env secret, image and task definition of a module's container. */
export function lowerTask(ctx: AwsContext, module: string, process: Process, ports: readonly number[], p: Provenance): TaskParts {
  const tags = tagsOf(ctx, p);
  const logs = awsNode('aws.cloudwatch.LogGroup', module, p, { name: `/aninfra/${ctx.system}/${module}`, retentionInDays: 30, tags });
  const execRole = awsNode('aws.iam.Role', `${module}-exec`, p, { assumeRolePolicy: assumeRole('ecs-tasks.amazonaws.com'), tags });
  const execAttach = awsNode('aws.iam.RolePolicyAttachment', `${module}-exec`, p, { role: out(execRole, 'name'), policyArn: EXECUTION_POLICY });
  const taskRole = awsNode('aws.iam.Role', `${module}-task`, p, { assumeRolePolicy: assumeRole('ecs-tasks.amazonaws.com'), tags });
  add(ctx, logs, execRole, execAttach, taskRole);

  const plain: AwsObject[] = [];
  const secret = new Map<string, AwsValue>();
  const taskEnv = consumerEnv(ctx.ir, process, ctx.settings.region);
  for (const name of Object.keys(taskEnv).sort()) {
    const v = awsValue(taskEnv[name] ?? [], ctx.endpointOf);
    if (hasSecret(v)) secret.set(name, v);
    else plain.push({ name, value: v });
  }
  const env = envSecret(ctx, module, secret);
  add(ctx, ...env.nodes);
  if (env.arn !== undefined) {
    add(ctx, awsNode('aws.iam.RolePolicy', `${module}-secrets`, { ...p, rule: 'env-secret', detail: 'the task reads its own secret env values, nothing else' }, {
      role: out(execRole, 'id'),
      policy: jsonOf({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [env.arn] }] }),
    }));
  }

  const image = imageOf(ctx, module, process, p);
  const size = taskSize(process.resources);
  const container: AwsObject = {
    name: module,
    image: image.ref,
    essential: true,
    ...(process.entrypoint ? { entryPoint: [...process.entrypoint] } : {}),
    ...(process.command ? { command: [...process.command] } : {}),
    portMappings: ports.map((port) => ({ containerPort: port, protocol: 'tcp' })),
    environment: plain,
    secrets: env.entries,
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': out(logs, 'name'), 'awslogs-region': ctx.settings.region, 'awslogs-stream-prefix': module } },
    ...healthCheck(process),
  };
  const taskDefinition = awsNode(
    'aws.ecs.TaskDefinition',
    module,
    p,
    {
      family: `${ctx.system}-${module}`,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(size.cpu),
      memory: String(size.memory),
      executionRoleArn: out(execRole, 'arn'),
      taskRoleArn: out(taskRole, 'arn'),
      containerDefinitions: jsonOf([container]),
      tags,
    },
    [execAttach.id, ...image.deps, ...env.nodes.map((n) => n.id)],
  );
  add(ctx, taskDefinition);
  return { taskDefinition, taskRole, containerName: module };
}

/** An exec probe becomes the container's health check; HTTP probes are the target group's. */
function healthCheck(process: Process): AwsObject {
  const r = process.readiness;
  if (!r || r.probe.kind !== 'exec') return {};
  return { healthCheck: { command: ['CMD', ...r.probe.command], interval: Math.max(5, r.timing.intervalSeconds), timeout: Math.max(2, Math.min(60, r.timing.timeoutSeconds)), retries: Math.max(1, Math.min(10, r.timing.retries)), startPeriod: Math.min(300, r.timing.startPeriodSeconds) } };
}

/** The image reference a task runs: pulled by reference, or built and pushed to the module's ECR repository. */
function imageOf(ctx: AwsContext, module: string, process: Process, p: Provenance): { ref: AwsValue; deps: string[] } {
  const image = ctx.nodeOf(process.image);
  if (!image || image.kind !== 'image') throw new Error(`internal: no image node ${process.image}`);
  if (image.source.kind !== 'build') return { ref: image.ref ?? '', deps: [] };
  const ip: Provenance = { ...p, rule: 'image-build', detail: `built from ${image.source.context} and pushed to ECR` };
  const repo = awsNode('aws.ecr.Repository', module, ip, { name: `${ctx.system}/${module}`, imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: 'AES256' }], forceDelete: true, tags: tagsOf(ctx, ip) });
  const tag = image.source.contentHash ?? 'latest';
  const build = awsNode('docker.Image', module, ip, {
    imageName: concatOf(out(repo, 'repositoryUrl'), `:${tag}`),
    build: {
      context: { $specPath: image.source.context },
      // A generated Dockerfile is written beside the program (never into the user's folder).
      ...(image.source.generatedDockerfile !== undefined ? { dockerfile: { $programPath: generatedDockerfilePath(module) } } : image.source.dockerfile !== undefined ? { dockerfile: image.source.dockerfile } : {}),
      platform: 'linux/amd64',
      args: { ...image.source.args },
    },
    registry: { $ecrRegistry: repo.id },
  });
  add(ctx, repo, build);
  const { context, dockerfile, generatedDockerfile, args } = image.source;
  ctx.images.push({ module, context, ...(dockerfile !== undefined ? { dockerfile } : {}), ...(generatedDockerfile !== undefined ? { generatedDockerfile } : {}), args });
  return { ref: out(build, 'repoDigest'), deps: [build.id] };
}

/** Cloud Map registration of a service, so `<module>.<system>.internal` resolves to its tasks. */
export function discoveryService(ctx: AwsContext, module: string, p: Provenance): AwsNode {
  return awsNode('aws.servicediscovery.Service', module, p, {
    name: module,
    dnsConfig: { namespaceId: out(NAMESPACE_ID, 'id'), dnsRecords: [{ ttl: 10, type: 'A' }], routingPolicy: 'MULTIVALUE' },
    tags: tagsOf(ctx, p),
  });
}
