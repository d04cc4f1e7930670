/**
 * The aws target's lowering, row by row of the realization list: network over 2 zones (3 with
 * availability high) with NAT, security groups from `uses` edges only, ECS sizes from sizing.ts,
 * autoscaling, ALB per gateway with HTTPS only with a certificate, managed stores, the coded
 * warnings (WARN_AWS_HTTP_ONLY, WARN_AWS_PREFIX_NOT_STRIPPED, WARN_AWS_DOCUMENTDB_COMPAT,
 * WARN_AWS_NO_MANAGED_NATS, WARN_TARGET_SCHEDULE_APPROXIMATED) and the platform settings.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsNode } from '../../../src/targets/aws/index.js';
import { rateOf } from '../../../src/targets/aws/lower-compute.js';
import { databaseSize, taskSize } from '../../../src/targets/aws/sizing.js';
import { ALL_MODULES_SPEC, EXAMPLES_DIR } from '../fixtures.js';
import { compileAws, examplePath, generatedSpec } from './program.js';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab';
const teamdocs = compileAws(examplePath('teamdocs'));
const all = compileAws(ALL_MODULES_SPEC);
const gen = compileAws(join(EXAMPLES_DIR, 'gen21.yaml'), generatedSpec(21, 'gen21'));
const node = (nodes: readonly AwsNode[], id: string): AwsNode => {
  const n = nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no ${id}`);
  return n;
};
const count = (nodes: readonly AwsNode[], kind: string): number => nodes.filter((n) => n.kind === kind).length;
const codes = (c: { diagnostics: readonly { code: string }[] }): string[] => [...new Set(c.diagnostics.map((d) => d.code))].sort();

describe('network', () => {
  it('spans 2 zones with one NAT gateway for standard availability, 3 with one NAT each when a store is high', () => {
    expect(count(teamdocs.model.nodes, 'aws.ec2.Subnet')).toBe(4);
    expect(count(teamdocs.model.nodes, 'aws.ec2.NatGateway')).toBe(1);
    expect(count(gen.model.nodes, 'aws.ec2.Subnet')).toBe(6);
    expect(count(gen.model.nodes, 'aws.ec2.NatGateway')).toBe(3);
    expect(node(teamdocs.model.nodes, 'aws.ec2.DefaultSecurityGroup/default').args).toMatchObject({ ingress: [], egress: [] });
  });

  it('creates no network in an existing VPC and looks its subnets up', () => {
    const c = compileAws(examplePath('teamdocs'), undefined, { aws: { vpcId: 'vpc-0123456789abcdef0' } });
    expect(c.model.nodes.filter((n) => n.kind.startsWith('aws.ec2.') && n.kind !== 'aws.ec2.SecurityGroup')).toEqual([]);
    expect(c.file('index.ts')).toContain('runtime.existingNetwork("vpc-0123456789abcdef0", provider)');
  });
});

describe('security groups from uses edges', () => {
  it('opens each store only to the modules that use it, on its port, and the load balancer only on its listener', () => {
    const ingress = teamdocs.model.nodes.filter((n) => n.kind === 'aws.vpc.SecurityGroupIngressRule').map((n) => n.name).sort();
    expect(ingress).toEqual([
      'accounts-db-from-auth-5432',
      'accounts-db-from-payments-5432',
      'auth-from-documents-8080',
      'auth-from-edge-8080',
      'auth-from-realtime-8080',
      'docs-db-from-documents-27017',
      'documents-from-edge-8080',
      'edge-public-80',
      'realtime-from-edge-9000',
      'sessions-from-auth-6379',
      'sessions-from-documents-6379',
      'sessions-from-realtime-6379',
    ]);
    const open = teamdocs.model.nodes.filter((n) => n.kind === 'aws.vpc.SecurityGroupIngressRule' && n.args.cidrIpv4 === '0.0.0.0/0');
    expect(open.map((n) => [n.name, n.args.fromPort])).toEqual([['edge-public-80', 80]]);
  });
});

describe('containers on ECS Fargate', () => {
  it('sizes tasks with sizing.ts and scales on CPU with autoscale', () => {
    const api = node(gen.model.nodes, 'aws.ecs.TaskDefinition/api-0');
    const size = taskSize({ cpu: '500m', memory: '1Gi' });
    expect(api.args).toMatchObject({ cpu: String(size.cpu), memory: String(size.memory), requiresCompatibilities: ['FARGATE'] });
    expect(node(teamdocs.model.nodes, 'aws.ecs.TaskDefinition/auth').args).toMatchObject({ cpu: '256', memory: '512' });
    expect(node(gen.model.nodes, 'aws.ecs.Service/api-0').args.desiredCount).toBe(2);
    expect(node(gen.model.nodes, 'aws.appautoscaling.Target/api-0').args).toMatchObject({ minCapacity: 2, maxCapacity: 6 });
    expect(node(gen.model.nodes, 'aws.appautoscaling.Policy/api-0').args).toMatchObject({ targetTrackingScalingPolicyConfiguration: { targetValue: 60 } });
    expect(node(teamdocs.model.nodes, 'aws.ecs.Service/documents').args.desiredCount).toBe(2);
  });

  it('keeps secret env values in a per-task secret deleted at once on destroy (its name is free for the next apply)', () => {
    expect(node(teamdocs.model.nodes, 'aws.secretsmanager.Secret/auth-env').args).toMatchObject({ name: 'teamdocs/auth/env', recoveryWindowInDays: 0 });
    expect(node(teamdocs.model.nodes, 'aws.secretsmanager.Secret/accounts-db').retainOnDelete).toBe(true);
  });

  it('builds each built service into its own ECR repository', () => {
    expect(teamdocs.model.nodes.filter((n) => n.kind === 'aws.ecr.Repository').map((n) => n.name).sort()).toEqual(['auth', 'documents', 'payments', 'realtime']);
    expect(count(teamdocs.model.nodes, 'docker.Image')).toBe(4);
  });

  it('runs a cron job through EventBridge Scheduler, approximating what rates cannot express', () => {
    expect(node(all.model.nodes, 'aws.scheduler.Schedule/nightly').args.scheduleExpression).toBe('rate(15 minutes)');
    expect(rateOf(90)).toEqual({ expression: 'rate(2 minutes)', exact: false });
    expect(rateOf(7200)).toEqual({ expression: 'rate(2 hours)', exact: true });
    expect(rateOf(86400)).toEqual({ expression: 'rate(1 day)', exact: true });
    const text = generatedSpec(11, 'odd').replace('"@every 15m"', '"@every 90s"');
    expect(codes(compileAws(join(EXAMPLES_DIR, 'odd.yaml'), text))).toContain('WARN_TARGET_SCHEDULE_APPROXIMATED');
  });
});

describe('managed stores', () => {
  it('RDS: class from sizing.ts, Multi-AZ when high, backups from backup.retain', () => {
    const high = node(gen.model.nodes, 'aws.rds.Instance/db-0').args;
    const standard = node(gen.model.nodes, 'aws.rds.Instance/db-1').args;
    expect(high).toMatchObject({ multiAz: true, backupRetentionPeriod: 14, allocatedStorage: 50, publiclyAccessible: false, storageEncrypted: true, deletionProtection: { $dataPolicy: 'keep' } });
    expect(standard).toMatchObject({ multiAz: false, backupRetentionPeriod: 7 });
    const store = { process: { resources: undefined }, availability: 'high', data: { size: '50Gi' } } as unknown as Parameters<typeof databaseSize>[0];
    expect(high.instanceClass).toBe(databaseSize(store).instanceClass);
  });

  it('ElastiCache, DocumentDB, Amazon MQ, S3 and a NATS service, with their warnings', () => {
    expect(node(gen.model.nodes, 'aws.elasticache.ReplicationGroup/cache-0').args).toMatchObject({ numCacheClusters: 2, automaticFailoverEnabled: true, transitEncryptionEnabled: true, atRestEncryptionEnabled: true });
    expect(count(all.model.nodes, 'aws.docdb.Cluster')).toBe(1);
    expect(node(all.model.nodes, 'aws.mq.Broker/rabbit').args).toMatchObject({ engineType: 'RabbitMQ', publiclyAccessible: false, deploymentMode: 'SINGLE_INSTANCE' });
    expect(count(all.model.nodes, 'aws.s3.BucketVersioning')).toBe(1);
    expect(node(all.model.nodes, 'aws.ecs.Service/bus').kind).toBe('aws.ecs.Service');
    expect(all.model.nodes.filter((n) => n.kind === 'aws.iam.RolePolicyAttachment' && n.name.startsWith('files-for-')).map((n) => n.name).sort()).toEqual(['files-for-api', 'files-for-jobs']);
    expect(codes(all)).toEqual(['WARN_AWS_DOCUMENTDB_COMPAT', 'WARN_AWS_HTTP_ONLY', 'WARN_AWS_NO_MANAGED_NATS', 'WARN_AWS_PREFIX_NOT_STRIPPED']);
  });

  it('serves a static site from S3 through CloudFront', () => {
    expect(node(all.model.nodes, 'aws.cloudfront.Distribution/site').args.defaultCacheBehavior).toMatchObject({ viewerProtocolPolicy: 'redirect-to-https' });
    expect(node(all.model.nodes, 'aninfra.SiteFiles/site').args.directory).toEqual({ $specPath: './everything/site' });
  });
});

describe('gateway and platform settings', () => {
  it('is HTTP on 80 with WARN_AWS_HTTP_ONLY without a certificate, HTTPS on 443 with one', () => {
    expect(node(teamdocs.model.nodes, 'aws.lb.Listener/edge').args).toMatchObject({ port: 80, protocol: 'HTTP' });
    expect(codes(teamdocs)).toContain('WARN_AWS_HTTP_ONLY');
    const https = compileAws(examplePath('teamdocs'), undefined, { aws: { certificateArn: CERT, region: 'eu-west-1' } });
    expect(node(https.model.nodes, 'aws.lb.Listener/edge').args).toMatchObject({ port: 443, protocol: 'HTTPS', certificateArn: CERT });
    expect(codes(https)).not.toContain('WARN_AWS_HTTP_ONLY');
    expect(https.model.region).toBe('eu-west-1');
    expect(https.file('index.ts')).toContain('region: "eu-west-1"');
    expect(teamdocs.model.region).toBe('us-east-1');
  });

  it('has one target group and listener rule per route, longest prefix first', () => {
    const rules = teamdocs.model.nodes.filter((n) => n.kind === 'aws.lb.ListenerRule').map((n) => [n.name, n.args.priority]);
    expect(rules.sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([['edge-api-docs', 1], ['edge-auth', 2], ['edge-ws', 3]]);
    expect(count(teamdocs.model.nodes, 'aws.lb.TargetGroup')).toBe(3);
  });
});
