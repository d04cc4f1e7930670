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
}
