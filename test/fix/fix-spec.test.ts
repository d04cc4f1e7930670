import { describe, expect, it } from 'vitest';
import { diffLines } from 'diff';
import { parseDocument } from 'yaml';
import { join } from 'node:path';
import { applyNamedFix, checkSpecText, fixAll } from '../../src/operations/fix-spec.js';
import { tempProject } from '../helpers/host-files.js';

/** The spec's folder holds the build contexts BASE names, as a real project's does. */
const FILE = join(tempProject('aninfra-fix-spec-', ['api', 'search']), 'aninfra.yaml');

/** A valid spec with comments in many places; each case breaks one thing in it. */
const BASE = `# yaml-language-server: $schema=./aninfra.schema.json
# shop: a small web shop
apiVersion: aninfra/v1
kind: System
metadata: { name: shop }
target: compose

modules:
  # the main database
  db:
    type: postgres          # type comment
    version: "16"
    with: { storage: 5Gi }

  cache: { type: redis }    # sessions

  api:
    type: service
    with:
      runtime: node         # runtime comment
      build: ./api
      port: 8080
      publish: 9000         # host port
    uses: [db, cache]       # deps
    env:
      DB_DSN: "\${db.url}"  # reference

  search:
    type: service
    with: { runtime: go, build: ./search, port: 7700 }
    uses:
      - db
`;

const replaceOnce = (from: string, to: string) => (text: string): string => {
  if (!text.includes(from)) throw new Error(`fixture does not contain ${from}`);
  return text.replace(from, to);
};

interface Case {
  readonly name: string;
  readonly code: string;
  readonly path: string;
  readonly breakIt: (text: string) => string;
  /** The value at the path (or at the renamed key) after the fix. */
  readonly expect: (spec: Record<string, any>) => void;
}

const cases: Case[] = [
  { name: 'misspelled module type', code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/db/type', breakIt: replaceOnce('type: postgres ', 'type: postgress'), expect: (s) => expect(s.modules.db.type).toBe('postgres') },
  { name: 'unknown field (module)', code: 'ERR_SPEC_UNKNOWN_FIELD', path: '/modules/api/usess', breakIt: replaceOnce('    uses: [db, cache]', '    usess: [db, cache]'), expect: (s) => expect(Object.keys(s.modules.api)).toEqual(['type', 'with', 'uses', 'env']) },
  { name: 'unknown input', code: 'ERR_INPUT_UNKNOWN_FIELD', path: '/modules/api/with/prot', breakIt: replaceOnce('      port: 8080', '      prot: 8080'), expect: (s) => expect(Object.keys(s.modules.api.with)).toEqual(['runtime', 'build', 'port', 'publish']) },
  { name: 'unknown dependency name', code: 'ERR_DEP_UNKNOWN_MODULE', path: '/modules/api/uses/1', breakIt: replaceOnce('[db, cache]', '[db, cachee]'), expect: (s) => expect(s.modules.api.uses).toEqual(['db', 'cache']) },
  { name: 'missing required input', code: 'ERR_INPUT_MISSING_REQUIRED', path: '/modules/search/with/runtime', breakIt: replaceOnce('{ runtime: go, build', '{ build'), expect: (s) => expect(typeof s.modules.search.with.runtime).toBe('string') },
  { name: 'wrong type', code: 'ERR_INPUT_WRONG_TYPE', path: '/modules/api/with/port', breakIt: replaceOnce('port: 8080', 'port: "8080"'), expect: (s) => expect(s.modules.api.with.port).toBe(8080) },
  { name: 'unknown output reference', code: 'ERR_REF_UNKNOWN_OUTPUT', path: '/modules/api/env/DB_DSN', breakIt: replaceOnce('${db.url}', '${db.uri}'), expect: (s) => expect(s.modules.api.env.DB_DSN).toBe('${db.url}') },
  { name: 'cycle (closing edge removed)', code: 'ERR_GRAPH_CYCLE', path: '/modules/search/uses/1', breakIt: (t) => replaceOnce('uses: [db, ', 'uses: [search, db, ')(replaceOnce('      - db\n', '      - db\n      - api\n')(t)), expect: (s) => expect(s.modules.search.uses).toEqual(['db']) },
  { name: 'port collision', code: 'ERR_PORT_COLLISION', path: '/modules/search/with/publish', breakIt: replaceOnce('port: 7700 }', 'port: 7700, publish: 9000 }'), expect: (s) => expect(s.modules.search.with.publish).not.toBe(9000) },
];

function comments(text: string): string[] {
  return text.split('\n').flatMap((l) => {
    const i = l.search(/(^|\s)#/);
    return i === -1 ? [] : [l.slice(i).trim()];
  });
}

function changed(before: string, after: string): number {
  return diffLines(before, after).filter((p) => p.added).reduce((n, p) => n + (p.count ?? 0), 0);
}

describe('fixes applied to the YAML document', () => {
  it('the base fixture is valid', () => {
    expect(checkSpecText(FILE, BASE).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it.each(cases)('$name: $code at $path is fixed, comments and key order kept', (c) => {
    const broken = c.breakIt(BASE);
    const before = checkSpecText(FILE, broken);
    const target = before.diagnostics.find((d) => d.code === c.code);
    expect(target, `expected ${c.code}`).toBeDefined();
    expect(target?.path).toBe(c.path);
    expect(target?.fix).toBeDefined();

    const result = fixAll(FILE, broken, { code: c.code });
    expect(result.applied.map((a) => a.code)).toContain(c.code);
    expect(result.diagnostics.filter((d) => d.code === c.code)).toEqual([]);
    c.expect(parseDocument(result.text).toJS());

    // Every comment survives, modules keep their order, and only the edited lines change.
    expect(comments(result.text)).toEqual(comments(broken));
    expect(Object.keys(parseDocument(result.text).toJS().modules)).toEqual(['db', 'cache', 'api', 'search']);
    expect(changed(broken, result.text)).toBeLessThanOrEqual(1);
  });

  it('applyNamedFix applies exactly the fix asked for and reports what remains', () => {
    const broken = replaceOnce('[db, cache]', '[db, cachee]')(replaceOnce('type: postgres ', 'type: postgress')(BASE));
    const result = applyNamedFix(FILE, broken, 'ERR_MODULE_UNKNOWN_TYPE', '/modules/db/type');
    expect(result.ok).toBe(true);
    expect(result.applied).toMatchObject({ code: 'ERR_MODULE_UNKNOWN_TYPE', path: '/modules/db/type' });
    expect(result.diagnostics.map((d) => d.code)).toContain('ERR_DEP_UNKNOWN_MODULE');
    expect(result.text).toContain('type: postgres');
  });

  it('applyNamedFix refuses a code and path no diagnostic offers, naming the fixes there are', () => {
    const broken = replaceOnce('type: postgres ', 'type: postgress')(BASE);
    const result = applyNamedFix(FILE, broken, 'ERR_GRAPH_CYCLE', '/modules/api/uses/0');
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['ERR_FIX_NOT_FOUND']);
    expect(result.diagnostics[0]?.hint).toContain('ERR_MODULE_UNKNOWN_TYPE');
    expect(result.text).toBe(broken);
  });
});

describe('fixAll: the bounded re-validation loop', () => {
  const MANY = cases.filter((c) => c.code !== 'ERR_SPEC_UNKNOWN_FIELD' && c.code !== 'ERR_INPUT_UNKNOWN_FIELD').reduce((text, c) => c.breakIt(text), BASE);

  it('fixes mistakes that only appear once earlier ones are fixed, until nothing fixable is left', () => {
    const first = checkSpecText(FILE, MANY).diagnostics.map((d) => d.code);
    const result = fixAll(FILE, MANY);
    expect(result.exhausted).toBe(false);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Some fixed diagnostics were hidden behind others at the start (validation stops at a failing stage).
    expect(result.applied.map((a) => a.code).filter((c) => !first.includes(c as never)).length).toBeGreaterThan(0);
    expect(comments(result.text)).toEqual(comments(MANY));
  });

  it('stops at maxSteps', () => {
    const result = fixAll(FILE, MANY, { maxSteps: 2 });
    expect(result.applied).toHaveLength(2);
    expect(result.exhausted).toBe(true);
  });

  it('applies only fixes of the given code', () => {
    const result = fixAll(FILE, MANY, { code: 'ERR_MODULE_UNKNOWN_TYPE' });
    expect(result.applied.map((a) => a.code)).toEqual(['ERR_MODULE_UNKNOWN_TYPE']);
  });

  it('reports a fix that cannot be applied (ERR_FIX_PATCH_FAILED) and stops trying it', () => {
    // b's `with:` is an alias of a's: removing b's unknown input would edit a's block too, so it is refused.
    const text = BASE.replace(
      "  search:\n    type: service\n    with: { runtime: go, build: ./search, port: 7700 }",
      "  search:\n    type: service\n    with: &w { runtime: go, build: ./search, port: 7700 }\n  indexer:\n    type: worker\n    with: *w",
    );
    const before = checkSpecText(FILE, text).diagnostics;
    expect(before.find((d) => d.code === 'ERR_INPUT_UNKNOWN_FIELD')?.path).toBe('/modules/indexer/with/port');
    const result = fixAll(FILE, text, { code: 'ERR_INPUT_UNKNOWN_FIELD' });
    expect(result.failed.map((d) => d.code)).toEqual(['ERR_FIX_PATCH_FAILED']);
    expect(result.applied).toEqual([]);
    expect(result.text).toBe(text);
  });

  it('never throws on text that is not YAML, and offers nothing', () => {
    const result = fixAll(FILE, 'modules: [unclosed');
    expect(result.applied).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toContain('ERR_YAML_SYNTAX');
  });
});
