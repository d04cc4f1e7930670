/**
 * The fast path of parse: the plain block YAML specs are written in (nested mappings and
 * sequences, one scalar per line), read in one pass straight into the JS value, without the yaml
 * library's token, CST and node objects, and without loading the library at all. Plain scalars
 * resolve as the yaml library's core schema (YAML 1.2) resolves them (`coreTags`, its tests and
 * conversions in its order), so every value is exactly the one `Document.toJS` gives; the tests
 * compare the two on every YAML file of the repository and on random documents.
 *
 * It accepts only text it is sure about and answers undefined for anything else: flow
 * collections, block scalars, multi-line or escaped quoted scalars, anchors, aliases, tags,
 * directives and document markers, tabs, CR and other control characters, duplicate keys, keys
 * that are not plain strings, nesting deeper than the limit, and every indentation it does not
 * expect. The caller then parses with the yaml library, which reports every error and limit.
 * Positions are not kept here: parse-spec builds them from the full parse only when asked.
 */

/**
 * The yaml library's core schema for plain scalars (yaml 2.x `schema/core`, `schema/common/null`),
 * in its order: the first tag whose test matches converts; no match is a string.
 */
const coreTags: readonly (readonly [RegExp, (s: string) => unknown])[] = [
  [/^(?:~|[Nn]ull|NULL)?$/, () => null],
  [/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T'],
  [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
  [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
  [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
  [/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
  [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
];

/** First characters no core tag test accepts (they all start with ~, n/N, t/T, f/F, a digit, a sign or a dot). */
const stringStart = /^[^~nNtTfF0-9+\-.]/;

/** Characters the subset never reads: control characters (CR and tab among them), BOM, line and paragraph separators. */
const unsupported = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/u;

/** Thrown inside the parser when the text leaves the subset; parseBlockYaml turns it into undefined. */
const LEAVE = Symbol('leave the fast path');

interface Lines {
  /** Indentation (spaces) of each content line (not blank, not a comment). */
  readonly indent: number[];
  /** Offset of the first non-space character. */
  readonly from: number[];
  /** Offset after the last non-space character. */
  readonly to: number[];
}

/** The mapping at the top of `text`, or undefined when the text is outside the subset. */
export function parseBlockYaml(text: string, maxDepth: number): Record<string, unknown> | undefined {
  if (unsupported.test(text)) return undefined;
  const lines = contentLines(text);
  if (!lines || lines.indent.length === 0 || lines.indent[0] !== 0) return undefined;
  const parser = new BlockParser(text, lines, maxDepth);
  try {
    return parser.top();
  } catch (e) {
    if (e === LEAVE) return undefined;
    throw e;
  }
}

function contentLines(text: string): Lines | undefined {
  const indent: number[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let f = start;
    while (f < end && text.charCodeAt(f) === 32) f++;
    if (f < end && text.charCodeAt(f) !== 35 /* # */) {
      // Directives and document markers belong to the full parser.
      if (f === start && (text.charCodeAt(f) === 37 /* % */ || /^(?:---|\.\.\.)(?: |$)/.test(text.slice(f, Math.min(end, f + 4))))) return undefined;
      let t = end;
      while (t > f && text.charCodeAt(t - 1) === 32) t--;
      indent.push(f - start);
      from.push(f);
      to.push(t);
    }
    start = end + 1;
  }
  return { indent, from, to };
}

class BlockParser {
  private i = 0;
  private readonly n: number;

  constructor(
    private readonly text: string,
    private readonly lines: Lines,
    private readonly maxDepth: number,
  ) {
    this.n = lines.indent.length;
  }

  top(): Record<string, unknown> {
    if (this.entryAt(0)) throw LEAVE;
    const value = this.map(0, 0, this.lines.from[0] as number);
    if (this.i !== this.n) throw LEAVE;
    return value;
  }

  /** Whether content line `line` starts a sequence entry (`-` then a space or the line's end). */
  private entryAt(line: number): boolean {
    const from = this.lines.from[line] as number;
    return this.text.charCodeAt(from) === 45 && (from + 1 === this.lines.to[line] || this.text.charCodeAt(from + 1) === 32);
  }

  private depth(depth: number): void {
    if (depth > this.maxDepth) throw LEAVE;
  }

  /** The block node starting on the current line, which is indented by `col`. */
  private node(col: number, depth: number): unknown {
    this.depth(depth);
    return this.entryAt(this.i) ? this.seq(col, depth) : this.map(col, depth, this.lines.from[this.i] as number);
  }

  /** A value left empty after `key:` or `-`: a nested block, or null. */
  private nested(col: number, depth: number, sameIndentSeq: boolean): unknown {
    const { indent } = this.lines;
    if (this.i < this.n) {
      const next = indent[this.i] as number;
      if (next > col || (sameIndentSeq && next === col && this.entryAt(this.i))) return this.node(next, depth);
    }
    this.depth(depth);
    return null;
  }

  /** A mapping whose keys are at column `col`; its first key starts at offset `from` of the current line. */
  private map(col: number, depth: number, from: number): Record<string, unknown> {
    const { text } = this;
    const { indent } = this.lines;
    const out: Record<string, unknown> = {};
    let at = from;
    for (;;) {
      const to = this.lines.to[this.i] as number;
      const colon = this.keyEnd(at, to);
      if (colon < 0) throw LEAVE;
      const key = this.key(at, colon);
      if (Object.hasOwn(out, key)) throw LEAVE;
      let rest = colon + 1;
      while (rest < to && text.charCodeAt(rest) === 32) rest++;
      this.i++;
      let value: unknown;
      if (rest === to || text.charCodeAt(rest) === 35) value = this.nested(col, depth + 1, true);
      else {
        value = this.scalar(rest, to, depth + 1);
        if (this.i < this.n && (indent[this.i] as number) > col) throw LEAVE;
      }
      // As yaml's addPairToJSMap: a key the object already answers (__proto__) becomes an own property.
      if (key in out) Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
      else out[key] = value;
      if (this.i >= this.n || (indent[this.i] as number) < col) return out;
      if ((indent[this.i] as number) > col || this.entryAt(this.i)) throw LEAVE;
      at = this.lines.from[this.i] as number;
    }
  }

  /** A sequence whose `-` indicators are at column `col`. */
  private seq(col: number, depth: number): unknown[] {
    const { text } = this;
    const { indent } = this.lines;
    const out: unknown[] = [];
    for (;;) {
      const from = this.lines.from[this.i] as number;
      const to = this.lines.to[this.i] as number;
      let c = from + 1;
      while (c < to && text.charCodeAt(c) === 32) c++;
      let item: unknown;
      if (c === to || text.charCodeAt(c) === 35) {
        this.i++;
        item = this.nested(col, depth + 1, false);
      } else if (text.charCodeAt(c) === 45 && (c + 1 === to || text.charCodeAt(c + 1) === 32)) {
        throw LEAVE;
      } else if (this.keyEnd(c, to) >= 0) {
        this.depth(depth + 1);
        item = this.map(col + (c - from), depth + 1, c);
      } else {
        item = this.scalar(c, to, depth + 1);
        this.i++;
        if (this.i < this.n && (indent[this.i] as number) > col) throw LEAVE;
      }
      out.push(item);
      if (this.i >= this.n || (indent[this.i] as number) < col) return out;
      if ((indent[this.i] as number) > col) throw LEAVE;
      if (!this.entryAt(this.i)) return out;
    }
  }

  /**
   * Where the `:` of an implicit key starting at `at` is, or -1 when the content is no `key:`
   * (a scalar). Leaves the subset for quoted keys and anything the scan cannot be sure of.
   */
  private keyEnd(at: number, to: number): number {
    const { text } = this;
    const first = text.charCodeAt(at);
    if (first === 91 || first === 123) return -1;
    if (first === 34 || first === 39) {
      // A quoted scalar: a key only when `:` follows its closing quote.
      const close = text.indexOf(text[at] as string, at + 1);
      if (close < 0 || close >= to) throw LEAVE;
      if (text.charCodeAt(close + 1) === 58) throw LEAVE;
      return -1;
    }
    for (let j = at; j < to; j++) {
      const c = text.charCodeAt(j);
      if (c === 58 /* : */ && (j + 1 === to || text.charCodeAt(j + 1) === 32)) return j;
      if (c === 35 /* # */ && j > at && text.charCodeAt(j - 1) === 32) return -1;
    }
    return -1;
  }

  /** A plain key: it must read as a string (no number, bool or null) the same way as yaml reads it. */
  private key(at: number, colon: number): string {
    const key = this.text.slice(at, colon);
    if (colon - at > 1000 || !plainStart(key) || key.includes(':') || /[\s[\]{},]/.test(key)) throw LEAVE;
    const value = plainValue(key);
    if (typeof value !== 'string') throw LEAVE;
    return value;
  }

  /** A one-line scalar or flow collection from `at` to the line's end (`to`), a trailing comment aside. */
  private scalar(at: number, to: number, depth: number): unknown {
    this.depth(depth);
    const { text } = this;
    const first = text.charCodeAt(at);
    if (first === 91 || first === 123) {
      const value = this.flow(at, to, depth);
      let k = this.pos;
      while (k < to && text.charCodeAt(k) === 32) k++;
      if (k < to && (k === this.pos || text.charCodeAt(k) !== 35)) throw LEAVE;
      return value;
    }
    if (first === 34 || first === 39) {
      const close = text.indexOf(text[at] as string, at + 1);
      if (close < 0 || close >= to) throw LEAVE;
      const inner = text.slice(at + 1, close);
      if (first === 34 ? inner.includes('\\') : text.charCodeAt(close + 1) === 39) throw LEAVE;
      let k = close + 1;
      while (k < to && text.charCodeAt(k) === 32) k++;
      if (k < to && (k === close + 1 || text.charCodeAt(k) !== 35)) throw LEAVE;
      return inner;
    }
    let end = to;
    for (let j = at; j < to; j++) {
      const c = text.charCodeAt(j);
      if (c === 35 && text.charCodeAt(j - 1) === 32) {
        end = j;
        break;
      }
      if (c === 58 && (j + 1 === to || text.charCodeAt(j + 1) === 32)) throw LEAVE;
      if (c === 91 || c === 93 || c === 123 || c === 125) throw LEAVE;
    }
    while (end > at && text.charCodeAt(end - 1) === 32) end--;
    const raw = text.slice(at, end);
    if (!plainStart(raw)) throw LEAVE;
    return plainValue(raw);
  }

  /** Where the last flow node read ends. */
  private pos = 0;

  /** A flow node at `at` within one line (ends before `to`); sets `pos` after it. */
  private flow(at: number, to: number, depth: number): unknown {
    this.depth(depth);
    const { text } = this;
    const first = text.charCodeAt(at);
    if (first === 91 || first === 123) {
      const isSeq = first === 91;
      const close = isSeq ? 93 : 125;
      const seq: unknown[] = [];
      const map: Record<string, unknown> = {};
      let p = this.space(at + 1, to);
      if (text.charCodeAt(p) === close) {
        this.pos = p + 1;
        return isSeq ? seq : map;
      }
      for (;;) {
        if (isSeq) {
          seq.push(this.flow(p, to, depth + 1));
        } else {
          const start = p;
          while (p < to && text.charCodeAt(p) !== 58 && !',[]{}#'.includes(text[p] as string)) p++;
          if (text.charCodeAt(p) !== 58 || text.charCodeAt(p + 1) !== 32) throw LEAVE;
          let end = p;
          while (end > start && text.charCodeAt(end - 1) === 32) end--;
          const key = this.key(start, end);
          if (end !== p || Object.hasOwn(map, key)) throw LEAVE;
          const valueAt = this.space(p + 1, to);
          const c = text.charCodeAt(valueAt);
          if (c === 44 || c === close) throw LEAVE;
          const value = this.flow(valueAt, to, depth + 1);
          if (key in map) Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
          else map[key] = value;
        }
        p = this.space(this.pos, to);
        const c = text.charCodeAt(p);
        if (c === close) {
          this.pos = p + 1;
          return isSeq ? seq : map;
        }
        if (c !== 44 || p >= to) throw LEAVE;
        p = this.space(p + 1, to);
        if (text.charCodeAt(p) === close || p >= to) throw LEAVE;
      }
    }
    if (first === 34 || first === 39) {
      const close = text.indexOf(text[at] as string, at + 1);
      if (close < 0 || close >= to) throw LEAVE;
      const inner = text.slice(at + 1, close);
      if (first === 34 ? inner.includes('\\') : text.charCodeAt(close + 1) === 39) throw LEAVE;
      const next = text.charCodeAt(close + 1);
      if (next === 58) throw LEAVE;
      this.pos = close + 1;
      return inner;
    }
    // A plain scalar in flow context ends at `,`, `]` or `}`; `:`, `#` and other brackets leave the subset.
    let end = at;
    while (end < to) {
      const c = text.charCodeAt(end);
      if (c === 44 || c === 93 || c === 125) break;
      if (c === 58 || c === 91 || c === 123 || (c === 35 && text.charCodeAt(end - 1) === 32)) throw LEAVE;
      end++;
    }
    if (end >= to) throw LEAVE;
    this.pos = end;
    while (end > at && text.charCodeAt(end - 1) === 32) end--;
    const raw = text.slice(at, end);
    if (!plainStart(raw)) throw LEAVE;
    return plainValue(raw);
  }

  private space(p: number, to: number): number {
    while (p < to && this.text.charCodeAt(p) === 32) p++;
    return p;
  }
}

/** Whether a plain scalar may start so (no indicator; `-` only before a digit, letter or dot). */
function plainStart(s: string): boolean {
  const c = s.charCodeAt(0);
  if (Number.isNaN(c)) return false;
  if (c === 45) return /^-[0-9A-Za-z.]/.test(s);
  return !'?:,[]{}#&*!|>\'"%@` '.includes(s[0] as string);
}

/** What yaml's core schema makes of a plain scalar: the first tag whose test matches, else the string. */
function plainValue(s: string): unknown {
  if (stringStart.test(s)) return s;
  for (const [test, convert] of coreTags) if (test.test(s)) return convert(s);
  return s;
}
