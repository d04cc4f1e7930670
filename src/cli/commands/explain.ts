/**
 * `aninfra explain CODE` and `aninfra explain --list`: the catalog's explanations.
 */
import { catalog, exitCodeOf, isCode, type Code } from '../../compiler/diagnostics/codes.js';
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { nearest } from '../../compiler/diagnostics/suggest.js';
import type { Io } from '../io.js';
import { exitCode, printDiagnostics } from './report.js';

export function explainDocument(code: string): Record<string, unknown> | undefined {
  if (!isCode(code)) return undefined;
  const e = catalog[code];
  return { code, severity: e.severity, stage: e.stage, title: e.title, exitCode: exitCodeOf(code), message: e.template, cause: e.explain.cause, fix: e.explain.fix, example: e.explain.example, ...(('retired' in e && e.retired) ? { retired: true } : {}) };
}

export function explainCommand(io: Io, code: string | undefined, options: { list?: boolean }): number {
  if (options.list || code === undefined) {
    const all = Object.keys(catalog).map((c) => explainDocument(c));
    if (io.json) io.document({ ok: true, codes: all });
    else for (const c of Object.keys(catalog)) io.out(`${c.padEnd(34)} ${catalog[c as keyof typeof catalog].title}`);
    return 0;
  }
  const upper = code.toUpperCase();
  const doc = explainDocument(upper);
  if (!doc) {
    const guess = nearest(upper, Object.keys(catalog));
    const d = diagnostic('ERR_CLI_UNKNOWN_CODE', { code }, guess ? { hint: `did you mean ${guess}?` } : {});
    if (io.json) io.document({ ok: false, diagnostics: [d] });
    else printDiagnostics(io, [d], undefined);
    return exitCode([d]);
  }
  if (io.json) {
    io.document({ ok: true, ...doc });
    return 0;
  }
  const s = io.style;
  io.out(`${s.bold(String(doc.code))} (${exitPhrase(upper as Code)}): ${String(doc.title)}\n`);
  io.out(`${s.bold('Message')}\n  ${String(doc.message)}\n`);
  io.out(`${s.bold('Cause')}\n  ${String(doc.cause)}\n`);
  io.out(`${s.bold('Fix')}\n  ${String(doc.fix)}\n`);
  io.out(`${s.bold('Example')}\n${String(doc.example).split('\n').map((l) => `  ${l}`).join('\n')}`);
  return 0;
}

/** Severity and exit code in words: a warning never changes a command's exit code, so it claims none. */
export function exitPhrase(code: Code): string {
  const severity = catalog[code].severity;
  return severity === 'error' ? `error, exit ${exitCodeOf(code)}` : `${severity}, does not change the exit code`;
}
