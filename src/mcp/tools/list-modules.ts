/**
 * list_modules: every module type, one line of data each (type, category, summary, versions).
 */
import { listDocument, listModulesOutputSchema } from '../../operations/modules.js';
import { inputSchema } from '../../operations/schemas.js';
import { success, type McpTool } from '../tool.js';

export const listModules: McpTool = {
  name: 'list_modules',
  title: 'List module types',
  description: 'List the module types a spec can use (databases, caches, queues, services, gateways …). Call describe_module for the inputs, outputs and examples of one.',
  inputSchema: inputSchema({}),
  outputSchema: listModulesOutputSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: () => success({ ok: true, modules: listDocument(), diagnostics: [] }),
};
