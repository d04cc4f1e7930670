/**
 * How an HTTP request gives its spec: inline YAML (`spec`) or a file inside the workdir (`path`,
 * `file` for POST /v1/fix), read exactly as the MCP tools read it (src/operations/spec-input.ts),
 * plus the reference a diagnostic's fix.payload repeats so the fix request names the same spec.
 * Codes: ERR_HTTP_INVALID_REQUEST (plus what reading a spec file reports).
 */
import { relative } from 'node:path';
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { specText, type SpecInput, inlinePath } from '../operations/spec-input.js';
import { refuse, type EndpointAnswer, type SpecRef } from './endpoint.js';

export interface SpecBody {
  readonly input: SpecInput;
  /** The spec's path and text, read. */
  readonly path: string;
  readonly text: string;
  /** `{ spec }` or `{ file }` (relative to the workdir), and `env` when given. */
  readonly ref: SpecRef;
}

export function specBody(endpoint: string, body: Readonly<Record<string, unknown>>, workdir: string, fileField = 'path'): SpecBody | EndpointAnswer {
  const text = body.spec;
  const file = body[fileField];
  const env: Record<string, string> = typeof body.env === 'string' ? { env: body.env } : {};
  if ((typeof text === 'string') === (typeof file === 'string')) {
    const problem = typeof text === 'string' ? `give 'spec' or '${fileField}', not both` : `give 'spec' (the spec as inline YAML) or '${fileField}' (a spec file in the workdir)`;
    return refuse(400, [diagnostic('ERR_HTTP_INVALID_REQUEST', { endpoint, problem }, { path: '/spec' })]);
  }
  const input: SpecInput = typeof text === 'string' ? { path: inlinePath(workdir, text), text, tool: endpoint, argument: 'spec' } : { path: file as string, tool: endpoint, argument: fileField };
  const read = specText(input);
  if (!read.value) return refuse(422, read.diagnostics);
  const ref: SpecRef = typeof text === 'string' ? { spec: text, ...env } : { file: relative(workdir, file as string) || '.', ...env };
  return { input, path: read.value.path, text: read.value.text, ref };
}

export function isAnswer<T extends object>(x: T | EndpointAnswer): x is EndpointAnswer {
  return 'status' in x && 'body' in x;
}
