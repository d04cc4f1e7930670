/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the endpoint table: request bodies,
 * parameters and success responses are the JSON Schemas the MCP tools publish (src/operations),
 * and every error is the diagnostics envelope (`default` response). Mutating endpoints name the
 * bearer scheme.
 */
import type { JsonSchema } from '../modules/descriptor.js';
import { envelopeSchema } from '../operations/schemas.js';
import { VERSION } from '../state/version.js';
import type { Endpoint } from './endpoint.js';

const errorEnvelope: JsonSchema = envelopeSchema('The diagnostics envelope: ok false and the diagnostics saying why (each with a stable code; a fix carries fix.endpoint and fix.payload).');

export function openApiDocument(endpoints: readonly Endpoint[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const parameters = [
      ...Object.entries(e.params ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...Object.entries(e.query ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema })),
    ];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(e.responses)) responses[status] = { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema } } };
    responses.default = { description: 'An error: the diagnostics envelope.', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } };
    (paths[e.path] ??= {})[e.method.toLowerCase()] = {
      operationId: e.operationId,
      summary: e.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: e.body } } } } : {}),
      ...(e.mutating ? { security: [{ bearer: [] }] } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'aninfra', version: VERSION, description: 'The aninfra HTTP API (`aninfra serve`): the operations of the CLI and the MCP server over HTTP, with the same JSON Schemas and the same diagnostics envelope.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { ErrorEnvelope: errorEnvelope },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'The token in .aninfra/http-token of the workdir (mode 0600, created on first start) or the --token-file given.' } },
    },
  };
}
