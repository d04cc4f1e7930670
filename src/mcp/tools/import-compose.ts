/**
 * import_compose {compose | path, name?}: a Compose file → an aninfra spec, validated. Import
 * diagnostics point into the Compose file; the spec's own follow. Codes: ERR_IMPORT_*, WARN_IMPORT_*.
 */
import { join, resolve } from 'node:path';
import { importComposeText, readComposeSource } from '../../operations/import-compose.js';
import type { JsonSchema } from '../../modules/descriptor.js';
import { diagnosticSchema, envelopeSchema, inputSchema } from '../../operations/schemas.js';
import { specInput } from '../../operations/spec-input.js';
import { failure, success, type McpTool } from '../tool.js';
import { looksLikeCompose, unrecognized } from '../../operations/workdir-boundary.js';

/** What an import warning says the spec does not keep. */
const lostSchema: JsonSchema = {
  type: 'array',
  description: 'What of the Compose file the spec does not keep (or keeps changed): on every import warning.',
  items: {
    type: 'object',
    required: ['path', 'reason'],
    properties: {
      path: { type: 'string', description: 'RFC 6901 pointer into the Compose file.' },
      value: { description: 'The value as the Compose file writes it; absent when the pointer names no value or it is redacted.' },
      redacted: { type: 'boolean', description: 'True when the value looks like a credential and is left out.' },
      reason: { type: 'string' },
    },
  },
};

/** The envelope with import diagnostics: the common diagnostic plus `lost`. */
function importEnvelope(description: string, properties: Readonly<Record<string, JsonSchema>>): JsonSchema {
  const envelope = envelopeSchema(description, properties) as { properties: Record<string, JsonSchema> };
  const items = { ...diagnosticSchema, properties: { ...(diagnosticSchema.properties as Record<string, JsonSchema>), lost: lostSchema } };
  return { ...envelope, properties: { ...envelope.properties, diagnostics: { ...envelope.properties.diagnostics, items } } };
}

export const importCompose: McpTool = {
  name: 'import_compose',
  title: 'Import a Compose file',
  description:
    'Turn a docker-compose.yml into an aninfra spec: known images become module types (postgres, mysql, mongodb, redis, rabbitmq, nats, object-store, gateway/static-site for nginx), other services become service or worker modules; depends_on becomes uses. Warnings say what was not carried over, each with lost: [{ path, value, reason }] pointing into the Compose file. ok means the resulting spec validates.',
  inputSchema: inputSchema({
    compose: { type: 'string', minLength: 1, description: 'The Compose file as inline YAML text. Give compose or path.' },
    path: { type: 'string', minLength: 1, description: 'Path of a Compose file (relative to the workdir), instead of compose.' },
    name: { type: 'string', description: 'System name (default: the Compose project name or directory).' },
  }),
  outputSchema: importEnvelope('The imported spec.', {
    spec: { type: 'string', description: 'The spec as YAML text (pass it to validate_spec, plan, apply).' },
    system: { type: 'string' },
    modules: { type: 'array', items: { type: 'object', properties: { module: { type: 'string' }, service: { type: 'string' }, type: { type: 'string' } } } },
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run(args, ctx) {
    const input = specInput('import_compose', args, ctx.workdir, { text: 'compose', file: 'path' });
    if (!input.value) return failure(input.diagnostics);
    let path = input.value.path;
    let text = input.value.text;
    if (text === undefined) {
      const read = readComposeSource(path);
      if (!read.value) return failure(read.diagnostics);
      // Import diagnostics quote the file: only for what is a Compose file (see workdir-boundary.ts).
      if (!looksLikeCompose(read.value.text)) return failure([unrecognized('import_compose', 'path', read.value.path, 'a Compose file', "no 'services:' mapping")]);
      path = read.value.path;
      text = read.value.text;
    } else path = join(resolve(ctx.workdir), 'docker-compose.yml');
    const result = importComposeText(path, text, join(resolve(ctx.workdir), 'aninfra.yaml'), typeof args.name === 'string' ? args.name : undefined);
    if (result.spec === undefined) return failure(result.diagnostics);
    return success({ ok: result.ok, spec: result.spec, system: result.system, modules: result.modules, diagnostics: result.diagnostics });
  },
};
