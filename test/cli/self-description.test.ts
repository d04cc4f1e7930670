/**
 * Self-description: `schema` is the committed aninfra.schema.json (the example specs' modeline
 * points at it) and accepts every example; `explain` knows every code of the catalog;
 * `modules` lists the registry; `init` writes a spec that validates and plans.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { catalog } from '../../src/compiler/diagnostics/codes.js';
import { descriptors } from '../../src/modules/index.js';
import { aninfra, ensureBuilt, EXAMPLES, examples, json, ROOT } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-self-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const committed = join(ROOT, 'aninfra.schema.json');

describe('aninfra schema', () => {
  it('equals the committed aninfra.schema.json (regenerate: node dist/bin/aninfra.js schema > aninfra.schema.json)', () => {
    const r = aninfra(['schema']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(committed, 'utf8'));
  });

  it('is what every example spec names in its modeline', () => {
    for (const file of examples()) {
      const first = readFileSync(join(EXAMPLES, file), 'utf8').split('\n')[0];
      expect(first, file).toBe('# yaml-language-server: $schema=../../aninfra.schema.json');
    }
  });

  it('accepts every example spec in an editor and refuses a misspelled input', () => {
    const validate = new Ajv.default({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(committed, 'utf8')) as object);
    for (const file of examples()) expect(validate(parse(readFileSync(join(EXAMPLES, file), 'utf8'))), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
    const typo = { apiVersion: 'aninfra/v1', kind: 'System', metadata: { name: 'x' }, modules: { api: { type: 'service', with: { runtime: 'node', build: '.', prot: 80 } } } };
    expect(validate(typo)).toBe(false);
  });

  it('enumerates every module type', () => {
    const schema = json(aninfra(['schema'])) as { properties: { modules: { additionalProperties: { properties: { type: { enum: string[] } } } } } };
    expect(schema.properties.modules.additionalProperties.properties.type.enum).toEqual(descriptors.map((d) => d.kind));
  });
});

describe('aninfra explain', () => {
  it('lists every code of the catalog', () => {
    const doc = json(aninfra(['explain', '--list', '--json'])) as { codes: { code: string }[] };
    expect(doc.codes.map((c) => c.code)).toEqual(Object.keys(catalog));
  });

  it.each(['ERR_GRAPH_CYCLE', 'WARN_REF_IMPLICIT_DEPENDENCY', 'err_yaml_duplicate_key'])('explains %s', (code) => {
    const doc = json(aninfra(['explain', code, '--json']));
    const upper = code.toUpperCase() as keyof typeof catalog;
    // A warning never changes the exit code, so explain reports 0 for it, not the catalog's exit.
    expect(doc).toMatchObject({ ok: true, code: upper, severity: catalog[upper].severity, exitCode: upper.startsWith('WARN_') ? 0 : catalog[upper].exit, cause: catalog[upper].explain.cause });
    const human = aninfra(['explain', code]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(upper);
    expect(human.stdout).toContain(catalog[upper].explain.fix);
  });

  it('refuses an unknown code with ERR_CLI_UNKNOWN_CODE and the nearest code as a hint', () => {
    const r = aninfra(['explain', 'ERR_GRAPH_CYCEL', '--json']);
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, diagnostics: [{ code: 'ERR_CLI_UNKNOWN_CODE', hint: expect.stringContaining('ERR_GRAPH_CYCLE') }] });
    const human = aninfra(['explain', 'ERR_GRAPH_CYCEL']);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain('ERR_CLI_UNKNOWN_CODE');
  });
});

describe('aninfra modules', () => {
  it('lists every module type, human and JSON', () => {
    const doc = json(aninfra(['modules', 'list', '--json'])) as { modules: { type: string }[] };
    expect(doc.modules.map((m) => m.type)).toEqual(descriptors.map((d) => d.kind));
    const human = aninfra(['modules', 'list']).stdout;
    for (const d of descriptors) expect(human).toMatch(new RegExp(`^${d.kind}\\s`, 'm'));
  });

  it('describes a type with its inputs, outputs and example', () => {
    const r = aninfra(['modules', 'describe', 'postgres']);
    expect(r.code).toBe(0);
    for (const word of ['inputs (with:)', 'storage', 'outputs', 'password', 'secret', 'example']) expect(r.stdout).toContain(word);
  });

  it('refuses an unknown type with the nearest as a hint', () => {
    const r = aninfra(['modules', 'describe', 'postgress', '--json']);
    expect(json(r)).toMatchObject({ ok: false, diagnostics: [{ code: 'ERR_MODULE_UNKNOWN_TYPE', hint: expect.stringContaining('postgres') }] });
  });
});

describe('aninfra init', () => {
  it.each(['minimal', 'web-app'])('writes the %s template with a modeline and the schema beside it; it validates and plans', (template) => {
    const file = join(tmp, template, 'aninfra.yaml');
    const r = aninfra(['init', '--template', template, '--file', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./aninfra.schema.json');
    expect(readFileSync(join(tmp, template, 'aninfra.schema.json'), 'utf8')).toBe(readFileSync(committed, 'utf8'));
    expect(aninfra(['validate', file]).code).toBe(0);
    expect(aninfra(['plan', file, '--state-dir', join(tmp, template, 'state'), '--emit-dir', join(tmp, template, 'emit')]).code).toBe(0);
  });

  it('refuses to overwrite without --force', () => {
    const file = join(tmp, 'twice.yaml');
    expect(aninfra(['init', '--file', file]).code).toBe(0);
    const again = aninfra(['init', '--file', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('ERR_CLI_USAGE');
    expect(aninfra(['init', '--file', file, '--force']).code).toBe(0);
    expect(existsSync(file)).toBe(true);
  });

  it('keeps .aninfra/ out of git: writes a .gitignore entry once, next to an existing one', () => {
    const dir = join(tmp, 'ignore');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '.gitignore'), 'node_modules');
    expect(aninfra(['init', '--file', join(dir, 'aninfra.yaml')]).code).toBe(0);
    expect(aninfra(['init', '--file', join(dir, 'aninfra.yaml'), '--force']).code).toBe(0);
    const lines = readFileSync(join(dir, '.gitignore'), 'utf8').split('\n');
    expect(lines[0]).toBe('node_modules');
    expect(lines.filter((l) => l === '.aninfra/')).toHaveLength(1);
  });
});
