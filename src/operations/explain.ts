/**
 * The catalog's explanation of a diagnostic code as data (`aninfra explain`, MCP explain_error, resources).
 */
import { catalog, exitCodeOf, isCode, type Code } from '../compiler/diagnostics/codes.js';

export function explainDocument(code: string): Record<string, unknown> | undefined {
  if (!isCode(code)) return undefined;
  const e = catalog[code];
  return { code, severity: e.severity, stage: e.stage, title: e.title, exitCode: exitCodeOf(code), message: e.template, cause: e.explain.cause, fix: e.explain.fix, example: e.explain.example, ...(('retired' in e && e.retired) ? { retired: true } : {}) };
}

/** Severity and exit code in words: a warning never changes a command's exit code, so it claims none. */
export function exitPhrase(code: Code): string {
  const severity = catalog[code].severity;
  return severity === 'error' ? `error, exit ${exitCodeOf(code)}` : `${severity}, does not change the exit code`;
}
