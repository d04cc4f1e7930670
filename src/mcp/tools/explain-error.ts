/**
 * explain_error {code}: the catalog entry of a diagnostic code: cause, fix, example, exit code.
 * Codes: ERR_CLI_UNKNOWN_CODE.
 */
import { explainDocument } from '../../operations/explain.js';
import { catalog } from '../../compiler/diagnostics/codes.js';
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { nearest } from '../../compiler/diagnostics/suggest.js';
import { envelopeSchema, inputSchema } from '../../operations/schemas.js';
import { failure, success, type McpTool } from '../tool.js';

export const explainError: McpTool = {
  name: 'explain_error',
  title: 'Explain a diagnostic code',
  description: 'Cause, fix and an example for a diagnostic code such as ERR_GRAPH_CYCLE.',
  inputSchema: inputSchema({ code: { type: 'string', minLength: 1, description: 'A code from a diagnostic, e.g. ERR_DEP_UNKNOWN_MODULE.' } }, ['code']),
  outputSchema: envelopeSchema('The explanation.', {
    code: { type: 'string' },
    severity: { enum: ['error', 'warning', 'info'] },
    stage: { type: 'string' },
    title: { type: 'string' },
    exitCode: { type: 'integer' },
    message: { type: 'string', description: 'The message template.' },
    cause: { type: 'string' },
    fix: { type: 'string' },
    example: { type: 'string' },
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run(args) {
    const code = String(args.code).toUpperCase();
    const doc = explainDocument(code);
    if (!doc) {
      const guess = nearest(code, Object.keys(catalog));
      return failure([diagnostic('ERR_CLI_UNKNOWN_CODE', { code: String(args.code) }, { path: '/code', hint: guess ? `did you mean ${guess}?` : 'the codes are listed by the resource aninfra://codes' })]);
    }
    return success({ ok: true, ...doc, diagnostics: [] });
  },
};
