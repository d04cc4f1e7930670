/**
 * S3. An object store is a bucket with every public access blocked, versioning, default
 * encryption, kept on destroy, and one IAM policy granting exactly the modules that use it (their
 * task roles) object access to it. A static site is a private bucket the program fills with the
 * site's files, served by CloudFront through an origin access control (HTTPS, the bucket policy
 * admits only that distribution).
 */
import type { StoreNode, WorkloadNode } from '../../compiler/lower/ir.js';
import { add, tagsOf, type AwsContext } from './context.js';
import { awsNode, concatOf, DELETE_DATA, jsonOf, out, type AwsNode } from './model.js';
import { limitedName } from './names.js';

/** CloudFront's managed cache policy "CachingOptimized". */
const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';

function privateBucket(ctx: AwsContext, module: string, p: StoreNode['provenance'], retain: boolean): AwsNode[] {
  const tags = tagsOf(ctx, p);
  const bucket = awsNode('aws.s3.Bucket', module, p, { bucketPrefix: `${limitedName([ctx.system, module], 36)}-`, forceDestroy: retain ? DELETE_DATA : true, tags }, [], { retainOnDelete: retain });
  return [
    bucket,
    awsNode('aws.s3.BucketPublicAccessBlock', module, p, { bucket: out(bucket, 'id'), blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    awsNode('aws.s3.BucketOwnershipControls', module, p, { bucket: out(bucket, 'id'), rule: { objectOwnership: 'BucketOwnerEnforced' } }),
    awsNode('aws.s3.BucketServerSideEncryptionConfiguration', module, p, { bucket: out(bucket, 'id'), rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }] }),
  ];
}

export function lowerObjectStore(ctx: AwsContext, n: StoreNode): void {
  const p = n.provenance;
  const nodes = privateBucket(ctx, n.module, p, true);
  const bucket = nodes[0] as AwsNode;
  nodes.push(awsNode('aws.s3.BucketVersioning', n.module, p, { bucket: out(bucket, 'id'), versioningConfiguration: { status: 'Enabled' } }));
  add(ctx, ...nodes);
  const users = ctx.usersOf(n.module).filter((u) => ctx.runsTask(u));
  if (users.length === 0) return;
  const gp = { ...p, rule: 'bucket-access', detail: `object access for ${users.join(', ')} only` };
  const policy = awsNode('aws.iam.Policy', n.module, gp, {
    description: `aninfra ${ctx.system}: ${n.module} for its users`,
    policy: jsonOf({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: [out(bucket, 'arn')] },
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: [concatOf(out(bucket, 'arn'), '/*')] },
      ],
    }),
    tags: tagsOf(ctx, gp),
  });
  add(ctx, policy);
  for (const u of users) add(ctx, awsNode('aws.iam.RolePolicyAttachment', `${n.module}-for-${u}`, gp, { role: out(`aws.iam.Role/${u}-task`, 'name'), policyArn: out(policy, 'arn') }));
}

export function lowerStaticSite(ctx: AwsContext, n: WorkloadNode): void {
  const p = n.provenance;
  const nodes = privateBucket(ctx, n.module, p, false);
  const bucket = nodes[0] as AwsNode;
  const root = n.process.mounts.find((m) => m.kind === 'bind')?.source ?? '.';
  const files = awsNode('aninfra.SiteFiles', n.module, { ...p, rule: 'site-files', detail: `the files of ${root}` }, { bucket: out(bucket, 'id'), directory: { $specPath: root } });
  const oac = awsNode('aws.cloudfront.OriginAccessControl', n.module, p, { name: limitedName([ctx.system, n.module], 64), originAccessControlOriginType: 's3', signingBehavior: 'always', signingProtocol: 'sigv4' });
  const origin = `s3-${n.module}`;
  const distribution = awsNode('aws.cloudfront.Distribution', n.module, p, {
    enabled: true,
    comment: `aninfra ${ctx.system}/${n.module}`,
    defaultRootObject: 'index.html',
    origins: [{ originId: origin, domainName: out(bucket, 'bucketRegionalDomainName'), originAccessControlId: out(oac, 'id') }],
    defaultCacheBehavior: { targetOriginId: origin, viewerProtocolPolicy: 'redirect-to-https', allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'], cachePolicyId: CACHING_OPTIMIZED, compress: true },
    restrictions: { geoRestriction: { restrictionType: 'none' } },
    viewerCertificate: { cloudfrontDefaultCertificate: true },
    priceClass: 'PriceClass_100',
    tags: tagsOf(ctx, p),
  });
  const policy = awsNode('aws.s3.BucketPolicy', n.module, p, {
    bucket: out(bucket, 'id'),
    policy: jsonOf({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: concatOf(out(bucket, 'arn'), '/*'), Condition: { StringEquals: { 'AWS:SourceArn': out(distribution, 'arn') } } }],
    }),
  }, [nodeIdOf(nodes[1])]);
  add(ctx, ...nodes, files, oac, distribution, policy);
}

const nodeIdOf = (n: AwsNode | undefined): string => n?.id ?? '';
