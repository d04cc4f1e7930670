/**
 * The contract of an engine: it materializes an emitted program (compose file or Pulumi project)
 * and reports per module. Each target names its engines (`Target.engines`, the default first);
 * the engines are registered by name in src/engine/index.ts.
 */
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { TargetModel } from '../compiler/emit/target.js';
import type { PlatformSettings } from '../compiler/lower/platform-settings.js';
import type { ModuleOutcome } from '../state/journal.js';
import type { StatePaths } from '../state/paths.js';
import type { BackupCommands } from '../modules/contract/backup-commands.js';
import type { ChildObserver } from './run-process.js';

export interface EngineEvent {
  readonly type: 'progress' | 'module' | 'engine' | 'warning';
  readonly module?: string;
  readonly message: string;
}

export interface EngineContext {
  readonly system: string;
  readonly ir: TargetModel;
  /** Directory holding the emitted program for this engine's target. */
  readonly programDir: string;
  /** Directory of the spec file: build contexts and bind mounts are relative to it. */
  readonly specDir: string;
  readonly paths: StatePaths;
  /**
   * Platform settings (`platform.<target>.<key>`): the spec's with the command line's overrides
   * merged over them where the operation compiled the spec (apply, rollback, preview); only the
   * overrides where it did not (status, destroy). Engines read their own (kubernetes: `context`).
   */
  readonly platform: PlatformSettings;
  /** Generated secret values by IR secret node id. */
  readonly secrets: ReadonlyMap<string, string>;
  /** Secrets taken from the applying environment (external modules), by variable name. */
  readonly hostEnv: Readonly<Record<string, string>>;
  /** Whether the plan differs from the last applied revision (false lets an engine skip work). */
  readonly hasChanges: boolean;
  /** Seconds each module may take to become healthy. */
  readonly timeoutSeconds: number;
  /** 'never' refuses to pull any image that is not present locally. */
  readonly pull: 'missing' | 'never';
  readonly signal: AbortSignal;
  readonly env: NodeJS.ProcessEnv;
  /** Told about every long-running child process (the lock records their pids). */
  readonly onChild?: ChildObserver;
  emit(event: EngineEvent): void;
  /** Replaces every known secret value in a text (log tails, engine errors). */
  redact(text: string): string;
}

export interface EngineResult {
  readonly ok: boolean;
  readonly modules: readonly ModuleOutcome[];
  readonly diagnostics: readonly Diagnostic[];
  /** Which tool ran it (e.g. 'docker-compose 1.29.2', 'pulumi v3.248.0'). */
  readonly tool?: string;
  /** destroy: named volumes that are gone afterwards, and those that still exist (checked after the run). */
  readonly volumesDeleted?: readonly string[];
  readonly volumesKept?: readonly string[];
  /** destroy: images aninfra built for the system that were removed. */
  readonly imagesRemoved?: readonly string[];
}

/** The outcome of an engine's prerequisite checks (tools installed, daemon up). */
export type Prerequisites = { readonly ok: true; readonly tool: string } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface DestroyOptions {
  /** Also delete the named volumes of stateful modules (only those labelled with this system and owner). */
  readonly deleteData: boolean;
  /** Leave the images aninfra built for the system. */
  readonly keepImages?: boolean;
}

export interface PreviewStep {
  /** IR node id the engine's resource stands for. */
  readonly id: string;
  /** The engine's own word for what it would do ('create', 'update', 'replace', 'delete', 'same'). */
  readonly op: string;
}

export interface PreviewResult {
  readonly ok: boolean;
  readonly steps: readonly PreviewStep[];
  readonly diagnostics: readonly Diagnostic[];
  readonly tool?: string;
}

export type ModuleHealth = 'healthy' | 'running' | 'unhealthy' | 'starting' | 'exited' | 'missing' | 'none';

/** One running unit of a module: a container (docker family), a pod's container (kubernetes). */
export interface LiveUnit {
  readonly name: string;
  readonly id: string;
  readonly state: string;
  readonly health: string;
  readonly ports: readonly { readonly hostIp: string; readonly hostPort: number; readonly containerPort: number }[];
}

export interface ModuleStatus {
  readonly module: string;
  /** The worst health among its units ('missing' when one is absent). */
  readonly health: ModuleHealth;
  readonly containers: readonly LiveUnit[];
}

/** A URL at which the system answers from the machine running aninfra. */
export interface Endpoint {
  readonly module: string;
  /** The unit that serves it (container; Service or port-forward on kubernetes). */
  readonly container: string;
  readonly url: string;
}

/** What runs now, read from the live system by the engine of the revision's target. */
export interface StatusReport {
  /** The live system could not be read (Docker not running, cluster unreachable); modules then show as missing. */
  readonly unavailable?: Diagnostic;
  /** Every module that runs something, sorted by name. */
  readonly modules: readonly ModuleStatus[];
  /** System resources the model says must exist and do not, by kind ('networks', 'volumes'). */
  readonly missing: Readonly<Record<string, readonly string[]>>;
  readonly endpoints: readonly Endpoint[];
  /** Where the live system departs from the model (the same check as the engine's drift and apply's no-op fast path). */
  readonly drift?: readonly DriftItem[];
}

/**
 * One way the live system departs from the revision's model. Kinds: a unit (container, pod) that
 * is missing, stopped, unhealthy, runs another image or env; a network or volume (claim) that is
 * missing; a resource carrying the system's labels that the model does not know.
 */
export type DriftKind = 'missing' | 'stopped' | 'unhealthy' | 'image' | 'env' | 'network-missing' | 'volume-missing' | 'unknown';

export interface DriftItem {
  readonly kind: DriftKind;
  /** The module it belongs to ('' for system-level resources and unknown ones). */
  readonly module: string;
  /** The engine's word for the resource ('container', 'network', 'volume', 'Deployment', 'pod'…). */
  readonly resourceKind: string;
  /** Its live name (or the name the model gives it when it is missing); namespaced as `ns/name` on kubernetes. */
  readonly resource: string;
  /** image: the model's image ref; env: the names of the variables that differ (never values). */
  readonly expected?: string;
  /** image: what runs; stopped/unhealthy: the state seen. Never an env value. */
  readonly actual?: string;
  /** Unknown resources only: the command that removes it (never run by aninfra). */
  readonly remove?: readonly string[];
}

/** What an engine's drift check saw: the items, or why the live system could not be read. */
export interface EngineDrift {
  readonly unavailable?: Diagnostic;
  readonly items: readonly DriftItem[];
}

/** A live resource labelled with a system (`aninfra.system`), and its `aninfra.owner` label ('' when none). */
export interface LabelledResource {
  /** The engine's word for it: 'container', 'network', 'volume'; 'Deployment'… */
  readonly kind: string;
  readonly name: string;
  readonly owner: string;
}

/** A stateful module whose backups an engine lists or restores. */
export interface BackupTarget {
  readonly system: string;
  readonly module: string;
  /** The store engine (module type), e.g. 'postgres'. */
  readonly engine: string;
  readonly commands: BackupCommands;
  /** The store port the commands connect to (STORE_PORT). */
  readonly port: number;
  /** The state directory's owner id (the `aninfra.owner` label of what the system's applies created). */
  readonly owner?: string;
  /** Platform settings (the applied spec's, the command line's over them): kubernetes reads its `context`. */
  readonly platform?: PlatformSettings;
  /** Environment of the engine's tools (KUBECONFIG, PATH); default the process's. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface BackupFile {
  readonly name: string;
  readonly size: number;
  /** When the dump finished (file modification time), ISO 8601 UTC. */
  readonly time: string;
}

export interface RestoreRun {
  readonly timeoutSeconds: number;
  readonly signal?: AbortSignal;
  /** Told about the restore's child process (the state lock records it). */
  readonly onChild?: ChildObserver;
}

/** Backups where the engine's target keeps them (the docker family: a kept backup volume; kubernetes: a kept backup claim). */
export interface EngineBackups {
  /** Finished dumps, newest first, and where they live. */
  list(t: BackupTarget): Promise<{ readonly location: string; readonly backups: readonly BackupFile[] } | { readonly diagnostics: Diagnostic[] }>;
  restore(t: BackupTarget, backup: string, run: RestoreRun): Promise<{ readonly ok: true } | { readonly diagnostics: Diagnostic[] }>;
}

export interface Engine {
  /** Its key in the engine registry (src/engine/index.ts). */
  readonly name: string;
  /** The engine generates the IR's secrets itself (Pulumi: @pulumi/random); otherwise aninfra's secret store does. */
  readonly generatesSecrets: boolean;
  /** Checks that the engine's tools are there; operations call it before they open a revision. */
  prerequisites(ctx: EngineContext): Promise<Prerequisites>;
  /** Current output values by module, decrypted, where the engine keeps them (Pulumi stack outputs). */
  /** Lists and restores stores' backups; absent where the target keeps none aninfra can reach. */
  readonly backups?: EngineBackups;
  outputs?(ctx: EngineContext): Promise<Record<string, Record<string, string>> | undefined>;
  apply(ctx: EngineContext): Promise<EngineResult>;
  /** The engine's own view of what apply would change, where it has one (Pulumi preview). */
  preview?(ctx: EngineContext): Promise<PreviewResult>;
  destroy(ctx: EngineContext, options: DestroyOptions): Promise<EngineResult>;
  /** What runs now (per module health, missing resources, endpoints); never changes anything. */
  status(ctx: EngineContext): Promise<StatusReport>;
  /**
   * How the live system departs from the model (ctx.ir): the check `status` and the no-op fast
   * path of `apply` use too. Engines without one are judged by their status report alone.
   */
  drift?(ctx: EngineContext): Promise<EngineDrift>;
  /** Every live resource labelled with the system, with its owner label (the ownership check before apply, rollback, destroy). */
  labelledResources(ctx: EngineContext): Promise<readonly LabelledResource[]>;
  /** The URLs a model publishes once applied (apply's result; status reports the live ones). */
  endpoints(model: TargetModel): readonly Endpoint[];
}
