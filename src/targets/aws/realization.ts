/**
 * How the aws target realizes each design kind and field: one sentence each, shown per module by
 * `modules describe` and the generated docs. Mirrors lower-*.ts; keep them in step.
 */
import type { Realization } from '../../compiler/emit/target.js';

export const awsRealization: Realization = {
  workload:
    'an ECS Fargate service in the private subnets (its own security group admitting only the modules that use it and its gateway), registered in Cloud Map as `<module>.<system>.internal`, logs in CloudWatch; a workload serving a host directory is a private S3 bucket behind CloudFront',
  store:
    'the managed service of its engine in the private subnets: RDS (postgres, mysql), ElastiCache (redis, TLS and auth token), DocumentDB (mongodb, WARN_AWS_DOCUMENTDB_COMPAT), Amazon MQ (rabbitmq), S3 (object-store, public access blocked, versioned, encrypted, IAM access for its users only); an engine without one runs as an ECS service (WARN_AWS_NO_MANAGED_NATS); kept on destroy',
  gateway:
    'an Application Load Balancer in the public subnets, HTTPS on 443 with platform.aws.certificateArn (else HTTP on 80, WARN_AWS_HTTP_ONLY), one target group and listener rule per route; prefixes are not stripped (WARN_AWS_PREFIX_NOT_STRIPPED)',
  schedule: 'an EventBridge Scheduler schedule (rate in whole minutes, hours or days; others WARN_TARGET_SCHEDULE_APPROXIMATED) running the task on the ECS cluster',
  secret: 'a random password made at apply time, stored in Secrets Manager (`<system>/<module>/generated`); tasks receive secret env values through the task definition\'s `secrets`, never plain env',
  volume: 'the managed store\'s own encrypted storage (RDS/DocumentDB gp3, at least 20 GiB); other volumes are not kept',
  image: 'pulled by reference, or built from the module\'s directory and pushed to an ECR repository per module by the program (the @pulumi/docker provider)',
  'host-directory': 'uploaded into the static site\'s S3 bucket at apply time, one object per file',
  replicas: 'the ECS service\'s desiredCount',
  autoscale: 'Application Auto Scaling target tracking on the service\'s average CPU, from min to max tasks',
  resources: 'the Fargate task size (the smallest valid CPU/memory pair holding the request, default 0.25 vCPU / 512 MiB) and the database, cache and broker classes of src/targets/aws/sizing.ts',
  availability: '`high`: Multi-AZ RDS, an ElastiCache replica with automatic failover, a second DocumentDB instance, a Multi-AZ Amazon MQ cluster, and a network over 3 availability zones with a NAT gateway in each',
  backup: 'the managed service\'s automated backups kept `retain` days (default 7, at most 35), and a final snapshot on deletion',
};
