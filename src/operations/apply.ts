/**
 * The operations an agent needs to change a system and undo it: apply (a spec or a saved plan),
 * rollback, destroy, status and history. Each holds the state lock while it changes anything,
 * journals a revision before touching resources and finishes it whatever happens (success,
 * failure, Ctrl-C), so the journal stays consistent and the next apply converges.
 * Codes: ERR_STATE_STALE_PLAN, ERR_STATE_NO_REVISION, ERR_STATE_NOT_APPLIED, ERR_PREREQ_SECRET_ENV,
 * ERR_ENGINE_INTERRUPTED (plus what engines, the lock and the compiler report).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diagnostic, exitCodeFor, hasErrors, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { dockerModel } from '../targets/docker-family/model.js';
import type { TargetModel } from '../compiler/emit/target.js';
import { hostEnvValues } from '../apply/host-env.js';
import { computePlan } from './plan.js';
import type { Plan } from '../plan/make-plan.js';
import { dataLossGate } from '../plan/data-loss-gate.js';
import { Journal, StateError, type Revision } from '../state/journal.js';
import { StateLock } from '../state/lock.js';
import { stateName, statePaths, type StatePaths } from '../state/paths.js';
import { SecretStore } from '../state/secret-store.js';
import { outputsView } from '../apply/endpoints.js';
import type { OperationOptions, OperationResult } from '../apply/options.js';

export type { OperationOptions, OperationResult } from '../apply/options.js';
export { statusOperation, historyOperation, destroyOperation } from '../apply/inspect.js';

/** The drift check (`aninfra drift`, MCP drift, HTTP GET /v1/systems/{name}/drift) as an operation result: exit 0, 2 on drift. */
export async function driftOperation(specPath: string, o: OperationOptions = {}): Promise<OperationResult> {
  const { detectDrift, driftExitCode } = await import('../apply/drift.js');
  const report = await detectDrift(specPath, o);
  return { ok: report.ok, exitCode: driftExitCode(report), document: { ...report }, diagnostics: [...report.diagnostics] };
}
import { engineContext, engineFor, engineRun, fail, loadImages, locateState, lockRecovered, systemName, systemNameOf } from '../apply/state-access.js';
import { deployFiles, writeDeployDir } from '../apply/deploy-dir.js';
import { lostSecrets, secretName } from '../apply/lost-secrets.js';
import { ownershipProblems } from '../apply/ownership.js';
import type { EmittedFile } from '../compiler/emit/target.js';
import { mergePlatform, type PlatformSettings } from '../compiler/lower/platform-settings.js';
import type { EngineResult } from '../engine/engine.js';
import type { ChildObserver } from '../engine/run-process.js';

interface SavedPlan {
  readonly specPath: string;
  readonly plan: Plan;
  /** Platform overrides the plan was made with. */
  readonly platform?: PlatformSettings;
  /** The environment the plan was made for. */
  readonly env?: string;
}

function readSavedPlan(path: string): SavedPlan | undefined {
  if (!path.endsWith('.json') || !existsSync(path)) return undefined;
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as Partial<SavedPlan>;
    return typeof doc.specPath === 'string' && doc.plan && typeof doc.plan.planHash === 'string' ? (doc as SavedPlan) : undefined;
  } catch {
    return undefined;
  }
}

export async function applyOperation(specOrPlanPath: string, o: OperationOptions = {}): Promise<OperationResult> {
  const saved = readSavedPlan(specOrPlanPath);
  const specPath = saved ? saved.specPath : specOrPlanPath;
  const mapping = loadImages(o);
  if (hasErrors(mapping.diagnostics)) return fail(mapping.diagnostics);
  // A saved plan applies to the environment it was made for (an --env naming another makes it stale).
  const env = o.env ?? (typeof saved?.env === 'string' ? saved.env : undefined);
  return runApply({ specPath, operation: 'apply', ...(saved ? { saved } : {}), ...(mapping.images ? { images: mapping.images } : {}) }, env === undefined ? o : { ...o, env });
}

export async function rollbackOperation(specPath: string, o: OperationOptions = {}): Promise<OperationResult> {
  const located = locateState(specPath, o);
  if ('diagnostics' in located) return fail(located.diagnostics);
  const { journal } = located;
  let target: Revision | undefined;
  try {
    const latest = journal.latest();
    if (o.to !== undefined) {
      target = journal.get(o.to);
      if (!target || target.status !== 'applied') return fail([diagnostic('ERR_STATE_NO_REVISION', { reason: `revision ${o.to} ${target ? `is ${target.status}, not applied` : 'does not exist'}` }, { hint: 'aninfra history' })]);
    } else {
      target = latest?.status === 'applied' ? journal.lastGood(latest.revision) : journal.lastGood();
      if (!target) return fail([diagnostic('ERR_STATE_NO_REVISION', { reason: 'there is no earlier good revision to roll back to' }, { hint: 'aninfra history' })]);
    }
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic]);
    throw e;
  }
  return runApply(
    { specPath: target.specPath, specText: target.specText, operation: 'rollback', restores: target.revision, target: target.target, ...(target.images ? { images: target.images } : {}) },
    o,
  );
}

interface ApplyRequest {
  readonly specPath: string;
  readonly specText?: string;
  readonly operation: 'apply' | 'rollback';
  readonly saved?: SavedPlan;
  readonly images?: Record<string, string>;
  readonly restores?: number;
  /** Target of the revision being restored (rollback keeps it). */
  readonly target?: string;
}

async function runApply(req: ApplyRequest, o: OperationOptions, lockHeld = false): Promise<OperationResult> {
  const target = (req.target ?? o.target) as OperationOptions['target'];
  const name = req.specText !== undefined ? systemNameOf(req.specText) : systemName(req.specPath);
  // A saved plan is recomputed with the overrides it was made with (the command line's win).
  const platform = req.saved?.platform || o.platform ? mergePlatform(req.saved?.platform, o.platform) : undefined;
  const planned = computePlan(req.specPath, {
    ...(target ? { target } : {}),
    ...(platform ? { platform } : {}),
    ...(o.stateDir ? { stateDir: o.stateDir } : {}),
    ...(req.images ? { images: req.images } : {}),
    ...(req.specText !== undefined ? { specText: req.specText } : {}),
    ...(name ? { owner: statePaths(req.specPath, stateName(name, o.env), o.stateDir).owner } : {}),
    ...(o.env !== undefined ? { env: o.env } : {}),
  });
  const diagnostics = [...planned.diagnostics];
  if (!planned.plan || !planned.compilation.ir || !planned.compilation.files || !planned.compilation.graph) return fail(diagnostics);
  const plan = planned.plan;
  const ir = planned.compilation.ir;
  const { system } = planned.compilation.graph;
  const paths = statePaths(req.specPath, o.env === undefined ? system : stateName(name ?? system, o.env), o.stateDir);
  const deploy = deployFiles({ files: planned.compilation.files, ...(planned.programDir ? { outDir: planned.programDir } : {}) }, ir, plan.target, req.specPath, paths.deploy(plan.target));
  if (!deploy.files) return fail([...diagnostics, ...deploy.diagnostics]);
  const files = deploy.files;

  if (req.saved) {
    const reason =
      req.saved.plan.specHash !== plan.specHash
        ? 'the spec changed since the plan was made'
        : req.saved.plan.baseRevision !== plan.baseRevision
          ? `the state moved from revision ${String(req.saved.plan.baseRevision)} to ${String(plan.baseRevision)}`
          : req.saved.plan.planHash !== plan.planHash
            ? 'the plan computed now differs from the saved one'
            : undefined;
    if (reason) return fail([diagnostic('ERR_STATE_STALE_PLAN', { reason }, { hint: 'run `aninfra plan --out plan.json` again' })]);
  }
  // Before the lock and the engine: a plan that deletes or strands stored data goes no further unless allowed.
  const refused = dataLossGate(plan, !!o.allowDataLoss);
  if (refused) return fail([...diagnostics, refused]);

  const lock = new StateLock(paths.lock);
  try {
    if (!lockHeld) diagnostics.push(...lockRecovered(lock.acquire(`aninfra ${req.operation}`, { breakLock: !!o.breakLock })));
  } catch (e) {
    if (e instanceof StateError) return fail([e.diagnostic]);
    throw e;
  }
  // The caller aborts with the signal's name as the reason (the CLI wires SIGINT, SIGTERM and SIGHUP).
  const signal = o.signal ?? new AbortController().signal;
  const interrupted = (): string | undefined => (signal.aborted ? (typeof signal.reason === 'string' ? signal.reason : 'SIGINT') : undefined);
  try {
    const journal = new Journal(paths.journal);
    if (!lockHeld) settle(journal, o);
    const onChild: ChildObserver = (pid, state) => (state === 'started' ? lock.trackChild(pid) : lock.untrackChild(pid));
    return await applyLocked(req, o, { plan, ir, files, paths, journal, system, specText: planned.compilation.source.text, platform: planned.compilation.platform ?? {}, signal, interrupted, diagnostics, onChild });
  } catch (e) {
    if (e instanceof StateError) return fail([...diagnostics, e.diagnostic]);
    throw e;
  } finally {
    if (!lockHeld) lock.release();
  }
}

interface Locked {
  readonly plan: Plan;
  readonly ir: TargetModel;
  /** The compiled program, written into the deploy dir under the lock. */
  readonly files: readonly EmittedFile[];
  readonly paths: StatePaths;
  readonly journal: Journal;
  readonly system: string;
  /** The exact text the plan was computed from. */
  readonly specText: string;
  /** The spec's platform settings with the overrides merged over them. */
  readonly platform: PlatformSettings;
  readonly signal: AbortSignal;
  interrupted(): string | undefined;
  readonly diagnostics: Diagnostic[];
  /** Records the engine's child processes in the lock, so a command recovering it can stop them. */
  readonly onChild: ChildObserver;
}

async function applyLocked(req: ApplyRequest, o: OperationOptions, l: Locked): Promise<OperationResult> {
  const { journal } = l;
  // After an interrupted or failed revision the live system may differ from the journal: the
  // engine must look at it (no "nothing to do" fast path), whatever the plan says.
  const latestStatus = journal.latest()?.status;
  const journalTrusted = latestStatus !== 'interrupted' && latestStatus !== 'failed';
  const engine = await engineFor(l.plan.target);
  const programDir = l.paths.deploy(l.plan.target);
  const refuse = (more: readonly Diagnostic[]): OperationResult => fail([...l.diagnostics, ...more], { operation: req.operation, system: l.system, status: 'failed' });
  // Prerequisites, ownership and secrets are checked before a revision is opened: a refusal leaves no trace in the journal.
  const probe = engineContext({ system: l.system, ir: l.ir, programDir, specPath: req.specPath, paths: l.paths }, o, { signal: l.signal, platform: l.platform });
  const ready = await engine.prerequisites(probe);
  if (!ready.ok) return refuse(ready.diagnostics);
  const applied = journal.revisions().some((r) => r.status !== 'applying');
  const foreign = await ownershipProblems({ system: l.system, owner: l.paths.owner, applied, engine, ctx: probe }, !!o.adopt);
  if (foreign.length > 0) return refuse(foreign);

  const store = SecretStore.open(l.paths);
  const secrets = new Map<string, string>();
  // Pulumi generates its secrets itself (@pulumi/random) and keeps them encrypted in its state.
  if (!engine.generatesSecrets) {
    const docker = dockerModel(l.ir);
    const lost = o.regenerateSecrets ? [] : lostSecrets(docker, store, journal.revisions(), l.paths.secrets);
    if (lost.length > 0) return refuse(lost);
    for (const node of docker.nodes) if (node.kind === 'secret') secrets.set(node.id, store.ensure(secretName(node), node.length));
  }
  const { values: hostEnv, missing } = hostEnvValues(l.ir, process.env);
  if (missing.length > 0) return fail([...l.diagnostics, ...missing]);
  const unwritable = writeDeployDir(programDir, l.files, l.system, l.plan.target);
  if (unwritable) return refuse([unwritable]);
  store.save();

  const revision = journal.nextNumber();
  const startedAt = new Date().toISOString();
  const base: Revision = {
    revision,
    status: 'applying',
    operation: req.operation,
    target: l.plan.target,
    engine: engine.name,
    specPath: resolve(req.specPath),
    specText: l.specText,
    specHash: l.plan.specHash,
    planHash: l.plan.planHash,
    ir: l.ir,
    startedAt,
    modules: [],
    ...(req.images ? { images: req.images } : {}),
    ...(req.restores !== undefined ? { restores: req.restores } : {}),
  };
  journal.write(base);
  const emit = o.onEvent ?? ((): void => undefined);
  emit({ type: 'revision', message: `revision ${revision}: ${req.operation} started (${l.plan.summary.create} create, ${l.plan.summary.update} update, ${l.plan.summary.replace} replace, ${l.plan.summary.delete} delete)` });

  const known = [...secrets.values(), ...Object.values(hostEnv)].filter((s) => s.length >= 6);
  const redact = (text: string): string => known.reduce((t, s) => t.split(s).join('<redacted>'), text);
  const ctx = engineContext({ system: l.system, ir: l.ir, programDir, specPath: req.specPath, paths: l.paths }, o, {
    platform: l.platform,
    secrets,
    hostEnv,
    hasChanges: l.plan.hasChanges || !journalTrusted,
    onChild: l.onChild,
    timeoutSeconds: o.timeoutSeconds ?? 180,
    signal: l.signal,
    emit: (e) => emit({ ...e, message: redact(e.message) }),
    redact,
  });
  let result: EngineResult;
  try {
    result = await engineRun(() => engine.apply(ctx));
  } catch (e) {
    // Every exit path finishes the revision, an engine's exception too.
    journal.write({ ...base, status: 'failed', finishedAt: new Date().toISOString(), error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
  const signal = l.interrupted();
  const status: Revision['status'] = signal ? 'interrupted' : result.ok ? 'applied' : 'failed';
  const diagnostics = [...l.diagnostics, ...result.diagnostics];
  if (signal && !diagnostics.some((d) => d.code === 'ERR_ENGINE_INTERRUPTED')) diagnostics.push(diagnostic('ERR_ENGINE_INTERRUPTED', { operation: req.operation, signal }));
  journal.write({ ...base, status, engine: result.tool ?? base.engine, finishedAt: new Date().toISOString(), modules: result.modules, ...(result.ok ? {} : { error: diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ') }) });
  emit({ type: 'revision', message: `revision ${revision}: ${status}` });

  const ok = result.ok && !signal;
  const document: Record<string, unknown> = {
    ok,
    operation: req.operation,
    system: l.system,
    revision,
    status,
    engine: result.tool ?? engine.name,
    plan: { planHash: l.plan.planHash, summary: l.plan.summary, baseRevision: l.plan.baseRevision },
    modules: result.modules,
    endpoints: engine.endpoints(l.ir),
    outputs: engine.generatesSecrets ? outputsView(l.ir, undefined, false) : outputsView(l.ir, store, !!o.showSecrets),
    diagnostics,
  };
  if (!result.ok && !signal && o.rollbackOnFailure) {
    const good = journal.lastGood(revision);
    if (good) {
      emit({ type: 'revision', message: `rolling back to revision ${good.revision}` });
      const rolled = await runApply(
        { specPath: good.specPath, specText: good.specText, operation: 'rollback', restores: good.revision, target: good.target, ...(good.images ? { images: good.images } : {}) },
        { ...o, rollbackOnFailure: false },
        true,
      );
      document.rollback = rolled.document;
    }
  }
  return { ok, exitCode: ok ? 0 : exitCodeFor(diagnostics) || 3, document, diagnostics };
}

/** Revisions a killed command left `applying` become `interrupted` (only while the lock is held). */
function settle(journal: Journal, o: OperationOptions): void {
  for (const r of journal.settleInterrupted()) o.onEvent?.({ type: 'revision', message: `revision ${r.revision} was left applying by a command that is gone: marked interrupted` });
}
