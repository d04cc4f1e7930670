/**
 * The diagnostic catalog: every live code is explained, named by the convention, renders without
 * leftover placeholders, and is triggered somewhere: by a fixture under
 * test/fixtures/diagnostics/<CODE>/ (spec.yaml + expected.json), or by the test file an allow-list
 * entry names. Wording is checked here and nowhere else.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../src/operations/compile-file.js';
import { catalog, type Code } from '../src/compiler/diagnostics/codes.js';
import { diagnostic, type DiagnosticArgs } from '../src/compiler/diagnostics/diagnostic.js';
import { diagnosticFixtures, lineCol } from './helpers/spec.js';

const root = join(import.meta.dirname, '..');
const live = (Object.keys(catalog) as Code[]).filter((c) => !(catalog[c] as { retired?: boolean }).retired);
const fixtures = diagnosticFixtures();

/** Codes no spec can trigger through `aninfra validate`, each with the test file that does. */
const triggeredElsewhere: Readonly<Record<string, string>> = {
  ERR_SPEC_FILE_NOT_FOUND: 'test/compiler/parse/documents.test.ts',
  ERR_YAML_TOO_LARGE: 'test/compiler/parse/limits.test.ts',
  ERR_TARGET_UNSUPPORTED_MODULE: 'test/compiler/validate/rules/module-target-supported.test.ts',
  ERR_TARGET_UNSUPPORTED_FIELD: 'test/targets/kubernetes/lower.test.ts',
  WARN_TARGET_SCHEDULE_APPROXIMATED: 'test/targets/kubernetes/lower.test.ts',
  ERR_EMIT_UNSAFE_IDENTIFIER: 'test/compiler/pipeline.test.ts',
  ERR_INTERNAL: 'test/compiler/pipeline.test.ts',
  ERR_CLI_USAGE: 'test/cli/errors.test.ts',
  ERR_CLI_UNKNOWN_CODE: 'test/cli/self-description.test.ts',
  ERR_TARGET_UNSUPPORTED_KIND: 'test/compiler/emit/emit-program.test.ts',
  WARN_TARGET_AUTOSCALE_FIXED: 'test/targets/docker-family-lower.test.ts',
  WARN_TARGET_RESOURCES_IGNORED: 'test/targets/docker-family-lower.test.ts',
  WARN_TARGET_AVAILABILITY_SINGLE_HOST: 'test/targets/docker-family-lower.test.ts',
  WARN_TARGET_GATEWAY_SINGLE: 'test/targets/docker-family-lower.test.ts',
  WARN_BACKUP_ENGINE_UNSUPPORTED: 'test/targets/docker-family/backup.test.ts',
  WARN_AWS_REGION_UNPRICED: 'test/targets/aws/cost.test.ts',
  WARN_AWS_HTTP_ONLY: 'test/targets/aws/lower.test.ts',
  WARN_AWS_PREFIX_NOT_STRIPPED: 'test/targets/aws/lower.test.ts',
  WARN_AWS_DOCUMENTDB_COMPAT: 'test/targets/aws/lower.test.ts',
  WARN_AWS_NO_MANAGED_NATS: 'test/targets/aws/lower.test.ts',
};

/** Why these have no spec fixture: every registered module supports every target, etc. */
const reasons: Readonly<Record<string, string>> = {
  ERR_SPEC_FILE_NOT_FOUND: 'there is no file to put a fixture in',
  ERR_YAML_TOO_LARGE: 'a fixture would have to be larger than 8 MB; the test generates one in a temp dir',
  ERR_TARGET_UNSUPPORTED_MODULE: 'every registered module supports both targets; the rule test uses a test registry',
  ERR_TARGET_UNSUPPORTED_FIELD: 'raised by the kubernetes target while lowering a design (not wired into validate yet); the target test lowers a bind mount',
  WARN_TARGET_SCHEDULE_APPROXIMATED: 'raised by the kubernetes target while lowering a design (not wired into validate yet); the target test lowers schedules cron cannot express exactly',
  ERR_EMIT_UNSAFE_IDENTIFIER: 'module names are DNS labels, so the real targets always get safe identifiers; the test uses a target that asks for an unsafe one',
  ERR_INTERNAL: 'a bug by definition; the test provokes one in the pipeline',
  ERR_CLI_USAGE: 'a command-line problem, not a spec problem',
  ERR_CLI_UNKNOWN_CODE: 'a command-line problem, not a spec problem',
  ERR_TARGET_UNSUPPORTED_KIND: 'validation refuses a module whose kinds a target does not realize first (ERR_TARGET_UNSUPPORTED_MODULE); the lowering check is tested with a target that realizes fewer',
  WARN_TARGET_AUTOSCALE_FIXED: 'autoscale is an L4 field whose schema arrives with the L4 validation work; the test lowers a design that has it',
  WARN_TARGET_RESOURCES_IGNORED: 'resources is an L4 field whose schema arrives with the L4 validation work; the test lowers a design that has it',
  WARN_TARGET_AVAILABILITY_SINGLE_HOST: 'availability is an L4 field whose schema arrives with the L4 validation work; the test lowers a design that has it',
  WARN_TARGET_GATEWAY_SINGLE: 'gateway replicas is an L4 field whose schema arrives with the L4 validation work; the test lowers a design that has it',
  WARN_BACKUP_ENGINE_UNSUPPORTED: 'target lowering emits it, after validation; the test lowers a nats and an object-store store',
  WARN_AWS_REGION_UNPRICED: "the aws target's cost estimate reports it when plan prices a design, after validation; the test estimates a design for a region without a price table",
  WARN_AWS_HTTP_ONLY: 'the aws target emits it while lowering a gateway (after validation, which fixtures stop at); the target test compiles gateways with and without a certificate',
  WARN_AWS_PREFIX_NOT_STRIPPED: 'the aws target emits it while lowering a gateway route (after validation); the target test compiles a route with stripPrefix',
  WARN_AWS_DOCUMENTDB_COMPAT: 'the aws target emits it while lowering a mongodb store (after validation); the target test compiles one',
  WARN_AWS_NO_MANAGED_NATS: 'the aws target emits it while lowering a nats store (after validation); the target test compiles one',
};

/** Areas other owners' tests trigger: some test file under one of the folders must name each code. */
const ownedAreas: Readonly<Record<string, { readonly dirs: readonly string[] }>> = {
  STATE: { dirs: ['test/state', 'test/e2e'] },
  ENGINE: { dirs: ['test/e2e', 'test/engine'] },
  PREREQ: { dirs: ['test/e2e', 'test/engine'] },
  FIX: { dirs: ['test/fix'] },
  IMPORT: { dirs: ['test/import'] },
  MCP: { dirs: ['test/mcp'] },
  HTTP: { dirs: ['test/http'] },
  PLAN: { dirs: ['test/plan', 'test/cli'] },
  DRIFT: { dirs: ['test/engine', 'test/apply', 'test/e2e'] },
};

/** Live codes nothing in src/ emits (none today; a code listed here must really never be produced). */
const notEmitted: readonly string[] = [];

const area = (code: string): string => code.split('_')[1] ?? '';

describe('catalog entries', () => {
  it.each(live)('%s is explained', (code) => {
    const e = catalog[code];
    for (const text of [e.title, e.template, e.explain.cause, e.explain.fix, e.explain.example]) expect(text.trim().length).toBeGreaterThan(0);
    expect(e.explain.cause).toMatch(/[.)]$/);
  });

  it.each(live)('%s follows ERR_<AREA>_<WHAT> / WARN_<AREA>_<WHAT>', (code) => {
    expect(code === 'ERR_INTERNAL' || /^(ERR|WARN)_[A-Z]+(_[A-Z0-9]+)+$/.test(code)).toBe(true);
    expect(catalog[code].severity).toBe(code.startsWith('WARN_') ? 'warning' : 'error');
  });

  it.each(live)('%s exits with the code its stage implies', (code) => {
    const { stage, exit, severity } = catalog[code];
    const expected = stage === 'state' ? 4 : stage === 'engine' || stage === 'internal' ? 3 : stage === 'prereq' ? 5 : 1;
    if (severity === 'error') expect(exit).toBe(expected);
  });

  it.each(live)('%s names its placeholders with words and renders them all', (code) => {
    const names = [...catalog[code].template.matchAll(/\{([^}]*)\}/g)].map((m) => m[1] as string);
    for (const name of names) expect(name).toMatch(/^[a-z][a-zA-Z]*$/);
    const args = Object.fromEntries(names.map((n) => [n, `sample-${n}`])) as unknown as DiagnosticArgs<typeof code>;
    const d = diagnostic(code, args);
    expect(d.message).not.toMatch(/\{[a-zA-Z]*\}/);
    for (const n of names) expect(d.message).toContain(`sample-${n}`);
    expect(d.docs).toBe(`aninfra explain ${code}`);
  });

  it('has unique titles', () => {
    const titles = live.map((c) => catalog[c].title);
    expect(new Set(titles).size).toBe(titles.length);
  });
});

describe('every live code is triggered', () => {
  const withFixture = new Set(fixtures.map((f) => f.code));

  it.each(live)('%s', (code) => {
    const owned = ownedAreas[area(code)];
    const sources = [withFixture.has(code), code in triggeredElsewhere, owned !== undefined, notEmitted.includes(code)].filter(Boolean);
    expect(sources, `${code} needs a fixture in test/fixtures/diagnostics/${code}/ or an allow-list entry`).toHaveLength(1);
    const file = triggeredElsewhere[code];
    if (file) {
      expect(reasons[code]).toBeDefined();
      expect(existsSync(join(root, file)), file).toBe(true);
      expect(readFileSync(join(root, file), 'utf8')).toContain(code);
    }
    if (owned) {
      const tests = owned.dirs.flatMap((dir) => listTs(join(root, dir))).filter((f) => f.endsWith('.test.ts'));
      expect(tests.some((f) => readFileSync(f, 'utf8').includes(code)), `${code} in ${owned.dirs.join(' or ')}`).toBe(true);
    }
  });

  it('allow-lists only live codes', () => {
    for (const code of [...Object.keys(triggeredElsewhere), ...notEmitted]) expect(live).toContain(code);
  });

  it('lists as not emitted only codes src/ really never emits', () => {
    const sources = ['src/compiler', 'src/modules', 'src/cli', 'bin'].flatMap((dir) => listTs(join(root, dir)));
    for (const code of notEmitted) for (const file of sources) expect(readFileSync(file, 'utf8').includes(`'${code}'`), `${code} in ${file}`).toBe(false);
  });
});

describe.each(fixtures)('fixture $code', ({ code, spec, expected }) => {
  it('is named after a live code and triggers it where expected.json says', () => {
    expect(expected.code).toBe(code);
    expect(live).toContain(code);
    const result = compileFile(spec, { until: 'lower', ...(expected.env !== undefined ? { env: expected.env } : {}) });
    const found = result.diagnostics.find((d) => d.code === code && d.path === expected.path);
    expect(found, result.diagnostics.map((d) => `${d.code} ${d.path}`).join(', ')).toBeDefined();
    expect(found && lineCol(found)).toBe(`${expected.line}:${expected.col}`);
    expect(found?.range?.file).toBe(spec);
  });

  it('quotes values once in its messages', () => {
    for (const d of compileFile(spec, { until: 'lower', ...(expected.env !== undefined ? { env: expected.env } : {}) }).diagnostics) expect(d.message).not.toMatch(/'"|"'/);
  });
});

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}
