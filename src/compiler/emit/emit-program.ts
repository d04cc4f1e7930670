/**
 * The target's stages: the design (InfraIR v2) → the target's model (refusing design kinds the
 * target does not realize), and the model → files. Identifiers that cannot be made safe come back
 * as diagnostics.
 * Codes: ERR_TARGET_UNSUPPORTED_KIND, ERR_EMIT_UNSAFE_IDENTIFIER.
 */
import { diagnostic, type StageResult } from '../diagnostics/diagnostic.js';
import type { InfraIR } from '../lower/ir.js';
import { UnsafeIdentifierError } from './printer/ts-ast.js';
import type { EmitContext, EmittedFile, Target, TargetLowerContext, TargetModel } from './target.js';

export function lowerForTarget(ir: InfraIR, target: Target, ctx: TargetLowerContext): StageResult<TargetModel> {
  const unsupported = ir.nodes.filter((n) => !target.supports.includes(n.kind));
  if (unsupported.length > 0) {
    const supported = target.supports.join(', ');
    return {
      diagnostics: unsupported.map((n) => {
        const module = n.provenance.module ?? '';
        return diagnostic('ERR_TARGET_UNSUPPORTED_KIND', { module, kind: n.kind, target: target.name, supported }, { path: module ? `/modules/${module}` : '' });
      }),
    };
  }
  const lowered = target.lower(ir, ctx);
  return { ...(lowered.value ? { value: lowered.value } : {}), diagnostics: lowered.diagnostics };
}

export function emitProgram(model: TargetModel, target: Target, ctx: EmitContext): StageResult<EmittedFile[]> {
  try {
    return { value: target.emit(model, ctx), diagnostics: [] };
  } catch (e) {
    if (e instanceof UnsafeIdentifierError) return { diagnostics: [diagnostic('ERR_EMIT_UNSAFE_IDENTIFIER', { name: e.identifier })] };
    throw e;
  }
}
