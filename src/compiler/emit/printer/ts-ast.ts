/**
 * A small typed model of the TypeScript that targets emit. Targets build this model; only the
 * printer turns it into text, so user data can never become code.
 */

/** An identifier that passed `identifier()`; the brand stops raw strings from being used as one. */
export type Identifier = string & { readonly __identifier: true };

export type Expr =
  | { readonly k: 'str'; readonly value: string }
  | { readonly k: 'num'; readonly value: number }
  | { readonly k: 'bool'; readonly value: boolean }
  | { readonly k: 'null' }
  | { readonly k: 'ident'; readonly name: Identifier }
  | { readonly k: 'member'; readonly object: Expr; readonly property: Identifier }
  | { readonly k: 'obj'; readonly entries: readonly (readonly [string, Expr])[] }
  | { readonly k: 'arr'; readonly items: readonly Expr[] }
  | { readonly k: 'call'; readonly callee: Expr; readonly args: readonly Expr[] }
  | { readonly k: 'new'; readonly callee: Expr; readonly args: readonly Expr[] };

export type Stmt =
  | { readonly k: 'import-star'; readonly name: Identifier; readonly from: string }
  | { readonly k: 'const'; readonly name: Identifier; readonly init: Expr; readonly exported: boolean }
  | { readonly k: 'comment'; readonly text: string }
  | { readonly k: 'blank' };

export interface Program {
  readonly header: string;
  readonly statements: readonly Stmt[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await async of arguments eval undefined NaN Infinity'.split(
    ' ',
  ),
);

export class UnsafeIdentifierError extends Error {
  readonly identifier: string;
  constructor(name: string) {
    super(`unsafe identifier ${JSON.stringify(name)}`);
    this.identifier = name;
  }
}

/** The one sanitizer for identifiers: accepts only plain ASCII names that are not reserved words. */
export function identifier(name: string): Identifier {
  if (!IDENTIFIER.test(name) || RESERVED.has(name) || name.length > 200) throw new UnsafeIdentifierError(name);
  return name as Identifier;
}

export const str = (value: string): Expr => ({ k: 'str', value });
export const num = (value: number): Expr => ({ k: 'num', value });
export const bool = (value: boolean): Expr => ({ k: 'bool', value });
export const ref = (name: Identifier): Expr => ({ k: 'ident', name });
export const member = (object: Expr, property: string): Expr => ({ k: 'member', object, property: identifier(property) });
export const obj = (entries: readonly (readonly [string, Expr | undefined])[]): Expr => ({
  k: 'obj',
  entries: entries.filter((e): e is readonly [string, Expr] => e[1] !== undefined),
});
export const arr = (items: readonly Expr[]): Expr => ({ k: 'arr', items });
export const call = (callee: Expr, ...args: Expr[]): Expr => ({ k: 'call', callee, args });
export const newExpr = (callee: Expr, ...args: Expr[]): Expr => ({ k: 'new', callee, args });
