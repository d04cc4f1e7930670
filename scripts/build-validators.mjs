#!/usr/bin/env node
/**
 * Precompiles the spec schema and every module's input schema with ajv's standalone code, into
 * dist/src/compiler/validate/generated-validators.cjs, each with the hash of its schema. At run
 * time a validator is used only while its hash still matches (see src/compiler/validate/ajv.ts),
 * so a stale build can never validate against an old schema. Runs after tsc (npm run build).
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const Ajv = require('ajv').default;
const standaloneCode = require('ajv/dist/standalone').default;
const { AJV_OPTIONS, schemaHash } = await import(join(root, 'dist/src/compiler/validate/ajv.js'));
const { specSchemaFor } = await import(join(root, 'dist/src/compiler/validate/spec-schema.js'));
const { descriptors } = await import(join(root, 'dist/src/modules/index.js'));
const { targetNames } = await import(join(root, 'dist/src/targets/index.js'));

// 'spec' is the schema with the target registry's names (what the CLI and MCP server validate with).
const schemas = { spec: specSchemaFor(targetNames), ...Object.fromEntries(descriptors.map((d) => [`module:${d.kind}`, d.inputs])) };
const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
const refs = {};
for (const [key, schema] of Object.entries(schemas)) {
  // Standalone code is keyed by schema id; ids must not leak into the schemas themselves.
  const { $id, ...rest } = schema;
  void $id;
  ajv.addSchema(rest, key);
  refs[key] = key;
}
const code = standaloneCode(ajv, refs);
const hashes = Object.fromEntries(Object.entries(schemas).map(([key, schema]) => [key, schemaHash(schema)]));
const out = join(root, 'dist/src/compiler/validate/generated-validators.cjs');
writeFileSync(out, `${code}\nmodule.exports.__hashes = ${JSON.stringify(hashes)};\n`);
process.stderr.write(`build-validators: ${Object.keys(schemas).length} validators → ${out}\n`);
