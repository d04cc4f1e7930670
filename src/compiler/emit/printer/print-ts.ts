/**
 * Prints the TypeScript model. Every string literal goes through `stringLiteral` (JSON.stringify,
 * plus escapes for the two line terminators older parsers reject); identifiers are already branded.
 */
import type { Expr, Program, Stmt } from './ts-ast.js';

export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const SAFE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function printProgram(program: Program): string {
  const lines: string[] = [program.header.trimEnd(), ''];
  for (const s of program.statements) lines.push(printStmt(s));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function printStmt(s: Stmt): string {
  switch (s.k) {
    case 'import-star':
      return `import * as ${s.name} from ${stringLiteral(s.from)};`;
    case 'const':
      return `${s.exported ? 'export ' : ''}const ${s.name} = ${printExpr(s.init, 0)};`;
    case 'comment':
      // Comments carry only generated text; still, nothing in them may end the comment.
      return s.text
        .split('\n')
        .map((l) => `// ${l.replace(/[\u2028\u2029\r]/g, ' ')}`)
        .join('\n');
    case 'blank':
      return '';
    default:
      return assertNever(s);
  }
}

function printExpr(e: Expr, indent: number): string {
  const pad = '  '.repeat(indent + 1);
  const close = '  '.repeat(indent);
  switch (e.k) {
    case 'str':
      return stringLiteral(e.value);
    case 'num':
      if (!Number.isFinite(e.value)) throw new Error('non-finite number in emitted program');
      return String(e.value);
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'ident':
      return e.name;
    case 'member':
      return `${printExpr(e.object, indent)}.${e.property}`;
    case 'obj':
      if (e.entries.length === 0) return '{}';
      return `{\n${e.entries.map(([k, v]) => `${pad}${propertyKey(k)}: ${printExpr(v, indent + 1)},`).join('\n')}\n${close}}`;
    case 'arr':
      if (e.items.length === 0) return '[]';
      if (e.items.every((i) => i.k === 'str' || i.k === 'num' || i.k === 'bool') && e.items.length <= 8) {
        const flat = `[${e.items.map((i) => printExpr(i, indent)).join(', ')}]`;
        if (flat.length <= 100) return flat;
      }
      return `[\n${e.items.map((i) => `${pad}${printExpr(i, indent + 1)},`).join('\n')}\n${close}]`;
    case 'call':
      return `${printExpr(e.callee, indent)}(${e.args.map((a) => printExpr(a, indent)).join(', ')})`;
    case 'new':
      return `new ${printExpr(e.callee, indent)}(${e.args.map((a) => printExpr(a, indent)).join(', ')})`;
    default:
      return assertNever(e);
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
