/**
 * The published JSON Schema of a spec. `specSchemaFor(targetNames)` is what validation runs; `publishedSchema()`
 * adds each module type's `with:` schema so editors complete and check module inputs too.
 */
import type { JsonSchema, ModuleDescriptor } from '../../modules/descriptor.js';
import { MAX_MODULE_NAME, MAX_SYSTEM_NAME } from './resource-names.js';
import { API_VERSION, DEFAULT_TARGET } from './spec-types.js';

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
    description: { type: 'string', maxLength: 1024 },
    with: { type: 'object', description: "Inputs, checked against the module type's schema (`aninfra modules describe TYPE`)." },
    uses: { type: 'array', items: usesEntry, maxItems: 256, uniqueItems: true, description: 'Modules this one depends on; each injects PREFIX_* env vars.' },
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
    kind: { const: 'System' },
    metadata: {
      type: 'object',
      additionalProperties: false,
      required: ['name'],
      properties: {
        name: { type: 'string', pattern: SYSTEM_NAME_PATTERN, description: 'System name: a DNS label; prefixes every resource.' },
        description: { type: 'string', maxLength: 4096 },
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
    modules: {
      type: 'object',
      description: 'The modules of the system, by name (DNS labels).',
      propertyNames: { pattern: MODULE_NAME_PATTERN },
      additionalProperties: moduleSchema,
      maxProperties: 20000,
    },
  },
};

/** The schema for editors: targets and module `type` enumerated, and each type's `with:` schema attached. */
export function publishedSchema(descriptors: readonly ModuleDescriptor[], targetNames: readonly string[]): JsonSchema {
  const specSchema = specSchemaFor(targetNames);
  const perType = descriptors.map((d) => ({
    if: { properties: { type: { const: d.kind } }, required: ['type'] },
    then: { properties: { with: d.inputs, version: { enum: [...d.versions.supported] } } },
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
