#!/usr/bin/env node
/**
 * The aninfra command line: argv → command → exit code. Commands load lazily, so `validate` and
 * `plan` never load the engines (or @pulumi/*). Bad input is a diagnostic; an unexpected exception
 * is ERR_INTERNAL, with the stack only under --debug.
 */
import { writeSync } from 'node:fs';
import type * as Commander from 'commander';
import type { Io } from '../src/cli/io.js';
import type { TargetName } from '../src/compiler/validate/spec-types.js';
import { VERSION } from '../src/state/version.js';

// `aninfra --version` alone is answered before commander, the diagnostics catalog and the target
// registry load (issue 14: under 120 ms). Any other command line, --version among other flags
// included, goes through commander as before. The write is synchronous, so exiting loses nothing.
if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === '-V')) {
  try {
    writeSync(1, `${VERSION}\n`);
  } catch {
    // A closed pipe ends the output, never the command (as below).
  }
  process.exit(0);
}

type Command = Commander.Command;
type Option = Commander.Option;
const { Command, CommanderError, InvalidArgumentError, Option } = await import('commander');
const { createIo, wantColor } = await import('../src/cli/io.js');
const { diagnostic } = await import('../src/compiler/diagnostics/diagnostic.js');
const { renderDiagnostic } = await import('../src/compiler/diagnostics/render.js');
const { registerBackupCommands } = await import('../src/cli/commands/restore.js');
const { targetNames } = await import('../src/targets/index.js');
const { platformOverrides, settingsFor } = await import('../src/operations/platform-flags.js');

const DEFAULT_SPEC = 'aninfra.yaml';

interface Globals {
  json?: boolean;
  color?: boolean;
  debug?: boolean;
}

function io(cmd: Command): Io {
  const g = cmd.optsWithGlobals<Globals>();
  return createIo({ json: !!g.json, color: wantColor(g.color, process.env, !!process.stdout.isTTY && !g.json) });
}

const targetOption = (): Option => new Option('--target <target>', 'override the spec target').choices([...targetNames]);
/** `--env NAME`: the spec's `environments.<NAME>` overlay; deployed as <system>-<NAME>, state in .aninfra/<system>@<NAME>/. */
const envOption = (): Option => new Option('--env <name>', 'environment: apply the spec\'s environments.<name> overlay (own state and resource names)');

/** `--namespace`, `--context`… from the target registry's platform settings: all for plan/apply/rollback, engine settings for the rest. */
function withPlatformOptions(c: Command, scope: 'program' | 'engine'): Command {
  for (const s of settingsFor(scope)) {
    const option = new Option(`--${s.flag} <${s.value}>`, `${s.target}: ${s.description} (overrides platform.${s.target}.${s.key})`).argParser((v: string) => {
      if (!new RegExp(s.pattern, 'u').test(v)) throw new InvalidArgumentError(`not a valid ${s.target} ${s.key}`);
      return v;
    });
    c.addOption(option);
  }
  return c;
}

function run(action: (...args: never[]) => Promise<number> | number) {
  return async (...args: unknown[]): Promise<void> => {
    process.exitCode = await (action as (...a: unknown[]) => Promise<number> | number)(...args);
  };
}

export function buildProgram(): Command {
  const program = new Command('aninfra')
    .description('Declarative infrastructure compiler: one YAML system spec → Pulumi programs and Docker Compose, with structured diagnostics.')
    .version(VERSION, '-V, --version')
    .option('--json', 'print one JSON document on stdout and nothing else there')
    .option('--no-color', 'disable colour (also NO_COLOR)')
    .option('--debug', 'print stack traces of internal errors')
    .showSuggestionAfterError(true)
    // Usage errors are reported once, as ERR_CLI_USAGE diagnostics (see main), not by commander.
    .configureOutput({ outputError: () => undefined })
    .exitOverride();

  program
    .command('init')
    .description('write a starter spec (with the schema modeline) and aninfra.schema.json')
    .option('--template <name>', 'minimal | web-app', 'minimal')
    .option('-f, --file <path>', 'spec file to write', DEFAULT_SPEC)
    .option('--force', 'overwrite an existing file')
    .action(run(async (opts: { template: string; file: string; force?: boolean }, cmd: Command) => (await import('../src/cli/commands/init.js')).initCommand(io(cmd), opts)));

  program
    .command('validate [spec]')
    .description('parse, validate and resolve a spec; print diagnostics only')
    .addOption(targetOption())
    .addOption(envOption())
    .action(run(async (spec: string | undefined, opts: { target?: TargetName; env?: string }, cmd: Command) => (await import('../src/cli/commands/validate.js')).validateCommand(io(cmd), spec ?? DEFAULT_SPEC, opts)));

  withPlatformOptions(
    program
      .command('plan [spec]')
      .description('compile, write the program for the target, and show what apply would change')
      .addOption(targetOption())
      .addOption(envOption())
      .option('--out <file>', 'save the plan as JSON for `aninfra apply <file>`')
      .option('--emit-dir <dir>', 'where to write the emitted program (default .aninfra/<system>/program/<target>)')
      .option('--state-dir <dir>', 'state directory (default .aninfra beside the spec)')
      .option('--images <file>', 'image mapping file: public image → local image')
      .option('--detailed-exitcode', 'exit 2 when the plan has changes')
      .option('--show-dockerfile <module>', 'print the Dockerfile aninfra generated for MODULE (its build context has none) instead of the plan')
      .option('--engine-preview', "also run the engine's own preview (Pulumi) and check that it agrees"),
    'program',
  ).action(run(async (spec: string | undefined, opts: Record<string, unknown>, cmd: Command) => (await import('../src/cli/commands/plan.js')).planCommand(io(cmd), spec ?? DEFAULT_SPEC, opts)));

  program
    .command('graph [spec]')
    .description('print the resolved module topology')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'))
    .addOption(envOption())
    .action(run(async (spec: string | undefined, opts: { format: 'mermaid' | 'dot' | 'json'; env?: string }, cmd: Command) => (await import('../src/cli/commands/graph.js')).graphCommand(io(cmd), spec ?? DEFAULT_SPEC, opts)));

  program
    .command('diff [spec]')
    .description('resource-level difference between two environments of a spec (--env A --env B); exit 2 when they differ')
    .option('--env <name>', 'an environment to compare (give it twice)', (v: string, all: string[]) => [...all, v], [] as string[])
    .action(run(async (spec: string | undefined, opts: { env: string[] }, cmd: Command) => (await import('../src/cli/commands/diff.js')).diffCommand(io(cmd), spec ?? DEFAULT_SPEC, opts)));

  const modules = program.command('modules').description('the module catalog');
  modules
    .command('list')
    .description('list module types')
    .action(run(async (_opts: unknown, cmd: Command) => (await import('../src/cli/commands/modules.js')).modulesListCommand(io(cmd))));
  modules
    .command('describe <type>')
    .description('inputs, outputs, capabilities, ports, readiness and examples of a module type')
    .action(run(async (type: string, _opts: unknown, cmd: Command) => (await import('../src/cli/commands/modules.js')).modulesDescribeCommand(io(cmd), type)));

  program
    .command('schema')
    .description('print the JSON Schema of a spec')
    .action(run(async (_opts: unknown, cmd: Command) => (await import('../src/cli/commands/schema.js')).schemaCommand(io(cmd))));

  program
    .command('explain [code]')
    .description('explain a diagnostic code: cause, fix and example')
    .option('--list', 'list every code')
    .action(run(async (code: string | undefined, opts: { list?: boolean }, cmd: Command) => (await import('../src/cli/commands/explain.js')).explainCommand(io(cmd), code, opts)));

  // ── state-changing operations ───────────────────────────────────────────
  interface OpFlags {
    target?: TargetName;
    stateDir?: string;
    images?: string;
    showSecrets?: boolean;
    timeout?: string;
    breakLock?: boolean;
    deleteData?: boolean;
    keepImages?: boolean;
    adopt?: boolean;
    regenerateSecrets?: boolean;
    allowDataLoss?: boolean;
    rollbackOnFailure?: boolean;
    to?: string;
    pull?: 'missing' | 'never';
    env?: string;
  }
  const operation =
    (name: 'apply' | 'destroy' | 'status' | 'history' | 'rollback') =>
    async (spec: string | undefined, f: OpFlags, cmd: Command): Promise<number> => {
      const timeout = f.timeout === undefined ? undefined : Number(f.timeout);
      const to = f.to === undefined ? undefined : Number(f.to);
      if ((timeout !== undefined && !(timeout > 0)) || (to !== undefined && !Number.isInteger(to))) {
        throw new CommanderError(1, 'commander.invalidArgument', 'error: --timeout takes seconds > 0 and --to a revision number');
      }
      // Values were checked by each option's parser.
      const { platform } = platformOverrides(f as Record<string, unknown>, name === 'apply' || name === 'rollback' ? 'program' : 'engine');
      return (await import('../src/cli/commands/operate.js')).operateCommand(io(cmd), name, spec ?? DEFAULT_SPEC, {
        ...(f.target ? { target: f.target } : {}),
        ...(platform ? { platform } : {}),
        ...(f.stateDir ? { stateDir: f.stateDir } : {}),
        ...(f.env !== undefined ? { env: f.env } : {}),
        ...(f.images ? { images: f.images } : {}),
        ...(f.pull ? { pull: f.pull } : {}),
        showSecrets: !!f.showSecrets,
        breakLock: !!f.breakLock,
        deleteData: !!f.deleteData,
        keepImages: !!f.keepImages,
        adopt: !!f.adopt,
        regenerateSecrets: !!f.regenerateSecrets,
        ...(f.allowDataLoss ? { allowDataLoss: true } : {}),
        rollbackOnFailure: !!f.rollbackOnFailure,
        ...(timeout !== undefined ? { timeoutSeconds: timeout } : {}),
        ...(to !== undefined ? { to } : {}),
      });
    };
  const common = (c: Command): Command =>
    c.option('--state-dir <dir>', 'state directory (default .aninfra beside the spec)').addOption(envOption()).option('--show-secrets', 'print secret outputs in clear').option('--break-lock', 'break a stale lock left by a dead process');
  const changing = (c: Command): Command =>
    withPlatformOptions(common(c), 'program')
      .addOption(targetOption())
      .option('--images <file>', 'image mapping file: public image → local image')
      .addOption(new Option('--pull <policy>', 'pull images that are missing, or never').choices(['missing', 'never']))
      .option('--timeout <seconds>', 'seconds each module may take to become healthy');
  const adopt = (c: Command): Command => c.option('--adopt', "take over a system whose resources belong to another state directory");
  adopt(changing(program.command('apply [specOrPlan]').description('apply a spec (or a plan saved with plan --out) and wait until every module is healthy')))
    .option('--rollback-on-failure', 'return to the last good revision when the apply fails')
    .option('--regenerate-secrets', 'generate new values for applied secrets the secret store lost')
    .option('--allow-data-loss', 'apply even though the plan deletes or strands stored data (DATA LOSS / DATA RISK)')
    .action(run(operation('apply')));
  adopt(changing(program.command('rollback [spec]').description('return to the last good revision (or --to REV)')))
    .option('--to <revision>', 'revision to return to')
    .option('--allow-data-loss', 'roll back even though it deletes or strands stored data (DATA LOSS / DATA RISK)')
    .action(run(operation('rollback')));
  adopt(withPlatformOptions(common(program.command('destroy [spec]').description('remove everything the system created (data volumes kept unless --delete-data)')), 'engine'))
    .option('--delete-data', 'also delete the named volumes of stateful modules')
    .option('--keep-images', 'leave the images aninfra built for the system')
    .action(run(operation('destroy')));
  withPlatformOptions(common(program.command('status [spec]').description('modules, containers, health, endpoints and (redacted) outputs')), 'engine').action(run(operation('status')));
  withPlatformOptions(program.command('drift [spec]').description('compare the live system with the last applied revision (exit 2 on drift)').option('--state-dir <dir>', 'state directory (default .aninfra beside the spec)').option('--env <name>', "environment: the spec's environments.<name> overlay").option('--images <file>', 'image mapping file, named in the heal command'), 'engine').action(run(async (spec: string | undefined, f: Record<string, unknown>, cmd: Command) => (await import('../src/cli/commands/drift.js')).driftCommand(io(cmd), spec ?? DEFAULT_SPEC, f)));
  common(program.command('history [spec]').description('the revisions of the system')).action(run(operation('history')));
  registerBackupCommands(program, { io, run, defaultSpec: DEFAULT_SPEC });

  // ── agent interface (issue: MCP, fixes, import, docs) ─────────────────────
  program
    .command('fix [spec]')
    .description("apply the fixes of the spec's diagnostics to the file, keeping comments and formatting")
    .option('--code <code>', 'only fixes of diagnostics with this code')
    .option('--dry-run', 'print the unified diff instead of writing')
    .action(run(async (spec: string | undefined, opts: { code?: string; dryRun?: boolean }, cmd: Command) => (await import('../src/cli/commands/fix.js')).fixCommand(io(cmd), spec ?? DEFAULT_SPEC, opts)));

  const importCmd = program.command('import').description('turn other formats into a spec');
  importCmd
    .command('compose <file>')
    .description('turn a docker-compose.yml into an aninfra spec')
    .option('-o, --out <file>', 'write the spec here instead of stdout')
    .option('--name <name>', 'system name (default: from the directory)')
    .action(run(async (file: string, opts: { out?: string; name?: string }, cmd: Command) => (await import('../src/cli/commands/import-compose.js')).importComposeCommand(io(cmd), file, opts)));

  program
    .command('docs')
    .description('documentation generated from the module and error catalogs (llms.txt, or --json)')
    .action(run(async (_opts: unknown, cmd: Command) => (await import('../src/cli/commands/docs.js')).docsCommand(io(cmd), (await import('../src/mcp/tools/index.js')).tools)));

  program
    .command('mcp')
    .description('serve the Model Context Protocol over stdio')
    .option('--workdir <dir>', 'directory for inline specs and their state', '.')
    .action(run(async (opts: { workdir: string }) => (await import('../src/mcp/server.js')).serveMcp(opts)));

  program
    .command('serve')
    .description('serve the HTTP API (OpenAPI at /openapi.json); mutating endpoints need the bearer token')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free port)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port number (0-65535)');
      return n;
    }, 7080)
    .option('--workdir <dir>', 'directory for inline specs and their state; request paths stay inside it', '.')
    .option('--token-file <file>', 'bearer token file (created with mode 0600 when missing; default <workdir>/.aninfra/http-token)')
    .action(run(async (opts: { host: string; port: number; workdir: string; tokenFile?: string }, cmd: Command) =>
      (await import('../src/http/server.js')).serveHttp({ ...opts, json: !!cmd.optsWithGlobals<Globals>().json }),
    ));

  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  const json = argv.includes('--json');
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        process.exitCode = 0;
        return;
      }
      const d = diagnostic('ERR_CLI_USAGE', { detail: e.message.replace(/^error: /, '') }, { hint: 'aninfra --help' });
      const usageIo = createIo({ json, color: !json && wantColor(undefined, process.env, !!process.stderr.isTTY) });
      if (json) usageIo.document({ ok: false, diagnostics: [d] });
      else usageIo.err(renderDiagnostic(d, undefined, usageIo.style));
      process.exitCode = 1;
      return;
    }
    const d = diagnostic('ERR_INTERNAL', { detail: e instanceof Error ? e.message : String(e) }, { hint: 'rerun with --debug and report the stack trace with the spec' });
    const internalIo = createIo({ json, color: false });
    if (json) internalIo.document({ ok: false, diagnostics: [d] });
    else internalIo.err(renderDiagnostic(d, undefined, internalIo.style));
    if (debug && e instanceof Error) internalIo.err(e.stack ?? '');
    process.exitCode = 3;
  }
}

// A closed pipe (`aninfra apply | head -3`) or a terminal gone after SIGHUP (EIO) ends the output,
// never the command: what follows is dropped (a destroyed stream discards writes), the operation
// runs to its end (releasing the lock, finishing its revision) and the exit code stays its own.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'EIO' || e.code === 'ECONNRESET' || e.code === 'ERR_STREAM_DESTROYED') return;
    throw e;
  });
}

await main(process.argv);
