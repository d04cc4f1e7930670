/**
 * Text of an edited yaml Document that differs from the original text only on the lines the edit
 * touched. `yaml` re-renders a whole document (normalizing spacing before comments, flow padding,
 * indentation, runs of blank lines); so both the original and the edited document are rendered
 * with the style detected from the source, and:
 *  1. the original lines are matched to the lines of its own rendering (equal but for whitespace);
 *  2. the rendering is diffed against the edited rendering;
 *  3. unchanged lines are copied from the original (with lines only the original has, such as a
 *     second blank line, kept where they stood), changed lines come from the edited rendering in
 *     the style of the line they replace.
 * The result is checked to parse to the edited document; if it does not, the full rendering is
 * used: still the same document, comments and key order kept, only re-spaced.
 */
import { isDeepStrictEqual } from 'node:util';
import { diffArrays } from 'diff';
import { parseDocument, type Document, type ToStringOptions } from 'yaml';

export function renderEdited(originalText: string, before: Document, after: Document): string {
  const options = detectStyle(originalText);
  const baseline = before.toString(options);
  const edited = after.toString(options);
  if (baseline === edited) return originalText;
  const eol = originalText.includes('\r\n') ? '\r\n' : '\n';
  const trailingNewline = originalText.length === 0 || /\n$/.test(originalText);
  const finish = (lines: readonly string[]): string => {
    const text = lines.join(eol);
    return trailingNewline ? text + eol : text;
  };
  const original = splitLines(originalText.replace(/\r\n/g, '\n'));
  const base = splitLines(baseline);
  const next = splitLines(edited);
  const merged = finish(merge(original, base, next));
  const reread = parseDocument(merged);
  return reread.errors.length === 0 && isDeepStrictEqual(reread.toJS(), after.toJS()) ? merged : finish(next);
}

function merge(original: readonly string[], base: readonly string[], next: readonly string[]): string[] {
  const squash = (s: string): string => s.replace(/\s+/g, '');
  // Which original line each baseline line is, and the original-only lines before each baseline line.
  const same = new Map<number, number>();
  const before = new Map<number, string[]>();
  let o = 0;
  let b = 0;
  for (const part of diffArrays(original.map(squash), base.map(squash))) {
    const n = part.value.length;
    if (part.removed) {
      before.set(b, [...(before.get(b) ?? []), ...original.slice(o, o + n)]);
      o += n;
    } else if (part.added) b += n;
    else {
      for (let k = 0; k < n; k++) same.set(b + k, o + k);
      o += n;
      b += n;
    }
  }

  const out: string[] = [];
  const keep = (bi: number): void => void out.push(...(before.get(bi) ?? []));
  b = 0;
  const parts = diffArrays([...base], [...next]);
  for (const [k, part] of parts.entries()) {
    const previous = parts[k - 1];
    if (part.added) {
      // Lines edited in place keep the original's comment column and flow-collection spacing.
      const paired = previous?.removed && previous.value.length === part.value.length;
      out.push(...part.value.map((line, j) => {
        const at = paired ? same.get(b - part.value.length + j) : undefined;
        return at === undefined ? line : restyleLine(original[at] as string, line);
      }));
      continue;
    }
    for (let j = 0; j < part.value.length; j++, b++) {
      keep(b);
      if (part.removed) continue;
      const at = same.get(b);
      if (at !== undefined) out.push(original[at] as string);
    }
  }
  keep(base.length);
  return out;
}

/** An edited line in the style of the line it replaces: comment at the same column, flow brackets as tight. */
export function restyleLine(original: string, edited: string): string {
  let line = edited;
  if (/[[{]\S/.test(original) && !/[[{] /.test(original)) line = tightenFlow(line);
  const was = commentOf(original);
  const now = commentOf(line);
  if (was && now && was.comment === now.comment) {
    const code = line.slice(0, now.codeEnd);
    line = code.length < was.column ? code.padEnd(was.column) + now.comment : `${code} ${now.comment}`;
  }
  return line;
}

/** A trailing `# comment` outside quotes: where the code ends and the comment starts. */
function commentOf(line: string): { codeEnd: number; column: number; comment: string } | undefined {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && i > 0 && /\s/.test(line[i - 1] as string)) {
      const code = line.slice(0, i).replace(/\s+$/, '');
      return code.trim() === '' ? undefined : { codeEnd: code.length, column: i, comment: line.slice(i) };
    }
  }
  return undefined;
}

/** `[ a, b ]` → `[a, b]`, outside quoted strings. */
function tightenFlow(line: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quote) {
      if (c === quote) quote = '';
      out += c;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    if (c === '#' && i > 0 && /\s/.test(line[i - 1] as string)) return out + line.slice(i);
    if (c === ' ' && (/[[{]$/.test(out) || /^[\]}]/.test(line.slice(i + 1)))) continue;
    out += c;
  }
  return out;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Rendering options that match the source: indent width, list indentation, flow padding, no folding. */
export function detectStyle(text: string): ToStringOptions {
  const lines = text.split(/\r?\n/);
  let indent = 2;
  for (let i = 1; i < lines.length; i++) {
    const m = /^( +)\S/.exec(lines[i] as string);
    const prev = lines[i - 1] as string;
    if (m && /:\s*(#.*)?$/.test(prev) && /^\S/.test(prev) && !/^ *-/.test(lines[i] as string)) {
      indent = (m[1] as string).length;
      break;
    }
  }
  // Block sequences written flush with their key (`uses:\n- a`) rather than indented.
  let flush = 0;
  let indented = 0;
  for (let i = 1; i < lines.length; i++) {
    const item = /^( *)- /.exec(lines[i] as string);
    const key = /^( *)[^\s#-][^:]*:\s*(#.*)?$/.exec(lines[i - 1] as string);
    if (!item || !key) continue;
    if ((item[1] as string).length === (key[1] as string).length) flush++;
    else indented++;
  }
  const padded = (text.match(/(?<!\$)[[{] \S/g) ?? []).length;
  const tight = (text.match(/(?<!\$)[[{][^\s\]}]/g) ?? []).length;
  return { indent, indentSeq: !(flush > indented), flowCollectionPadding: padded >= tight, lineWidth: 0, minContentWidth: 0 };
}
