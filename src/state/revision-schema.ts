/**
 * The JSON Schema of a journal revision, checked whenever one is read: a file that parses but is
 * incomplete (a truncated write from another tool, a hand edit) is reported by number instead of
 * crashing `history`, `status` or `destroy` later.
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';

const nodeSchema = {
  type: 'object',
  required: ['kind', 'id', 'provenance', 'dependsOn'],
  properties: {
    kind: { type: 'string', minLength: 1 },
    id: { type: 'string', minLength: 1 },
    provenance: { type: 'object', required: ['rule'], properties: { rule: { type: 'string' } } },
    dependsOn: { type: 'array', items: { type: 'string' } },
  },
};

export const revisionSchema = {
  type: 'object',
  required: ['revision', 'status', 'operation', 'target', 'engine', 'specPath', 'specText', 'specHash', 'planHash', 'ir', 'startedAt', 'modules'],
  properties: {
    revision: { type: 'integer', minimum: 1 },
    status: { enum: ['applying', 'applied', 'failed', 'interrupted', 'destroyed'] },
    operation: { enum: ['apply', 'rollback', 'destroy', 'restore'] },
    target: { type: 'string', minLength: 1 },
    engine: { type: 'string' },
    specPath: { type: 'string' },
    specText: { type: 'string' },
    specHash: { type: 'string' },
    planHash: { type: 'string' },
    ir: {
      type: 'object',
      required: ['system', 'nodes', 'outputs'],
      properties: { system: { type: 'string', minLength: 1 }, nodes: { type: 'array', items: nodeSchema }, outputs: { type: 'array' } },
    },
    startedAt: { type: 'string' },
    finishedAt: { type: 'string' },
    modules: {
      type: 'array',
      items: { type: 'object', required: ['module', 'outcome', 'health'], properties: { module: { type: 'string' }, outcome: { type: 'string' }, health: { type: 'string' } } },
    },
    restores: { type: 'integer' },
    error: { type: 'string' },
    images: { type: 'object', additionalProperties: { type: 'string' } },
    backup: { type: 'object', required: ['module', 'name'], properties: { module: { type: 'string' }, name: { type: 'string' } } },
  },
} as const;

/** Compiled once per Journal (no module-level cache): ajv loads only when a revision is read. */
export function revisionValidator(): ValidateFunction {
  const Ajv = createRequire(import.meta.url)('ajv') as new (o: object) => { compile(s: object): ValidateFunction };
  return new Ajv({ allErrors: false, strict: false }).compile(revisionSchema);
}
