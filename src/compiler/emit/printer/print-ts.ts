/**
 * Prints the TypeScript model. Every string literal goes through `stringLiteral` (JSON.stringify,
 * plus escapes for the two line terminators older parsers reject); identifiers are already branded.
 *
 * A statement's pieces are gathered in one list and joined once (not built per level with map/join
 * and copied into the parent's text, nor appended into a rope of millions of cells). A `ProgramWriter` takes statements one at
 * a time, so a target can print each resource as soon as it is built and drop its model (a
 * 10,000-module program is 30 MB of text; its whole model at once was most of the heap).
 */
import type { Expr, Program, Stmt } from './ts-ast.js';

export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const SAFE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function printProgram(program: Program): string {
  const writer = new ProgramWriter(program.header);
  for (const s of program.statements) writer.statement(s);
  return writer.text();
}

/**
 * The header, one blank line, then the statements, one per line; runs of blank lines print as
 * one, and the text ends in exactly one newline.
 */
export class ProgramWriter {
  private readonly out: string[] = [];
  private started = false;
  /** Blank lines since the last printed line. */
  private blanks = 0;

  constructor(header: string) {
    const head = header.trimEnd().replace(/\n{3,}/g, '\n\n');
    if (head === '') this.blanks++;
    else this.line(head);
    this.blanks++;
  }

  statement(s: Stmt): void {
    switch (s.k) {
      case 'import-star':
        this.line(`import * as ${s.name} from ${stringLiteral(s.from)};`);
        return;
      case 'const':
        this.line(`${s.exported ? 'export ' : ''}const ${s.name} = ${exprText(s.init, 0)};`);
        return;
      case 'comment':
        // Comments carry only generated text; still, nothing in them may end the comment.
        this.line(
          s.text
            .split('\n')
            .map((l) => `// ${l.replace(/[\u2028\u2029\r]/g, ' ')}`)
            .join('\n'),
        );
        return;
      case 'blank':
        this.blanks++;
        return;
      default:
        assertNever(s);
    }
  }

  text(): string {
    return this.out.join('').trimEnd() + '\n';
  }

  /** Starts a non-empty line (the rest of it may follow as more pieces). */
  private line(start: string): void {
    if (this.started) this.out.push(this.blanks > 0 ? '\n\n' : '\n');
    else if (this.blanks > 0) this.out.push(this.blanks === 1 ? '\n' : '\n\n');
    this.out.push(start);
    this.started = true;
    this.blanks = 0;
  }
}

const pads: string[] = [];
function pad(n: number): string {
  return (pads[n] ??= '  '.repeat(n));
}

function scalarText(e: Expr): string {
  switch (e.k) {
    case 'str':
      return stringLiteral(e.value);
    case 'num':
      if (!Number.isFinite(e.value)) throw new Error('non-finite number in emitted program');
      return String(e.value);
    case 'bool':
      return e.value ? 'true' : 'false';
    default:
      throw new Error(`not a scalar: ${e.k}`);
  }
}

/** An expression's text: its pieces gathered in one list and joined once, a flat string. */
function exprText(e: Expr, indent: number): string {
  const out: string[] = [];
  writeExpr(out, e, indent);
  return out.join('');
}

function writeExpr(out: string[], e: Expr, indent: number): void {
  switch (e.k) {
    case 'str':
    case 'num':
    case 'bool':
      out.push(scalarText(e));
      return;
    case 'null':
      out.push('null');
      return;
    case 'ident':
      out.push(e.name);
      return;
    case 'member':
      writeExpr(out, e.object, indent);
      out.push('.', e.property);
      return;
    case 'obj': {
      if (e.entries.length === 0) {
        out.push('{}');
        return;
      }
      const inner = pad(indent + 1);
      out.push('{\n');
      for (const [k, v] of e.entries) {
        out.push(inner, propertyKey(k), ': ');
        writeExpr(out, v, indent + 1);
        out.push(',\n');
      }
      out.push(pad(indent), '}');
      return;
    }
    case 'arr': {
      if (e.items.length === 0) {
        out.push('[]');
        return;
      }
      if (e.items.length <= 8 && e.items.every((i) => i.k === 'str' || i.k === 'num' || i.k === 'bool')) {
        const flat = `[${e.items.map(scalarText).join(', ')}]`;
        if (flat.length <= 100) {
          out.push(flat);
          return;
        }
      }
      const inner = pad(indent + 1);
      out.push('[\n');
      for (const item of e.items) {
        out.push(inner);
        writeExpr(out, item, indent + 1);
        out.push(',\n');
      }
      out.push(pad(indent), ']');
      return;
    }
    case 'call':
    case 'new':
      if (e.k === 'new') out.push('new ');
      writeExpr(out, e.callee, indent);
      out.push('(');
      for (let i = 0; i < e.args.length; i++) {
        if (i > 0) out.push(', ');
        writeExpr(out, e.args[i] as Expr, indent);
      }
      out.push(')');
      return;
    default:
      assertNever(e);
  }
}

/** An object key as data: `__proto__` (bare or quoted) would set the prototype, so it is computed. */
function propertyKey(k: string): string {
  if (k === '__proto__') return `[${stringLiteral(k)}]`;
  return SAFE_KEY.test(k) ? k : stringLiteral(k);
}

function assertNever(x: never): never {
  throw new Error(`unexpected node ${JSON.stringify(x)}`);
}
