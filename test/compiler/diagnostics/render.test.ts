/**
 * Human rendering: `file:line:col  severity CODE  message`, the source line with a caret under the
 * range, hint, fix, related places and the docs pointer; colour only through the Style passed in.
 */
import { describe, expect, it } from 'vitest';
import { diagnostic } from '../../../src/compiler/diagnostics/diagnostic.js';
import { plainStyle, renderDiagnostic, renderSummary, type Style } from '../../../src/compiler/diagnostics/render.js';
import { compileYaml, modules } from '../../helpers/spec.js';

const spec = modules(`db: { type: postgress }`);

function rendered(text: string, code: string): string {
  const c = compileYaml(text);
  const d = c.diagnostics.find((x) => x.code === code);
  if (!d) throw new Error(`no ${code}`);
  return renderDiagnostic(d, c.source, plainStyle);
}

describe('renderDiagnostic', () => {
  it('leads with file:line:col, severity and code, then the source line and a caret', () => {
    const lines = rendered(spec, 'ERR_MODULE_UNKNOWN_TYPE').split('\n');
    expect(lines[0]).toMatch(/^spec\.yaml:5:15 {2}error ERR_MODULE_UNKNOWN_TYPE {2}\S/);
    expect(lines[1]).toBe('   5 |   db: { type: postgress }');
    // The caret starts under column 15 and spans the 9 characters of the value.
    expect(lines[2]).toBe(`     | ${' '.repeat(14)}${'^'.repeat(9)}`);
    expect(lines.some((l) => l.startsWith('  hint: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('  fix: '))).toBe(true);
    expect(lines[lines.length - 1]).toBe('  see: aninfra explain ERR_MODULE_UNKNOWN_TYPE');
  });

  it('lists related places with their own file:line:col', () => {
    const text = modules(`a: { type: service, with: { runtime: node, build: ./a }, uses: [b] }\nb: { type: service, with: { runtime: node, build: ./b }, uses: [a] }`);
    const related = rendered(text, 'ERR_GRAPH_CYCLE').split('\n').filter((l) => l.startsWith('  related: '));
    expect(related.map((l) => l.split(/\s+/)[2])).toEqual(['spec.yaml:5:67', 'spec.yaml:6:67']);
  });

  it('keeps the caret on the line when the range spans several lines', () => {
    const text = 'apiVersion: aninfra/v1\nkind: System\nmetadata:\n  description: x\nmodules: {}\n';
    const lines = rendered(text, 'ERR_SPEC_MISSING_FIELD').split('\n');
    expect(lines[0]).toMatch(/^spec\.yaml:4:3 /);
    expect(lines[1]).toBe('   4 |   description: x');
    expect(lines[2]).toBe('     |   ^^^^^^^^^^^^^^');
  });

  it('escapes control characters of the source line', () => {
    const text = modules(`db: { type: postgress }   # \u001b[31m red`);
    const frame = rendered(text, 'ERR_MODULE_UNKNOWN_TYPE').split('\n')[1] ?? '';
    expect(frame).not.toContain('\u001b');
    expect(frame).toContain('\\u001b');
  });

  it('escapes control characters that spec values carry into the message', () => {
    // YAML's "\e" is ESC: a reference fragment echoed in the message must not reach the terminal raw.
    const text = modules(`api: { type: service, with: { runtime: node, build: ./api }, env: { X: "\${\\e]0;pwned\\a\\e[2J" } }`);
    const out = rendered(text, 'ERR_REF_SYNTAX');
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('keeps a message on one line when a spec value holds a line break', () => {
    const text = modules(`api: { type: service, with: { runtime: node, build: ./api }, env: { X: "\${\\nspec.yaml:1:1  error FAKE" } }`);
    const first = rendered(text, 'ERR_REF_SYNTAX').split('\n');
    expect(first.filter((l) => /^\S+:\d+:\d+ {2}error /.test(l))).toHaveLength(1);
  });

  it('shows a diagnostic without a range by the file or the tool name', () => {
    const d = diagnostic('ERR_CLI_UNKNOWN_CODE', { code: 'ERR_NOPE' });
    expect(renderDiagnostic(d, undefined, plainStyle).split('\n')[0]).toMatch(/^aninfra {2}error ERR_CLI_UNKNOWN_CODE {2}/);
    expect(renderDiagnostic(d, { path: 'x.yaml', text: '' }, plainStyle).split('\n')[0]).toMatch(/^x\.yaml {2}error/);
  });

  it('colours only through the style it is given', () => {
    const tag = (name: string) => (s: string) => `<${name}>${s}</${name}>`;
    const style: Style = { red: tag('red'), yellow: tag('yellow'), cyan: tag('cyan'), dim: tag('dim'), bold: tag('bold'), green: tag('green') };
    const c = compileYaml(spec);
    const out = renderDiagnostic(c.diagnostics[0] as never, c.source, style);
    expect(out).toContain('<red>error</red>');
    expect(out).toContain('<dim>ERR_MODULE_UNKNOWN_TYPE</dim>');
    expect(renderDiagnostic(c.diagnostics[0] as never, c.source, plainStyle)).not.toMatch(/<\w+>/);
  });

  it('clips very long source lines', () => {
    const text = modules(`db: { type: postgress, description: "${'x'.repeat(500)}" }`);
    const frame = rendered(text, 'ERR_MODULE_UNKNOWN_TYPE').split('\n')[1] ?? '';
    expect(frame.length).toBeLessThan(220);
  });
});

describe('renderSummary', () => {
  it('counts errors and warnings', () => {
    const warn = diagnostic('WARN_REF_IMPLICIT_DEPENDENCY', { module: 'a', target: 'b' });
    const err = diagnostic('ERR_DEP_SELF', { module: 'a', via: 'uses' });
    expect(renderSummary([], plainStyle)).toBe('0 errors, 0 warnings');
    expect(renderSummary([err, warn, warn], plainStyle)).toBe('1 error, 2 warnings');
  });
});
