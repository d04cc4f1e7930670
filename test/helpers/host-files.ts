/**
 * Test helper: a fake HostFiles (the compiler's view of the host's file system), so a test that
 * compiles in-process can name build contexts and site roots without creating them on disk.
 */
import { join } from 'node:path';
import type { HostFiles, HostPathKind } from '../../src/compiler/source/host-files.js';

/** A fake file system: directories, files and symbolic links (absolute targets), keyed by absolute path. */
export function fakeHostFiles(entries: Readonly<Record<string, HostPathKind | { link: string }>>): HostFiles {
  const realpath = (path: string): string | undefined => {
    const parts = path.split('/').filter(Boolean);
    let current = '';
    for (let i = 0; i < parts.length; i++) {
      const next = `${current}/${parts[i]}`;
      const entry = entries[next];
      if (entry === undefined) return undefined;
      if (typeof entry === 'object') {
        const rest = parts.slice(i + 1).join('/');
        return realpath(rest ? `${entry.link}/${rest}` : entry.link);
      }
      current = next;
    }
    return current || '/';
  };
  return {
    realpath,
    kind: (path) => {
      const real = realpath(path);
      if (real === undefined) return 'missing';
      const entry = entries[real];
      return real === '/' ? 'directory' : typeof entry === 'string' ? entry : 'missing';
    },
  };
}

/**
 * The spec's directory (absolute) holding one build context per name, each with a Dockerfile:
 * what a project with `build: ./<name>` modules looks like on disk.
 */
export function buildContexts(specDir: string, contexts: readonly string[]): HostFiles {
  const entries: Record<string, HostPathKind> = {};
  const parts = specDir.split('/').filter(Boolean);
  for (let i = 1; i <= parts.length; i++) entries[`/${parts.slice(0, i).join('/')}`] = 'directory';
  for (const context of contexts) {
    const dir = join(specDir, context);
    entries[dir] = 'directory';
    entries[join(dir, 'Dockerfile')] = 'file';
  }
  return fakeHostFiles(entries);
}
