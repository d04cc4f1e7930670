/**
 * The contract of a target: it reads IR kinds and never mentions a module.
 */
import type { InfraIR, IrKind } from '../lower/ir.js';

export interface EmittedFile {
  /** Path relative to the output directory. */
  readonly path: string;
  readonly content: string;
}

export interface EmitContext {
  /** Path from the output directory to the directory of the spec file (build contexts and binds are relative to it). */
  readonly specDirFromOut: string;
  /** aninfra version, written into generated headers. */
  readonly toolVersion: string;
}

export interface Target {
  /** Equals the file name. */
  readonly name: string;
  readonly summary: string;
  readonly supports: readonly IrKind[];
  emit(ir: InfraIR, ctx: EmitContext): EmittedFile[];
}
