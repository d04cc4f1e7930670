/**
 * plan {spec | path, target?}: compile, write the program and diff against the last applied
 * revision; returns exactly the document `aninfra plan --json` prints. A spec with errors is a tool
 * error carrying its diagnostics.
 */
import { computePlan } from '../../operations/plan.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { TargetName } from '../../compiler/validate/spec-types.js';
import { envelopeSchema, inputSchema, platformArguments, specArguments, targetArgument } from '../../operations/schemas.js';
import { platformOverrides } from '../../operations/platform-flags.js';
import { specInput, specText } from '../../operations/spec-input.js';
import { failure, success, type McpTool } from '../tool.js';

export const plan: McpTool = {
  name: 'plan',
  title: 'Plan a spec',
  description:
    'Compile the spec, write the program for its target and show what apply would change: create / update / replace / delete per module and resource, each with its reason and the rule that synthesized it, plus a plan hash. The same document as `aninfra plan --json`.',
  inputSchema: inputSchema({ ...specArguments, target: targetArgument, ...platformArguments('program') }),
  outputSchema: envelopeSchema('The plan document.', {
    specPath: { type: 'string' },
    programDir: { type: 'string', description: 'Where the emitted program was written.' },
    files: { type: 'array', items: { type: 'string' } },
    modules: { type: 'array', items: { type: 'object' }, description: 'Per module: type, dependsOn, injectedEnv and resources with action, reason, rule, dataLoss.' },
    plan: { type: 'object', description: 'system, target, baseRevision, changes, summary, hasChanges, planHash.' },
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run(args, ctx) {
    const input = specInput('plan', args, ctx.workdir);
    if (!input.value) return failure(input.diagnostics);
    const source = specText(input.value);
    if (!source.value) return failure(source.diagnostics);
    const target = args.target as TargetName | undefined;
    // The input schema checked each value's pattern already.
    const { platform } = platformOverrides(args);
    const result = computePlan(source.value.path, { specText: source.value.text, ...(target ? { target } : {}), ...(platform ? { platform } : {}) });
    const diagnostics = (result.document.diagnostics as Diagnostic[] | undefined) ?? [];
    if (!result.plan) return failure(diagnostics);
    return success({ ...result.document, diagnostics });
  },
};
