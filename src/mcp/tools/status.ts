/**
 * status {spec | path}: the last revision, each module's live health, endpoints and outputs.
 */
import { operationTool } from './operation.js';
import { statusSchemas } from '../../operations/state-schemas.js';

export const status = operationTool({
  name: 'status',
  title: 'System status',
  description: 'What is running now: the latest revision and its status, the last good revision, the lock holder, each module with its containers and health, endpoints, and outputs (secrets redacted unless showSecrets).',
  operation: 'statusOperation',
  options: statusSchemas.options,
  result: statusSchemas.result,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
});
