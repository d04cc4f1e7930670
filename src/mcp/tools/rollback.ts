/**
 * rollback {spec | path, to?}: re-apply an earlier good revision (default: the one before the latest).
 */
import { operationTool } from './operation.js';
import { rollbackSchemas } from '../../operations/state-schemas.js';

export const rollback = operationTool({
  name: 'rollback',
  title: 'Roll back',
  description: 'Return the system to an earlier applied revision (default: the last good one before the latest), re-applying the spec and target stored with it. history lists the revisions.',
  operation: 'rollbackOperation',
  options: rollbackSchemas.options,
  result: rollbackSchemas.result,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
});
