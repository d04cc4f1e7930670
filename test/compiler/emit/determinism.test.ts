/**
 * Determinism (STYLE §4): compiling the same spec twice gives the same bytes, and so does the
 * same spec with every mapping's keys in another order (YAML mappings are unordered). Checked for
 * every example and the every-module spec, for both targets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';
/** The targets with golden files here: the docker family. */
const TARGET_NAMES = ['compose', 'docker'] as const;
import { ALL_SPECS } from '../../targets/fixtures.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The same data with every mapping's keys permuted by `order` (a list of random numbers, reused cyclically). */
function shuffleKeys(value: Json, order: readonly number[], at = { i: 0 }): Json {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, order, at));
  if (value === null || typeof value !== 'object') return value;
  const keyed = Object.keys(value).map((k) => ({ k, r: order[at.i++ % order.length] ?? 0 }));
  keyed.sort((a, b) => a.r - b.r || a.k.localeCompare(b.k));
  return Object.fromEntries(keyed.map(({ k }) => [k, shuffleKeys(value[k] as Json, order, at)]));
}

describe.each(ALL_SPECS.map((s) => [s.name, s] as const))('%s', (_name, spec) => {
  const text = readFileSync(spec.path, 'utf8');
  const outDir = (target: string) => join(spec.path, '..', '.aninfra', 'x', 'program', target);

  it.each(TARGET_NAMES.map((t) => [t]))('%s: compiling twice gives the same bytes', (target) => {
    const a = compileText(spec.path, text, { target, outDir: outDir(target) });
    const b = compileText(spec.path, text, { target, outDir: outDir(target) });
    expect(a.ok).toBe(true);
    expect(b.files).toEqual(a.files);
  });

  it.each(TARGET_NAMES.map((t) => [t]))('%s: key order in the spec does not change the output', (target) => {
    const base = compileText(spec.path, text, { target, outDir: outDir(target) });
    const data = YAML.parse(text) as Json;
    for (const order of fc.sample(fc.array(fc.integer(), { minLength: 1, maxLength: 50 }), { seed: 7, numRuns: 3 })) {
      const shuffled = YAML.stringify(shuffleKeys(data, order), { lineWidth: 0 });
      const result = compileText(spec.path, shuffled, { target, outDir: outDir(target) });
      expect(result.diagnostics.map((d) => d.code)).toEqual(base.diagnostics.map((d) => d.code));
      expect(result.files).toEqual(base.files);
    }
  });
});
