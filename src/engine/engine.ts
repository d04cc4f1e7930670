/**
 * The contract of an engine: it materializes an emitted program (compose file or Pulumi project)
 * and reports per module. Engines are chosen by target: compose → compose, docker → pulumi.
 */
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { InfraIR } from '../compiler/lower/ir.js';
import type { ModuleOutcome } from '../state/journal.js';
import type { StatePaths } from '../state/paths.js';
import type { ChildObserver } from './run-process.js';

export interface EngineEvent {
  readonly type: 'progress' | 'module' | 'engine' | 'warning';
  readonly module?: string;
  readonly message: string;
}

export interface EngineContext {
  readonly system: string;
  readonly ir: InfraIR;
  /** Directory holding the emitted program for this engine's target. */
  readonly programDir: string;
  /** Directory of the spec file: build contexts and bind mounts are relative to it. */
  readonly specDir: string;
  readonly paths: StatePaths;
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

export interface Engine {
  /** Its key in the engine registry (src/engine/index.ts). */
  readonly name: string;
  /** The engine generates the IR's secrets itself (Pulumi: @pulumi/random); otherwise aninfra's secret store does. */
  readonly generatesSecrets: boolean;
  /** Checks that the engine's tools are there; operations call it before they open a revision. */
  prerequisites(ctx: EngineContext): Promise<Prerequisites>;
  /** Current output values by module, decrypted, where the engine keeps them (Pulumi stack outputs). */
  outputs?(ctx: EngineContext): Promise<Record<string, Record<string, string>> | undefined>;
  apply(ctx: EngineContext): Promise<EngineResult>;
  /** The engine's own view of what apply would change, where it has one (Pulumi preview). */
  preview?(ctx: EngineContext): Promise<PreviewResult>;
  destroy(ctx: EngineContext, options: DestroyOptions): Promise<EngineResult>;
}
