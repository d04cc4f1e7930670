/**
 * How a tool gets its spec: inline YAML text (`spec`) or a file (`path`, relative to the workdir).
 * An inline spec is named `<workdir>/.aninfra-mcp-<sha256 prefix>.yaml`, so it behaves as a spec
 * living in the workdir: build contexts resolve against the workdir and its state goes to
 * `<workdir>/.aninfra/<system>/`, shared with a spec file there. That file is written only for the
 * operations that read a spec from disk (apply, status, history, rollback, destroy).
 * Codes: ERR_MCP_INVALID_ARGUMENTS, ERR_MCP_UNRECOGNIZED_FILE (plus what reading a spec file reports).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { readSource } from '../compiler/source/read-source.js';
import { maxSpecBytes } from './compile-file.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import { unrecognizedSpec } from './workdir-boundary.js';

export interface SpecInput {
  /** The spec file (for an inline spec: where it is placed). */
  readonly path: string;
  /** Inline text; absent when the spec is a file to read. */
  readonly text?: string;
  /** The tool and the argument that named the file, for diagnostics about it. */
  readonly tool: string;
  readonly argument: string;
}

export interface ArgumentNames {
  /** Argument holding inline YAML (default 'spec'). */
  readonly text: string;
  /** Argument naming a file (default 'path'). */
  readonly file: string;
}

const defaults: ArgumentNames = { text: 'spec', file: 'path' };

export function specInput(tool: string, args: Readonly<Record<string, unknown>>, workdir: string, names: ArgumentNames = defaults): { value?: SpecInput; diagnostics: Diagnostic[] } {
  const text = args[names.text];
  const file = args[names.file];
  const problem = (p: string): { diagnostics: Diagnostic[] } => ({ diagnostics: [diagnostic('ERR_MCP_INVALID_ARGUMENTS', { tool, problem: p }, { path: `/${names.text}` })] });
  if (typeof text === 'string' && typeof file === 'string') return problem(`give '${names.text}' (inline YAML) or '${names.file}' (a file), not both`);
  if (typeof text === 'string') return { value: { path: inlinePath(workdir, text), text, tool, argument: names.text }, diagnostics: [] };
  if (typeof file === 'string') return { value: { path: resolve(workdir, file), tool, argument: names.file }, diagnostics: [] };
  return problem(`give '${names.text}' (the spec as inline YAML) or '${names.file}' (a spec file)`);
}

export function inlinePath(workdir: string, text: string): string {
  return join(resolve(workdir), `.aninfra-mcp-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.yaml`);
}

/**
 * The spec's text: the inline text, or the file read with the usual limits. A file that is not a
 * spec is refused with one diagnostic that does not quote it (see workdir-boundary.ts).
 */
export function specText(input: SpecInput): { value?: { path: string; text: string }; diagnostics: readonly Diagnostic[] } {
  if (input.text !== undefined) return { value: { path: input.path, text: input.text }, diagnostics: [] };
  const read = readSource(input.path, maxSpecBytes(process.env));
  if (!read.value) return { diagnostics: read.diagnostics };
  const notSpec = unrecognizedSpec(input.tool, input.argument, read.value.path, read.value.text);
  return notSpec ? { diagnostics: [notSpec] } : { value: read.value, diagnostics: [] };
}

/** A path the file-reading operations can open: inline text is written to its content-addressed name. */
export function materialize(input: SpecInput): string {
  if (input.text !== undefined && !(existsSync(input.path) && readFileSync(input.path, 'utf8') === input.text)) writeFileAtomic(input.path, input.text);
  return input.path;
}
