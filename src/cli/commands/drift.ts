/**
 * `aninfra drift [SPEC]`: how the live system departs from the last applied revision, each item a
 * coded warning whose hint is the command that heals it. Exit 0 when nothing drifted, 2 when
 * something did, the error's exit code when the live system or the state cannot be read.
 */
import type { OperationOptions } from '../../apply/options.js';
import type { Io } from '../io.js';
import { platformOverrides } from '../../operations/platform-flags.js';
import { printDiagnostics } from './report.js';

/** `flags`: commander's options (--state-dir, --images, the engine's platform flags such as --context). */
export async function driftCommand(io: Io, specPath: string, flags: Readonly<Record<string, unknown>>): Promise<number> {
  const { detectDrift, driftExitCode } = await import('../../apply/drift.js');
  const { platform } = platformOverrides(flags, 'engine');
  const options: OperationOptions = {
    ...(typeof flags.stateDir === 'string' ? { stateDir: flags.stateDir } : {}),
    ...(typeof flags.env === 'string' ? { env: flags.env } : {}),
    ...(typeof flags.images === 'string' ? { images: flags.images } : {}),
    ...(platform ? { platform } : {}),
  };
  const report = await detectDrift(specPath, options);
  if (io.json) io.document(report);
  else {
    printDiagnostics(io, report.diagnostics, undefined);
    const s = io.style;
    const head = `${s.bold(report.system || specPath)}${report.revision !== null ? `: revision ${String(report.revision)}` : ''}`;
    if (report.ok) io.out(`${head}: ${report.drifted ? s.red(`${String(report.items.length)} drift item(s)`) : s.green('no drift')}`);
  }
  return driftExitCode(report);
}
