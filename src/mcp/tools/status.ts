/**
 * status {spec | path}: the last revision, each module's live health, endpoints and outputs.
 */
import { commonOptions, operationTool } from './operation.js';
import { platformArguments } from '../../operations/schemas.js';

export const status = operationTool({
  name: 'status',
  title: 'System status',
  description: 'What is running now: the latest revision and its status, the last good revision, the lock holder, each module with its containers and health, endpoints, and outputs (secrets redacted unless showSecrets).',
  operation: 'statusOperation',
  options: { ...commonOptions, ...platformArguments('engine'), showSecrets: { type: 'boolean', description: 'Show secret outputs instead of redacting them.' } },
  result: {
    system: { type: 'string' },
    healthy: { type: 'boolean' },
    revision: { type: 'object' },
    lastGoodRevision: { type: ['integer', 'null'] },
    modules: { type: 'array', items: { type: 'object' } },
    endpoints: { type: 'array' },
    outputs: { type: 'object' },
  },
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
});
