/**
 * The contract of a validation rule: one concern per file under rules/, listed in rules/index.ts.
 */
import type { Code } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ModuleDescriptor, ModuleRegistry } from '../../modules/descriptor.js';
import type { SpecDocument } from '../parse/parse-spec.js';
import type { HostFiles } from '../source/host-files.js';
import type { SchemaChecker } from './ajv.js';
import { moduleEdges, type ModuleEdge } from './edges.js';
import type { ModuleSpec, SystemSpec, TargetFacts, TargetName } from './spec-types.js';

export interface ValidationContext {
  readonly document: SpecDocument;
  readonly registry: ModuleRegistry;
  readonly schemas: SchemaChecker;
  readonly target: TargetName;
  /** The target registry's names, when the caller gave them (the `target:` enum). */
  readonly targetNames?: readonly TargetName[];
  /** Looks a target up in the registry, when the caller gave it (module-target-supported). */
  readonly targetNamed?: (name: TargetName) => TargetFacts | undefined;
  /**
   * Each module's `with:` block, cloned so the input rule can fill in schema defaults without
   * touching the spec. Later rules and stages read inputs from here.
   */
  readonly inputs: ReadonlyMap<string, Record<string, unknown>>;
  /** Absolute directory of the spec file, which host paths must stay inside; unknown for specs given as text only. */
  readonly specDir?: string;
  /** The host's files, when the caller lets the compiler look (symbolic links, existence). */
  readonly files?: HostFiles;
  /** What several rules ask alike, worked out once per validation (validate-spec makes one per run). */
  readonly memo?: ValidationMemo;
}

export type KnownModule = readonly [string, SystemSpec['modules'][string], ModuleDescriptor];

export interface ValidationMemo {
  /** knownModules of a spec (the whole spec, or the well-formed part after schema errors). */
  readonly known: WeakMap<SystemSpec, readonly KnownModule[]>;
  /** moduleEdges of a module, once its inputs are final (after module-inputs-valid). */
  readonly edges: WeakMap<ModuleSpec, readonly ModuleEdge[]>;
}

export function validationMemo(): ValidationMemo {
  return { known: new WeakMap(), edges: new WeakMap() };
}

export interface ValidationRule {
  /** Equals the file name. */
  readonly id: string;
  /** Every code the rule may emit. */
  readonly reports: readonly Code[];
  /** Whether later rules still run when this one found errors (false for rules the others rely on). */
  readonly gate?: boolean;
  /**
   * Whether the rule looks at each module on its own (its type, version and `with:`), reading
   * nothing of other modules or of the spec's top level. Only such rules still run, on the
   * well-formed modules, after the schema found errors (validate-spec.ts explains why).
   */
  readonly perModule?: boolean;
  check(spec: SystemSpec, ctx: ValidationContext): Diagnostic[];
}

/** Modules whose type has a descriptor, in name order: what most rules iterate. */
export function knownModules(spec: SystemSpec, ctx: ValidationContext): readonly KnownModule[] {
  const memoized = ctx.memo?.known.get(spec);
  if (memoized) return memoized;
  const out: KnownModule[] = [];
  for (const name of Object.keys(spec.modules).sort()) {
    const m = spec.modules[name];
    const d = m ? ctx.registry.get(m.type) : undefined;
    if (m && d) out.push([name, m, d]);
  }
  ctx.memo?.known.set(spec, out);
  return out;
}

/** The edges of a module (edges.ts), for the rules that run after the inputs are final. */
export function edgesOf(ctx: ValidationContext, name: string, m: ModuleSpec, d: ModuleDescriptor): readonly ModuleEdge[] {
  const memoized = ctx.memo?.edges.get(m);
  if (memoized) return memoized;
  const edges = moduleEdges(name, m, d, ctx.inputs.get(name) ?? {});
  ctx.memo?.edges.set(m, edges);
  return edges;
}
