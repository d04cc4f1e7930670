/**
 * The validate operation: parse, validate, resolve and lower a spec (no emitting), as `aninfra
 * validate`, MCP validate_spec and HTTP POST /v1/validate do. A spec with errors is a normal result
 * (ok: false), not a failure of the operation.
 */
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { SourceFile } from '../compiler/source/source-file.js';
import type { TargetName } from '../compiler/validate/spec-types.js';
import type { JsonSchema } from '../modules/descriptor.js';
import { compileFile, compileText } from './compile-file.js';
import { envArgument, envelopeSchema, inputSchema, specArguments, targetArgument } from './schemas.js';

export interface ValidateInput {
  /** The spec file, or where an inline spec is placed. */
  readonly path: string;
  /** Inline text; the file at `path` is read when absent. */
  readonly text?: string;
  readonly target?: TargetName;
  readonly env?: string;
}

export interface ValidateResult {
  readonly ok: boolean;
  /** metadata.name when the spec got that far. */
  readonly system: string | null;
  readonly modules: number;
  readonly diagnostics: readonly Diagnostic[];
  /** The text validated, for code frames. */
  readonly source: SourceFile;
}

/** Validate's arguments (MCP validate_spec's input schema, HTTP POST /v1/validate's body). */
export const validateInputSchema: JsonSchema = inputSchema({ ...specArguments, target: targetArgument, env: envArgument });

/** The result fields of validate (MCP validate_spec's output schema, HTTP POST /v1/validate's 200 body). */
export const validateOutputSchema: JsonSchema = envelopeSchema('Validation result; ok means the spec has no errors.', {
  system: { type: ['string', 'null'], description: 'metadata.name when the spec got that far.' },
  modules: { type: 'integer', description: 'Number of modules.' },
});

export function validateOperation(input: ValidateInput): ValidateResult {
  const options = { until: 'lower' as const, ...(input.target ? { target: input.target } : {}), ...(input.env !== undefined ? { env: input.env } : {}) };
  const result = input.text === undefined ? compileFile(input.path, options) : compileText(input.path, input.text, options);
  const modules = result.validated ? Object.keys(result.validated.spec.modules).length : 0;
  return { ok: result.ok, system: result.validated?.spec.metadata.name ?? null, modules, diagnostics: result.diagnostics, source: result.source };
}
