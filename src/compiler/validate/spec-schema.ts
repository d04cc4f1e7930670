/**
 * The published JSON Schema of a spec. `specSchemaFor(targetNames)` is what validation runs; `publishedSchema()`
 * adds each module type's `with:` schema so editors complete and check module inputs too.
 */
import type { JsonSchema, ModuleDescriptor } from '../../modules/descriptor.js';
import { MAX_MODULE_NAME, MAX_SYSTEM_NAME } from './resource-names.js';
import { API_VERSION, DEFAULT_TARGET } from './spec-types.js';
import { ENVIRONMENT_NAME_PATTERN } from '../parse/environment.js';

export const SCHEMA_ID = 'https://aninfra.dev/schema/v1/system.json';

/**
 * DNS labels, short enough that every name derived from them (`<system>--<module>--data`, see
 * lower/resource-names.ts) is still a 63-character DNS label: systems at most 24 characters,
 * modules at most 31. `--` is allowed here and refused by the names-unambiguous rule, which can
 * offer a fix.
 */
export const MODULE_NAME_PATTERN = `^[a-z]([a-z0-9-]{0,${MAX_MODULE_NAME - 2}}[a-z0-9])?$`;
export const SYSTEM_NAME_PATTERN = `^[a-z]([a-z0-9-]{0,${MAX_SYSTEM_NAME - 2}}[a-z0-9])?$`;
export const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';
/** Label keys; reserved namespaces (aninfra., com.docker., kubernetes.io/, …) are refused by the labels-unreserved rule. */
const LABEL_KEY_PATTERN = '^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?(/[A-Za-z0-9._-]{1,63})?$';

const labels: JsonSchema = {
  type: 'object',
  description: 'Labels attached to every container (values may reference non-secret outputs).',
  propertyNames: { pattern: LABEL_KEY_PATTERN },
  additionalProperties: { type: 'string', maxLength: 1024 },
  maxProperties: 64,
};

const usesEntry: JsonSchema = {
  anyOf: [
    { type: 'string', pattern: MODULE_NAME_PATTERN },
    {
      type: 'object',
      additionalProperties: false,
      required: ['module'],
      properties: {
        module: { type: 'string', pattern: MODULE_NAME_PATTERN, description: 'The module used.' },
        as: { type: 'string', pattern: '^[A-Z][A-Z0-9_]{0,63}$', description: 'Env prefix instead of the module name (e.g. ACCOUNTS_DB).' },
      },
    },
  ],
};

export const moduleSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,62}$', description: 'Module type (`aninfra modules list`).' },
    version: { type: 'string', maxLength: 32, description: 'Module version; the descriptor default when omitted.' },
    description: { type: 'string', maxLength: 1024, description: 'What the module is for, in prose; documentation only, it changes nothing that is deployed.' },
    with: { type: 'object', description: "Inputs, checked against the module type's schema (`aninfra modules describe TYPE`)." },
    uses: { type: 'array', items: usesEntry, maxItems: 256, uniqueItems: true, description: 'Modules this one depends on; each injects PREFIX_* env vars.' },
    after: {
      type: 'array',
      items: { type: 'string', pattern: MODULE_NAME_PATTERN },
      maxItems: 256,
      uniqueItems: true,
      description: 'Modules this one starts after (a task: after it completed successfully), without injecting anything: ordering only.',
    },
    env: {
      type: 'object',
      description: 'Environment variables; values may reference outputs as ${module.output}.',
      propertyNames: { pattern: ENV_NAME_PATTERN },
      additionalProperties: { type: 'string', maxLength: 65536 },
      maxProperties: 512,
    },
    labels,
  },
};

/** An RFC 1123 label, as Kubernetes names namespaces. */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
/** An RFC 1123 subdomain, as Kubernetes names IngressClasses and StorageClasses (at most 253 characters by maxLength). */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$';
/** A registry host with an optional port and repository path, no scheme: `registry.example.com:5000/team`, `ghcr.io/acme`, `localhost:5000`. */
export const IMAGE_REGISTRY_PATTERN = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*$';
export const AWS_REGION_PATTERN = '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$';
export const DEFAULT_AWS_REGION = 'us-east-1';

/** Settings each target reads for itself; the others ignore them. Command-line flags override them. */
const platform: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Settings for particular targets, read only by that target (platform.kubernetes by kubernetes, platform.aws by aws); every key is optional, and command-line flags override them.',
  properties: {
    kubernetes: {
      type: 'object',
      additionalProperties: false,
      description: 'Where and how the kubernetes target deploys the system.',
      properties: {
        namespace: {
          type: 'string',
          pattern: DNS_LABEL_PATTERN,
          maxLength: 63,
          description: 'Namespace the system is created in: a DNS label (lowercase letters, digits and dashes, at most 63 characters). Default: the system name.',
        },
        ingressClass: {
          type: 'string',
          pattern: DNS_SUBDOMAIN_PATTERN,
          maxLength: 253,
          description: "IngressClass of each gateway's Ingress, e.g. 'nginx' or 'traefik' (a DNS subdomain name). Default: none, so the cluster's default class serves it.",
        },
        storageClass: {
          type: 'string',
          pattern: DNS_SUBDOMAIN_PATTERN,
          maxLength: 253,
          description: "StorageClass of every PersistentVolumeClaim (stores' data and backups), e.g. 'standard' or 'gp3' (a DNS subdomain name). Default: the cluster's default class.",
        },
        imageRegistry: {
          type: 'string',
          pattern: IMAGE_REGISTRY_PATTERN,
          maxLength: 255,
          description:
            "Registry that images built from a spec's build contexts are pushed to and pulled from: host[:port][/path] without a scheme, e.g. 'registry.example.com:5000/team' or 'ghcr.io/acme'. Default: none; built images are imported into a local cluster.",
        },
      },
    },
    aws: {
      type: 'object',
      additionalProperties: false,
      description: 'Where the aws target deploys the system.',
      properties: {
        region: { type: 'string', pattern: AWS_REGION_PATTERN, maxLength: 32, default: DEFAULT_AWS_REGION, description: `AWS region, e.g. 'eu-central-1' (default ${DEFAULT_AWS_REGION}).` },
        certificateArn: {
          type: 'string',
          pattern: '^arn:aws[a-z-]*:acm:[a-z]{2}(-[a-z]+)+-[0-9]{1,2}:[0-9]{12}:certificate/[A-Za-z0-9-]{1,128}$',
          maxLength: 256,
          description: "ARN of an ACM certificate for the gateways' HTTPS listener, e.g. 'arn:aws:acm:us-east-1:123456789012:certificate/…'. Default: none, gateways serve HTTP only.",
        },
        vpcId: {
          type: 'string',
          pattern: '^vpc-([0-9a-f]{8}|[0-9a-f]{17})$',
          description: "Existing VPC to deploy into: 'vpc-' and 8 or 17 hexadecimal digits. Default: a VPC the target creates for the system.",
        },
      },
    },
  },
};

/** A target name when the registry's names are not known (the compiler alone). */
const TARGET_NAME_PATTERN = '^[a-z][a-z0-9-]{0,62}$';

/**
 * The spec schema; `targetNames` (the target registry's, handed in by the caller) become the enum
 * of `target:`, so a misspelt target gets a nearest-name fix. Without them any target-like name passes.
 */
export function specSchemaFor(targetNames?: readonly string[]): JsonSchema {
  const target: JsonSchema = targetNames
    ? { enum: [...targetNames], default: DEFAULT_TARGET, description: `Where the system runs: ${targetNames.join(', ')}.` }
    : { type: 'string', pattern: TARGET_NAME_PATTERN, default: DEFAULT_TARGET, description: 'Where the system runs.' };
  return { ...specSchema, properties: { ...(specSchema.properties as Record<string, JsonSchema>), target } };
}

const specSchema: JsonSchema = {
  $id: SCHEMA_ID,
  title: 'aninfra system spec',
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'modules'],
  properties: {
    apiVersion: { const: API_VERSION, description: 'Spec format version.' },
    kind: { const: 'System', description: "What the document describes: always 'System', one system of modules." },
    metadata: {
      type: 'object',
      description: 'Who the system is: its name, an optional description and labels for every resource it creates.',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: SYSTEM_NAME_PATTERN, description: 'System name: a DNS label; prefixes every resource.' },
        description: { type: 'string', maxLength: 4096, description: 'What the system is for, in prose; documentation only, it changes nothing that is deployed.' },
        labels,
      },
    },
    target: { type: 'string', pattern: TARGET_NAME_PATTERN, default: DEFAULT_TARGET, description: 'Where the system runs.' },
    images: {
      type: 'object',
      description: 'Image mapping: public image → image to use instead (e.g. locally built).',
      propertyNames: { maxLength: 255 },
      additionalProperties: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9][A-Za-z0-9._/:@-]*$' },
    },
    platform,
    modules: {
      type: 'object',
      description: 'The modules of the system, by name (DNS labels).',
      propertyNames: { pattern: MODULE_NAME_PATTERN },
      additionalProperties: moduleSchema,
      maxProperties: 20000,
    },
    environments: {
      type: 'object',
      description: 'Named environments (`--env NAME`): each a JSON Merge Patch (RFC 7386) over the rest of the spec, deployed as <system>-<env> with its own state.',
      propertyNames: { pattern: ENVIRONMENT_NAME_PATTERN },
      additionalProperties: { type: 'object', description: 'Overlay: the fields to change (null removes one); never environments or metadata.name.' },
      maxProperties: 64,
    },
  },
};

/** The schema for editors: targets and module `type` enumerated, and each type's `with:` schema attached. */
export function publishedSchema(descriptors: readonly ModuleDescriptor[], targetNames: readonly string[]): JsonSchema {
  const specSchema = specSchemaFor(targetNames);
  const perType = descriptors.map((d) => ({
    if: { properties: { type: { const: d.kind } }, required: ['type'] },
    then: {
      properties: {
        with: { ...d.inputs, description: `Inputs of a ${d.kind} module (\`aninfra modules describe ${d.kind}\`).` },
        version: { enum: [...d.versions.supported], description: `${d.kind} version: ${d.versions.supported.join(', ')} (default ${d.versions.default}).` },
      },
    },
  }));
  const modules = specSchema.properties as Record<string, JsonSchema>;
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    ...specSchema,
    properties: {
      ...modules,
      modules: {
        ...(modules.modules as JsonSchema),
        additionalProperties: {
          ...moduleSchema,
          properties: { ...(moduleSchema.properties as JsonSchema), type: { enum: descriptors.map((d) => d.kind), description: 'Module type.' } },
          allOf: perType,
        },
      },
    },
  };
}
