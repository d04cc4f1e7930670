/**
 * The envelope and its helpers: the factory fills message and docs from the catalog, diagnostics
 * sort by file, line, column and code, and the exit code is the worst error's.
 */
import { describe, expect, it } from 'vitest';
import { catalog } from '../../../src/compiler/diagnostics/codes.js';
import { diagnostic, exitCodeFor, hasErrors, sortDiagnostics, type Diagnostic } from '../../../src/compiler/diagnostics/diagnostic.js';
import { editDistance, nearest } from '../../../src/compiler/diagnostics/suggest.js';
import { compileYaml, modules } from '../../helpers/spec.js';

const at = (file: string, line: number, column: number) => ({ range: { file, start: { line, column }, end: { line, column: column + 1 } } });

describe('diagnostic()', () => {
  it('takes severity from the catalog and builds docs from the code', () => {
    const d = diagnostic('WARN_ENV_OVERRIDES_INJECTED', { name: 'DB_URL', module: 'api', target: 'db' }, { path: '/modules/api/env/DB_URL' });
    expect(d).toMatchObject({ code: 'WARN_ENV_OVERRIDES_INJECTED', severity: 'warning', path: '/modules/api/env/DB_URL', docs: 'aninfra explain WARN_ENV_OVERRIDES_INJECTED' });
    expect(d.message).not.toMatch(/\{[a-zA-Z]+\}/);
  });

  it('leaves out empty extras', () => {
    const d = diagnostic('ERR_YAML_EMPTY', {}, { related: [] });
    expect(Object.keys(d).sort()).toEqual(['code', 'docs', 'message', 'path', 'severity']);
  });
});

describe('sortDiagnostics', () => {
  it('orders by file, line, column, then code', () => {
    const a = diagnostic('ERR_DEP_SELF', { module: 'a', via: 'uses' }, at('b.yaml', 1, 1));
    const b = diagnostic('ERR_YAML_EMPTY', {}, at('a.yaml', 9, 1));
    const c = diagnostic('ERR_DEP_SELF', { module: 'a', via: 'uses' }, at('a.yaml', 2, 5));
    const d = diagnostic('ERR_DEP_CAPABILITY_MISMATCH', { module: 'a', type: 't', needed: 'x', target: 'b', targetType: 'u', provided: 'y' }, at('a.yaml', 2, 5));
    expect(sortDiagnostics([a, b, c, d])).toEqual([d, c, b, a]);
  });

  it('is what compile() returns', () => {
    const c = compileYaml(modules(`z: { type: nope }\na: { type: alsonope }`));
    expect(c.diagnostics).toEqual(sortDiagnostics(c.diagnostics));
    expect(c.diagnostics.map((d) => d.path)).toEqual(['/modules/z/type', '/modules/a/type']);
  });
});

describe('exitCodeFor', () => {
  const d = (code: keyof typeof catalog): Diagnostic => ({ code, severity: catalog[code].severity, message: '', path: '', docs: '' });
  it.each([
    { codes: [], exit: 0 },
    { codes: ['WARN_REF_IMPLICIT_DEPENDENCY'], exit: 0 },
    { codes: ['ERR_GRAPH_CYCLE', 'WARN_ENV_OVERRIDES_INJECTED'], exit: 1 },
    { codes: ['ERR_GRAPH_CYCLE', 'ERR_ENGINE_FAILED'], exit: 3 },
    { codes: ['ERR_STATE_LOCKED', 'ERR_ENGINE_FAILED'], exit: 4 },
    { codes: ['ERR_PREREQ_DOCKER', 'ERR_STATE_LOCKED'], exit: 5 },
  ] as { codes: (keyof typeof catalog)[]; exit: number }[])('$codes → $exit', ({ codes, exit }) => {
    expect(exitCodeFor(codes.map(d))).toBe(exit);
    expect(hasErrors(codes.map(d))).toBe(exit !== 0);
  });
});

describe('nearest', () => {
  it.each([
    ['postgress', ['postgres', 'mysql'], 'postgres'],
    ['prot', ['port', 'protocol'], 'port'],
    ['rdeis', ['redis', 'nats'], 'redis'],
    ['Redis', ['redis'], 'redis'],
    ['kubernetes', ['postgres', 'redis'], undefined],
    ['redis', ['redis'], undefined],
    ['a', [], undefined],
  ] as [string, string[], string | undefined][])('%s among %j → %s', (word, candidates, expected) => {
    expect(nearest(word, candidates)).toBe(expected);
  });

  it('breaks ties by name', () => {
    expect(nearest('cat', ['cut', 'bat'])).toBe('bat');
    expect(nearest('cat', ['bat', 'cut'])).toBe('bat');
  });

  it.each([
    ['', 'abc', 3],
    ['abc', 'abc', 0],
    ['abc', 'acb', 1],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ] as [string, string, number][])('editDistance(%s, %s) = %i', (a, b, n) => {
    expect(editDistance(a, b)).toBe(n);
    expect(editDistance(b, a)).toBe(n);
  });
});
