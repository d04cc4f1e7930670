/**
 * The table runner every rule test uses. A valid row compiles (through resolve) without errors and
 * without any code the rule reports. An invalid row must produce `code` at `path`, starting at
 * `at` (line:col), carrying exactly the patch in `fix` (null: no fix). When there is a fix it is
 * applied, the spec compiled again, and the diagnostic (same code, same path) must be gone; unless
 * `after` says 'gone', the fixed spec must have no errors at all.
 */
import { describe, expect, it } from 'vitest';
import type { Code } from '../../../../src/compiler/diagnostics/codes.js';
import type { JsonPatchOp } from '../../../../src/compiler/diagnostics/diagnostic.js';
import type { ValidationRule } from '../../../../src/compiler/validate/rule.js';
import type { TargetName } from '../../../../src/compiler/validate/spec-types.js';
import type { ModuleRegistry } from '../../../../src/modules/descriptor.js';
import { applyFix, diagnosticsOf, lineCol, summarize, type CompileYamlOptions } from '../../../helpers/spec.js';

export interface ValidRow {
  readonly name: string;
  readonly spec: string;
  readonly target?: TargetName;
  readonly registry?: ModuleRegistry;
  readonly targets?: CompileYamlOptions['targets'];
}

export interface InvalidRow extends ValidRow {
  readonly code: Code;
  readonly path: string;
  /** line:col of the range start. */
  readonly at: string;
  /** The exact patch of the fix, or null when the diagnostic must carry none. */
  readonly fix: readonly JsonPatchOp[] | null;
  /** After the fix: 'clean' (default) means no errors remain; 'gone' only that this diagnostic is gone. */
  readonly after?: 'clean' | 'gone';
}

function options(row: ValidRow): CompileYamlOptions {
  return { ...(row.target ? { target: row.target } : {}), ...(row.registry ? { registry: row.registry } : {}), ...(row.targets ? { targets: row.targets } : {}) };
}

export function expectValid(rule: Pick<ValidationRule, 'reports'>, row: ValidRow): void {
  const diagnostics = diagnosticsOf(row.spec, options(row));
  expect(summarize(diagnostics.filter((d) => d.severity === 'error' || rule.reports.includes(d.code)))).toEqual([]);
}

export function expectInvalid(rule: Pick<ValidationRule, 'reports'>, row: InvalidRow): void {
  expect(rule.reports).toContain(row.code);
  const diagnostics = diagnosticsOf(row.spec, options(row));
  const found = diagnostics.find((d) => d.code === row.code && d.path === row.path);
  expect(found, `expected ${row.code} at ${row.path}; got ${summarize(diagnostics).join(' | ')}`).toBeDefined();
  if (!found) return;
  expect(lineCol(found)).toBe(row.at);
  expect(found.range?.file).toBe('spec.yaml');
  expect(found.fix?.patch ?? null).toEqual(row.fix);
  if (!found.fix) return;
  const fixed = applyFix(row.spec, found.fix);
  const again = diagnosticsOf(fixed, options(row));
  expect(again.filter((d) => d.code === row.code && d.path === row.path)).toEqual([]);
  if ((row.after ?? 'clean') === 'clean') expect(summarize(again.filter((d) => d.severity === 'error'))).toEqual([]);
}

/** Registers the `valid` and `invalid` tables of one rule. */
export function ruleTables(rule: ValidationRule, valid: readonly ValidRow[], invalid: readonly InvalidRow[]): void {
  describe(`rule ${rule.id}`, () => {
    it.each(valid)('accepts: $name', (row) => expectValid(rule, row));
    it.each(invalid)('rejects: $name', (row) => expectInvalid(rule, row));
  });
}
