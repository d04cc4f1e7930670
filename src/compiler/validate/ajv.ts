/**
 * One configured ajv: all errors, defaults applied, strict schemas. Validators come precompiled
 * (scripts/build-validators.mjs writes them at build time, keyed by a hash of their schema) or are
 * compiled on first use; either way they are cached per SchemaChecker, which lives in the
 * validation context (no module-level state). Loading and compiling ajv costs more than the rest
 * of a `validate`, so it happens only when a schema has no current precompiled validator.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import type { JsonSchema } from '../../modules/descriptor.js';

/** The options every validator is compiled with, at build time and at run time alike. */
export const AJV_OPTIONS: Options = { allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true, validateSchema: false };

export interface Precompiled {
  /** `schemaHash` of the schema the validator was compiled from. */
  readonly hash: string;
  readonly validate: ValidateFunction;
}

export function schemaHash(schema: JsonSchema): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex').slice(0, 16);
}

export class SchemaChecker {
  private ajv: { compile(schema: object): ValidateFunction } | undefined;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly precompiled: ReadonlyMap<string, Precompiled> = new Map()) {}

  /** Validate `data` in place (defaults are filled in) and return ajv's errors. */
  check(key: string, schema: JsonSchema, data: unknown): ErrorObject[] {
    let validate = this.compiled.get(key);
    if (validate === undefined) {
      const ready = this.precompiled.get(key);
      // A stale precompiled validator (its schema changed since the build) is never used.
      const compiled: ValidateFunction = ready && ready.hash === schemaHash(schema) ? ready.validate : this.compiler().compile(schema as object);
      this.compiled.set(key, compiled);
      validate = compiled;
    }
    return validate(data) ? [] : [...(validate.errors ?? [])];
  }

  private compiler(): { compile(schema: object): ValidateFunction } {
    if (!this.ajv) {
      const AjvClass = (createRequire(import.meta.url)('ajv') as { default: new (o: Options) => { compile(schema: object): ValidateFunction } }).default;
      this.ajv = new AjvClass(AJV_OPTIONS);
    }
    return this.ajv;
  }
}

export type { ErrorObject };
