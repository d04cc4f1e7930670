/**
 * plan {spec | path, target?}: compile, write the program and diff against the last applied
 * revision; returns exactly the document `aninfra plan --json` prints. A spec with errors is a tool
 * error carrying its diagnostics.
 */
import type { TargetName } from '../../compiler/validate/spec-types.js';
import { computePlan, planInputSchema, planOutputSchema } from '../../operations/plan.js';
import { platformOverrides } from '../../operations/platform-flags.js';
import { specInput, specText } from '../../operations/spec-input.js';
import { failure, success, type McpTool } from '../tool.js';

export const plan: McpTool = {
  name: 'plan',
  title: 'Plan a spec',
  description:
    'Compile the spec, write the program for its target and show what apply would change: create / update / replace / delete per module and resource, each with its reason and the rule that synthesized it, plus a plan hash. The same document as `aninfra plan --json`.',
  inputSchema: planInputSchema,
  outputSchema: planOutputSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run(args, ctx) {
    const input = specInput('plan', args, ctx.workdir);
    if (!input.value) return failure(input.diagnostics);
    const source = specText(input.value);
    if (!source.value) return failure(source.diagnostics);
    const target = args.target as TargetName | undefined;
    // The input schema checked each value's pattern already.
    const { platform } = platformOverrides(args);
    const env = typeof args.env === 'string' ? args.env : undefined;
    const result = computePlan(source.value.path, { specText: source.value.text, ...(env !== undefined ? { env } : {}), ...(target ? { target } : {}), ...(platform ? { platform } : {}) });
    if (!result.plan) return failure(result.diagnostics);
    return success({ ...result.document });
  },
};
