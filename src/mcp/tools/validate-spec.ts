/**
 * validate_spec {spec | path, target?}: parse, validate and resolve, as `aninfra validate` does.
 * A spec with errors is a normal result (ok: false), not a tool error; a tool error is only a bad
 * call or an unreadable file. Diagnostics that carry a `fix` can be applied with apply_fix.
 */
import type { TargetName } from '../../compiler/validate/spec-types.js';
import { compileText } from '../../operations/compile-file.js';
import { envelopeSchema, inputSchema, specArguments, targetArgument } from '../../operations/schemas.js';
import { specInput, specText } from '../../operations/spec-input.js';
import { failure, success, type McpTool } from '../tool.js';

export const validateSpec: McpTool = {
  name: 'validate_spec',
  title: 'Validate a spec',
  description:
    'Check a spec: YAML, schema, module inputs, dependencies, references, cycles, port collisions. ok is true when there is no error. Each diagnostic has a stable code, a JSON pointer path and, when one safe edit exists, a fix: pass its code and path to apply_fix.',
  inputSchema: inputSchema({ ...specArguments, target: targetArgument }),
  outputSchema: envelopeSchema('Validation result; ok means the spec has no errors.', {
    system: { type: ['string', 'null'], description: 'metadata.name when the spec got that far.' },
    modules: { type: 'integer', description: 'Number of modules.' },
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run(args, ctx) {
    const input = specInput('validate_spec', args, ctx.workdir);
    if (!input.value) return failure(input.diagnostics);
    const source = specText(input.value);
    if (!source.value) return failure(source.diagnostics);
    const target = args.target as TargetName | undefined;
    const result = compileText(source.value.path, source.value.text, { until: 'lower', ...(target ? { target } : {}) });
    const modules = result.validated ? Object.keys(result.validated.spec.modules).length : 0;
    return success({ ok: result.ok, system: result.validated?.spec.metadata.name ?? null, modules, diagnostics: result.diagnostics });
  },
};
