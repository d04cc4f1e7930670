/**
 * The front ends' way in to the compiler: read a spec file and compile it with the catalog and targets.
 */
import { compile, type Compilation, type CompileOptions } from '../compiler/pipeline.js';
import { readSource } from '../compiler/source/read-source.js';
import { defaultParseLimits } from '../compiler/parse/parse-spec.js';
import type { TargetName } from '../compiler/validate/spec-types.js';
import { registry } from '../modules/index.js';
import { targetNamed, targetNames } from '../targets/index.js';
import { VERSION } from '../state/version.js';
import { createRequire } from 'node:module';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import type { HostFiles } from '../compiler/source/host-files.js';
import type { ValidateFunction } from 'ajv';
import { SchemaChecker } from '../compiler/validate/ajv.js';

export interface CompileFileOptions {
  readonly target?: TargetName;
  readonly outDir?: CompileOptions['outDir'];
  readonly until?: CompileOptions['until'];
  readonly images?: Readonly<Record<string, string>>;
  /** Platform settings from the command line, merged over the spec's. */
  readonly platform?: CompileOptions['platform'];
  readonly owner?: CompileOptions['owner'];
  readonly contextHash?: CompileOptions['contextHash'];
  /** Reuse compiled schemas across compilations (long-lived callers such as the MCP server). */
  readonly schemas?: CompileOptions['schemas'];
  /** How the compiler sees host paths; node:fs (`nodeHostFiles`) unless a caller fakes it. */
  readonly files?: HostFiles;
  /** Environment overlay from the spec's environments: map. */
  readonly env?: string;
  /** Let the parsed document go once resolved (plan, apply: less memory at peak). */
  readonly dropDocument?: boolean;
}

/** The host's files through node:fs: realpath with every link followed, and what a path is. */
export const nodeHostFiles: HostFiles = {
  realpath(path) {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  },
  kind(path) {
    try {
      const stat = statSync(path);
      return stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'other';
    } catch {
      return 'missing';
    }
  },
  readText(path, maxBytes) {
    try {
      const stat = statSync(path);
      if (!stat.isFile() || stat.size > maxBytes) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
};

export function maxSpecBytes(env: NodeJS.ProcessEnv): number {
  const n = Number(env.ANINFRA_MAX_SPEC_BYTES);
  return Number.isFinite(n) && n > 0 ? n : defaultParseLimits.maxBytes;
}

/**
 * The validators precompiled at build time (dist only; absent when running from source), as a
 * SchemaChecker. Each compilation gets its own checker, so nothing is shared between calls.
 */
export function schemaChecker(): SchemaChecker {
  try {
    const generated = createRequire(import.meta.url)('../compiler/validate/generated-validators.cjs') as Record<string, ValidateFunction> & { __hashes: Record<string, string> };
    const entries = Object.entries(generated.__hashes).flatMap(([key, hash]) => (typeof generated[key] === 'function' ? [[key, { hash, validate: generated[key] as ValidateFunction }] as const] : []));
    return new SchemaChecker(new Map(entries));
  } catch {
    return new SchemaChecker();
  }
}

export function compileFile(path: string, options: CompileFileOptions = {}): Compilation {
  const limits = { ...defaultParseLimits, maxBytes: maxSpecBytes(process.env) };
  const read = readSource(path, limits.maxBytes);
  if (!read.value) return { source: { path, text: '' }, diagnostics: read.diagnostics, ok: false };
  return compileText(read.value.path, read.value.text, options, limits);
}

export function compileText(path: string, text: string, options: CompileFileOptions = {}, limits = defaultParseLimits): Compilation {
  return compile(
    { path, text },
    {
      registry,
      targets: (name) => targetNamed(name),
      targetNames,
      toolVersion: VERSION,
      limits,
      ...(options.target ? { target: options.target } : {}),
      ...(options.outDir ? { outDir: options.outDir } : {}),
      ...(options.until ? { until: options.until } : {}),
      ...(options.images ? { images: options.images } : {}),
      ...(options.platform ? { platform: options.platform } : {}),
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.contextHash ? { contextHash: options.contextHash } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
      ...(options.dropDocument ? { dropDocument: true } : {}),
      files: options.files ?? nodeHostFiles,
      schemas: options.schemas ?? schemaChecker(),
    },
  );
}
