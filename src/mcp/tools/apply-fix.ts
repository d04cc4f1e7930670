/**
 * apply_fix {spec | file, code, path}: apply the fix of the diagnostic with that code at that JSON
 * pointer, editing the YAML so comments, key order and formatting stay; returns the new text, a
 * unified diff and the diagnostics that remain. With `file`, the file is rewritten too (unless
 * dryRun). Codes: ERR_FIX_NOT_FOUND, ERR_FIX_PATCH_FAILED, ERR_MCP_INVALID_ARGUMENTS.
 */
import { relative } from 'node:path';
import { applyNamedFix } from '../../operations/fix-spec.js';
import { unifiedDiff } from '../../fix/unified-diff.js';
import { writeSpecFile } from '../../fix/write-spec-file.js';
import { envelopeSchema, inputSchema, patchOpSchema } from '../../operations/schemas.js';
import { specInput, specText } from '../../operations/spec-input.js';
import { failure, success, type McpTool } from '../tool.js';

export const applyFix: McpTool = {
  name: 'apply_fix',
  title: 'Apply the fix of a diagnostic',
  description:
    'Apply the fix carried by the diagnostic with this code at this path (both as validate_spec returned them) to the spec, and re-validate. Returns the new spec text, a unified diff and the remaining diagnostics; ok is true when no error remains. Fails (isError, ERR_FIX_NOT_FOUND) if the current spec has no such diagnostic with a fix.',
  inputSchema: inputSchema(
    {
      spec: { type: 'string', minLength: 1, description: 'The spec as inline YAML text. Give spec or file.' },
      file: { type: 'string', minLength: 1, description: 'A spec file (relative to the workdir) to fix in place, instead of spec.' },
      code: { type: 'string', minLength: 1, description: "The diagnostic's code, e.g. ERR_MODULE_UNKNOWN_TYPE." },
      path: { type: 'string', description: "The diagnostic's path: a JSON pointer into the spec, e.g. /modules/db/type." },
      dryRun: { type: 'boolean', description: 'With file: return the result without writing the file.' },
    },
    ['code', 'path'],
  ),
  outputSchema: envelopeSchema('The fixed spec; ok means no error remains.', {
    spec: { type: 'string', description: 'The new YAML text.' },
    diff: { type: 'string', description: 'Unified diff from the old text to the new.' },
    applied: { type: 'object', required: ['code', 'path', 'title', 'patch'], properties: { code: { type: 'string' }, path: { type: 'string' }, title: { type: 'string' }, patch: { type: 'array', items: patchOpSchema } } },
    written: { type: 'boolean', description: 'Whether a file was rewritten.' },
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  // `path` is a JSON pointer into the spec here, not a file.
  fileArguments: ['file'],
  run(args, ctx) {
    const input = specInput('apply_fix', args, ctx.workdir, { text: 'spec', file: 'file' });
    if (!input.value) return failure(input.diagnostics);
    const source = specText(input.value);
    if (!source.value) return failure(source.diagnostics);
    const { path, text } = source.value;
    const result = applyNamedFix(path, text, String(args.code), String(args.path));
    if (!result.ok || !result.applied) return failure(result.diagnostics);
    const display = input.value.text === undefined ? relative(ctx.workdir, path) || path : 'spec.yaml';
    const write = input.value.text === undefined && args.dryRun !== true && result.text !== text;
    if (write) writeSpecFile(path, result.text);
    return success({
      ok: !result.diagnostics.some((d) => d.severity === 'error'),
      spec: result.text,
      diff: unifiedDiff(display, text, result.text),
      applied: result.applied,
      written: write,
      diagnostics: result.diagnostics,
    });
  },
};
