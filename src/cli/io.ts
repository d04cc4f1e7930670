/**
 * Where a command's output goes. In --json mode stdout carries exactly one JSON document.
 */
import { Chalk } from 'chalk';
import type { Style } from '../compiler/diagnostics/render.js';

export interface Io {
  readonly json: boolean;
  readonly style: Style;
  out(text: string): void;
  err(text: string): void;
  document(doc: unknown): void;
}

export function createIo(options: { json: boolean; color: boolean }): Io {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const style: Style = { red: chalk.red, yellow: chalk.yellow, cyan: chalk.cyan, dim: chalk.dim, bold: chalk.bold, green: chalk.green };
  return {
    json: options.json,
    style,
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : text + '\n'),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : text + '\n'),
    document: (doc) => void process.stdout.write(JSON.stringify(doc, null, 2) + '\n'),
  };
}

/** Colour only on a terminal, never with NO_COLOR or --no-color, always with FORCE_COLOR. */
export function wantColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty;
}
