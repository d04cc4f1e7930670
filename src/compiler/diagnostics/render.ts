/**
 * Human rendering: `file:line:col  error CODE  message`, the source line with a caret, hint, fix
 * and related places. Colour comes in as a Style so this stays free of terminal concerns.
 */
import { LineMap, type SourceFile } from '../source/source-file.js';
import type { Diagnostic } from './diagnostic.js';
import { printable } from './printable.js';

export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  green(s: string): string;
}

export const plainStyle: Style = { red: (s) => s, yellow: (s) => s, cyan: (s) => s, dim: (s) => s, bold: (s) => s, green: (s) => s };

export function renderDiagnostic(d: Diagnostic, source: SourceFile | undefined, style: Style): string {
  const where = d.range ? `${d.range.file}:${d.range.start.line}:${d.range.start.column}` : source?.path ?? 'aninfra';
  const sev = d.severity === 'error' ? style.red('error') : d.severity === 'warning' ? style.yellow('warning') : style.cyan('info');
  // Messages, hints and titles quote spec values, which may hold control sequences or line breaks.
  const text = (s: string): string => printable(s);
  const lines = [`${style.bold(text(where))}  ${sev} ${style.dim(d.code)}  ${text(d.message)}`];
  if (d.range && source && d.range.file === source.path) lines.push(...codeFrame(source, d.range.start.line, d.range.start.column, d.range.end, style));
  // A hint may span lines (an engine's log tail): each line indented under the first.
  if (d.hint) lines.push(`  ${style.cyan('hint')}: ${printable(d.hint, { multiline: true }).replace(/\n/g, '\n        ')}`);
  if (d.fix) lines.push(`  ${style.green('fix')}: ${text(d.fix.title)}  ${style.dim('(aninfra fix, or the JSON patch in --json)')}`);
  for (const r of d.related ?? []) {
    lines.push(`  ${style.dim('related')}: ${text(r.range ? `${r.range.file}:${r.range.start.line}:${r.range.start.column}` : r.path)}  ${text(r.message)}`);
  }
  lines.push(`  ${style.dim(`see: ${d.docs}`)}`);
  return lines.join('\n');
}

function codeFrame(source: SourceFile, line: number, column: number, end: { line: number; column: number }, style: Style): string[] {
  const map = new LineMap(source.text);
  const text = map.lineText(source.text, line);
  const shown = text.length > 200 ? text.slice(0, 200) + '…' : text;
  const width = end.line === line ? Math.max(1, Math.min(end.column - column, shown.length - column + 1)) : Math.max(1, shown.length - column + 1);
  const gutter = String(line).padStart(4);
  return [`${style.dim(`${gutter} |`)} ${printable(shown)}`, `${style.dim('     |')} ${' '.repeat(Math.max(0, column - 1))}${style.red('^'.repeat(Math.max(1, width)))}`];
}

export function renderSummary(diagnostics: readonly Diagnostic[], style: Style): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const parts = [errors > 0 ? style.red(`${errors} error${errors === 1 ? '' : 's'}`) : `0 errors`, warnings > 0 ? style.yellow(`${warnings} warning${warnings === 1 ? '' : 's'}`) : '0 warnings'];
  return parts.join(', ');
}
