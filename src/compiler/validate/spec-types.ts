/**
 * The shape of a spec once it passed the schema: what every later stage reads.
 */

export const API_VERSION = 'aninfra/v1';
/**
 * A target's name. The names come from the target registry (src/targets/index.ts), which the
 * compiler never imports: callers hand them in (CompileOptions.targetNames).
 */
export type TargetName = string;
/** The target of a spec that names none (part of the spec format). */
export const DEFAULT_TARGET = 'docker';

/** What validation needs to know of a target: the design kinds it realizes (module-target-supported). */
export interface TargetFacts {
  readonly name: string;
  readonly supports: readonly string[];
}

export type UsesEntry = string | { readonly module: string; readonly as?: string };

export interface ModuleSpec {
  readonly type: string;
  readonly version?: string;
  readonly description?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly uses?: readonly UsesEntry[];
  /** Ordering only: this module starts after these (a task: after it succeeded); nothing is injected. */
  readonly after?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

/** `platform.kubernetes`: where and how the kubernetes target deploys (every key optional). */
export interface KubernetesPlatform {
  readonly namespace?: string;
  readonly ingressClass?: string;
  readonly storageClass?: string;
  readonly imageRegistry?: string;
}

/** `platform.aws`: where the aws target deploys; `region` defaults to us-east-1 once validated. */
export interface AwsPlatform {
  readonly region?: string;
  readonly certificateArn?: string;
  readonly vpcId?: string;
}

/** Settings each target reads for itself (spec-schema.ts describes every key). */
export interface PlatformSettings {
  readonly kubernetes?: KubernetesPlatform;
  readonly aws?: AwsPlatform;
}

export interface SystemSpec {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'System';
  readonly metadata: { readonly name: string; readonly description?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly target?: TargetName;
  /** Image mapping: public image reference → image to use instead (e.g. a locally built one). */
  readonly images?: Readonly<Record<string, string>>;
  /** Per-target settings; command-line flags override them. */
  readonly platform?: PlatformSettings;
  readonly modules: Readonly<Record<string, ModuleSpec>>;
  /** Named overlays (JSON Merge Patches), applied before validation when one is selected. */
  readonly environments?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export function usesName(entry: UsesEntry): string {
  return typeof entry === 'string' ? entry : entry.module;
}
