/**
 * Options and results shared by every state-changing or state-reading operation (CLI and MCP).
 */
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { PlatformSettings } from '../compiler/lower/platform-settings.js';
import type { TargetName } from '../compiler/validate/spec-types.js';

export interface OperationEvent {
  readonly type: string;
  readonly module?: string;
  readonly message: string;
}

export interface OperationOptions {
  /** The environment (`environments:` entry of the spec) the operation works on. */
  readonly env?: string;
  readonly target?: TargetName;
  /** Platform settings from the command line (`{ kubernetes: { namespace, context } }`), merged over the spec's `platform:`. */
  readonly platform?: PlatformSettings;
  readonly stateDir?: string;
  /** Path of an image mapping file (`images:` map of public → local image). */
  readonly images?: string;
  readonly showSecrets?: boolean;
  /** Seconds each module may take to become healthy. */
  readonly timeoutSeconds?: number;
  readonly breakLock?: boolean;
  readonly deleteData?: boolean;
  /** destroy: leave the images aninfra built for the system. */
  readonly keepImages?: boolean;
  /** Take over a system whose resources belong to another state directory. */
  readonly adopt?: boolean;
  /** apply: generate new values for secrets an applied revision used but the store lost. */
  readonly regenerateSecrets?: boolean;
  /** Apply (or roll back to) a plan that deletes or strands stored data (ERR_PLAN_DATA_LOSS otherwise). */
  readonly allowDataLoss?: boolean;
  readonly rollbackOnFailure?: boolean;
  /** rollback: the revision to return to. */
  readonly to?: number;
  /** 'never': refuse to pull images that are not present locally. */
  readonly pull?: 'missing' | 'never';
  readonly onEvent?: (e: OperationEvent) => void;
  /** Aborts the operation (the CLI wires SIGINT/SIGTERM here). */
  readonly signal?: AbortSignal;
}

export interface OperationResult {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly document: Record<string, unknown>;
  readonly diagnostics: Diagnostic[];
}
