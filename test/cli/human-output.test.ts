/**
 * Human output: each diagnostic as `file:line:col  error CODE  message`, the source line and a
 * caret under the problem; colour only on a terminal, never with NO_COLOR or --no-color.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSI, aninfra, ensureBuilt, EXAMPLES } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-human-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fixture = (code: string) => join(import.meta.dirname, '..', 'fixtures', 'diagnostics', code, 'spec.yaml');

describe('diagnostics for people', () => {
  it('shows file:line:col, severity, code and message, then the source line and a caret', () => {
    const spec = fixture('ERR_MODULE_UNKNOWN_TYPE');
    const r = aninfra(['validate', spec]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n');
    const head = lines.findIndex((l) => l.startsWith(`${spec}:5:15  error ERR_MODULE_UNKNOWN_TYPE  `));
    expect(head, r.stderr).toBeGreaterThanOrEqual(0);
    expect(lines[head]?.length).toBeGreaterThan(`${spec}:5:15  error ERR_MODULE_UNKNOWN_TYPE  `.length);
    expect(lines[head + 1]).toBe('   5 |   db: { type: postgress }');
    expect(lines[head + 2]).toBe(`     | ${' '.repeat(14)}^^^^^^^^^`);
  });

  it('shows warnings the same way and still exits 0', () => {
    const spec = fixture('WARN_ENV_OVERRIDES_INJECTED');
    const r = aninfra(['validate', spec]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`${spec}:6:92  warning WARN_ENV_OVERRIDES_INJECTED  `);
  });

  it('shows every edge of a cycle as a related place', () => {
    const spec = fixture('ERR_GRAPH_CYCLE');
    const related = aninfra(['validate', spec]).stderr.split('\n').filter((l) => l.trimStart().startsWith('related:'));
    expect(related.map((l) => l.trim().split(/\s+/)[1])).toEqual([`${spec}:5:71`, `${spec}:6:77`]);
  });

  it('points a parse error at its line', () => {
    const spec = fixture('ERR_YAML_DUPLICATE_KEY');
    const r = aninfra(['plan', spec, '--state-dir', join(tmp, 's'), '--emit-dir', join(tmp, 'e')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${spec}:6:3  error ERR_YAML_DUPLICATE_KEY  `);
    expect(r.stderr).toContain('   6 |   db: { type: mysql }');
  });

  it('prints the plan on stdout, one line per resource with its rule', () => {
    const r = aninfra(['plan', join(EXAMPLES, 'minimal.yaml'), '--state-dir', join(tmp, 's2'), '--emit-dir', join(tmp, 'e2')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s+\+ create\s+container:api\s+\[/m);
    expect(r.stdout).toMatch(/volume:\S+\s+\[stateful-volume\]/);
    expect(r.stdout).toMatch(/plan hash [0-9a-f]{16}/);
  });
});

describe('colour', () => {
  const spec = fixture('ERR_MODULE_UNKNOWN_TYPE');
  const withColour = { FORCE_COLOR: '1' };

  it('is on when forced (so the checks below can see it missing)', () => {
    expect(aninfra(['validate', spec], { env: withColour }).stderr).toMatch(ANSI);
  });

  it.each([
    { name: 'not a terminal', args: [], env: {} },
    { name: 'NO_COLOR', args: [], env: { ...withColour, NO_COLOR: '1' } },
    { name: '--no-color', args: ['--no-color'], env: withColour },
    { name: '--json', args: ['--json'], env: withColour },
  ])('is off with $name', ({ args, env }) => {
    for (const cmd of [['validate', spec], ['modules', 'list'], ['explain', 'ERR_GRAPH_CYCLE'], ['plan', join(EXAMPLES, 'minimal.yaml'), '--state-dir', join(tmp, 's3'), '--emit-dir', join(tmp, 'e3')]]) {
      const r = aninfra([...cmd, ...args], { env });
      expect(r.stdout, cmd.join(' ')).not.toMatch(ANSI);
      expect(r.stderr, cmd.join(' ')).not.toMatch(ANSI);
    }
  });
});
