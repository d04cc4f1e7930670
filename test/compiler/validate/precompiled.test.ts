/**
 * The validators precompiled at build time behave exactly like ajv compiling the schemas at run
 * time, on every example and diagnostic fixture; and a stale one (schema changed) is not used.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';
import { SchemaChecker, schemaHash } from '../../../src/compiler/validate/ajv.js';
import { ROOT } from '../../helpers/e2e.js';

const generated = createRequire(import.meta.url)(join(ROOT, 'dist/src/compiler/validate/generated-validators.cjs')) as Record<string, ValidateFunction> & { __hashes: Record<string, string> };

function precompiled(): SchemaChecker {
  return new SchemaChecker(new Map(Object.entries(generated.__hashes).map(([key, hash]) => [key, { hash, validate: generated[key] as ValidateFunction }])));
}

const specs = [
  ...readdirSync(join(ROOT, 'specs/examples')).filter((f) => f.endsWith('.yaml')).map((f) => join(ROOT, 'specs/examples', f)),
  ...readdirSync(join(ROOT, 'test/fixtures/diagnostics')).map((d) => join(ROOT, 'test/fixtures/diagnostics', d, 'spec.yaml')),
];

describe('precompiled validators', () => {
  it('cover the spec schema and every module type', () => {
    expect(Object.keys(generated.__hashes)).toContain('spec');
    expect(Object.keys(generated.__hashes).filter((k) => k.startsWith('module:')).length).toBeGreaterThanOrEqual(13);
  });

  it.each(specs)('give the same diagnostics and IR as run-time compilation: %s', (path) => {
    const text = readFileSync(path, 'utf8');
    const a = compileText(path, text, { until: 'lower', schemas: precompiled() });
    const b = compileText(path, text, { until: 'lower', schemas: new SchemaChecker() });
    expect(a.diagnostics).toEqual(b.diagnostics);
    expect(a.ir).toEqual(b.ir);
  });

  it('are not used once their schema changed', () => {
    const key = 'module:postgres';
    let used = false;
    const spy = ((data: unknown) => {
      used = true;
      return (generated[key] as ValidateFunction)(data);
    }) as ValidateFunction;
    const checker = new SchemaChecker(new Map([[key, { hash: 'stale', validate: spy }]]));
    checker.check(key, { type: 'object' }, {});
    expect(used).toBe(false);
    const current = new SchemaChecker(new Map([[key, { hash: schemaHash({ type: 'object' }), validate: spy }]]));
    current.check(key, { type: 'object' }, {});
    expect(used).toBe(true);
  });
});
