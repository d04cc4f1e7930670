/**
 * `aninfra validate [SPEC]`: parse, validate and resolve; diagnostics only.
 */
import type { Io } from '../io.js';
import { validateOperation } from '../../operations/validate.js';
import type { TargetName } from '../../compiler/validate/spec-types.js';
import { exitCode, printDiagnostics, summaryLine } from './report.js';

export function validateCommand(io: Io, specPath: string, options: { target?: TargetName; env?: string }): number {
  const result = validateOperation({ path: specPath, ...options });
  const modules = result.modules;
  if (io.json) {
    io.document({ ok: result.ok, file: specPath, system: result.system, ...(options.env !== undefined ? { env: options.env } : {}), modules, diagnostics: result.diagnostics });
  } else {
    printDiagnostics(io, result.diagnostics, result.source);
    io.err(result.ok ? `${io.style.green('✓')} ${specPath}: valid, ${modules} modules (${summaryLine(io, result.diagnostics)})` : `${io.style.red('✗')} ${specPath}: ${summaryLine(io, result.diagnostics)}`);
  }
  return exitCode(result.diagnostics);
}
