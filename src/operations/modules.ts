/**
 * The module catalog as data (`aninfra modules list|describe`, MCP list_modules/describe_module, HTTP /v1/modules).
 */
import type { JsonSchema, ModuleDescriptor } from '../modules/descriptor.js';
import { envelopeSchema } from './schemas.js';
import { descriptors } from '../modules/index.js';
import { DESIGN_FIELDS, type DesignField } from '../compiler/emit/target.js';
import { realizationOf, targetsRealizing } from '../targets/index.js';

/** The design fields (replicas, autoscale, …) a module type takes under with:. */
export function designFieldsOf(d: ModuleDescriptor): DesignField[] {
  const inputs = (d.inputs.properties ?? {}) as Record<string, unknown>;
  return DESIGN_FIELDS.filter((f) => f in inputs);
}

/** Everything a descriptor says, as plain data (functions left out). */
export function describeDocument(d: ModuleDescriptor): Record<string, unknown> {
  return {
    type: d.kind,
    summary: d.summary,
    category: d.category,
    versions: d.versions,
    inputs: d.inputs,
    outputs: d.outputs,
    injects: Object.fromEntries(Object.entries(d.inject).map(([suffix, output]) => [`<PREFIX>_${suffix}`, output])),
    ownedEnv: d.ownedEnv,
    capabilities: d.capabilities,
    ports: d.ports,
    readiness: d.readiness,
    stateful: d.stateful,
    realizes: d.realizes,
    targets: targetsRealizing(d.realizes),
    realization: realizationOf(d.realizes, designFieldsOf(d)),
    images: d.images,
    examples: d.examples,
  };
}

export function listDocument(): Record<string, unknown>[] {
  return descriptors.map((d) => ({ type: d.kind, category: d.category, summary: d.summary, versions: d.versions.supported, stateful: d.stateful, targets: targetsRealizing(d.realizes) }));
}

/** list_modules / GET /v1/modules. */
export const listModulesOutputSchema: JsonSchema = envelopeSchema('The module catalog.', {
    modules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'summary'],
        properties: { type: { type: 'string' }, category: { type: 'string' }, summary: { type: 'string' }, versions: { type: 'array', items: { type: 'string' } }, stateful: { type: 'boolean' }, targets: { type: 'array', items: { type: 'string' } } },
      },
    },
  });

/** describe_module / GET /v1/modules/{type}. */
export const describeModuleOutputSchema: JsonSchema = envelopeSchema('The descriptor.', {
    module: {
      type: 'object',
      required: ['type', 'summary', 'inputs', 'outputs'],
      properties: { type: { type: 'string' }, summary: { type: 'string' }, inputs: { type: 'object' }, outputs: { type: 'object' }, injects: { type: 'object' }, capabilities: { type: 'object' }, realization: { type: 'array' }, examples: { type: 'array' } },
    },
  });

/** get_schema / GET /v1/schema. */
export const specSchemaOutputSchema: JsonSchema = envelopeSchema('The schema.', { schema: { type: 'object' } });
