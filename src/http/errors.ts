/**
 * Every error the HTTP layer itself answers, as the diagnostics envelope: fastify's request errors
 * (schema validation, content type, body size, malformed JSON) mapped to ERR_HTTP_* codes, unknown
 * paths, and the fix links: a diagnostic with a fix gets fix.endpoint ("POST /v1/fix") and
 * fix.payload, the exact body that applies it.
 * Codes: ERR_HTTP_INVALID_REQUEST, ERR_HTTP_UNSUPPORTED_MEDIA_TYPE, ERR_HTTP_BODY_TOO_LARGE,
 * ERR_HTTP_MALFORMED_JSON, ERR_HTTP_NOT_FOUND, ERR_INTERNAL.
 */
import type { FastifyError } from 'fastify';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import type { SpecRef } from './endpoint.js';

export const FIX_ENDPOINT = 'POST /v1/fix';

/** The status and diagnostics for an error fastify raised while reading or checking a request. */
export function requestError(err: FastifyError, endpoint: string, contentType: string | undefined, bodyLimit: number): { status: number; diagnostics: Diagnostic[] } {
  if (err.validation) {
    const where = err.validationContext === 'body' ? '' : `${err.validationContext ?? 'request'} `;
    return {
      status: 400,
      diagnostics: err.validation.map((v) => {
        const params = v.params as { additionalProperty?: unknown; missingProperty?: unknown };
        const field = v.instancePath.slice(1);
        const problem =
          v.keyword === 'additionalProperties'
            ? `unknown ${where}field '${printable(String(params.additionalProperty))}'`
            : v.keyword === 'required'
              ? `${where}field '${printable(String(params.missingProperty))}' is required`
              : `${where}${field ? `'${field}' ` : ''}${v.message ?? 'is invalid'}`;
        const path = v.keyword === 'additionalProperties' ? `/${String(params.additionalProperty)}` : v.keyword === 'required' ? `/${String(params.missingProperty)}` : v.instancePath;
        return diagnostic('ERR_HTTP_INVALID_REQUEST', { endpoint, problem }, { path });
      }),
    };
  }
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, diagnostics: [diagnostic('ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', { type: printable(contentType ?? '(none)') }, { hint: 'send content-type: application/json' })] };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, diagnostics: [diagnostic('ERR_HTTP_BODY_TOO_LARGE', { limit: String(bodyLimit) })] };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, diagnostics: [diagnostic('ERR_HTTP_MALFORMED_JSON', { problem: 'the body is empty' }, { hint: 'send {} when there is nothing to say' })] };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { status: 400, diagnostics: [diagnostic('ERR_HTTP_MALFORMED_JSON', { problem: printable(err.message) })] };
    default:
      break;
  }
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON|prototype|constructor/i.test(err.message))) {
    return { status: 400, diagnostics: [diagnostic('ERR_HTTP_MALFORMED_JSON', { problem: printable(err.message) })] };
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    return { status: err.statusCode, diagnostics: [diagnostic('ERR_HTTP_INVALID_REQUEST', { endpoint, problem: printable(err.message) })] };
  }
  return { status: 500, diagnostics: [diagnostic('ERR_INTERNAL', { detail: printable(err.message) }, { hint: `${endpoint} failed; report it with the request that caused it` })] };
}

/** The body with fix.endpoint and fix.payload on every diagnostic that has a fix (top level and a rollback's document). */
export function withFixLinks(body: Readonly<Record<string, unknown>>, spec: SpecRef | undefined): Readonly<Record<string, unknown>> {
  if (!spec || !Array.isArray(body.diagnostics)) return body;
  const link = (d: Diagnostic): Diagnostic => (d.fix ? { ...d, fix: { ...d.fix, endpoint: FIX_ENDPOINT, payload: { ...spec, code: d.code, path: d.path } } as Diagnostic['fix'] } : d);
  return { ...body, diagnostics: (body.diagnostics as Diagnostic[]).map(link) };
}
