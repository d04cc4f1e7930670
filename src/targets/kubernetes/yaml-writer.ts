/**
 * A small block-style YAML writer for manifest data (maps, sequences, strings, numbers, booleans,
 * null): several times faster than building a yaml Document per object, which dominated the
 * target's emit time at a thousand modules. It is conservative: a string is written plain only
 * when it matches a narrow pattern that no YAML 1.1 or 1.2 parser reads as anything but that
 * string; multi-line printable text becomes a literal block; everything else is double-quoted
 * with every control, line-separator and non-printable character escaped. Tests parse the output
 * back under YAML 1.1 and 1.2 and compare it with the input.
 */
import type { Json } from './model.js';

/** Words YAML 1.1 or 1.2 read as booleans or null, in any case. */
const RESERVED = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', '~']);
/** Plain: starts with a letter or `/`, then letters, digits and `._/:-` (not ending in `.` or `:`); or a quantity like 250m, 1Gi. */
const PLAIN = /^(?:[A-Za-z/][A-Za-z0-9._/:-]*[A-Za-z0-9_/-]|[A-Za-z/]|[0-9]+[A-Za-z]+)$/;
/** A literal block holds printable ASCII lines only, and starts with a non-space. */
const BLOCK = /^[!-~][ -~\n]*$/;

export function yamlDocument(value: { readonly [key: string]: Json }): string {
  const out: string[] = [];
  writeMap(value, 0, out);
  return out.join('');
}

function isPlain(s: string): boolean {
  return PLAIN.test(s) && !RESERVED.has(s.toLowerCase()) && !/^[A-Za-z]$/.test(s);
}

function quoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u00a0\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function key(k: string): string {
  return isPlain(k) && !/^[0-9]/.test(k) && !k.includes(':') ? k : quoted(k);
}

function scalar(v: string | number | boolean | null, indent: number): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error('internal: non-finite number in a manifest');
    return String(v);
  }
  if (v.includes('\n') && BLOCK.test(v)) {
    const trailing = v.length - v.replace(/\n+$/, '').length;
    if (trailing <= 1) {
      const pad = ' '.repeat(indent);
      const body = (trailing === 1 ? v.slice(0, -1) : v)
        .split('\n')
        .map((line) => (line === '' ? '' : pad + line))
        .join('\n');
      return `${trailing === 1 ? '|' : '|-'}\n${body}`;
    }
  }
  return isPlain(v) ? v : quoted(v);
}

const isCollection = (v: Json): v is readonly Json[] | { readonly [key: string]: Json } => typeof v === 'object' && v !== null;
const isEmpty = (v: readonly Json[] | { readonly [key: string]: Json }): boolean => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);

function writeMap(map: { readonly [key: string]: Json }, indent: number, out: string[], firstInline = false): void {
  const pad = ' '.repeat(indent);
  let first = true;
  for (const [k, v] of Object.entries(map)) {
    if (v === undefined) continue;
    out.push(first && firstInline ? '' : pad, key(k), ':');
    first = false;
    writeValue(v, indent, out);
  }
}

/** After `key:` or `-`: a scalar on the same line, a collection on the next lines. */
function writeValue(v: Json, indent: number, out: string[]): void {
  if (!isCollection(v)) {
    out.push(' ', scalar(v, indent + 2), '\n');
    return;
  }
  if (isEmpty(v)) {
    out.push(Array.isArray(v) ? ' []\n' : ' {}\n');
    return;
  }
  out.push('\n');
  if (Array.isArray(v)) writeSeq(v as readonly Json[], indent + 2, out);
  else writeMap(v as { readonly [key: string]: Json }, indent + 2, out);
}

function writeSeq(seq: readonly Json[], indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const item of seq) {
    if (isCollection(item) && !Array.isArray(item) && !isEmpty(item)) {
      // `- key: value` with the other keys aligned under the first.
      out.push(pad, '- ');
      writeMap(item as { readonly [key: string]: Json }, indent + 2, out, true);
    } else {
      out.push(pad, '-');
      writeValue(item, indent, out);
    }
  }
}
