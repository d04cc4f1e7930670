/**
 * The contract of a target: it lowers the target-neutral InfraIR (a system design) to its own
 * resources (the target model), emits files from them, and owns its engine facts: which design
 * kinds it realizes, its engines, its plan rules (what changes in place, what holds data) and how
 * its resources are named. A target reads IR kinds only, never modules.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { DesignFeature, InfraIR, Provenance, StackOutput } from '../lower/ir.js';
import type { CostEstimate } from './cost.js';

export interface EmittedFile {
  /** Path relative to the output directory. */
  readonly path: string;
  readonly content: string;
  /**
   * Only ever read (a read-only mount): a writer may store files of identical content once, as
   * hard links of one file (thousands of equal load-balancer configs cost a file write each).
   */
  readonly readOnly?: true;
}

export interface EmitContext {
  /** Path from the output directory to the directory of the spec file (build contexts and binds are relative to it). */
  readonly specDirFromOut: string;
  /**
   * Path from the spec file's directory to the output directory, when known: lets a file the
   * program writes (a generated Dockerfile) be named relative to a build context.
   */
  readonly outDirFromSpec?: string;
  /** aninfra version, written into generated headers. */
  readonly toolVersion: string;
}

/** One resource of a target model: a container, a network, a Kubernetes object… */
export interface ModelNode {
  /** Unique in the model, stable across revisions (plans diff by it). */
  readonly id: string;
  /** The target's resource kind ('container', 'volume'; 'Deployment', 'PersistentVolumeClaim'). */
  readonly kind: string;
  readonly provenance: Provenance;
  readonly dependsOn: readonly string[];
}

/**
 * What a target deploys: its resources in dependency order, and the system's outputs. The journal
 * stores it with each revision (rollback, teardown and plans read it back).
 */
export interface TargetModel<N extends ModelNode = ModelNode> {
  readonly system: string;
  readonly nodes: readonly N[];
  readonly outputs: readonly StackOutput[];
}

/** How the target's engines apply changes: the planner asks these instead of knowing any target. */
export interface PlanRules<N extends ModelNode = ModelNode> {
  /** Whether a change of `field` (top-level key, or `env.X`, `labels.X`, `provenance.X`) of `node` is applied without recreating it. */
  inPlace(node: N, field: string): boolean;
  /** The node holds stored data: replacing or deleting it loses (or strands) that data. */
  holdsData(node: N): boolean;
  /** Ids of nodes whose replacement recreates this one (its image, its volumes); default none. */
  recreatedWith?(node: N): readonly string[];
}

/** The design fields under a module's with: (src/modules/contract/l4-inputs.ts) whose realization a target explains. */
export const DESIGN_FIELDS = ['replicas', 'autoscale', 'resources', 'availability', 'backup'] as const;
export type DesignField = (typeof DESIGN_FIELDS)[number];

/**
 * How a target realizes each design kind and feature of its `supports` and each design field: one
 * sentence each, naming its resources and the warning code when it realizes the field differently.
 * `modules describe` and the generated docs show it per module.
 */
export type Realization = Readonly<Partial<Record<DesignFeature | DesignField, string>>>;

export interface TargetLowerContext {
  /** aninfra version. */
  readonly toolVersion: string;
}

export interface Target<N extends ModelNode = ModelNode> {
  /** Equals the file (or folder) name under src/targets. */
  readonly name: string;
  readonly summary: string;
  /** Design kinds and features it realizes; a module needing another fails validation (ERR_TARGET_UNSUPPORTED_MODULE), a node of another kind gets ERR_TARGET_UNSUPPORTED_KIND before lowering. */
  readonly supports: readonly DesignFeature[];
  /** How it realizes each supported design kind/feature and each design field (every one has an entry). */
  readonly realization: Realization;
  /** Engines that can apply its programs, the default first. */
  readonly engines: readonly string[];
  /** InfraIR → this target's resources, with coded warnings for design fields it realizes differently (docker: autoscale runs `min` replicas). */
  lower(ir: InfraIR, ctx: TargetLowerContext): { readonly value?: TargetModel<N>; readonly diagnostics: readonly Diagnostic[] };
  emit(model: TargetModel<N>, ctx: EmitContext): EmittedFile[];
  readonly plan: PlanRules<N>;
  /** A monthly cost estimate of the design on this target (its own price tables and sizing); `plan` shows it when present. */
  cost?(design: InfraIR): CostEstimate;
}
