/**
 * aws: a Pulumi TypeScript program on @pulumi/aws (plain `aws.*` resources) realizing the system
 * design as a production AWS architecture: a VPC over 2 or 3 availability zones with NAT, security
 * groups from the design's edges, ECS Fargate services, Application Load Balancers, RDS,
 * ElastiCache, DocumentDB, Amazon MQ, S3 (+ CloudFront for static sites), EventBridge Scheduler,
 * Secrets Manager. Sizes come from sizing.ts, which the plan's cost estimate (cost.ts) reads too.
 *
 * Codes: WARN_AWS_HTTP_ONLY, WARN_AWS_PREFIX_NOT_STRIPPED, WARN_AWS_DOCUMENTDB_COMPAT,
 * WARN_AWS_NO_MANAGED_NATS, WARN_TARGET_SCHEDULE_APPROXIMATED.
 */
import type { Target } from '../../compiler/emit/target.js';
import { estimateCost } from './cost.js';
import { emitProgram } from './emit-program.js';
import { lowerAws } from './lower.js';
import type { AwsModel, AwsNode } from './model.js';
import { awsPlanRules } from './plan-rules.js';
import { awsRealization } from './realization.js';

export type { AwsModel, AwsNode, AwsOutput, AwsValue } from './model.js';
export { AWS_SDK_VERSIONS, resourceType, varName } from './emit-program.js';
export { awsSettings, DEFAULT_REGION, type AwsSettings } from './settings.js';

export const awsTarget: Target<AwsNode> = {
  name: 'aws',
  summary: 'Pulumi TypeScript program on @pulumi/aws: VPC, security groups, ECS Fargate, ALB, RDS, ElastiCache, DocumentDB, Amazon MQ, S3/CloudFront, EventBridge Scheduler, Secrets Manager',
  supports: ['workload', 'store', 'gateway', 'schedule', 'secret', 'volume', 'image', 'host-directory'],
  realization: awsRealization,
  engines: ['pulumi-aws'],
  lower(ir) {
    return lowerAws(ir);
  },
  emit(model, ctx) {
    const m = model as AwsModel;
    // A model read back from a journal may lack the fields only this target adds.
    return emitProgram({ ...m, region: m.region ?? 'us-east-1', awsOutputs: m.awsOutputs ?? [], images: m.images ?? [] }, ctx);
  },
  plan: awsPlanRules,
  cost(design) {
    return estimateCost(design);
  },
};
