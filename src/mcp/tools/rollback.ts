/**
 * rollback {spec | path, to?}: re-apply an earlier good revision (default: the one before the latest).
 */
import { commonOptions, engineOptions, operationTool } from './operation.js';
import { platformArguments } from '../../operations/schemas.js';

export const rollback = operationTool({
  name: 'rollback',
  title: 'Roll back',
  description: 'Return the system to an earlier applied revision (default: the last good one before the latest), re-applying the spec and target stored with it. history lists the revisions.',
  operation: 'rollbackOperation',
  options: {
    ...commonOptions,
    ...engineOptions,
    ...platformArguments('program'),
    to: { type: 'integer', minimum: 1, description: 'Revision number to return to.' },
    allowDataLoss: { type: 'boolean', description: 'Roll back even though it deletes or strands stored data (refused with ERR_PLAN_DATA_LOSS otherwise).' },
    adopt: { type: 'boolean', description: 'Take over a system whose resources another state directory owns (refused with ERR_STATE_FOREIGN_OWNER otherwise).' },
  },
  result: { revision: { description: 'The new revision that restores the old one.' }, modules: { type: 'array', items: { type: 'object' } } },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
});
