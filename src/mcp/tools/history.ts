/**
 * history {spec | path}: every journaled revision of the system.
 */
import { commonOptions, operationTool } from './operation.js';

export const history = operationTool({
  name: 'history',
  title: 'Revision history',
  description: 'Every revision applied to the system (apply, rollback, destroy) with status, plan hash and times; rollback {to} returns to one of them.',
  operation: 'historyOperation',
  options: commonOptions,
  result: { system: { type: 'string' }, revisions: { type: 'array', items: { type: 'object' } } },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
});
