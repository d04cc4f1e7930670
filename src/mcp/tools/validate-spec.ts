/**
 * validate_spec {spec | path, target?}: parse, validate and resolve, as `aninfra validate` does.
 * A spec with errors is a normal result (ok: false), not a tool error; a tool error is only a bad
 * call or an unreadable file. Diagnostics that carry a `fix` can be applied with apply_fix.
 */
import type { TargetName } from '../../compiler/validate/spec-types.js';
import { validateInputSchema, validateOperation, validateOutputSchema } from '../../operations/validate.js';
import { specInput, specText } from '../../operations/spec-input.js';
import { failure, success, type McpTool } from '../tool.js';

export const validateSpec: McpTool = {
  name: 'validate_spec',
  title: 'Validate a spec',
  description:
    'Check a spec: YAML, schema, module inputs, dependencies, references, cycles, port collisions. ok is true when there is no error. Each diagnostic has a stable code, a JSON pointer path and, when one safe edit exists, a fix: pass its code and path to apply_fix.',
  inputSchema: validateInputSchema,
  outputSchema: validateOutputSchema,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run(args, ctx) {
    const input = specInput('validate_spec', args, ctx.workdir);
    if (!input.value) return failure(input.diagnostics);
    const source = specText(input.value);
    if (!source.value) return failure(source.diagnostics);
    const target = args.target as TargetName | undefined;
    const env = typeof args.env === 'string' ? args.env : undefined;
    const result = validateOperation({ path: source.value.path, text: source.value.text, ...(target ? { target } : {}), ...(env !== undefined ? { env } : {}) });
    return success({ ok: result.ok, system: result.system, modules: result.modules, diagnostics: result.diagnostics });
  },
};
