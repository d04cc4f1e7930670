/**
 * A small block-style YAML writer for manifest data (maps, sequences, strings, numbers, booleans,
 * null): several times faster than building a yaml Document per object, which dominated the
 * target's emit time at a thousand modules. It is conservative: a string is written plain only
 * when it matches a narrow pattern that no YAML 1.1 or 1.2 parser reads as anything but that
 * string; multi-line printable text becomes a literal block; everything else is double-quoted
 * with every control, line-separator and non-printable character escaped. Tests parse the output
 * back under YAML 1.1 and 1.2 and compare it with the input. One writer serves a whole file and
 * remembers how it wrote each short key and single-line string (manifests repeat the same labels,
 * names and values thousands of times). Pieces go into a flat array joined once per document:
 * appending to one string builds a rope of millions of small strings, which at 10,000 modules
 * cost hundreds of MB more peak memory and more CPU.
 */
import type { Json } from './model.js';

/** Words YAML 1.1 or 1.2 read as booleans or null, in any case. */
const RESERVED = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', '~']);
/** Plain: starts with a letter or `/`, then letters, digits and `._/:-` (not ending in `.` or `:`); or a quantity like 250m, 1Gi. */
const PLAIN = /^(?:[A-Za-z/][A-Za-z0-9._/:-]*[A-Za-z0-9_/-]|[A-Za-z/]|[0-9]+[A-Za-z]+)$/;
/** A literal block holds printable ASCII lines only, and starts with a non-space. */
const BLOCK = /^[!-~][ -~\n]*$/;

/** One YAML document per value, `---` between them (no trailing separator). */
export function yamlDocuments(values: Iterable<{ readonly [key: string]: Json }>): string {
  const w = new Writer();
  const docs: string[] = [];
  for (const v of values) docs.push(w.document(v));
  return docs.join('---\n');
}

export function yamlDocument(value: { readonly [key: string]: Json }): string {
  return new Writer().document(value);
}

function isPlain(s: string): boolean {
  return PLAIN.test(s) && !RESERVED.has(s.toLowerCase()) && !(s.length === 1 && /^[A-Za-z]$/.test(s));
}

function quoted(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\u009f\u00a0\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function key(k: string): string {
  return isPlain(k) && !/^[0-9]/.test(k) && !k.includes(':') ? k : quoted(k);
}

/** A string on one line (or a literal block, which depends on the indentation). */
function stringScalar(v: string, indent: number): string {
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

function numberScalar(v: number): string {
  if (!Number.isFinite(v)) throw new Error('internal: non-finite number in a manifest');
  return String(v);
}

/** Strings up to this length are remembered with how they are written. */
const CACHED_LENGTH = 256;

class Writer {
  /** The pieces of the document being written (a flat array joined once: no rope of small strings). */
  private out: string[] = [];
  private readonly keys = new Map<string, string>();
  private readonly strings = new Map<string, string>();
  private readonly pads: string[] = [''];

  private pad(indent: number): string {
    let p = this.pads[indent];
    if (p === undefined) {
      p = ' '.repeat(indent);
      this.pads[indent] = p;
    }
    return p;
  }

  private key(k: string): string {
    let written = this.keys.get(k);
    if (written === undefined) {
      written = key(k);
      if (k.length <= CACHED_LENGTH) this.keys.set(k, written);
    }
    return written;
  }

  private string(v: string, indent: number): string {
    if (v.length > CACHED_LENGTH || v.includes('\n')) return stringScalar(v, indent);
    let written = this.strings.get(v);
    if (written === undefined) {
      written = stringScalar(v, indent);
      this.strings.set(v, written);
    }
    return written;
  }

  document(value: { readonly [key: string]: Json }): string {
    this.out = [];
    this.map(value, 0, false);
    return this.out.join('');
  }

  private map(map: { readonly [key: string]: Json }, indent: number, firstInline: boolean): void {
    const pad = this.pad(indent);
    let first = true;
    for (const k of Object.keys(map)) {
      const v = map[k];
      if (v === undefined) continue;
      if (!(first && firstInline)) this.out.push(pad);
      this.out.push(this.key(k), ':');
      first = false;
      this.value(v, indent);
    }
  }

  /** After `key:` or `-`: a scalar on the same line, a collection on the next lines. */
  private value(v: Json, indent: number): void {
    switch (typeof v) {
      case 'string':
        this.out.push(' ', this.string(v, indent + 2), '\n');
        return;
      case 'number':
        this.out.push(' ', numberScalar(v), '\n');
        return;
      case 'boolean':
        this.out.push(v ? ' true\n' : ' false\n');
        return;
      default:
    }
    if (v === null) {
      this.out.push(' null\n');
      return;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) this.out.push(' []\n');
      else {
        this.out.push('\n');
        this.seq(v as readonly Json[], indent + 2);
      }
      return;
    }
    if (isEmptyMap(v as { readonly [key: string]: Json })) this.out.push(' {}\n');
    else {
      this.out.push('\n');
      this.map(v as { readonly [key: string]: Json }, indent + 2, false);
    }
  }

  private seq(seq: readonly Json[], indent: number): void {
    const pad = this.pad(indent);
    for (const item of seq) {
      if (typeof item === 'object' && item !== null && !Array.isArray(item) && !isEmptyMap(item as { readonly [key: string]: Json })) {
        // `- key: value` with the other keys aligned under the first.
        this.out.push(pad, '- ');
        this.map(item as { readonly [key: string]: Json }, indent + 2, true);
      } else {
        this.out.push(pad, '-');
        this.value(item, indent);
      }
    }
  }
}

function isEmptyMap(v: { readonly [key: string]: Json }): boolean {
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) return false;
  return true;
}
