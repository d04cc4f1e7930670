/**
 * One configured ajv: all errors, defaults applied, strict schemas. Compiled validators are cached
 * per Ajv instance, which lives in the validation context (no module-level state).
 */
import AjvModule from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { JsonSchema } from '../../modules/descriptor.js';

// ajv is CommonJS: under Node's ESM interop the class is the module object's `default`.
const AjvClass = AjvModule.default;

export class SchemaChecker {
  private readonly ajv = new AjvClass({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Validate `data` in place (defaults are filled in) and return ajv's errors. */
  check(key: string, schema: JsonSchema, data: unknown): ErrorObject[] {
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      const compiled: ValidateFunction = this.ajv.compile(schema as object);
      this.compiled.set(key, compiled);
      validate = compiled;
    }
    return validate(data) ? [] : [...(validate.errors ?? [])];
  }
}

export type { ErrorObject };
