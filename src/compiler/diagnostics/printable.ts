/**
 * The one function every string from a spec, a file or an engine passes through before it reaches
 * a terminal: C0 and C1 controls (ESC, CSI, BEL, CR, backspace …), DEL, the Unicode line and
 * paragraph separators and the bidirectional overrides are shown as `\uXXXX`, so no input can
 * move the cursor, erase a line, change colours, set the window title or reorder text.
 * `multiline` keeps line feeds (log tails, hints spanning lines); everything else is escaped.
 */

// C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;
// The same without the line feed: multiline text (a JSON document of megabytes) then costs one
// regex scan, not one callback per line.
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

const escaped = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

export function printable(text: string, options: { readonly multiline?: boolean } = {}): string {
  return text.replace(options.multiline ? UNSAFE_BUT_LF : UNSAFE, escaped);
}
