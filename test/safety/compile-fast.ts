/**
 * The pipeline of `compile()` with one SchemaChecker shared across calls, emitting both targets
 * from one IR. `compile()` builds a fresh ajv per call (no module-level caches, by design), which
 * costs tens of milliseconds; property tests compile thousands of specs, so they go through this
 * and `sameAsCompile()` proves, on a sample, that it agrees with the real `compileText()`.
 */
import { dirname, relative, resolve } from 'node:path';
import { compileText } from '../../src/operations/compile-file.js';
import { VERSION } from '../../src/state/version.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../../src/compiler/diagnostics/diagnostic.js';
import { emitProgram, lowerForTarget } from '../../src/compiler/emit/emit-program.js';
import type { EmittedFile } from '../../src/compiler/emit/target.js';
import { dockerModel, type DockerModel } from '../../src/targets/docker-family/model.js';
import { lowerToIr } from '../../src/compiler/lower/lower-to-ir.js';
import { defaultParseLimits, parseSpec } from '../../src/compiler/parse/parse-spec.js';
import { resolveGraph } from '../../src/compiler/resolve/resolve-graph.js';
import { SchemaChecker } from '../../src/compiler/validate/ajv.js';
import { locate, validateSpec } from '../../src/compiler/validate/validate-spec.js';
import type { HostFiles } from '../../src/compiler/source/host-files.js';
import { registry } from '../../src/modules/index.js';
import { composeTarget } from '../../src/targets/compose.js';
import { dockerTarget } from '../../src/targets/docker.js';

export interface FastCompilation {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly ir?: DockerModel;
  readonly docker?: readonly EmittedFile[];
  readonly compose?: readonly EmittedFile[];
}

export function compileFast(path: string, text: string, outDir: string, schemas: SchemaChecker, files?: HostFiles): FastCompilation {
  const diagnostics: Diagnostic[] = [];
  const done = (rest: Omit<FastCompilation, 'ok' | 'diagnostics'> = {}): FastCompilation => {
    const sorted = sortDiagnostics(diagnostics);
    return { ...rest, ok: !hasErrors(sorted), diagnostics: sorted };
  };
  const parsed = parseSpec({ path, text }, defaultParseLimits);
  diagnostics.push(...parsed.diagnostics);
  if (!parsed.value) return done();
  const validated = validateSpec(parsed.value, { registry, schemas, specDir: dirname(resolve(path)), ...(files ? { files } : {}) });
  diagnostics.push(...validated.diagnostics);
  if (!validated.value) return done();
  const resolved = resolveGraph(validated.value, { registry });
  diagnostics.push(...resolved.diagnostics.map((d) => locate(d, parsed.value!.index)));
  if (!resolved.value) return done();
  const lowered = lowerToIr(resolved.value);
  diagnostics.push(...lowered.diagnostics);
  if (!lowered.value) return done();
  const model = lowerForTarget(lowered.value, dockerTarget, { toolVersion: VERSION });
  diagnostics.push(...model.diagnostics);
  if (!model.value) return done();
  const ctx = { specDirFromOut: relative(resolve(outDir), dirname(resolve(path))) || '.', toolVersion: VERSION };
  const docker = emitProgram(model.value, dockerTarget, ctx);
  const compose = emitProgram(model.value, composeTarget, ctx);
  diagnostics.push(...docker.diagnostics, ...compose.diagnostics);
  return done({ ir: dockerModel(model.value), ...(docker.value ? { docker: docker.value } : {}), ...(compose.value ? { compose: compose.value } : {}) });
}

/** Differences between compileFast and the real compileText for both targets; empty when they agree. */
export function differencesFromCompile(path: string, text: string, outDir: string, schemas: SchemaChecker, files: HostFiles): string[] {
  const fast = compileFast(path, text, outDir, schemas, files);
  const out: string[] = [];
  for (const target of ['docker', 'compose'] as const) {
    const real = compileText(path, text, { target, outDir, files });
    if (real.ok !== fast.ok) out.push(`${target}: ok ${String(real.ok)} vs fast ${String(fast.ok)}`);
    if (JSON.stringify(real.diagnostics) !== JSON.stringify(fast.diagnostics)) out.push(`${target}: diagnostics differ`);
    if (JSON.stringify(real.files ?? null) !== JSON.stringify(fast[target] ?? null)) out.push(`${target}: files differ`);
  }
  return out;
}
