/**
 * The shape of one MCP tool: data an agent reads from tools/list (name, description, input and
 * output JSON Schemas, hints) plus the handler. Handlers return the structured result or the
 * diagnostics envelope; the server turns either into a CallToolResult.
 */
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { JsonSchema } from '../modules/descriptor.js';

export interface ToolContext {
  /** Directory inline specs are placed in and relative paths resolve against. */
  readonly workdir: string;
  /** Aborted when the client cancels the request. */
  readonly signal: AbortSignal;
  /** Report progress of a long operation (sent only when the client asked for progress). */
  progress(message: string): void;
}

export type ToolOutcome =
  | { readonly ok: true; readonly result: Record<string, unknown> }
  /** A tool error: the envelope goes back with isError: true. */
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[]; readonly extra?: Record<string, unknown> };

export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

export interface McpTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly outputSchema: JsonSchema;
  readonly annotations: ToolAnnotations;
  /**
   * Arguments that name files, checked against the workdir before run (workdir-boundary.ts).
   * Default: those of path, file, images, stateDir, out that the input schema has.
   */
  readonly fileArguments?: readonly string[];
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolOutcome> | ToolOutcome;
}

export function success(result: Record<string, unknown>): ToolOutcome {
  return { ok: true, result };
}

export function failure(diagnostics: readonly Diagnostic[], extra?: Record<string, unknown>): ToolOutcome {
  return { ok: false, diagnostics, ...(extra ? { extra } : {}) };
}
