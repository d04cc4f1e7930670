/**
 * The contract of a validation rule: one concern per file under rules/, listed in rules/index.ts.
 */
import type { Code } from '../diagnostics/codes.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ModuleDescriptor, ModuleRegistry } from '../../modules/descriptor.js';
import type { SpecDocument } from '../parse/parse-spec.js';
import type { HostFiles } from '../source/host-files.js';
import type { SchemaChecker } from './ajv.js';
import type { SystemSpec, TargetFacts, TargetName } from './spec-types.js';

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
export function knownModules(spec: SystemSpec, ctx: ValidationContext): [string, SystemSpec['modules'][string], ModuleDescriptor][] {
  const out: [string, SystemSpec['modules'][string], ModuleDescriptor][] = [];
  for (const name of Object.keys(spec.modules).sort()) {
    const m = spec.modules[name];
    const d = m ? ctx.registry.get(m.type) : undefined;
    if (m && d) out.push([name, m, d]);
  }
  return out;
}
