/**
 * The content hash of a build context, shared by the plan (the compiler tags the image with it,
 * so an edited source replaces the container) and the compose engine (which skips a build whose
 * image already carries it). The walk never leaves the context: symbolic links are hashed as
 * links (where they point), never followed, as Docker sends them (and as the emitted program's
 * helper, RUNTIME_HELPER in targets/docker.ts, does). `.git` and aninfra's own state dirs
 * (`.aninfra`, which every plan and apply rewrites) are skipped, or a context that contains the
 * spec's folder would change on every run and never plan clean.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** sha256 over the Dockerfile name, build args and every file (path and bytes) of the context. Throws when unreadable. */
export function contextHash(context: string, dockerfile?: string, args: Readonly<Record<string, string>> = {}): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ dockerfile, args: Object.entries(args).sort() }));
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === '.git' || entry === '.aninfra') continue;
      const path = join(dir, entry);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) {
        hash.update(relative(context, path));
        hash.update('->' + readlinkSync(path));
      } else if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) {
        hash.update(relative(context, path));
        hash.update(readFileSync(path));
      }
    }
  };
  walk(context);
  return hash.digest('hex').slice(0, 32);
}

/**
 * The `contextHash` the compiler takes: the context as written in the spec, relative to the spec
 * file → its hash, or undefined when it is missing, unreadable or resolves (symlinks followed)
 * outside the spec's directory (validation reports those). Each context is hashed once per call
 * site; the memo lives in the returned function, not in this module.
 */
export function contextHasher(specPath: string): (context: string) => string | undefined {
  const specDir = dirname(resolve(specPath));
  const memo = new Map<string, string | undefined>();
  return (context) => {
    if (memo.has(context)) return memo.get(context);
    let value: string | undefined;
    try {
      const root = realpathSync(specDir);
      const dir = realpathSync(resolve(specDir, context));
      const rel = relative(root, dir);
      const inside = rel === '' || (!isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`));
      value = inside && lstatSync(dir).isDirectory() ? contextHash(dir) : undefined;
    } catch {
      value = undefined;
    }
    memo.set(context, value);
    return value;
  };
}
