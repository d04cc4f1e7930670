/**
 * apply {spec | path, …}: apply the spec (or a saved plan.json named by path) through its target's engine.
 */
import { operationTool } from './operation.js';
import { applySchemas } from '../../operations/state-schemas.js';

export const apply = operationTool({
  name: 'apply',
  title: 'Apply a spec',
  description:
    'Create or change the running system to match the spec (or the saved plan.json that path names; a stale plan is refused with ERR_STATE_STALE_PLAN). Journals a revision, waits for each module to become healthy, reports per-module results. Progress notifications are sent when the request carries a progressToken. Undo with rollback.',
  operation: 'applyOperation',
  options: applySchemas.options,
  result: applySchemas.result,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
});
