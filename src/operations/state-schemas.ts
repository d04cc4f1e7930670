/**
 * The JSON Schemas of the state operations (apply, status, history, rollback, destroy): their
 * options and result fields. The MCP tools and the HTTP endpoints publish exactly these, so a
 * client sees one contract whichever front end it talks to.
 */
import type { JsonSchema } from '../modules/descriptor.js';
import { envArgument, envelopeSchema, platformArguments, targetArgument } from './schemas.js';

/** Options every state operation accepts. */
export const commonOptions: Readonly<Record<string, JsonSchema>> = {
  stateDir: { type: 'string', minLength: 1, description: 'State directory (default .aninfra beside the spec; for an inline spec, <workdir>/.aninfra).' },
  env: envArgument,
};

export const engineOptions: Readonly<Record<string, JsonSchema>> = {
  breakLock: { type: 'boolean', description: "Take over a lock left by a process that is gone (ERR_STATE_LOCKED names its holder)." },
  timeoutSeconds: { type: 'integer', minimum: 1, maximum: 3600, description: 'Seconds each module may take to become healthy.' },
  images: { type: 'string', minLength: 1, description: 'Image mapping file (public image → local image), relative to the workdir.' },
};

const adopt: JsonSchema = { type: 'boolean', description: 'Take over a system whose resources another state directory owns (refused with ERR_STATE_FOREIGN_OWNER otherwise).' };
const showSecrets: JsonSchema = { type: 'boolean', description: 'Show secret outputs instead of redacting them.' };

export interface StateOperationSchemas {
  /** The operation's options (besides how the spec is given). */
  readonly options: Readonly<Record<string, JsonSchema>>;
  /** The fields of its result document. */
  readonly result: Readonly<Record<string, JsonSchema>>;
}

export const applySchemas: StateOperationSchemas = {
  options: {
    target: targetArgument,
    ...platformArguments('program'),
    ...engineOptions,
    rollbackOnFailure: { type: 'boolean', description: 'On failure, return to the last good revision.' },
    allowDataLoss: { type: 'boolean', description: 'Apply even though the plan deletes or strands stored data (refused with ERR_PLAN_DATA_LOSS otherwise).' },
    adopt,
    regenerateSecrets: { type: 'boolean', description: 'Generate new values for applied secrets whose stored values are lost (refused with ERR_STATE_SECRETS_LOST otherwise); stateful modules keep their old passwords.' },
    showSecrets,
    ...commonOptions,
    stateDir: { type: 'string', minLength: 1, description: 'State directory (default .aninfra beside the spec).' },
  },
  result: {
    revision: { description: 'The journaled revision.' },
    modules: { type: 'array', items: { type: 'object' } },
    endpoints: { type: 'array' },
    outputs: { type: 'object' },
  },
};

export const statusSchemas: StateOperationSchemas = {
  options: { ...commonOptions, ...platformArguments('engine'), showSecrets },
  result: {
    system: { type: 'string' },
    healthy: { type: 'boolean' },
    revision: { type: 'object' },
    lastGoodRevision: { type: ['integer', 'null'] },
    modules: { type: 'array', items: { type: 'object' } },
    endpoints: { type: 'array' },
    outputs: { type: 'object' },
  },
};

export const historySchemas: StateOperationSchemas = {
  options: commonOptions,
  result: { system: { type: 'string' }, revisions: { type: 'array', items: { type: 'object' } } },
};

export const driftSchemas: StateOperationSchemas = {
  options: commonOptions,
  result: {
    system: { type: 'string' },
    revision: { type: ['integer', 'null'], description: 'The revision compared against; null when none.' },
    target: { type: ['string', 'null'] },
    drifted: { type: 'boolean' },
    items: {
      type: 'array',
      description: 'What departs from the revision: kind, resource, module, code, heal (the command that heals it) and healedByApply.',
      items: { type: 'object', required: ['kind', 'code', 'heal', 'healedByApply'], properties: { kind: { type: 'string' }, code: { type: 'string' }, heal: { type: 'string' }, healedByApply: { type: 'boolean' } } },
    },
  },
};

export const rollbackSchemas: StateOperationSchemas = {
  options: {
    ...commonOptions,
    ...engineOptions,
    ...platformArguments('program'),
    to: { type: 'integer', minimum: 1, description: 'Revision number to return to.' },
    allowDataLoss: { type: 'boolean', description: 'Roll back even though it deletes or strands stored data (refused with ERR_PLAN_DATA_LOSS otherwise).' },
    adopt,
  },
  result: { revision: { description: 'The new revision that restores the old one.' }, modules: { type: 'array', items: { type: 'object' } } },
};

export const destroySchemas: StateOperationSchemas = {
  options: {
    ...commonOptions,
    ...platformArguments('engine'),
    deleteData: { type: 'boolean', description: 'Also delete the data volumes of stateful modules (databases). Irreversible.' },
    breakLock: { type: 'boolean', description: 'Take over a lock left by a process that is gone.' },
    keepImages: { type: 'boolean', description: 'Keep the images aninfra built for the system (removed by default).' },
    adopt,
  },
  result: { revision: { description: 'The destroyed revision.' } },
};

/** The result schema of a state operation: its document (as `aninfra NAME --json` prints it) with exitCode, in the envelope. */
export function stateOutputSchema(name: string, schemas: StateOperationSchemas): JsonSchema {
  return envelopeSchema(`The ${name} document (as \`aninfra ${name} --json\` prints it), with exitCode.`, { exitCode: { type: 'integer' }, ...schemas.result });
}
