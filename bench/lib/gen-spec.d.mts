export interface GeneratedModule {
  readonly type: string;
  readonly version?: string;
  readonly with?: Record<string, unknown>;
  readonly uses?: string[];
  readonly env?: Record<string, string>;
}
export interface ModuleCounts {
  readonly postgres: number;
  readonly redis: number;
  readonly mongodb: number;
  readonly service: number;
  readonly worker: number;
  readonly gateway: number;
}
export interface GeneratedSpec {
  readonly text: string;
  readonly counts: ModuleCounts;
  readonly modules: Map<string, GeneratedModule>;
  readonly hostPorts: number[];
  /** The build contexts (`with.build`) the spec names, relative to its folder. */
  readonly buildContexts: string[];
}
export declare const MIX: Readonly<Record<'service' | 'worker' | 'postgres' | 'redis' | 'mongodb', number>>;
export declare const SERVICES_PER_GATEWAY: number;
export declare const GATEWAY_BASE_PORT: number;
export declare const FULL_MIX_TYPES: readonly string[];
export declare function planCounts(size: number, types?: readonly string[]): ModuleCounts;
export interface GenerateOptions {
  seed?: number;
  types?: readonly string[];
  name?: string;
  target?: 'docker' | 'compose';
}
export declare function generateSpec(size: number, options?: GenerateOptions): GeneratedSpec;
/** Write the generated spec to `path` and create the build contexts it names beside it, each with a Dockerfile. */
export declare function writeGeneratedSpec(path: string, size: number, options?: GenerateOptions): GeneratedSpec;
