/**
 * What the state tools (apply, status, history, rollback, destroy) share: how a spec and the
 * options arrive, how engine events become MCP progress, and how an OperationResult becomes a tool
 * result. src/operations/apply.js is imported only when one of them runs, so the read-only tools
 * never load the engines.
 */
import type { OperationOptions, OperationResult } from '../../operations/apply.js';
import type { JsonSchema } from '../../modules/descriptor.js';
import { inputSchema, specArguments } from '../../operations/schemas.js';
import { stateOutputSchema } from '../../operations/state-schemas.js';
import { operationOptionsOf } from '../../operations/state-options.js';
import { materialize, specInput } from '../../operations/spec-input.js';
import { checkOperationFiles } from '../../operations/operation-files.js';
import { failure, success, type McpTool, type ToolAnnotations, type ToolContext, type ToolOutcome } from '../tool.js';

type Operations = typeof import('../../operations/apply.js');
export type OperationName = 'applyOperation' | 'statusOperation' | 'historyOperation' | 'rollbackOperation' | 'destroyOperation' | 'driftOperation';

export { commonOptions, engineOptions } from '../../operations/state-schemas.js';

export interface OperationToolSpec {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly operation: OperationName;
  readonly options: Readonly<Record<string, JsonSchema>>;
  readonly result: Readonly<Record<string, JsonSchema>>;
  readonly annotations: ToolAnnotations;
}

export function operationTool(spec: OperationToolSpec): McpTool {
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: inputSchema({ ...specArguments, ...spec.options }),
    outputSchema: stateOutputSchema(spec.name, spec),
    annotations: spec.annotations,
    run: (args, ctx) => runOperation(spec, args, ctx),
  };
}

async function runOperation(spec: OperationToolSpec, args: Readonly<Record<string, unknown>>, ctx: ToolContext): Promise<ToolOutcome> {
  const input = specInput(spec.name, args, ctx.workdir);
  if (!input.value) return failure(input.diagnostics);
  const unreadable = checkOperationFiles(spec.name, input.value, args);
  if (unreadable.length > 0) return failure(unreadable);
  const specPath = materialize(input.value);
  const ops: Operations = await import('../../operations/apply.js');
  const result: OperationResult = await ops[spec.operation](specPath, optionsOf(args, ctx));
  const document = { ...result.document, ok: result.ok, exitCode: result.exitCode, diagnostics: result.diagnostics };
  return result.ok ? success(document) : failure(result.diagnostics, document);
}

export function optionsOf(args: Readonly<Record<string, unknown>>, ctx: ToolContext): OperationOptions {
  return operationOptionsOf(args, ctx.workdir, { onEvent: (e) => ctx.progress(e.module ? `${e.module}: ${e.message}` : e.message), signal: ctx.signal });
}
