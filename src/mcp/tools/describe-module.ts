/**
 * describe_module {type}: a module type's descriptor as data (inputs schema, outputs, injected env,
 * capabilities, ports, readiness, examples). Codes: ERR_MODULE_UNKNOWN_TYPE.
 */
import { describeDocument, describeModuleOutputSchema } from '../../operations/modules.js';
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { nearest } from '../../compiler/diagnostics/suggest.js';
import { descriptors, registry } from '../../modules/index.js';
import { inputSchema } from '../../operations/schemas.js';
import { failure, success, type McpTool } from '../tool.js';

export const describeModule: McpTool = {
  name: 'describe_module',
  title: 'Describe a module type',
  description: "Everything a module type offers: its `with:` inputs (JSON Schema with defaults), outputs usable as ${module.output}, the env vars a `uses:` edge injects, capabilities, ports, readiness probe, example modules, and per target how it is realized (realization: one sentence per design kind and field).",
  inputSchema: inputSchema({ type: { type: 'string', minLength: 1, description: 'Module type, e.g. postgres (list_modules lists them).' } }, ['type']),
  outputSchema: describeModuleOutputSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run(args) {
    const type = String(args.type);
    const d = registry.get(type);
    if (!d) {
      const guess = nearest(type, descriptors.map((x) => x.kind));
      return failure([
        diagnostic('ERR_MODULE_UNKNOWN_TYPE', { module: '(describe_module)', type }, { path: '/type', hint: guess ? `did you mean '${guess}'?` : `known types: ${descriptors.map((x) => x.kind).join(', ')}` }),
      ]);
    }
    return success({ ok: true, module: describeDocument(d), diagnostics: [] });
  },
};
