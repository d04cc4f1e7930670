/**
 * The aws target's model: one node per Pulumi resource of the program (`aws.*`, the generated
 * passwords of `@pulumi/random`, the image builds of `@pulumi/docker`), each holding its
 * arguments as data. Values a resource only knows at apply time (another resource's output, a
 * generated password, the applying environment) are the tagged values below, which the emitter
 * renders as Pulumi expressions; plain data is printed through the printer's escaping.
 */
import type { ModelNode, TargetModel } from '../../compiler/emit/target.js';
import type { Provenance } from '../../compiler/lower/ir.js';

/** An output of another node of the model (`node` is its id, `attr` the SDK's output property). */
export interface OutRef {
  readonly $ref: string;
  readonly attr: string;
}
/** Strings and apply-time values joined into one string (pulumi.concat). */
export interface Concat {
  readonly $concat: readonly AwsValue[];
}
/** A value serialized to JSON at apply time (pulumi.jsonStringify): IAM policies, container definitions, secret strings. */
export interface JsonOf {
  readonly $json: AwsValue;
}
/** The generated password `key` of `module` (a random.RandomPassword's result, secret). */
export interface SecretOf {
  readonly $secret: string;
  readonly key: string;
}
/** A variable of the applying environment (an external module's API key), read at apply time. */
export interface HostEnvOf {
  readonly $hostEnv: string;
}
/** The network: the VPC id and subnet ids (created by the program, or looked up in platform.aws.vpcId). */
export interface NetworkOf {
  readonly $net: 'vpcId' | 'publicSubnetIds' | 'privateSubnetIds' | 'firstPrivateSubnetId';
}
/** The name of the n-th availability zone of the region. */
export interface ZoneOf {
  readonly $az: number;
}
/** The region the program deploys to, and the account id (from the provider at apply time). */
export interface ContextOf {
  readonly $context: 'region' | 'accountId';
}

/** The AMQPS host of an Amazon MQ broker (node id), cut from its first endpoint URL at apply time. */
export interface BrokerHostOf {
  readonly $brokerHost: string;
}

/** A path relative to the spec file (a build context), absolute at apply time. */
export interface SpecPathOf {
  readonly $specPath: string;
}
/** A path relative to the program directory (a generated Dockerfile), absolute at apply time. */
export interface ProgramPathOf {
  readonly $programPath: string;
}
/** Push credentials of an ECR repository (node id), from the provider at apply time. */
export interface EcrRegistryOf {
  readonly $ecrRegistry: string;
}

/**
 * Whether stored data is kept (`keep`: true unless the engine runs a destroy with --delete-data,
 * stack config aninfra:deleteData) or deleted (`delete`: the opposite), read at apply time.
 */
export interface DataPolicyOf {
  readonly $dataPolicy: 'keep' | 'delete';
}

export type AwsSpecial = DataPolicyOf | OutRef | Concat | JsonOf | SecretOf | HostEnvOf | NetworkOf | ZoneOf | ContextOf | BrokerHostOf | SpecPathOf | ProgramPathOf | EcrRegistryOf;
export type AwsObject = { readonly [key: string]: AwsValue };
export type AwsValue = string | number | boolean | null | readonly AwsValue[] | AwsSpecial | AwsObject;

const SPECIAL_KEYS = ['$ref', '$concat', '$json', '$secret', '$hostEnv', '$net', '$az', '$context', '$brokerHost', '$specPath', '$programPath', '$ecrRegistry', '$dataPolicy'] as const;
export type SpecialKey = (typeof SPECIAL_KEYS)[number];

/** The special key of a tagged value, or undefined for plain data. */
export function specialKey(v: AwsValue): SpecialKey | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
  // Every special key starts with `$`: plain data (most objects of a model) is told apart by one pass over its keys.
  for (const k in v) if (k.charCodeAt(0) === 36 && Object.hasOwn(v, k)) return SPECIAL_KEYS.find((s) => Object.hasOwn(v, s));
  return undefined;
}

export interface AwsNode extends ModelNode {
  /** `<class>/<name>`, e.g. `aws.rds.Instance/accounts-db`. */
  readonly id: string;
  /** The SDK class, e.g. `aws.ec2.Vpc`, `random.RandomPassword`, `docker.Image`. */
  readonly kind: string;
  /** The Pulumi resource name (unique per class). */
  readonly name: string;
  readonly args: AwsObject;
  /** Kept on destroy (data and its credentials); deleted only with --delete-data. */
  readonly retainOnDelete?: boolean;
  /** Outputs of the resource that hold secrets. */
  readonly secretOutputs?: readonly string[];
  /**
   * The arguments AWS cannot change on a live resource (identifiers, engine, VPC, zone, name…):
   * a change here replaces it. Plans compare it as a whole.
   */
  readonly immutable: AwsObject;
}

/** Arguments whose change makes the provider replace the resource. */
const IMMUTABLE_ARGS = ['identifier', 'engine', 'dbName', 'username', 'clusterIdentifier', 'replicationGroupId', 'brokerName', 'engineType', 'bucketPrefix', 'bucket', 'vpcId', 'cidrBlock', 'availabilityZone', 'name', 'family', 'length', 'special', 'storageEncrypted', 'atRestEncryptionEnabled', 'transitEncryptionEnabled', 'dbSubnetGroupName', 'subnetGroupName', 'masterUsername', 'deploymentMode', 'loadBalancerType', 'targetType', 'protocol', 'port'];

/** An image built from the spec's directory and pushed to the module's ECR repository by the program. */
export interface AwsImage {
  readonly module: string;
  readonly context: string;
  readonly dockerfile?: string;
  /** The Dockerfile aninfra generated (the context has none): written beside the program, built with it. */
  readonly generatedDockerfile?: string;
  readonly args: Readonly<Record<string, string>>;
}

/** A stack output with its value resolved to apply-time AWS values. */
export interface AwsOutput {
  readonly module: string;
  readonly name: string;
  readonly value: AwsValue;
  readonly secret: boolean;
}

export interface AwsModel extends TargetModel<AwsNode> {
  readonly region: string;
  readonly awsOutputs: readonly AwsOutput[];
  /** An existing VPC the system deploys into (platform.aws.vpcId); absent: the program creates one. */
  readonly vpcId?: string;
  readonly images: readonly AwsImage[];
}

export const nodeId = (kind: string, name: string): string => `${kind}/${name}`;

export function awsNode(kind: string, name: string, provenance: Provenance, args: AwsObject, dependsOn: readonly string[] = [], extra: Pick<AwsNode, 'retainOnDelete' | 'secretOutputs'> = {}): AwsNode {
  const immutable: Record<string, AwsValue> = {};
  for (const k of IMMUTABLE_ARGS) if (Object.hasOwn(args, k)) immutable[k] = args[k] as AwsValue;
  return {
    id: nodeId(kind, name),
    kind,
    name,
    provenance,
    dependsOn: dependsOn.length === 0 ? [] : [...new Set(dependsOn)].sort(),
    args,
    immutable,
    ...(extra.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(extra.secretOutputs && extra.secretOutputs.length > 0 ? { secretOutputs: extra.secretOutputs } : {}),
  };
}

export const out = (node: AwsNode | string, attr: string): OutRef => ({ $ref: typeof node === 'string' ? node : node.id, attr });
export const concatOf = (...parts: AwsValue[]): Concat => ({ $concat: parts });
export const jsonOf = (value: AwsValue): JsonOf => ({ $json: value });
export const net = (which: NetworkOf['$net']): NetworkOf => ({ $net: which });
/** True unless a destroy deletes data (--delete-data). */
export const KEEP_DATA: DataPolicyOf = { $dataPolicy: 'keep' };
/** True only while a destroy deletes data (--delete-data). */
export const DELETE_DATA: DataPolicyOf = { $dataPolicy: 'delete' };
