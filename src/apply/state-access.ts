/**
 * Shared by the operations: pick the engine for a target, find a system's journal from its spec,
 * and turn diagnostics into a failed result.
 * Codes: ERR_SPEC_FILE_NOT_FOUND, ERR_STATE_NOT_APPLIED, ERR_ENV_UNKNOWN.
 */
import { defaultParseLimits, parseSpec } from '../compiler/parse/parse-spec.js';
import { readSource } from '../compiler/source/read-source.js';
import { specSystemName } from '../compiler/pipeline.js';
import { diagnostic, exitCodeFor, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { dirname, resolve } from 'node:path';
import type { TargetModel } from '../compiler/emit/target.js';
import type { Engine, EngineContext, EngineResult } from '../engine/engine.js';
import { loadEngine } from '../engine/index.js';
import { targetNamed, targetNames } from '../targets/index.js';
import { Journal, StateError, type Revision } from '../state/journal.js';
import type { Acquired } from '../state/lock.js';
import { stateName, statePaths, type StatePaths } from '../state/paths.js';
import { environmentSystemName, unknownEnvironment } from '../compiler/parse/environment.js';
import { readImageMapping } from './images-file.js';
import type { OperationOptions, OperationResult } from './options.js';

/** The default engine of a target (the first it names): the one that applies, reads and destroys its systems. */
export function engineNameFor(target: string): string {
  const name = targetNamed(target)?.engines[0];
  // A journal or plan names a target this aninfra does not know: a newer version wrote it.
  if (name === undefined) throw new Error(`no target named '${target}' in this aninfra; targets: ${targetNames.join(', ')}`);
  return name;
}

export async function engineFor(target: string): Promise<Engine> {
  const name = engineNameFor(target);
  const engine = await loadEngine(name);
  if (!engine) throw new Error(`target '${target}' names engine '${name}', which is not registered`);
  return engine;
}

export function fail(diagnostics: Diagnostic[], extra: Record<string, unknown> = {}): OperationResult {
  return { ok: false, exitCode: exitCodeFor(diagnostics) || 1, document: { ok: false, ...extra, diagnostics }, diagnostics };
}

export function loadImages(o: OperationOptions): { images?: Record<string, string>; diagnostics: Diagnostic[] } {
  return o.images ? readImageMapping(o.images) : { diagnostics: [] };
}

/**
 * The journal of the system a spec file describes (compiling it only for its name). Unreadable
 * revision files do not stop it: they come back as `problems`, and the readable ones are used.
 */
export function locateState(
  specPath: string,
  o: OperationOptions,
): { journal: Journal; paths: StatePaths; system: string; problems: Diagnostic[]; records: Revision[] } | { diagnostics: Diagnostic[] } {
  const name = systemName(specPath);
  if (!name) return { diagnostics: [diagnostic('ERR_SPEC_FILE_NOT_FOUND', { file: specPath, reason: 'no readable spec with metadata.name' })] };
  if (o.env !== undefined) {
    const unknown = environmentProblem(specPath, o.env);
    if (unknown) return { diagnostics: [unknown] };
  }
  // An environment's resources are named after `<system>-<env>`; its state is `<system>@<env>`.
  const system = o.env === undefined ? name : environmentSystemName(name, o.env);
  const paths = statePaths(specPath, stateName(name, o.env), o.stateDir);
  const journal = new Journal(paths.journal);
  try {
    // One scan of the journal: the records (restores included, as history lists them) and the unreadable files.
    const { records, problems } = journal.contents();
    if (!records.some((r) => r.operation !== 'restore')) return { diagnostics: [...problems, diagnostic('ERR_STATE_NOT_APPLIED', { system, dir: paths.root })] };
    return { journal, paths, system, problems, records };
  } catch (e) {
    if (e instanceof StateError) return { diagnostics: [e.diagnostic] };
    throw e;
  }
}

/** metadata.name from the parsed YAML only: state must stay reachable when the spec no longer validates. */
export function systemName(specPath: string): string | undefined {
  const read = readSource(specPath, defaultParseLimits.maxBytes);
  return read.value ? nameOf(read.value) : undefined;
}

/** ERR_ENV_UNKNOWN when the spec file does not define `env` (read from the parsed YAML only, as the name is). */
export function environmentProblem(specPath: string, env: string): Diagnostic | undefined {
  const read = readSource(specPath, defaultParseLimits.maxBytes);
  const parsed = read.value ? parseSpec(read.value).value : undefined;
  return parsed ? unknownEnvironment(parsed, env) : undefined;
}

/** metadata.name of a spec text (a stored revision's). */
export function systemNameOf(text: string): string | undefined {
  return nameOf({ path: 'spec', text });
}

function nameOf(source: { readonly path: string; readonly text: string }): string | undefined {
  const parsed = parseSpec(source).value;
  return parsed ? specSystemName(parsed.value) : undefined;
}

/** Runs an engine step once a revision is open: a state problem inside it fails the step, so the revision is still finished. */
export async function engineRun(step: () => Promise<EngineResult>): Promise<EngineResult> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof StateError) return { ok: false, modules: [], diagnostics: [e.diagnostic] };
    throw e;
  }
}

/** A lock taken over from a holder that is gone is reported (its leftover children were stopped). */
export function lockRecovered(taken: Acquired): Diagnostic[] {
  return taken.warning ? [taken.warning] : [];
}

/** The context an engine runs in; operations override what differs (secrets, signal, events). */
export function engineContext(
  base: { readonly system: string; readonly ir: TargetModel; readonly programDir: string; readonly specPath: string; readonly paths: StatePaths },
  o: OperationOptions,
  overrides: Partial<EngineContext> = {},
): EngineContext {
  return {
    system: base.system,
    ir: base.ir,
    programDir: base.programDir,
    specDir: dirname(resolve(base.specPath)),
    paths: base.paths,
    platform: o.platform ?? {},
    secrets: new Map(),
    hostEnv: {},
    hasChanges: true,
    timeoutSeconds: o.timeoutSeconds ?? 120,
    pull: o.pull ?? 'missing',
    signal: o.signal ?? new AbortController().signal,
    env: process.env,
    emit: (e) => o.onEvent?.(e),
    redact: (t) => t,
    ...overrides,
  };
}
