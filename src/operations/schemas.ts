/**
 * JSON Schemas the MCP tools and the HTTP API publish: the diagnostics envelope every result carries, the ways a
 * spec is passed in, and a helper that wraps a tool's own result fields in the envelope.
 * Every output schema requires only `ok` and `diagnostics`, because a tool error
 * (`isError: true`) returns exactly that envelope and clients check it against the same schema.
 */
import type { JsonSchema } from '../modules/descriptor.js';
import { targetNames } from '../targets/index.js';
import { settingArgument, settingsFor } from './platform-flags.js';

const position: JsonSchema = {
  type: 'object',
  required: ['line', 'column'],
  properties: { line: { type: 'integer', minimum: 1 }, column: { type: 'integer', minimum: 1 } },
};

const range: JsonSchema = {
  type: 'object',
  description: 'Where in the file: 1-based line and column, end exclusive.',
  required: ['file', 'start', 'end'],
  properties: { file: { type: 'string' }, start: position, end: position },
};

export const patchOpSchema: JsonSchema = {
  type: 'object',
  description: 'One RFC 6902 JSON Patch operation on the spec.',
  required: ['op', 'path'],
  properties: {
    op: { enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
    path: { type: 'string' },
    from: { type: 'string' },
    value: {},
  },
};

export const diagnosticSchema: JsonSchema = {
  type: 'object',
  required: ['code', 'severity', 'message', 'path', 'docs'],
  properties: {
    code: { type: 'string', description: 'Stable code (ERR_*, WARN_*); explain_error gives its cause, fix and example.' },
    severity: { enum: ['error', 'warning', 'info'] },
    message: { type: 'string' },
    path: { type: 'string', description: 'RFC 6901 JSON pointer into the spec ("" is the whole spec); for import_compose into the Compose file, for argument errors into the arguments.' },
    range: range,
    hint: { type: 'string' },
    fix: {
      type: 'object',
      description: 'A safe edit that clears this diagnostic: pass code and path to apply_fix (MCP), or send payload to endpoint (HTTP).',
      required: ['title', 'patch'],
      properties: {
        title: { type: 'string' },
        patch: { type: 'array', items: patchOpSchema },
        endpoint: { const: 'POST /v1/fix', description: 'HTTP API only: where to send payload.' },
        payload: { type: 'object', description: 'HTTP API only: the exact body of the POST /v1/fix request that applies this fix.' },
      },
    },
    related: {
      type: 'array',
      description: 'Other places involved (every edge of a cycle, …).',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, range, message: { type: 'string' } } },
    },
    docs: { type: 'string' },
  },
};

/** A tool's output schema: its own fields (present on success) plus the envelope. */
export function envelopeSchema(description: string, properties: Readonly<Record<string, JsonSchema>> = {}): JsonSchema {
  return {
    type: 'object',
    description: `${description} On a tool error (isError) only { ok: false, diagnostics } is returned.`,
    required: ['ok', 'diagnostics'],
    properties: {
      ok: { type: 'boolean' },
      ...properties,
      diagnostics: { type: 'array', items: diagnosticSchema, description: 'Errors and warnings, sorted by file, line, column, code.' },
    },
  };
}

/** Input schema: the tool's arguments; no others are accepted. */
export function inputSchema(properties: Readonly<Record<string, JsonSchema>>, required: readonly string[] = []): JsonSchema {
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false };
}

export const specArgument: JsonSchema = { type: 'string', minLength: 1, description: 'The spec as inline YAML text (apiVersion: aninfra/v1 …). Give spec or path.' };
export const pathArgument: JsonSchema = { type: 'string', minLength: 1, description: 'Path of a spec file, relative to the server workdir, instead of spec.' };
export const envArgument: JsonSchema = { type: 'string', minLength: 1, description: 'The environment to work on: an entry of the spec\'s environments: map.' };
export const targetArgument: JsonSchema = { enum: [...targetNames], description: `Override the spec's target: ${targetNames.join(', ')}.` };

/** Platform setting overrides (`namespace`, `context`…, as the CLI's --namespace, --context): all for plan/apply/rollback, engine settings for status/destroy. */
export function platformArguments(scope: 'program' | 'engine'): Record<string, JsonSchema> {
  return Object.fromEntries(
    settingsFor(scope).map((s) => [settingArgument(s), { type: 'string', pattern: s.pattern, description: `${s.target}: ${s.description} (overrides platform.${s.target}.${s.key}).` }]),
  );
}

/** `spec` or `path`: how every spec-taking tool is called. */
export const specArguments: Readonly<Record<string, JsonSchema>> = { spec: specArgument, path: pathArgument };
