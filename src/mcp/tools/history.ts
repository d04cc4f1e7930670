/**
 * history {spec | path}: every journaled revision of the system.
 */
import { operationTool } from './operation.js';
import { historySchemas } from '../../operations/state-schemas.js';

export const history = operationTool({
  name: 'history',
  title: 'Revision history',
  description: 'Every revision applied to the system (apply, rollback, destroy) with status, plan hash and times; rollback {to} returns to one of them.',
  operation: 'historyOperation',
  options: historySchemas.options,
  result: historySchemas.result,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
});
