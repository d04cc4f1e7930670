/**
 * `aninfra backups SPEC --module M` (list a stateful module's dumps: name, size, time) and
 * `aninfra restore SPEC --module M [--backup FILE]` (restore the newest dump, or FILE). Thin
 * wrappers over src/apply/restore.ts, registered by bin/aninfra.ts; the operation loads lazily.
 * Both take the engine's platform settings (`--context` for kubernetes) over the applied spec's.
 * SIGINT, SIGTERM and SIGHUP stop the restore's container (or pod) and release the lock.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { printable } from '../../compiler/diagnostics/printable.js';
import { platformOverrides, settingsFor } from '../../operations/platform-flags.js';
import type { Io } from '../io.js';
import { printDiagnostics } from './report.js';

interface Flags {
  module: string;
  backup?: string;
  stateDir?: string;
  env?: string;
  breakLock?: boolean;
  timeout?: string;
}

export interface RegisterDeps {
  readonly io: (cmd: Command) => Io;
  readonly run: (action: (...args: never[]) => Promise<number> | number) => (...args: unknown[]) => Promise<void>;
  readonly defaultSpec: string;
}

/** `--context`… : the engine-scope platform settings of the target registry. */
function withEngineSettings(c: Command): Command {
  for (const s of settingsFor('engine')) {
    c.addOption(
      new Option(`--${s.flag} <${s.value}>`, `${s.target}: ${s.description} (overrides platform.${s.target}.${s.key})`).argParser((v: string) => {
        if (!new RegExp(s.pattern, 'u').test(v)) throw new InvalidArgumentError(`not a valid ${s.target} ${s.key}`);
        return v;
      }),
    );
  }
  return c;
}

const platformOf = (f: Flags): ReturnType<typeof platformOverrides>['platform'] => platformOverrides(f as unknown as Record<string, unknown>, 'engine').platform;

export function registerBackupCommands(program: Command, deps: RegisterDeps): void {
  withEngineSettings(program.command('backups [spec]'))
    .description("list a stateful module's backups (name, size, time), newest first")
    .requiredOption('--module <module>', 'the stateful module')
    .option('--state-dir <dir>', 'state directory (default .aninfra beside the spec)')
    .option('--env <name>', "environment: the spec's environments.<name> overlay")
    .action(deps.run(async (spec: string | undefined, f: Flags, cmd: Command) => backupsCommand(deps.io(cmd), spec ?? deps.defaultSpec, f)));
  withEngineSettings(program.command('restore [spec]'))
    .description('restore a stateful module from a backup (the newest unless --backup); refuses while the state is locked')
    .requiredOption('--module <module>', 'the stateful module')
    .option('--backup <file>', 'backup file name as `aninfra backups` lists it (default: the newest)')
    .option('--state-dir <dir>', 'state directory (default .aninfra beside the spec)')
    .option('--env <name>', "environment: the spec's environments.<name> overlay")
    .option('--break-lock', 'break a stale lock left by a dead process')
    .option('--timeout <seconds>', 'seconds the restore may take (default 600)')
    .action(deps.run(async (spec: string | undefined, f: Flags, cmd: Command) => restoreCommand(deps.io(cmd), spec ?? deps.defaultSpec, f)));
}

async function backupsCommand(io: Io, specPath: string, f: Flags): Promise<number> {
  const { backupsOperation } = await import('../../apply/restore.js');
  const platform = platformOf(f);
  const result = await backupsOperation(specPath, { module: f.module, ...(f.stateDir ? { stateDir: f.stateDir } : {}), ...(platform ? { platform } : {}), ...(f.env !== undefined ? { env: f.env } : {}) });
  if (io.json) io.document(result.document);
  else {
    printDiagnostics(io, result.diagnostics, undefined);
    const backups = (result.document.backups as { name: string; size: number; time: string }[] | undefined) ?? [];
    if (result.ok && backups.length === 0) io.out(`no backups of ${printable(f.module)} yet`);
    for (const b of backups) io.out(`${printable(b.name).padEnd(44)} ${String(b.size).padStart(12)}  ${b.time}`);
  }
  return result.exitCode;
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

async function restoreCommand(io: Io, specPath: string, f: Flags): Promise<number> {
  const timeout = f.timeout === undefined ? undefined : Number(f.timeout);
  const { restoreOperation } = await import('../../apply/restore.js');
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => controller.abort(signal);
  for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const platform = platformOf(f);
  let result;
  try {
    result = await restoreOperation(specPath, {
      module: f.module,
      ...(platform ? { platform } : {}),
      ...(f.backup !== undefined ? { backup: f.backup } : {}),
      ...(f.stateDir ? { stateDir: f.stateDir } : {}),
      ...(f.env !== undefined ? { env: f.env } : {}),
      ...(timeout !== undefined && timeout > 0 ? { timeoutSeconds: timeout } : {}),
      breakLock: !!f.breakLock,
      signal: controller.signal,
      onEvent: (e) => io.err(io.json ? JSON.stringify(e) : `${io.style.dim(e.type.padEnd(8))} ${e.module ? `${io.style.bold(printable(e.module))}: ` : ''}${printable(e.message)}`),
    });
  } finally {
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
  }
  if (io.json) io.document(result.document);
  else {
    printDiagnostics(io, result.diagnostics, undefined);
    const backup = result.document.backup as { name?: string } | undefined;
    if (result.ok) io.out(`${io.style.green('✓')} restore ${printable(String(result.document.system))}/${printable(f.module)}: ${printable(backup?.name ?? '')}`);
  }
  return result.exitCode;
}
