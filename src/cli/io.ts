/**
 * Where a command's output goes. In --json mode stdout carries exactly one JSON document.
 *
 * Escaping happens here, by construction, so no command can forget it: every text written with
 * out/err passes through printable() (line feeds kept), so a control character from a spec, a file
 * or an engine reaches the terminal only as `\uXXXX`. Colour survives because the Style functions
 * do not emit escape sequences: they wrap their span in marks made of two private-use characters
 * around a random per-Io token, and only after escaping does write() turn marks into SGR codes.
 * Input cannot forge a mark (it cannot know the token), and any mark character that comes from input
 * is escaped like a control. With colour off the Style functions are the identity, so nothing but
 * printable text and line feeds is written. JSON documents get the same treatment: JSON.stringify
 * escapes C0 controls but leaves DEL, C1 controls, U+2028/2029 and bidi overrides raw; printable()
 * writes those as JSON `\uXXXX` escapes, so the document still parses to the same values.
 */
import { randomBytes } from 'node:crypto';
import { printable } from '../compiler/diagnostics/printable.js';
import type { Style } from '../compiler/diagnostics/render.js';

export interface Io {
  readonly json: boolean;
  readonly style: Style;
  out(text: string): void;
  err(text: string): void;
  document(doc: unknown): void;
}

export interface IoOptions {
  readonly json: boolean;
  readonly color: boolean;
  /** Where stdout and stderr text goes (tests); default the process streams. */
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/** The two private-use characters that delimit a style mark. */
const MARK_START = '\ue000';
const MARK_END = '\ue001';

/** SGR open and close codes of each style; ids are one letter so marks stay short. */
const SGR: Readonly<Record<keyof Style, { id: string; open: string }>> = {
  red: { id: 'r', open: '\u001b[31m' },
  yellow: { id: 'y', open: '\u001b[33m' },
  cyan: { id: 'c', open: '\u001b[36m' },
  green: { id: 'g', open: '\u001b[32m' },
  dim: { id: 'd', open: '\u001b[2m' },
  bold: { id: 'b', open: '\u001b[1m' },
};
const RESET = '\u001b[0m';
const OPEN_BY_ID = new Map(Object.values(SGR).map((s) => [s.id, s.open]));

/** Every SGR sequence io itself may write: what a test may strip before looking for controls. */
export const IO_SGR_SEQUENCES: readonly string[] = [...Object.values(SGR).map((s) => s.open), RESET];

export function createIo(options: IoOptions): Io {
  const token = randomBytes(8).toString('hex');
  const style = styleFor(options.color, token);
  const terminal = (text: string): string => toTerminal(text, token);
  const stdout = options.stdout ?? ((t: string) => void process.stdout.write(t));
  const stderr = options.stderr ?? ((t: string) => void process.stderr.write(t));
  const line = (text: string): string => (text.endsWith('\n') ? text : text + '\n');
  return {
    json: options.json,
    style,
    out: (text) => stdout(line(terminal(text))),
    err: (text) => stderr(line(terminal(text))),
    document: (doc) => stdout(jsonText(doc) + '\n'),
  };
}

/** JSON with every character printable() escapes written as a `\uXXXX` escape (the values are unchanged). */
export function jsonText(doc: unknown): string {
  return printable(JSON.stringify(doc, null, 2), { multiline: true });
}

function styleFor(color: boolean, token: string): Style {
  const wrap = (id: string) => (s: string) => `${MARK_START}${token}${id}${MARK_END}${s}${MARK_START}${token}/${MARK_END}`;
  const plain = (s: string): string => s;
  const pick = (name: keyof Style): ((s: string) => string) => (color ? wrap(SGR[name].id) : plain);
  return { red: pick('red'), yellow: pick('yellow'), cyan: pick('cyan'), dim: pick('dim'), bold: pick('bold'), green: pick('green') };
}

/**
 * Escape the text, then turn this Io's marks into SGR codes. Nested spans work: closing one resets
 * and re-opens the spans still open around it.
 */
function toTerminal(text: string, token: string): string {
  const marks = new RegExp(`${MARK_START}${token}([a-z/])${MARK_END}`, 'g');
  const escape = (s: string): string => printable(s, { multiline: true }).replace(/[\ue000\ue001]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  const open: string[] = [];
  let out = '';
  let last = 0;
  for (const m of text.matchAll(marks)) {
    out += escape(text.slice(last, m.index));
    last = m.index + m[0].length;
    const id = m[1] as string;
    if (id !== '/') {
      const code = OPEN_BY_ID.get(id);
      if (code === undefined) continue;
      open.push(code);
      out += code;
    } else if (open.pop() !== undefined) {
      out += RESET + open.join('');
    }
  }
  out += escape(text.slice(last));
  return open.length > 0 ? out + RESET : out;
}

/** Colour only on a terminal, never with NO_COLOR or --no-color, always with FORCE_COLOR. */
export function wantColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty;
}
