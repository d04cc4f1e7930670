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
