/**
 * `aninfra explain CODE` and `aninfra explain --list`: the catalog's explanations (src/operations/explain.ts) printed.
 */
import { catalog, type Code } from '../../compiler/diagnostics/codes.js';
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { nearest } from '../../compiler/diagnostics/suggest.js';
import { explainDocument, exitPhrase } from '../../operations/explain.js';
import type { Io } from '../io.js';
import { exitCode, printDiagnostics } from './report.js';

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

