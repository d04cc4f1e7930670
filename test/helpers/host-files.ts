/**
 * Test helper for the host paths a spec names (build contexts, Dockerfiles, site roots), which must
 * exist inside the spec's folder: a fake HostFiles (the compiler's view of the host's file system)
 * for tests that compile in-process, and real folders for tests that go through the CLI.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Create each build context (with a minimal Dockerfile) under a real directory. */
export function writeBuildContexts(dir: string, contexts: readonly string[]): void {
  for (const context of contexts) {
    mkdirSync(join(dir, context), { recursive: true });
    writeFileSync(join(dir, context, 'Dockerfile'), 'FROM scratch\n');
  }
}

/** A fresh temporary project directory holding these build contexts, each with a Dockerfile. */
export function tempProject(prefix: string, contexts: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeBuildContexts(dir, contexts);
  return dir;
}
