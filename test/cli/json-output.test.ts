/**
 * --json: stdout carries exactly one parseable JSON document and nothing else, for every command
 * an agent reads, on success and on failure; diagnostics in it use the one envelope.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aninfra, ensureBuilt, EXAMPLES, json } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-json-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const teamdocs = join(EXAMPLES, 'teamdocs.yaml');
const cycle = join(import.meta.dirname, '..', 'fixtures', 'diagnostics', 'ERR_GRAPH_CYCLE', 'spec.yaml');
const planDirs = (name: string) => ['--state-dir', join(tmp, name, 'state'), '--emit-dir', join(tmp, name, 'emit')];

const cases: { name: string; args: string[]; code: number; shape: Record<string, unknown> }[] = [
  { name: 'validate', args: ['validate', teamdocs], code: 0, shape: { ok: true, system: 'teamdocs', modules: 9 } },
  { name: 'validate (invalid)', args: ['validate', cycle], code: 1, shape: { ok: false } },
  { name: 'plan', args: ['plan', teamdocs, ...planDirs('plan')], code: 0, shape: { ok: true, plan: { system: 'teamdocs' } } },
  { name: 'plan (invalid)', args: ['plan', cycle, ...planDirs('bad')], code: 1, shape: { ok: false } },
  { name: 'graph --format mermaid', args: ['graph', teamdocs, '--format', 'mermaid'], code: 0, shape: { ok: true, format: 'mermaid' } },
  { name: 'graph --format dot', args: ['graph', teamdocs, '--format', 'dot'], code: 0, shape: { ok: true, format: 'dot' } },
  { name: 'graph --format json', args: ['graph', teamdocs, '--format', 'json'], code: 0, shape: { ok: true, format: 'json', graph: { system: 'teamdocs' } } },
  { name: 'graph (invalid)', args: ['graph', cycle], code: 1, shape: { ok: false } },
  { name: 'modules list', args: ['modules', 'list'], code: 0, shape: { ok: true } },
  { name: 'modules describe', args: ['modules', 'describe', 'gateway'], code: 0, shape: { ok: true, module: { type: 'gateway' } } },
  { name: 'modules describe (unknown)', args: ['modules', 'describe', 'postgress'], code: 1, shape: { ok: false } },
  { name: 'schema', args: ['schema'], code: 0, shape: { title: 'aninfra system spec' } },
  { name: 'explain', args: ['explain', 'ERR_GRAPH_CYCLE'], code: 0, shape: { ok: true, code: 'ERR_GRAPH_CYCLE' } },
  { name: 'explain --list', args: ['explain', '--list'], code: 0, shape: { ok: true } },
  { name: 'explain (unknown)', args: ['explain', 'ERR_NOPE'], code: 1, shape: { ok: false, diagnostics: [{ code: 'ERR_CLI_UNKNOWN_CODE' }] } },
  { name: 'init', args: ['init', '--file', join(tmp, 'init', 'aninfra.yaml')], code: 0, shape: { ok: true, template: 'minimal' } },
  { name: 'init (file exists)', args: ['init', '--file', teamdocs], code: 1, shape: { ok: false, diagnostics: [{ code: 'ERR_CLI_USAGE' }] } },
  { name: 'unknown command', args: ['frobnicate'], code: 1, shape: { ok: false, diagnostics: [{ code: 'ERR_CLI_USAGE' }] } },
  { name: 'unknown option', args: ['validate', teamdocs, '--frobnicate'], code: 1, shape: { ok: false, diagnostics: [{ code: 'ERR_CLI_USAGE' }] } },
];

describe('--json', () => {
  it.each(cases)('$name prints one JSON document on stdout', ({ args, code, shape }) => {
    const r = aninfra([...args, '--json']);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout.trim().startsWith('{')).toBe(true);
    expect(json(r)).toMatchObject(shape);
    // One document: nothing before or after it.
    expect(r.stdout.trimEnd().endsWith('}')).toBe(true);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('{')).length).toBe(1);
  });

  it('places --json anywhere on the command line', () => {
    expect(json(aninfra(['--json', 'validate', teamdocs]))).toMatchObject({ ok: true });
  });

  it('prints every diagnostic in the one envelope', () => {
    const doc = json(aninfra(['validate', cycle, '--json'])) as { diagnostics: Record<string, unknown>[] };
    expect(doc.diagnostics).toHaveLength(1);
    const d = doc.diagnostics[0] as Record<string, unknown>;
    expect(Object.keys(d).sort()).toEqual(['code', 'docs', 'fix', 'hint', 'message', 'path', 'range', 'related', 'severity']);
    expect(d).toMatchObject({
      code: 'ERR_GRAPH_CYCLE',
      severity: 'error',
      path: '/modules/worker/uses/0',
      range: { file: cycle, start: { line: 6, column: 77 } },
      fix: { patch: [{ op: 'remove', path: '/modules/worker/uses/0' }] },
      docs: 'aninfra explain ERR_GRAPH_CYCLE',
    });
    expect(d.related).toHaveLength(2);
  });

  it('describes every module type as data', () => {
    const list = json(aninfra(['modules', 'list', '--json'])) as { modules: { type: string }[] };
    expect(list.modules.length).toBeGreaterThanOrEqual(13);
    for (const { type } of list.modules) {
      const doc = json(aninfra(['modules', 'describe', type, '--json'])) as { module: Record<string, unknown> };
      expect(Object.keys(doc.module)).toEqual(expect.arrayContaining(['type', 'summary', 'versions', 'inputs', 'outputs', 'capabilities', 'ports', 'readiness', 'stateful', 'targets', 'examples']));
    }
  });
});
