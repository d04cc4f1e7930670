/**
 * build-context-complete: every build context holds what its build needs: a Dockerfile, or the
 * files aninfra generates one from for runtime node (package.json with a start script, `main` or
 * index.js), python (app.py or main.py, or a `command`) and go (go.mod). Caught here instead of at
 * apply, where Docker would fail with "unable to prepare context … Dockerfile: no such file". The
 * descriptor says what a directory must hold (HostPathDecl.contents); this rule asks the host
 * through HostFiles, and only about directories host-paths-confined accepted (existing, inside
 * the spec's directory), so the two never report one path twice.
 * Codes: ERR_BUILD_NOTHING_TO_BUILD, ERR_BUILD_NO_ENTRY, ERR_BUILD_MANIFEST_INVALID (no fix: only
 * the author knows how the program starts; the hint names the remedy).
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import { knownModules, type ValidationRule } from '../rule.js';

/** Largest file read from a context (package.json): anything bigger is not a manifest a human wrote. */
const MAX_FILE_BYTES = 1024 * 1024;

const CODES = { nothing: 'ERR_BUILD_NOTHING_TO_BUILD', 'no-entry': 'ERR_BUILD_NO_ENTRY', unreadable: 'ERR_BUILD_MANIFEST_INVALID' } as const;

export const buildContextComplete: ValidationRule = {
  id: 'build-context-complete',
  reports: ['ERR_BUILD_NOTHING_TO_BUILD', 'ERR_BUILD_NO_ENTRY', 'ERR_BUILD_MANIFEST_INVALID'],
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    const files = ctx.files;
    const specDir = ctx.specDir;
    if (!files || specDir === undefined) return out;
    const root = files.realpath(specDir) ?? specDir;
    for (const [name, , d] of knownModules(spec, ctx)) {
      const inputs = ctx.inputs.get(name) ?? {};
      for (const decl of d.hostPaths?.(inputs) ?? []) {
        if (!decl.contents) continue;
        const real = files.realpath(resolve(specDir, decl.directory));
        if (real === undefined || !inside(real, root) || files.kind(real) !== 'directory') continue;
        const problem = decl.contents({
          has: (file) => files.kind(resolve(real, file)) === 'file',
          read: (file) => files.readText?.(resolve(real, file), MAX_FILE_BYTES),
        });
        if (!problem) continue;
        const runtime = typeof inputs.runtime === 'string' ? inputs.runtime : 'container';
        out.push(diagnostic(CODES[problem.problem], { path: decl.directory, module: name, runtime, missing: problem.missing }, { path: pointer('modules', name) + decl.path, hint: problem.remedy }));
      }
    }
    return out;
  },
};

function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}
