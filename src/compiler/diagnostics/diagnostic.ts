/**
 * The one envelope for everything a user or agent can see, and its typed factory.
 */
import type { SourceRange } from '../source/source-file.js';
import { catalog, type Code, type Severity } from './codes.js';

export type JsonPatchOp =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: unknown }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

export interface Fix {
  readonly title: string;
  readonly patch: readonly JsonPatchOp[];
}

export interface RelatedInfo {
  readonly path: string;
  readonly range?: SourceRange;
  readonly message: string;
}

export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  /** RFC 6901 pointer into the spec; '' is the whole document. */
  readonly path: string;
  readonly range?: SourceRange;
  readonly hint?: string;
  readonly fix?: Fix;
  readonly related?: readonly RelatedInfo[];
  readonly docs: string;
}

type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}` ? P | Placeholders<Rest> : never;

export type DiagnosticArgs<C extends Code> = { readonly [K in Placeholders<(typeof catalog)[C]['template']>]: string | number };

export interface DiagnosticExtras {
  readonly path?: string;
  readonly range?: SourceRange;
  readonly hint?: string;
  readonly fix?: Fix;
  readonly related?: readonly RelatedInfo[];
}

export function diagnostic<C extends Code>(code: C, args: DiagnosticArgs<C>, extras: DiagnosticExtras = {}): Diagnostic {
  const entry = catalog[code];
  const values = args as Readonly<Record<string, string | number>>;
  const message = entry.template.replace(/\{([a-zA-Z]+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole,
  );
  return {
    code,
    severity: entry.severity,
    message,
    path: extras.path ?? '',
    ...(extras.range ? { range: extras.range } : {}),
    ...(extras.hint ? { hint: extras.hint } : {}),
    ...(extras.fix ? { fix: extras.fix } : {}),
    ...(extras.related && extras.related.length > 0 ? { related: extras.related } : {}),
    docs: `aninfra explain ${code}`,
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by file, line, column, code: the order every renderer uses. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.range?.file ?? '').localeCompare(b.range?.file ?? '') ||
      (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0) ||
      (a.range?.start.column ?? 0) - (b.range?.start.column ?? 0) ||
      a.code.localeCompare(b.code) ||
      a.path.localeCompare(b.path),
  );
}

/** The exit code a command ends with when these diagnostics are its result. */
export function exitCodeFor(diagnostics: readonly Diagnostic[]): number {
  let worst = 0;
  for (const d of diagnostics) if (d.severity === 'error') worst = Math.max(worst, catalog[d.code].exit);
  return worst;
}

/** A stage result: a value when the stage succeeded, and every diagnostic it collected. */
export interface StageResult<T> {
  readonly value?: T;
  readonly diagnostics: readonly Diagnostic[];
}
