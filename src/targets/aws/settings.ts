/**
 * `platform.aws` settings (region, certificateArn, vpcId) read with their defaults. The spec
 * schema (src/compiler/validate/spec-schema.ts) declares them; InfraIR carries `platform` as
 * validated and merged with the command line's flags (--region, --certificate-arn, --vpc-id).
 */
export interface AwsSettings {
  /** Default us-east-1. */
  readonly region: string;
  /** ACM certificate of the gateways' HTTPS listener; absent: HTTP only (WARN_AWS_HTTP_ONLY). */
  readonly certificateArn?: string;
  /** Existing VPC to deploy into; absent: the program creates one. */
  readonly vpcId?: string;
}

export const AWS_SETTING_KEYS = ['region', 'certificateArn', 'vpcId'] as const;
export const DEFAULT_REGION = 'us-east-1';

export function awsSettings(platform: Readonly<Record<string, Readonly<Record<string, unknown>>>>): AwsSettings {
  const raw = Object.hasOwn(platform, 'aws') ? (platform.aws ?? {}) : {};
  const read = (key: (typeof AWS_SETTING_KEYS)[number]): string | undefined => {
    if (!Object.hasOwn(raw, key) || raw[key] === undefined) return undefined;
    const value = raw[key];
    if (typeof value !== 'string' || value === '') throw new Error(`internal: platform.aws.${key} is not a string`);
    return value;
  };
  const certificateArn = read('certificateArn');
  const vpcId = read('vpcId');
  return { region: read('region') ?? DEFAULT_REGION, ...(certificateArn !== undefined ? { certificateArn } : {}), ...(vpcId !== undefined ? { vpcId } : {}) };
}
