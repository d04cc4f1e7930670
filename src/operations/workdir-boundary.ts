/**
 * The MCP server's --workdir is a boundary. Before a tool runs, every path argument it reads or
 * writes (path, file, images, stateDir, out) is resolved against the workdir with symlinks followed
 * (for a path that does not exist yet, through its nearest existing ancestor, and through a dangling
 * link to where it points) and must land inside the workdir's own real path. So must the state
 * directory a spec gets by default (`.aninfra` beside it, and each system directory in it), and the
 * spec a saved plan names. The tool then gets the real path, so what was checked is what is used.
 *
 * Files a tool only reads are also checked for being what the tool expects before their
 * diagnostics go back: a file that is not a spec (or a Compose file, or an image mapping) is
 * reported by where its first problem is, never by its text, so the server cannot be used to read
 * arbitrary files through diagnostic messages.
 * Codes: ERR_MCP_PATH_OUTSIDE_WORKDIR, ERR_MCP_UNRECOGNIZED_FILE.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { catalog } from '../compiler/diagnostics/codes.js';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { parseSpec } from '../compiler/parse/parse-spec.js';
import type { SourceRange } from '../compiler/source/source-file.js';
import type { JsonSchema } from '../modules/descriptor.js';

/** What the boundary needs of a tool or endpoint: its name, its input schema and the arguments naming files. */
export interface BoundedCall {
  readonly name: string;
  readonly inputSchema: JsonSchema;
  readonly fileArguments?: readonly string[];
}

/** Arguments that name a file or directory, for any tool that has them (unless it lists its own). */
export const PATH_ARGUMENTS = ['path', 'file', 'images', 'stateDir', 'out'] as const;

/** Tools whose spec gets a state directory (default `.aninfra` beside the spec). */
const STATE_TOOLS = new Set(['plan', 'apply', 'status', 'history', 'rollback', 'destroy']);

/** How many symbolic links one path may go through (as the kernel's ELOOP limit). */
const MAX_LINKS = 40;

/** The real path of `path`: symlinks followed; a missing tail is appended to its real parent. */
export function realPath(path: string, depth = 0): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    // Missing, or a dangling link: follow the link by hand, else resolve the parent.
  }
  if (depth > MAX_LINKS) return absolute;
  let stat;
  try {
    stat = lstatSync(absolute);
  } catch {
    stat = undefined;
  }
  if (stat?.isSymbolicLink()) return realPath(resolve(dirname(absolute), readlinkSync(absolute)), depth + 1);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(realPath(parent, depth + 1), basename(absolute));
}

export function isInside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The arguments with every path argument replaced by its real path inside the workdir, or the
 * diagnostics of those that lead out. `workdir` must already be a real path.
 */
export function confineArguments(tool: BoundedCall, args: Readonly<Record<string, unknown>>, workdir: string): { args?: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const confined: Record<string, unknown> = { ...args };
  const outside = (argument: string, resolved: string, hint?: string): { diagnostics: Diagnostic[] } => {
    diagnostics.push(diagnostic('ERR_MCP_PATH_OUTSIDE_WORKDIR', { tool: tool.name, argument, resolved, workdir }, { path: `/${argument}`, ...(hint ? { hint } : {}) }));
    return { diagnostics };
  };
  for (const argument of pathArguments(tool)) {
    const value = args[argument];
    if (typeof value !== 'string') continue;
    const real = realPath(resolve(workdir, value));
    if (isInside(real, workdir)) confined[argument] = real;
    else outside(argument, real);
  }
  if (diagnostics.length > 0) return { diagnostics };
  if (!STATE_TOOLS.has(tool.name)) return { args: confined, diagnostics };

  // The spec the state belongs to: the file given, the spec a saved plan names, or an inline spec in the workdir.
  const specFile = typeof confined.path === 'string' ? confined.path : undefined;
  let specDir = specFile ? dirname(specFile) : workdir;
  const saved = specFile && tool.name === 'apply' ? savedPlanSpec(specFile) : undefined;
  if (specFile && saved !== undefined) {
    const real = realPath(resolve(saved));
    if (!isInside(real, workdir)) return outside('path', real, `the saved plan names the spec ${real}; plan a spec inside the workdir again`);
    specDir = dirname(real);
  }
  const stateRoot = typeof confined.stateDir === 'string' ? confined.stateDir : join(specDir, '.aninfra');
  for (const dir of stateDirs(stateRoot)) {
    const real = realPath(dir);
    if (!isInside(real, workdir)) return outside('stateDir', real, `the state directory ${dir} leads out of the workdir; remove the link or pass another stateDir`);
  }
  return { args: confined, diagnostics };
}

/** The tool's arguments that name files: those it declares, else every PATH_ARGUMENTS name in its schema. */
function pathArguments(tool: BoundedCall): readonly string[] {
  if (tool.fileArguments) return tool.fileArguments;
  const declared = Object.keys((tool.inputSchema.properties ?? {}) as Record<string, unknown>);
  return PATH_ARGUMENTS.filter((a) => declared.includes(a));
}

/** The state directory and each system directory in it: a link at either level would carry state out. */
function stateDirs(root: string): string[] {
  if (!existsSync(root)) return [root];
  try {
    return [root, ...readdirSync(root).map((name) => join(root, name))];
  } catch {
    return [root];
  }
}

/**
 * The specPath of a saved plan (`plan --out`), or undefined when the file is not one; recognized
 * exactly as applyOperation does (a .json file with specPath and plan.planHash), which resolves a
 * relative specPath against the process's working directory.
 */
export function savedPlanSpec(file: string): string | undefined {
  if (!file.endsWith('.json')) return undefined;
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { specPath?: unknown; plan?: { planHash?: unknown } };
    return typeof doc.specPath === 'string' && typeof doc.plan?.planHash === 'string' ? doc.specPath : undefined;
  } catch {
    return undefined;
  }
}

/** A spec declares itself: `apiVersion: aninfra/…` as a key of the top mapping (block, flow or JSON). */
export function looksLikeSpec(text: string): boolean {
  return /(^|[{,\s])["']?apiVersion["']?[ \t]*:[ \t]*["']?aninfra\//m.test(text);
}

/** A Compose file has a `services:` mapping. */
export function looksLikeCompose(text: string): boolean {
  return /(^|[{,\s])["']?services["']?[ \t]*:/m.test(text);
}

/**
 * Undefined when `text` (read from the file an argument named) is a spec; otherwise the one
 * diagnostic that says so, placed at its first YAML problem (or its start), without its text.
 */
export function unrecognizedSpec(tool: string, argument: string, file: string, text: string): Diagnostic | undefined {
  if (looksLikeSpec(text)) return undefined;
  const first = parseSpec({ path: file, text }).diagnostics.find((d) => d.severity === 'error');
  return unrecognized(tool, argument, file, 'an aninfra spec', first ? catalog[first.code].title : "no 'apiVersion: aninfra/v1'", first?.range);
}

export function unrecognized(tool: string, argument: string, file: string, expected: string, problem: string, range?: SourceRange): Diagnostic {
  const at: SourceRange = range ?? { file, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  return diagnostic('ERR_MCP_UNRECOGNIZED_FILE', { tool, argument, file, expected, problem }, { path: `/${argument}`, range: at });
}
