/**
 * Drift: how the live system departs from the last applied revision. The engine of the revision's
 * target reads the live system (Engine.drift: the same check its `status` and apply's no-op fast
 * path use); an engine without one is judged by its status report. Every item becomes a coded
 * warning whose hint is the command that heals it: `aninfra apply SPEC` for what apply restores,
 * the docker/kubectl command that removes a resource the revision does not know (never run here).
 * Read-only: no lock, no journal write; the secret store is only read (where aninfra keeps the
 * secrets) to compare env values in memory, and nothing secret is ever printed.
 * Codes: WARN_DRIFT_MISSING, WARN_DRIFT_STOPPED, WARN_DRIFT_UNHEALTHY, WARN_DRIFT_IMAGE,
 * WARN_DRIFT_ENV, WARN_DRIFT_NETWORK_MISSING, WARN_DRIFT_VOLUME_MISSING,
 * WARN_DRIFT_UNKNOWN_RESOURCE, ERR_STATE_NO_REVISION (plus ERR_STATE_NOT_APPLIED and the engine's
 * prerequisite codes).
 */
import { existsSync } from 'node:fs';
import { diagnostic, exitCodeFor, hasErrors, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { Code } from '../compiler/diagnostics/codes.js';
import { printable } from '../compiler/diagnostics/printable.js';
import type { DriftItem, DriftKind, Engine, EngineContext, EngineDrift, StatusReport } from '../engine/engine.js';
import type { TargetModel } from '../compiler/emit/target.js';
import { StateError, type Revision } from '../state/journal.js';
import type { StatePaths } from '../state/paths.js';
import { SecretStore } from '../state/secret-store.js';
import { secretName } from './lost-secrets.js';
import { engineContext, engineFor, locateState } from './state-access.js';
import type { OperationOptions } from './options.js';

/** A drift item as reported: its code and the command that heals it. */
export interface DriftReportItem extends DriftItem {
  readonly code: Code;
  /** A shell command: `aninfra apply SPEC`, or the command that removes an unknown resource. */
  readonly heal: string;
  /** Whether `aninfra apply` heals it (unknown resources are only reported). */
  readonly healedByApply: boolean;
}

export interface DriftReport {
  /** The live system was read (no error diagnostics). */
  readonly ok: boolean;
  readonly system: string;
  /** The revision compared against (the newest applied or destroyed one); null when there is none. */
  readonly revision: number | null;
  readonly target: string | null;
  readonly drifted: boolean;
  readonly items: readonly DriftReportItem[];
  readonly diagnostics: readonly Diagnostic[];
}

const CODES: Readonly<Record<DriftKind, Code>> = {
  missing: 'WARN_DRIFT_MISSING',
  stopped: 'WARN_DRIFT_STOPPED',
  unhealthy: 'WARN_DRIFT_UNHEALTHY',
  image: 'WARN_DRIFT_IMAGE',
  env: 'WARN_DRIFT_ENV',
  'network-missing': 'WARN_DRIFT_NETWORK_MISSING',
  'volume-missing': 'WARN_DRIFT_VOLUME_MISSING',
  unknown: 'WARN_DRIFT_UNKNOWN_RESOURCE',
};

export async function detectDrift(specPath: string, options: OperationOptions = {}): Promise<DriftReport> {
  const located = locateState(specPath, options);
  if ('diagnostics' in located) return failed('', located.diagnostics);
  const { journal, paths, system, problems } = located;
  let revision: Revision | undefined;
  try {
    revision = journal
      .revisions()
      .filter((r) => r.status === 'applied' || r.status === 'destroyed')
      .pop();
  } catch (e) {
    if (e instanceof StateError) return failed(system, [...problems, e.diagnostic]);
    throw e;
  }
  if (!revision) return failed(system, [...problems, diagnostic('ERR_STATE_NO_REVISION', { reason: `system '${system}' has no applied revision to compare the live system with` }, { hint: 'aninfra history' })]);
  const engine = await engineFor(revision.target);
  // A destroyed system should have nothing left: every resource with its labels is unknown.
  const ir = revision.status === 'destroyed' ? { ...revision.ir, nodes: [], outputs: [] } : revision.ir;
  const programDir = existsSync(paths.deploy(revision.target)) ? paths.deploy(revision.target) : paths.program(revision.target);
  const ctx = engineContext({ system, ir, programDir, specPath: revision.specPath, paths }, options, { hasChanges: false, pull: 'never', secrets: knownSecrets(engine, ir, paths) });
  const live = await engineDrift(engine, ctx);
  if (live.unavailable) return failed(system, [...problems, live.unavailable], revision);
  const heal: HealContext = { specPath, system, ...(options.stateDir ? { stateDir: options.stateDir } : {}), ...(options.env !== undefined ? { env: options.env } : {}), ...(revision.images ? { images: options.images ?? 'IMAGES_FILE' } : {}) };
  const items = reportItems(live.items, heal);
  const diagnostics = [...problems, ...items.map((i) => itemDiagnostic(i, system))];
  return { ok: !hasErrors(diagnostics), system, revision: revision.revision, target: revision.target, drifted: items.length > 0, items, diagnostics };
}

/**
 * The generated secrets of a model where aninfra keeps them (not Pulumi), read-only, so env values
 * holding one are compared exactly (in memory, never printed); empty when the store cannot be read.
 */
export function knownSecrets(engine: Engine, ir: TargetModel, paths: StatePaths): Map<string, string> {
  const values = new Map<string, string>();
  if (engine.generatesSecrets) return values;
  let store: SecretStore;
  try {
    store = SecretStore.open(paths, process.env, { readOnly: true });
  } catch (e) {
    if (e instanceof StateError) return values;
    throw e;
  }
  for (const n of ir.nodes as readonly { kind: string; id: string; module?: unknown; key?: unknown }[]) {
    if (n.kind !== 'secret' || typeof n.module !== 'string' || typeof n.key !== 'string') continue;
    const value = store.get(secretName({ module: n.module, key: n.key }));
    if (value !== undefined) values.set(n.id, value);
  }
  return values;
}

/** 0 when nothing drifted, 2 when something did, the worst error's exit code when the check could not run. */
export function driftExitCode(report: DriftReport): number {
  if (!report.ok) return exitCodeFor(report.diagnostics) || 1;
  return report.drifted ? 2 : 0;
}

/** The engine's own check, or the one its status report allows (modules missing or not running, networks and volumes missing). */
export async function engineDrift(engine: Engine, ctx: EngineContext): Promise<EngineDrift> {
  if (engine.drift) return engine.drift(ctx);
  const status = await engine.status(ctx);
  return status.unavailable ? { unavailable: status.unavailable, items: [] } : { items: driftFromStatus(status) };
}

export function driftFromStatus(status: StatusReport): DriftItem[] {
  if (status.drift) return [...status.drift];
  const items: DriftItem[] = [];
  for (const m of status.modules) {
    const base = { module: m.module, resourceKind: 'module', resource: m.module };
    if (m.health === 'missing') items.push({ ...base, kind: 'missing' });
    else if (m.health === 'exited') items.push({ ...base, kind: 'stopped', actual: m.health });
    else if (m.health === 'unhealthy') items.push({ ...base, kind: 'unhealthy', actual: m.health });
  }
  for (const [kind, names] of Object.entries(status.missing)) {
    for (const name of names) items.push(kind === 'networks' ? { kind: 'network-missing', module: '', resourceKind: 'network', resource: name } : { kind: 'volume-missing', module: kind === 'volumes' ? name : '', resourceKind: kind.replace(/s$/, ''), resource: name });
  }
  return items;
}

export interface HealContext {
  readonly specPath: string;
  readonly system: string;
  readonly stateDir?: string;
  /** The environment (--env) the system was applied as: the heal command names it again. */
  readonly env?: string;
  /** The image mapping file when the revision was applied with one (--images): the heal command needs it again. */
  readonly images?: string;
}

/** Items with their code and heal command (status shows the same). */
export function reportItems(items: readonly DriftItem[], heal: HealContext): DriftReportItem[] {
  const apply = ['aninfra', 'apply', heal.specPath, ...(heal.stateDir ? ['--state-dir', heal.stateDir] : []), ...(heal.env !== undefined ? ['--env', heal.env] : []), ...(heal.images ? ['--images', heal.images] : [])];
  return items.map((item) => {
    const byApply = item.kind !== 'unknown';
    return { ...item, code: CODES[item.kind], heal: shellCommand(byApply ? apply : (item.remove ?? [])), healedByApply: byApply };
  });
}

export function itemDiagnostic(item: DriftReportItem, system: string): Diagnostic {
  const kind = printable(item.resourceKind);
  const resource = printable(item.resource);
  const module = printable(item.module);
  const hint = item.healedByApply ? `heal: ${item.heal}` : `remove it (aninfra never does): ${item.heal}`;
  switch (item.kind) {
    case 'missing':
      return diagnostic('WARN_DRIFT_MISSING', { resourceKind: kind, resource, module }, { hint });
    case 'stopped':
      return diagnostic('WARN_DRIFT_STOPPED', { resourceKind: kind, resource, module, state: printable(item.actual ?? 'stopped') }, { hint });
    case 'unhealthy':
      return diagnostic('WARN_DRIFT_UNHEALTHY', { resourceKind: kind, resource, module, state: printable(item.actual ?? 'unhealthy') }, { hint });
    case 'image':
      return diagnostic('WARN_DRIFT_IMAGE', { resourceKind: kind, resource, module, actual: printable(item.actual ?? '?'), expected: printable(item.expected ?? '?') }, { hint });
    case 'env':
      return diagnostic('WARN_DRIFT_ENV', { resourceKind: kind, resource, module, names: printable(item.expected ?? '') }, { hint });
    case 'network-missing':
      return diagnostic('WARN_DRIFT_NETWORK_MISSING', { resourceKind: kind, resource }, { hint });
    case 'volume-missing':
      return diagnostic('WARN_DRIFT_VOLUME_MISSING', { resourceKind: kind, resource, module }, { hint });
    case 'unknown':
      return diagnostic('WARN_DRIFT_UNKNOWN_RESOURCE', { resourceKind: kind, resource, system: printable(system) }, { hint });
    default: {
      const never: never = item.kind;
      throw new Error(`unknown drift kind ${String(never)}`);
    }
  }
}

/** Words joined for a POSIX shell: anything but safe characters is single-quoted. */
export function shellCommand(words: readonly string[]): string {
  return words.map((w) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).map((w) => printable(w)).join(' ');
}

function failed(system: string, diagnostics: Diagnostic[], revision?: Revision): DriftReport {
  return { ok: false, system, revision: revision?.revision ?? null, target: revision?.target ?? null, drifted: false, items: [], diagnostics };
}
