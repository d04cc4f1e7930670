/**
 * The program an apply runs lives in `paths.deploy(target)`, written only while the lock is held:
 * into a temporary sibling first, then renamed into place, so a concurrent `plan` (which writes
 * `paths.program(target)`) never changes what an apply deploys, and a crash never leaves half a
 * program. Destroy emits the stored IR of the last revision there, without build sections: taking
 * a system down never needs the user's source tree.
 */
import { dirname, relative, resolve } from 'node:path';
import { VERSION } from '../state/version.js';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { EmittedFile } from '../compiler/emit/target.js';
import { emitProgram } from '../compiler/emit/emit-program.js';
import type { TargetModel } from '../compiler/emit/target.js';
import { isDockerModel, type DockerNode } from '../targets/docker-family/model.js';
import { targetNamed } from '../targets/index.js';
import { writeProgramDir } from '../plan/program-dir.js';

/** Replaces the deploy dir with exactly `files` (writeProgramDir: temp sibling, rename in); a diagnostic when it is not ours. */
export function writeDeployDir(dir: string, files: readonly EmittedFile[], system: string, target: string): Diagnostic | undefined {
  return writeProgramDir(dir, files, { system, target, toolVersion: VERSION, role: 'deploy' }, { adoptUnmarked: true });
}

/** The program of a stored revision for teardown: its IR with every image treated as present (no build context). */
export function teardownProgram(ir: TargetModel, target: string, specPath: string, outDir: string): { files?: EmittedFile[]; diagnostics: Diagnostic[] } {
  // Other targets' programs only name their images (the engine builds them before an apply).
  if (!isDockerModel(ir)) return emitFor(ir, target, specPath, outDir);
  const nodes = ir.nodes.map((n): DockerNode => (n.kind === 'image' && n.source.kind === 'build' ? { ...n, source: { kind: 'local' } } : n));
  return emitFor({ ...ir, nodes }, target, specPath, outDir);
}

/**
 * The files to deploy from `outDir`: those the plan compiled when they were made for a directory
 * at the same place relative to the spec (program/ and deploy/ are siblings), else emitted again.
 */
export function deployFiles(
  compiled: { readonly files: readonly EmittedFile[]; readonly outDir?: string },
  ir: TargetModel,
  target: string,
  specPath: string,
  outDir: string,
): { files?: readonly EmittedFile[]; diagnostics: Diagnostic[] } {
  const specDir = dirname(resolve(specPath));
  if (compiled.outDir !== undefined && relative(compiled.outDir, specDir) === relative(outDir, specDir)) return { files: compiled.files, diagnostics: [] };
  return emitFor(ir, target, specPath, outDir);
}

function emitFor(ir: TargetModel, target: string, specPath: string, outDir: string): { files?: EmittedFile[]; diagnostics: Diagnostic[] } {
  const t = targetNamed(target);
  if (!t) return { diagnostics: [diagnostic('ERR_INTERNAL', { detail: `no target named ${target} to emit the deploy program with` })] };
  const emitted = emitProgram(ir, t, { specDirFromOut: relative(outDir, dirname(resolve(specPath))) || '.', toolVersion: VERSION });
  return { ...(emitted.value ? { files: emitted.value } : {}), diagnostics: [...emitted.diagnostics] };
}
