/**
 * Applying the fixes diagnostics carry to the spec's YAML text: one named fix (MCP apply_fix), or
 * every fix in turn (`aninfra fix`), re-validating after each one, since one fix changes what the
 * next diagnostics are. The loop is bounded and never applies the same diagnostic's fix twice.
 * Codes: ERR_FIX_NOT_FOUND, ERR_FIX_PATCH_FAILED.
 */
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import { diagnostic, sortDiagnostics, type Diagnostic, type Fix, type JsonPatchOp } from '../compiler/diagnostics/diagnostic.js';
import type { Compilation } from '../compiler/pipeline.js';
import type { SpecDocument } from '../compiler/parse/parse-spec.js';
import { compileText } from './compile-file.js';
import { applyPatchToDocument } from '../fix/apply-patch-to-document.js';
import { renderEdited } from '../fix/render-edited.js';

export interface AppliedFix {
  readonly code: string;
  readonly path: string;
  readonly title: string;
  readonly patch: readonly JsonPatchOp[];
}

export type TextEdit = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostic: Diagnostic };

/** Validate as `aninfra validate` does: every stage up to the IR, no emitting. */
export function checkSpecText(path: string, text: string): Compilation {
  return compileText(path, text, { until: 'lower' });
}

/** Apply one fix to the text the document was parsed from; the rest of the text is kept as it is. */
export function applyFixToText(text: string, spec: SpecDocument, fix: Fix): TextEdit {
  const failed = (reason: string, path: string): TextEdit => ({ ok: false, diagnostic: diagnostic('ERR_FIX_PATCH_FAILED', { title: fix.title, reason }, { path }) });
  const patched = applyPatchToDocument(spec.document, fix.patch);
  if (!patched.ok) return failed(patched.reason, fix.patch[patched.index]?.path ?? '');
  let edited: string;
  try {
    edited = renderEdited(text, spec.document, patched.document);
  } catch (e) {
    // yaml refuses to render, e.g. an alias whose anchor the patch removed.
    return failed(e instanceof Error ? e.message : String(e), fix.patch[0]?.path ?? '');
  }
  const reparsed = parseDocument(edited);
  if (reparsed.errors.length > 0) return failed(`the edit would leave invalid YAML (${reparsed.errors[0]?.code ?? 'error'})`, fix.patch[0]?.path ?? '');
  return { ok: true, text: edited };
}

export interface NamedFixResult {
  readonly ok: boolean;
  readonly text: string;
  readonly applied?: AppliedFix;
  /** After the fix: the spec's remaining diagnostics. On failure: why (ERR_FIX_NOT_FOUND / ERR_FIX_PATCH_FAILED). */
  readonly diagnostics: readonly Diagnostic[];
}

/** Apply the fix of the diagnostic with this code at this JSON pointer (what an agent picked from validate). */
export function applyNamedFix(path: string, text: string, code: string, pointer: string): NamedFixResult {
  const before = checkSpecText(path, text);
  const target = before.diagnostics.find((d) => d.code === code && d.path === pointer && d.fix);
  if (!target?.fix || !before.document) {
    const available = before.diagnostics.filter((d) => d.fix).map((d) => `${d.code} at '${d.path}'`);
    const hint = available.length > 0 ? `fixes available now: ${available.join('; ')}` : 'no diagnostic of this spec offers a fix';
    return { ok: false, text, diagnostics: [diagnostic('ERR_FIX_NOT_FOUND', { code, path: pointer }, { path: pointer, hint })] };
  }
  const edit = applyFixToText(text, before.document, target.fix);
  if (!edit.ok) return { ok: false, text, diagnostics: [edit.diagnostic] };
  const after = checkSpecText(path, edit.text);
  return { ok: true, text: edit.text, applied: appliedOf(target, target.fix), diagnostics: after.diagnostics };
}

export interface FixAllOptions {
  /** Only fixes of diagnostics with this code. */
  readonly code?: string;
  /** Upper bound on fixes applied (each is followed by a re-validation). */
  readonly maxSteps?: number;
}

export interface FixAllResult {
  readonly text: string;
  readonly applied: readonly AppliedFix[];
  /** Fixes that could not be applied (ERR_FIX_PATCH_FAILED), then skipped. */
  readonly failed: readonly Diagnostic[];
  /** Diagnostics of the final text. */
  readonly diagnostics: readonly Diagnostic[];
  readonly compilation: Compilation;
  /** True when the loop stopped at maxSteps with fixes still offered. */
  readonly exhausted: boolean;
}

export const DEFAULT_MAX_FIX_STEPS = 50;

/** Apply the first offered fix, re-validate, repeat until no new fix is offered (bounded). */
export function fixAll(path: string, text: string, options: FixAllOptions = {}): FixAllResult {
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_FIX_STEPS;
  const applied: AppliedFix[] = [];
  const failed: Diagnostic[] = [];
  const tried = new Set<string>();
  let current = text;
  let compilation = checkSpecText(path, current);
  for (;;) {
    const next = compilation.diagnostics.find((d) => d.fix && (options.code === undefined || d.code === options.code) && !tried.has(identity(d, d.fix)));
    if (!next?.fix || !compilation.document) return { text: current, applied, failed, diagnostics: compilation.diagnostics, compilation, exhausted: false };
    if (applied.length >= maxSteps) return { text: current, applied, failed, diagnostics: compilation.diagnostics, compilation, exhausted: true };
    tried.add(identity(next, next.fix));
    const edit = applyFixToText(current, compilation.document, next.fix);
    if (!edit.ok) {
      failed.push(edit.diagnostic);
      continue;
    }
    if (edit.text === current) continue;
    current = edit.text;
    applied.push(appliedOf(next, next.fix));
    compilation = checkSpecText(path, current);
  }
}

/** Failures first, then the spec's diagnostics, in the usual order. */
export function fixDiagnostics(result: Pick<FixAllResult, 'failed' | 'diagnostics'>): Diagnostic[] {
  return [...result.failed, ...sortDiagnostics(result.diagnostics)];
}

function appliedOf(d: Diagnostic, fix: Fix): AppliedFix {
  return { code: d.code, path: d.path, title: fix.title, patch: fix.patch };
}

/** What makes a fix "the same one again": its diagnostic and its edit. */
function identity(d: Diagnostic, fix: Fix): string {
  return createHash('sha256').update(JSON.stringify([d.code, d.path, d.message, fix.patch])).digest('hex');
}
