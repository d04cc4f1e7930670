/**
 * apply {spec | path, …}: apply the spec (or a saved plan.json named by path) through its target's engine.
 */
import { platformArguments, targetArgument } from '../../operations/schemas.js';
import { engineOptions, operationTool } from './operation.js';

export const apply = operationTool({
  name: 'apply',
  title: 'Apply a spec',
  description:
    'Create or change the running system to match the spec (or the saved plan.json that path names; a stale plan is refused with ERR_STATE_STALE_PLAN). Journals a revision, waits for each module to become healthy, reports per-module results. Progress notifications are sent when the request carries a progressToken. Undo with rollback.',
  operation: 'applyOperation',
  options: {
    target: targetArgument,
    ...platformArguments('program'),
    ...engineOptions,
    rollbackOnFailure: { type: 'boolean', description: 'On failure, return to the last good revision.' },
    allowDataLoss: { type: 'boolean', description: 'Apply even though the plan deletes or strands stored data (refused with ERR_PLAN_DATA_LOSS otherwise).' },
    adopt: { type: 'boolean', description: 'Take over a system whose resources another state directory owns (refused with ERR_STATE_FOREIGN_OWNER otherwise).' },
    regenerateSecrets: { type: 'boolean', description: 'Generate new values for applied secrets whose stored values are lost (refused with ERR_STATE_SECRETS_LOST otherwise); stateful modules keep their old passwords.' },
    showSecrets: { type: 'boolean', description: 'Show secret outputs instead of redacting them.' },
    stateDir: { type: 'string', minLength: 1, description: 'State directory (default .aninfra beside the spec).' },
  },
  result: {
    revision: { description: 'The journaled revision.' },
    modules: { type: 'array', items: { type: 'object' } },
    endpoints: { type: 'array' },
    outputs: { type: 'object' },
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
});
