/**
 * The read-only catalog endpoints: GET /healthz, /openapi.json, /v1/modules, /v1/modules/{type}
 * and /v1/schema, the same documents `aninfra modules|schema --json` and the MCP tools return.
 * Codes: ERR_MODULE_UNKNOWN_TYPE.
 */
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { nearest } from '../compiler/diagnostics/suggest.js';
import { publishedSchema } from '../compiler/validate/spec-schema.js';
import { descriptors, registry } from '../modules/index.js';
import { describeDocument, describeModuleOutputSchema, listDocument, listModulesOutputSchema, specSchemaOutputSchema } from '../operations/modules.js';
import { envelopeSchema } from '../operations/schemas.js';
import { targetNames } from '../targets/index.js';
import { VERSION } from '../state/version.js';
import { answer, refuse, type Endpoint } from './endpoint.js';

export const catalogEndpoints: readonly Endpoint[] = [
  {
    method: 'GET',
    path: '/healthz',
    operationId: 'healthz',
    summary: 'The server is up.',
    mutating: false,
    responses: { 200: { description: 'Up, with its version.', schema: envelopeSchema('Health.', { version: { type: 'string' } }) } },
    handle: () => answer(200, { ok: true, version: VERSION, diagnostics: [] }),
  },
  {
    method: 'GET',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This API as an OpenAPI 3.1 document, generated from the JSON Schemas the MCP tools publish.',
    mutating: false,
    responses: { 200: { description: 'The OpenAPI document.', schema: { type: 'object', required: ['openapi', 'info', 'paths'] } } },
    handle: (_req, ctx) => answer(200, ctx.openapi()),
  },
  {
    method: 'GET',
    path: '/v1/modules',
    operationId: 'listModules',
    summary: 'The module types a spec can use.',
    mutating: false,
    responses: { 200: { description: 'The module catalog.', schema: listModulesOutputSchema } },
    handle: () => answer(200, { ok: true, modules: listDocument(), diagnostics: [] }),
  },
  {
    method: 'GET',
    path: '/v1/modules/{type}',
    operationId: 'describeModule',
    summary: "A module type's inputs, outputs, injected env, capabilities, ports, readiness, examples and realization per target.",
    mutating: false,
    params: { type: { type: 'string', minLength: 1, maxLength: 64, description: 'Module type, e.g. postgres.' } },
    responses: { 200: { description: 'The descriptor.', schema: describeModuleOutputSchema } },
    handle(req) {
      const type = req.params.type ?? '';
      const d = registry.get(type);
      if (d) return answer(200, { ok: true, module: describeDocument(d), diagnostics: [] });
      const guess = nearest(type, descriptors.map((x) => x.kind));
      return refuse(404, [diagnostic('ERR_MODULE_UNKNOWN_TYPE', { module: '(GET /v1/modules/{type})', type }, { path: '/type', hint: guess ? `did you mean '${guess}'?` : `known types: ${descriptors.map((x) => x.kind).join(', ')}` })]);
    },
  },
  {
    method: 'GET',
    path: '/v1/schema',
    operationId: 'getSchema',
    summary: "The JSON Schema of a spec, with every module type's inputs.",
    mutating: false,
    responses: { 200: { description: 'The schema.', schema: specSchemaOutputSchema } },
    handle: () => answer(200, { ok: true, schema: publishedSchema(descriptors, targetNames), diagnostics: [] }),
  },
];
