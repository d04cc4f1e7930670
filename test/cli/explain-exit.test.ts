/**
 * `aninfra explain` and the generated docs state an exit code only for errors: a warning never
 * changes a command's exit code (exitCodeFor counts errors only), so claiming `exit 1` for one
 * would mislead an agent deciding whether a run failed.
 */
import { describe, expect, it } from 'vitest';
import { llmsTxt } from '../../src/operations/docs.js';
import { explainCommand } from '../../src/cli/commands/explain.js';
import { tools } from '../../src/mcp/tools/index.js';
import { catalog, exitCodeOf, type Code } from '../../src/compiler/diagnostics/codes.js';
import { diagnostic, exitCodeFor, type DiagnosticArgs } from '../../src/compiler/diagnostics/diagnostic.js';
import { captureIo } from '../fix/io.js';

const codes = Object.keys(catalog) as Code[];
const warnings = codes.filter((c) => catalog[c].severity !== 'error');
const errors = codes.filter((c) => catalog[c].severity === 'error');

/** A diagnostic of `code` with every placeholder filled. */
function sample(code: Code) {
  const names = [...catalog[code].template.matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1] as string);
  return diagnostic(code, Object.fromEntries(names.map((n) => [n, 'x'])) as unknown as DiagnosticArgs<typeof code>);
}

describe('explain: exit codes', () => {
  it('has warnings to check', () => {
    expect(warnings.length).toBeGreaterThan(5);
  });

  it.each(warnings)('%s: --json says exit 0, the exit code a warning alone leads to', (code) => {
    expect(exitCodeFor([sample(code)])).toBe(0);
    const io = captureIo(true);
    expect(explainCommand(io, code, {})).toBe(0);
    expect(io.documents[0]).toMatchObject({ ok: true, code, exitCode: 0 });
  });

  it.each(warnings)('%s: the text names no exit code', (code) => {
    const io = captureIo();
    explainCommand(io, code, {});
    const heading = io.stdout[0] ?? '';
    expect(heading).toContain(code);
    expect(heading).not.toMatch(/exit \d/);
  });

  it.each(errors)('%s: states the exit code the error leads to', (code) => {
    expect(exitCodeOf(code)).toBe(exitCodeFor([sample(code)]));
    const io = captureIo(true);
    explainCommand(io, code, {});
    expect(io.documents[0]).toMatchObject({ exitCode: catalog[code].exit });
    const text = captureIo();
    explainCommand(text, code, {});
    expect(text.stdout[0]).toContain(`exit ${catalog[code].exit}`);
  });

  it('the generated docs claim an exit code for errors only', () => {
    const lines = llmsTxt(tools).split('\n');
    for (const code of warnings) {
      const line = lines.find((l) => l.startsWith(`- ${code} (`));
      expect(line, code).toBeDefined();
      expect(line).not.toMatch(/exit \d/);
    }
    for (const code of errors) {
      if ((catalog[code] as { retired?: boolean }).retired) continue;
      expect(lines.find((l) => l.startsWith(`- ${code} (`))).toContain(`exit ${catalog[code].exit}`);
    }
  });
});
