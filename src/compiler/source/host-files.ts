/**
 * The one way the compiler looks at the host's file system beyond the spec: a capability the
 * caller supplies (the CLI with node:fs, tests with a fake), so the compiler itself never touches
 * the disk. Paths given to it are absolute.
 */

export type HostPathKind = 'directory' | 'file' | 'other' | 'missing';

export interface HostFiles {
  /** The canonical absolute path, every symbolic link followed; undefined when nothing is there. */
  realpath(path: string): string | undefined;
  /** What is at the path, symbolic links followed. */
  kind(path: string): HostPathKind;
  /**
   * The text of a regular file (UTF-8), or undefined when it is missing, not a file, or longer than
   * `maxBytes` (the build detection reads small manifests only: package.json, requirements.txt).
   * Optional: without it builds are assumed to bring their own Dockerfile.
   */
  readText?(path: string, maxBytes: number): string | undefined;
}

/**
 * The same host, each question asked of it once: within one compile the host's files are taken
 * not to change, and many modules share one build context (4,500 services of a 10,000-module spec
 * build `./svc`), so the rules would otherwise ask the same realpath and stat thousands of times.
 */
export function memoizedHostFiles(files: HostFiles): HostFiles {
  const real = new Map<string, string | undefined>();
  const kinds = new Map<string, HostPathKind>();
  const texts = new Map<string, string | undefined>();
  const read = files.readText;
  return {
    realpath(path) {
      if (real.has(path)) return real.get(path);
      const answer = files.realpath(path);
      real.set(path, answer);
      return answer;
    },
    kind(path) {
      const known = kinds.get(path);
      if (known !== undefined) return known;
      const answer = files.kind(path);
      kinds.set(path, answer);
      return answer;
    },
    ...(read
      ? {
          readText(path: string, maxBytes: number) {
            const key = `${maxBytes}\u0000${path}`;
            if (texts.has(key)) return texts.get(key);
            const answer = read.call(files, path, maxBytes);
            texts.set(key, answer);
            return answer;
          },
        }
      : {}),
  };
}
