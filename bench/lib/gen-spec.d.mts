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
}
export declare const MIX: Readonly<Record<'service' | 'worker' | 'postgres' | 'redis' | 'mongodb', number>>;
export declare const SERVICES_PER_GATEWAY: number;
export declare const GATEWAY_BASE_PORT: number;
export declare const FULL_MIX_TYPES: readonly string[];
export declare function planCounts(size: number, types?: readonly string[]): ModuleCounts;
export declare function generateSpec(size: number, options?: { seed?: number; types?: readonly string[]; name?: string; target?: 'docker' | 'compose' }): GeneratedSpec;
