export declare const ROOT: string;
export declare const CLI: string;
export declare const TRACE_PRELOAD: string;
export declare function isPulumi(entry: string): boolean;
export interface TraceResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  /** Distinct resolved URLs (esm) and file paths (cjs, require.cache), in first-seen order. */
  readonly entries: readonly string[];
  readonly bySource: { readonly esm: number; readonly cjs: number; readonly cache: number };
  readonly pulumi: readonly string[];
  /** The traced process reached its exit handler (the trace is complete). */
  readonly exited: boolean;
}
export declare function traceLoads(args: readonly string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): TraceResult;
