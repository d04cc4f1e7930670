/**
 * drift {spec | path}: how the live system departs from its last applied revision.
 */
import { operationTool } from './operation.js';
import { driftSchemas } from '../../operations/state-schemas.js';

export const drift = operationTool({
  name: 'drift',
  title: 'Drift of the live system',
  description: 'Compare what runs with the last applied revision: containers or pods missing, stopped, unhealthy, with another image or env; networks or volumes missing; resources with the system labels the revision does not know. Each item is a coded warning whose hint is the command that heals it (apply heals all but unknown resources). exitCode 0: no drift, 2: drift.',
  operation: 'driftOperation',
  options: driftSchemas.options,
  result: driftSchemas.result,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
});
