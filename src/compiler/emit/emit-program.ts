/**
 * emit: InfraIR → files, through the chosen target. Refuses IR kinds the target does not support
 * and identifiers that cannot be made safe, as diagnostics.
 * Codes: ERR_EMIT_UNSAFE_IDENTIFIER.
 */
import { diagnostic, type StageResult } from '../diagnostics/diagnostic.js';
import type { InfraIR } from '../lower/ir.js';
import { UnsafeIdentifierError } from './printer/ts-ast.js';
import type { EmitContext, EmittedFile, Target } from './target.js';

export function emitProgram(ir: InfraIR, target: Target, ctx: EmitContext): StageResult<EmittedFile[]> {
  const unsupported = ir.nodes.find((n) => !target.supports.includes(n.kind));
  if (unsupported) {
    return { diagnostics: [diagnostic('ERR_INTERNAL', { detail: `target ${target.name} cannot emit ${unsupported.kind} node ${unsupported.id}` })] };
  }
  try {
    return { value: target.emit(ir, ctx), diagnostics: [] };
  } catch (e) {
    if (e instanceof UnsafeIdentifierError) return { diagnostics: [diagnostic('ERR_EMIT_UNSAFE_IDENTIFIER', { name: e.identifier })] };
    throw e;
  }
}
