/**
 * Printing a compilation's diagnostics: human (code frames) or as the JSON envelope.
 */
import { exitCodeFor, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { renderDiagnostic, renderSummary } from '../../compiler/diagnostics/render.js';
import type { SourceFile } from '../../compiler/source/source-file.js';
import type { Io } from '../io.js';

export function printDiagnostics(io: Io, diagnostics: readonly Diagnostic[], source: SourceFile | undefined): void {
  for (const d of diagnostics) io.err(renderDiagnostic(d, source, io.style) + '\n');
}

/** Exit code for a command whose result is these diagnostics (0 when there is no error). */
export function exitCode(diagnostics: readonly Diagnostic[]): number {
  return exitCodeFor(diagnostics);
}

export function summaryLine(io: Io, diagnostics: readonly Diagnostic[]): string {
  return renderSummary(diagnostics, io.style);
}
