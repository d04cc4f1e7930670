/**
 * Injection properties (STYLE §4): hostile strings in every user-controlled field that reaches
 * emitted code. Each value goes into a small valid spec, written as YAML by the `yaml` library (so
 * the YAML itself is valid and means exactly that value), and is compiled. Then:
 *
 * - it compiled: index.ts parses with zero syntax errors, holds no template literal, names no
 *   identifier after user data, and carries the value as string literal values exactly; the
 *   compose file parses and reads the value back after `$$` → `$`; fields that must not reach the
 *   output leave every emitted file unchanged;
 * - it did not: the result is coded diagnostics from the catalog (never a throw, never
 *   ERR_INTERNAL), and a value the field certainly accepts is never refused.
 *
 * Seeded, bounded runs; compiles go through `compileFast` (one shared ajv), which a test below
 * proves equal to the real `compileText`.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../src/compiler/diagnostics/codes.js';
import { SchemaChecker } from '../../src/compiler/validate/ajv.js';
import { RUNTIME_HELPER } from '../../src/targets/docker.js';
import { readProgram, unexpectedIdentifiers } from '../helpers/pulumi-ast.js';
import { compileFast, differencesFromCompile, type FastCompilation } from './compile-fast.js';
import { FIELDS, hostFiles, SYSTEM, type FieldContext, type HostileField, type SpecData } from './hostile-fields.js';
import { hostileString } from './hostile-strings.js';

const SEED = 0x5eed_2026;
const RUNS = Number(process.env.ANINFRA_PROPERTY_RUNS ?? 100);
type Style = 'PLAIN' | 'QUOTE_DOUBLE';

let root = '';
let ctx: FieldContext;
let specPath = '';
const schemas = new SchemaChecker();

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-inject-'));
  const specDir = join(root, 'spec');
  mkdirSync(specDir);
  specPath = join(specDir, 'aninfra.yaml');
  ctx = { specDir, outDir: join(specDir, '.aninfra', SYSTEM, 'program', 'docker'), files: hostFiles(specDir) };
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function toYaml(data: SpecData, style: Style): string {
  return YAML.stringify(data, { defaultStringType: style, defaultKeyType: 'PLAIN', lineWidth: 0 });
}

function compile(text: string): FastCompilation {
  try {
    return compileFast(specPath, text, ctx.outDir, schemas, ctx.files);
  } catch (e) {
    throw new Error(`compile threw instead of reporting diagnostics: ${e instanceof Error ? e.stack : String(e)}`);
  }
}

function filesOf(list: FastCompilation['docker']): Map<string, string> {
  return new Map((list ?? []).map((f) => [f.path, f.content]));
}

function checkValue(field: HostileField, value: string, style: Style, baseline: FastCompilation | undefined): void {
  const data = field.spec(value);
  const text = toYaml(data, style);
  // The YAML means exactly the intended spec (so a refusal is about the value, not the YAML).
  expect(JSON.stringify(YAML.parse(text))).toBe(JSON.stringify(data));
  const result = compile(text);
  const codes = result.diagnostics.map((d) => d.code);
  if (!result.ok) {
    expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    for (const code of codes) expect(Object.hasOwn(catalog, code), `code ${code} in catalog`).toBe(true);
    expect(codes).not.toContain('ERR_INTERNAL');
    if (field.valid?.(value, ctx)) throw new Error(`a valid ${field.id} was refused: ${JSON.stringify(result.diagnostics)}`);
    return;
  }
  const docker = filesOf(result.docker);
  const compose = filesOf(result.compose);
  const index = docker.get('index.ts') ?? '';
  const program = readProgram(index);
  expect(program.syntaxErrors).toEqual([]);
  expect(program.templates).toEqual([]);
  expect(unexpectedIdentifiers(program)).toEqual([]);
  const modules = Object.keys((data.modules ?? {}) as object);
  // Object keys: SDK argument and output names, the fixed ownership labels of built images, and module names (stack outputs).
  expect(program.keys.filter((k) => !modules.includes(k) && !/^[A-Za-z][A-Za-z0-9]*$/.test(k) && !/^aninfra\.[a-z-]+$/.test(k))).toEqual([]);
  for (const literal of field.docker?.(value) ?? []) expect(program.strings, `literal ${JSON.stringify(literal)}`).toContain(literal);
  for (const part of field.dockerContains?.(value) ?? []) expect(program.strings.some((s) => s.includes(part)), `a literal containing ${JSON.stringify(part)}`).toBe(true);
  // Other modules beside index.ts are fixed code: no spec data reaches them.
  for (const [path, content] of docker) if (path.endsWith('.ts') && path !== 'index.ts') expect(content, path).toBe(RUNTIME_HELPER);
  expect(() => YAML.parse(docker.get('Pulumi.yaml') ?? '')).not.toThrow();
  expect(() => JSON.parse(docker.get('package.json') ?? '')).not.toThrow();

  const composeDoc = YAML.parseDocument(compose.get('docker-compose.yml') ?? '', { uniqueKeys: true });
  expect(composeDoc.errors.map((e) => e.message)).toEqual([]);
  const composeJs = composeDoc.toJS() as Parameters<NonNullable<HostileField['compose']>>[0];
  for (const [got, want] of field.compose?.(composeJs, value, ctx) ?? []) expect(got).toEqual(want);
  for (const [got, want] of field.files?.(docker, compose, value) ?? []) expect(got).toEqual(want);
  if (field.unchanged && baseline) {
    expect(result.docker).toEqual(baseline.docker);
    expect(result.compose).toEqual(baseline.compose);
  }
}

describe.each(FIELDS.map((f) => [f.id, f] as const))('hostile %s', (_id, field) => {
  it('its fixed hostile sample compiles and reads back', () => {
    expect(compile(toYaml(field.spec(field.sample), 'PLAIN')).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const baseline = field.unchanged ? compile(toYaml(field.spec(field.benign ?? ''), 'PLAIN')) : undefined;
    checkValue(field, field.sample, 'PLAIN', baseline);
  });

  it('every generated value is emitted as exact data or refused with coded diagnostics', () => {
    const baseline = field.unchanged ? compile(toYaml(field.spec(field.benign ?? ''), 'PLAIN')) : undefined;
    fc.assert(
      fc.property(field.arbitrary, fc.constantFrom<Style>('PLAIN', 'QUOTE_DOUBLE'), (value, style) => checkValue(field, value, style, baseline)),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('the fast compile path', () => {
  it('agrees with compileText on every field (samples and generated values)', () => {
    const values = fc.sample(hostileString, { seed: SEED, numRuns: 1 });
    for (const field of FIELDS) {
      for (const value of [field.sample, ...values]) {
        const text = toYaml(field.spec(value), 'PLAIN');
        expect(differencesFromCompile(specPath, text, ctx.outDir, schemas, ctx.files), `${field.id} ${JSON.stringify(value)}`).toEqual([]);
      }
    }
  });
});
