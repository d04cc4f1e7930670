/**
 * The program an apply runs lives in `paths.deploy(target)`, written only while the lock is held:
 * into a temporary sibling first, then renamed into place, so a concurrent `plan` (which writes
 * `paths.program(target)`) never changes what an apply deploys, and a crash never leaves half a
 * program. Destroy emits the stored IR of the last revision there, without build sections: taking
 * a system down never needs the user's source tree.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { VERSION } from '../cli/version.js';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { EmittedFile } from '../compiler/emit/target.js';
import { emitProgram } from '../compiler/emit/emit-program.js';
import type { InfraIR, IrNode } from '../compiler/lower/ir.js';
import { targetNamed } from '../targets/index.js';

/** Replaces `dir` with exactly `files`, atomically as seen by a reader of the directory. */
export function swapInDir(dir: string, files: readonly EmittedFile[]): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `.${basename(dir)}.new-${suffix}`);
  const old = join(parent, `.${basename(dir)}.old-${suffix}`);
  try {
    for (const f of files) {
      const path = join(temp, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
    mkdirSync(temp, { recursive: true });
    const hadOld = existsSync(dir);
    if (hadOld) renameSync(dir, old);
    try {
      renameSync(temp, dir);
    } catch (e) {
      if (hadOld) renameSync(old, dir);
      throw e;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
    rmSync(old, { recursive: true, force: true });
  }
}

/** The program of a stored revision for teardown: its IR with every image treated as present (no build context). */
export function teardownProgram(ir: InfraIR, target: string, specPath: string, outDir: string): { files?: EmittedFile[]; diagnostics: Diagnostic[] } {
  const nodes = ir.nodes.map((n): IrNode => (n.kind === 'image' && n.source.kind === 'build' ? { ...n, source: { kind: 'local' } } : n));
  return emitFor({ ...ir, nodes }, target, specPath, outDir);
}

/**
 * The files to deploy from `outDir`: those the plan compiled when they were made for a directory
 * at the same place relative to the spec (program/ and deploy/ are siblings), else emitted again.
 */
export function deployFiles(
  compiled: { readonly files: readonly EmittedFile[]; readonly outDir?: string },
  ir: InfraIR,
  target: string,
  specPath: string,
  outDir: string,
): { files?: readonly EmittedFile[]; diagnostics: Diagnostic[] } {
  const specDir = dirname(resolve(specPath));
  if (compiled.outDir !== undefined && relative(compiled.outDir, specDir) === relative(outDir, specDir)) return { files: compiled.files, diagnostics: [] };
  return emitFor(ir, target, specPath, outDir);
}

function emitFor(ir: InfraIR, target: string, specPath: string, outDir: string): { files?: EmittedFile[]; diagnostics: Diagnostic[] } {
  const t = targetNamed(target);
  if (!t) return { diagnostics: [] };
  const emitted = emitProgram(ir, t, { specDirFromOut: relative(outDir, dirname(resolve(specPath))) || '.', toolVersion: VERSION });
  return { ...(emitted.value ? { files: emitted.value } : {}), diagnostics: [...emitted.diagnostics] };
}
