/**
 * destroy {spec | path, deleteData?}: remove what the system runs; data volumes stay unless deleteData.
 */
import { operationTool } from './operation.js';
import { destroySchemas } from '../../operations/state-schemas.js';

export const destroy = operationTool({
  name: 'destroy',
  title: 'Destroy the system',
  description: 'Stop and remove every container, network and image aninfra created for the system and journal a destroyed revision. Volumes of stateful modules are kept unless deleteData is true.',
  operation: 'destroyOperation',
  options: destroySchemas.options,
  result: destroySchemas.result,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
});
