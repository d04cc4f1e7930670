/**
 * The shape of a spec once it passed the schema: what every later stage reads.
 */

export const API_VERSION = 'aninfra/v1';
export const TARGET_NAMES = ['compose', 'docker'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export type UsesEntry = string | { readonly module: string; readonly as?: string };

export interface ModuleSpec {
  readonly type: string;
  readonly version?: string;
  readonly description?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly uses?: readonly UsesEntry[];
  readonly env?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface SystemSpec {
  readonly apiVersion: typeof API_VERSION;
  readonly kind: 'System';
  readonly metadata: { readonly name: string; readonly description?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly target?: TargetName;
  /** Image mapping: public image reference → image to use instead (e.g. a locally built one). */
  readonly images?: Readonly<Record<string, string>>;
  readonly modules: Readonly<Record<string, ModuleSpec>>;
}

export function usesName(entry: UsesEntry): string {
  return typeof entry === 'string' ? entry : entry.module;
}
