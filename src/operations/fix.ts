/**
 * The fix operation of the HTTP API (POST /v1/fix): with code and path, apply the fix of that one
 * diagnostic (as MCP apply_fix does); with neither, every fix in turn (as `aninfra fix` does), or
 * only those of one code. Returns the new text, the fixes applied and the diagnostics that remain.
 * Codes: ERR_FIX_NOT_FOUND, ERR_FIX_PATCH_FAILED.
 */
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { JsonSchema } from '../modules/descriptor.js';
import { applyNamedFix, fixAll, fixDiagnostics, type AppliedFix } from './fix-spec.js';
import { envArgument, envelopeSchema, inputSchema, patchOpSchema } from './schemas.js';

export interface FixInput {
  /** The spec file, or where an inline spec is placed. */
  readonly path: string;
  readonly text: string;
  /** Only this code's fix (with `pointer`: the one diagnostic's). */
  readonly code?: string;
  /** JSON pointer of the diagnostic whose fix to apply. */
  readonly pointer?: string;
  readonly env?: string;
}

export type FixResult =
  | { readonly ok: boolean; readonly spec: string; readonly applied: readonly AppliedFix[]; readonly diagnostics: readonly Diagnostic[]; readonly refused?: undefined }
  /** The fix asked for does not exist or cannot be applied. */
  | { readonly ok: false; readonly refused: true; readonly diagnostics: readonly Diagnostic[] };

export const appliedFixSchema: JsonSchema = {
  type: 'object',
  required: ['code', 'path', 'title', 'patch'],
  properties: { code: { type: 'string' }, path: { type: 'string' }, title: { type: 'string' }, patch: { type: 'array', items: patchOpSchema } },
};

/** The body of POST /v1/fix: exactly what a diagnostic's fix.payload holds. */
export const fixInputSchema: JsonSchema = inputSchema({
  spec: { type: 'string', minLength: 1, description: 'The spec as inline YAML text. Give spec or file.' },
  file: { type: 'string', minLength: 1, description: 'A spec file (relative to the workdir) to fix in place instead of spec.' },
  code: { type: 'string', minLength: 1, description: "The diagnostic's code, e.g. ERR_MODULE_UNKNOWN_TYPE; without path, every fix of this code." },
  path: { type: 'string', description: "The diagnostic's path: a JSON pointer into the spec, e.g. /modules/db/type (needs code)." },
  env: envArgument,
});

export const fixOutputSchema: JsonSchema = envelopeSchema('The fixed spec; ok means no error remains.', {
  spec: { type: 'string', description: 'The new YAML text.' },
  applied: { type: 'array', items: appliedFixSchema, description: 'The fixes applied, in order.' },
});

export function fixOperation(input: FixInput): FixResult {
  if (input.code !== undefined && input.pointer !== undefined) {
    const one = applyNamedFix(input.path, input.text, input.code, input.pointer);
    if (!one.ok || !one.applied) return { ok: false, refused: true, diagnostics: one.diagnostics };
    return { ok: !one.diagnostics.some((d) => d.severity === 'error'), spec: one.text, applied: [one.applied], diagnostics: one.diagnostics };
  }
  const all = fixAll(input.path, input.text, input.code !== undefined ? { code: input.code } : {});
  const diagnostics = fixDiagnostics(all);
  return { ok: !diagnostics.some((d) => d.severity === 'error'), spec: all.text, applied: all.applied, diagnostics };
}
