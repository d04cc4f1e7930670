/**
 * spec-schema: the document matches the published spec schema (apiVersion, kind, metadata,
 * target, images, modules with their fields, DNS-label names, env names).
 * Codes: ERR_SPEC_UNKNOWN_FIELD, ERR_SPEC_MISSING_FIELD, ERR_SPEC_WRONG_TYPE, ERR_SPEC_INVALID_VALUE,
 * ERR_SPEC_INVALID_NAME, ERR_SPEC_INVALID_FORMAT, ERR_SPEC_API_VERSION.
 */
import { API_VERSION } from '../spec-types.js';
import type { ValidationRule } from '../rule.js';
import { schemaErrorsToDiagnostics } from '../schema-errors.js';
import { specSchemaFor } from '../spec-schema.js';

const defaults: Readonly<Record<string, unknown>> = {
  apiVersion: API_VERSION,
  kind: 'System',
  metadata: { name: 'my-system' },
  name: 'my-system',
  modules: {},
};

export const specSchemaRule: ValidationRule = {
  id: 'spec-schema',
  reports: ['ERR_SPEC_UNKNOWN_FIELD', 'ERR_SPEC_MISSING_FIELD', 'ERR_SPEC_WRONG_TYPE', 'ERR_SPEC_INVALID_VALUE', 'ERR_SPEC_INVALID_NAME', 'ERR_SPEC_INVALID_FORMAT', 'ERR_SPEC_API_VERSION'],
  gate: true,
  check(spec, ctx) {
    const specSchema = specSchemaFor(ctx.targetNames);
    // One checker serves one target registry: the key says whether the names were known.
    const errors = ctx.schemas.check(ctx.targetNames ? 'spec' : 'spec:any-target', specSchema, spec);
    return schemaErrorsToDiagnostics(errors, {
      flavour: 'spec',
      base: '',
      schema: specSchema,
      data: spec,
      written: ctx.document.value,
      defaults: (path, property) => (path === '' || path === '/metadata' ? defaults[property] : undefined),
      keyRange: (path) => ctx.document.index.keyRangeOf(path),
    });
  },
};
