/**
 * `aninfra validate [SPEC]`: parse, validate and resolve; diagnostics only.
 */
import type { Io } from '../io.js';
import { compileFile } from '../../operations/compile-file.js';
import type { TargetName } from '../../compiler/validate/spec-types.js';
import { exitCode, printDiagnostics, summaryLine } from './report.js';

export function validateCommand(io: Io, specPath: string, options: { target?: TargetName }): number {
  const result = compileFile(specPath, { until: 'lower', ...(options.target ? { target: options.target } : {}) });
  const modules = result.validated ? Object.keys(result.validated.spec.modules).length : 0;
  if (io.json) {
    io.document({ ok: result.ok, file: specPath, system: result.validated?.spec.metadata.name ?? null, modules, diagnostics: result.diagnostics });
  } else {
    printDiagnostics(io, result.diagnostics, result.source);
    io.err(result.ok ? `${io.style.green('✓')} ${specPath}: valid, ${modules} modules (${summaryLine(io, result.diagnostics)})` : `${io.style.red('✗')} ${specPath}: ${summaryLine(io, result.diagnostics)}`);
  }
  return exitCode(result.diagnostics);
}
