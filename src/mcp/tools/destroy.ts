/**
 * destroy {spec | path, deleteData?}: remove what the system runs; data volumes stay unless deleteData.
 */
import { commonOptions, operationTool } from './operation.js';
import { platformArguments } from '../../operations/schemas.js';

export const destroy = operationTool({
  name: 'destroy',
  title: 'Destroy the system',
  description: 'Stop and remove every container, network and image aninfra created for the system and journal a destroyed revision. Volumes of stateful modules are kept unless deleteData is true.',
  operation: 'destroyOperation',
  options: {
    ...commonOptions,
    ...platformArguments('engine'),
    deleteData: { type: 'boolean', description: 'Also delete the data volumes of stateful modules (databases). Irreversible.' },
    breakLock: { type: 'boolean', description: 'Take over a lock left by a process that is gone.' },
    keepImages: { type: 'boolean', description: 'Keep the images aninfra built for the system (removed by default).' },
    adopt: { type: 'boolean', description: 'Take over a system whose resources another state directory owns (refused with ERR_STATE_FOREIGN_OWNER otherwise).' },
  },
  result: { revision: { description: 'The destroyed revision.' } },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
});
