/**
 * A capturing Io for command tests: what a command prints, and the JSON documents it emits.
 */
import { plainStyle } from '../../src/compiler/diagnostics/render.js';
import type { Io } from '../../src/cli/io.js';

export interface CapturedIo extends Io {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly documents: Record<string, unknown>[];
}

export function captureIo(json = false): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const documents: Record<string, unknown>[] = [];
  return {
    json,
    style: plainStyle,
    stdout,
    stderr,
    documents,
    out: (t) => void stdout.push(t),
    err: (t) => void stderr.push(t),
    document: (d) => void documents.push(JSON.parse(JSON.stringify(d)) as Record<string, unknown>),
  };
}
