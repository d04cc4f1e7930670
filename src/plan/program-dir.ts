/**
 * Writing an emitted program into a directory without ever deleting what aninfra did not create.
 *
 * Every directory aninfra emits holds a marker file (`.aninfra-program`: system, target, tool
 * version). A directory that exists, is not empty and has no marker belongs to someone else (a
 * spec folder given as `--emit-dir .`): it is refused and nothing is touched. Otherwise the files
 * are written into a fresh sibling temp dir, the old dir is renamed away, the new one renamed in,
 * and only then is the old one removed; a reader never sees a half-written program.
 * Codes: ERR_PLAN_PROGRAM_DIR.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';

export const PROGRAM_MARKER = '.aninfra-program';

export interface ProgramMarker {
  readonly system: string;
  readonly target: string;
  readonly toolVersion: string;
  /** What the directory holds: a plan's program (for review) or the program an apply ran. */
  readonly role: 'program' | 'deploy';
}

export interface ProgramFile {
  readonly path: string;
  readonly content: string;
  /** Only ever read: one file of the same content may be linked here instead of written again. */
  readonly readOnly?: true;
}

export interface WriteProgramDirOptions {
  /**
   * Treat an unmarked directory as ours: only for the directories aninfra's state layout reserves
   * (`.aninfra/<system>/program/<target>`), which versions before the marker wrote without one.
   */
  readonly adoptUnmarked?: boolean;
}

/** Replace `dir` with exactly `files` plus the marker; a diagnostic (nothing touched) when `dir` is not ours. */
export function writeProgramDir(dir: string, files: readonly ProgramFile[], marker: ProgramMarker, options: WriteProgramDirOptions = {}): Diagnostic | undefined {
  const target = resolve(dir);
  const refuse = (reason: string): Diagnostic => diagnostic('ERR_PLAN_PROGRAM_DIR', { dir: target, reason }, { hint: 'name an empty or new directory, or one aninfra wrote before (it holds .aninfra-program)' });
  const found = inspect(target);
  const existing = found === 'foreign' && options.adoptUnmarked ? 'unmarked' : found;
  if (existing === 'foreign') return refuse(`it is not empty and holds no ${PROGRAM_MARKER} marker, so aninfra did not create it; nothing was changed`);
  if (existing === 'not-a-directory') return refuse('a file (or link) of that name exists; nothing was changed');
  for (const f of files) if (!inside(f.path)) return refuse(`the emitted file name '${f.path}' would land outside it; nothing was changed`);
  const parent = dirname(target);
  let fresh: string | undefined;
  try {
    mkdirSync(parent, { recursive: true });
    fresh = mkdtempSync(join(parent, `.${basename(target)}.new-`));
    // Each directory is made once (a program has thousands of files in a few hundred directories),
    // and a read-only file whose content was written already is a hard link to that file (a link
    // costs a tenth of a file write; both are inside the fresh directory made above).
    const made = new Set<string>([fresh]);
    const readOnly = new Map<string, string>();
    for (const f of files) {
      const path = join(fresh, f.path);
      const folder = dirname(path);
      if (!made.has(folder)) {
        mkdirSync(folder, { recursive: true });
        made.add(folder);
      }
      const same = f.readOnly ? readOnly.get(f.content) : undefined;
      if (same !== undefined && linked(same, path)) continue;
      writeFileSync(path, f.content);
      if (f.readOnly && same === undefined) readOnly.set(f.content, path);
    }
    writeFileSync(join(fresh, PROGRAM_MARKER), JSON.stringify({ generator: 'aninfra', ...marker }, null, 2) + '\n');
    if (existing === 'absent') {
      renameSync(fresh, target);
      return undefined;
    }
    const old = join(parent, `.${basename(target)}.old-${randomBytes(6).toString('hex')}`);
    renameSync(target, old);
    try {
      renameSync(fresh, target);
    } catch (e) {
      renameSync(old, target);
      throw e;
    }
    fresh = undefined;
    // Only ever remove a directory that carries our marker (or an empty one, or a reserved one).
    if (hasMarker(old) || existing === 'unmarked') rmSync(old, { recursive: true, force: true });
    else rmdirSync(old);
    return undefined;
  } catch (e) {
    // `fresh` is the mkdtemp dir made above: ours by construction.
    if (fresh && existsSync(fresh)) rmSync(fresh, { recursive: true, force: true });
    return refuse((e as Error).message);
  }
}

/** A hard link at `path` to `existing`; false where the file system has none (the caller writes the file). */
function linked(existing: string, path: string): boolean {
  try {
    linkSync(existing, path);
    return true;
  } catch {
    return false;
  }
}

/** Whether `dir` holds a marker aninfra wrote. */
export function hasMarker(dir: string): boolean {
  try {
    const path = join(dir, PROGRAM_MARKER);
    if (!lstatSync(path).isFile()) return false;
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { generator?: unknown };
    return parsed.generator === 'aninfra';
  } catch {
    return false;
  }
}

function inspect(dir: string): 'absent' | 'empty' | 'ours' | 'foreign' | 'not-a-directory' {
  let stat;
  try {
    stat = lstatSync(dir);
  } catch {
    return 'absent';
  }
  if (!stat.isDirectory()) return 'not-a-directory';
  if (readdirSync(dir).length === 0) return 'empty';
  return hasMarker(dir) ? 'ours' : 'foreign';
}

function inside(path: string): boolean {
  const n = normalize(path);
  return !isAbsolute(n) && n !== '..' && !n.startsWith(`..${sep}`) && n !== PROGRAM_MARKER && n !== '.';
}
