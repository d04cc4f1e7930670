/**
 * host-paths-confined: every host directory a module names (a build context, a served site root)
 * resolves, symbolic links followed, to an existing directory inside the spec's directory, and a
 * Dockerfile to a file inside its build context. `build: /`, `../../etc` or a link out of the
 * project would otherwise ship host files into an image or a web server. With the caller's
 * HostFiles the real paths are checked; without, the written paths only.
 * Codes: ERR_PATH_OUTSIDE_SPEC_DIR, ERR_PATH_NOT_FOUND, ERR_PATH_OUTSIDE_CONTEXT.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import type { HostFiles } from '../../source/host-files.js';
import { knownModules, type ValidationRule } from '../rule.js';

export const hostPathsConfined: ValidationRule = {
  id: 'host-paths-confined',
  reports: ['ERR_PATH_OUTSIDE_SPEC_DIR', 'ERR_PATH_NOT_FOUND', 'ERR_PATH_OUTSIDE_CONTEXT'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    const specDir = ctx.specDir;
    if (specDir === undefined) return out;
    const files = ctx.files;
    const root = files?.realpath(specDir) ?? specDir;
    for (const [name, , d] of knownModules(spec, ctx)) {
      for (const decl of d.hostPaths?.(ctx.inputs.get(name) ?? {}) ?? []) {
        const at = pointer('modules', name) + decl.path;
        const written = resolve(specDir, decl.directory);
        const args = { what: decl.what, path: decl.directory };
        // The written path first: what lies outside is refused without asking the host about it.
        if (!inside(written, specDir)) {
          out.push(diagnostic('ERR_PATH_OUTSIDE_SPEC_DIR', { ...args, resolved: written, root: specDir }, { path: at }));
          continue;
        }
        if (!files) continue;
        const real = files.realpath(written);
        if (real === undefined) {
          out.push(diagnostic('ERR_PATH_NOT_FOUND', { ...args, resolved: written, kind: 'directory' }, { path: at }));
          continue;
        }
        if (!inside(real, root)) {
          out.push(diagnostic('ERR_PATH_OUTSIDE_SPEC_DIR', { ...args, resolved: real, root }, { path: at }));
          continue;
        }
        if (files.kind(real) !== 'directory') {
          out.push(diagnostic('ERR_PATH_NOT_FOUND', { ...args, resolved: real, kind: 'directory' }, { path: at }));
          continue;
        }
        if (decl.file) out.push(...checkFile(files, decl.file, written, real, pointer('modules', name) + decl.file.path));
      }
    }
    return out;
  },
};

/** The Dockerfile, named relative to the context as written, must resolve to a file inside the context's real path. */
function checkFile(files: HostFiles, file: { readonly name: string; readonly required: boolean }, written: string, context: string, at: string): Diagnostic[] {
  const path = resolve(written, file.name);
  if (!inside(path, written)) return [diagnostic('ERR_PATH_OUTSIDE_CONTEXT', { path: file.name, resolved: path, context: written }, { path: at })];
  const real = files.realpath(path);
  const args = { what: 'dockerfile', path: file.name };
  if (real === undefined) return file.required ? [diagnostic('ERR_PATH_NOT_FOUND', { ...args, resolved: path, kind: 'file' }, { path: at })] : [];
  if (!inside(real, context)) return [diagnostic('ERR_PATH_OUTSIDE_CONTEXT', { path: file.name, resolved: real, context }, { path: at })];
  if (files.kind(real) !== 'file') return [diagnostic('ERR_PATH_NOT_FOUND', { ...args, resolved: real, kind: 'file' }, { path: at })];
  return [];
}

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
