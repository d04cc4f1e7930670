/**
 * `aninfra fix [SPEC] [--code CODE] [--dry-run]`: apply the JSON-Patch fixes of the spec's
 * diagnostics to the YAML file, keeping its comments, key order and formatting. Re-validates after
 * each fix and stops when nothing fixable is left; `--dry-run` prints the unified diff instead of
 * writing. The file keeps its mode and owner, and a symlinked spec is written through the link
 * (src/fix/write-spec-file.ts). Exit code: 0 when no error remains, else that of the remaining diagnostics.
 */
import { relative, resolve } from 'node:path';
import { catalog, isCode } from '../../compiler/diagnostics/codes.js';
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { nearest } from '../../compiler/diagnostics/suggest.js';
import { readSource } from '../../compiler/source/read-source.js';
import { fixAll, fixDiagnostics } from '../../operations/fix-spec.js';
import { unifiedDiff } from '../../fix/unified-diff.js';
import { writeSpecFile } from '../../fix/write-spec-file.js';
import type { Io } from '../io.js';
import { maxSpecBytes } from '../../operations/compile-file.js';
import { exitCode, printDiagnostics, summaryLine } from './report.js';

export interface FixOptions {
  readonly code?: string;
  readonly dryRun?: boolean;
}

export function fixCommand(io: Io, specPath: string, opts: FixOptions): number {
  const code = opts.code?.toUpperCase();
  if (code !== undefined && !isCode(code)) {
    const guess = nearest(code, Object.keys(catalog));
    const d = diagnostic('ERR_CLI_UNKNOWN_CODE', { code: opts.code ?? '' }, guess ? { hint: `did you mean ${guess}?` } : { hint: 'aninfra explain --list' });
    if (io.json) io.document({ ok: false, diagnostics: [d] });
    else printDiagnostics(io, [d], undefined);
    return exitCode([d]);
  }
  const read = readSource(specPath, maxSpecBytes(process.env));
  if (!read.value) {
    if (io.json) io.document({ ok: false, file: specPath, diagnostics: read.diagnostics });
    else printDiagnostics(io, read.diagnostics, undefined);
    return exitCode(read.diagnostics);
  }
  const source = read.value;
  const result = fixAll(source.path, source.text, code !== undefined ? { code } : {});
  const changed = result.text !== source.text;
  const rel = relative(process.cwd(), resolve(source.path));
  const display = rel === '' || rel.startsWith('..') ? source.path : rel;
  const diff = unifiedDiff(display, source.text, result.text);
  const written = changed && !opts.dryRun;
  if (written) writeSpecFile(resolve(source.path), result.text);
  const diagnostics = fixDiagnostics(result);
  const ok = !diagnostics.some((d) => d.severity === 'error');

  if (io.json) {
    io.document({ ok, file: specPath, changed, written, dryRun: !!opts.dryRun, applied: result.applied, exhausted: result.exhausted, ...(opts.dryRun ? { diff } : {}), diagnostics });
  } else {
    const s = io.style;
    if (opts.dryRun && diff) io.out(diff);
    for (const a of result.applied) io.err(`${s.green('fixed')} ${s.dim(a.code)} ${a.path}: ${a.title}`);
    printDiagnostics(io, diagnostics, { path: source.path, text: result.text });
    const verb = opts.dryRun ? 'would apply' : 'applied';
    const tail = result.exhausted ? ' (stopped at the step limit; run again)' : '';
    io.err(`${ok ? s.green('✓') : s.red('✗')} ${specPath}: ${verb} ${result.applied.length} fix${result.applied.length === 1 ? '' : 'es'}${tail}; ${summaryLine(io, diagnostics)}`);
  }
  return exitCode(diagnostics);
}
