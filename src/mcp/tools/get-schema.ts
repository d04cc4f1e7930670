/**
 * get_schema: the published JSON Schema of a spec, with every module type's `with:` schema.
 */
import { publishedSchema } from '../../compiler/validate/spec-schema.js';
import { targetNames } from '../../targets/index.js';
import { descriptors } from '../../modules/index.js';
import { inputSchema } from '../../operations/schemas.js';
import { specSchemaOutputSchema } from '../../operations/modules.js';
import { success, type McpTool } from '../tool.js';

export const getSchema: McpTool = {
  name: 'get_schema',
  title: 'Spec JSON Schema',
  description: 'The JSON Schema (draft-07) of a spec, including each module type\'s inputs. Also the resource aninfra://schema/spec.json.',
  inputSchema: inputSchema({}),
  outputSchema: specSchemaOutputSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: () => success({ ok: true, schema: publishedSchema(descriptors, targetNames), diagnostics: [] }),
};
