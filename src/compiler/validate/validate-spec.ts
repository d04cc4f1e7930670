/**
 * validate: SpecDocument → ValidatedSpec. Runs the rules of rules/index.ts in order; a gating
 * rule with errors stops the rest. Attaches a source range to every diagnostic from its pointer.
 */
import type { Code } from '../diagnostics/codes.js';
import { hasErrors, type Diagnostic, type StageResult } from '../diagnostics/diagnostic.js';
import type { ModuleRegistry } from '../../modules/descriptor.js';
import type { PointerIndex } from '../parse/pointer-index.js';
import type { SpecDocument } from '../parse/parse-spec.js';
import type { HostFiles } from '../source/host-files.js';
import { SchemaChecker } from './ajv.js';
import type { ValidationContext } from './rule.js';
import { rules } from './rules/index.js';
import { DEFAULT_TARGET, type SystemSpec, type TargetFacts, type TargetName } from './spec-types.js';

export interface ValidatedSpec {
  readonly spec: SystemSpec;
  readonly target: TargetName;
  /** Each module's inputs with schema defaults applied. */
  readonly inputs: ReadonlyMap<string, Readonly<Record<string, unknown>>>;
}

export interface ValidateOptions {
  readonly registry: ModuleRegistry;
  /** Overrides the spec's `target` (the --target flag). */
  readonly target?: TargetName;
  /** The target registry's names (src/targets/index.ts, handed in: the compiler never imports it). */
  readonly targetNames?: readonly TargetName[];
  readonly targetNamed?: (name: TargetName) => TargetFacts | undefined;
  readonly schemas?: SchemaChecker;
  /** Absolute directory of the spec file: build contexts and served roots must stay inside it. */
  readonly specDir?: string;
  /** Lets the host-paths-confined rule follow symbolic links and see what exists. */
  readonly files?: HostFiles;
}

/** Codes whose natural location is the key that names the field, not its value. */
const atKey: ReadonlySet<Code> = new Set<Code>(['ERR_SPEC_UNKNOWN_FIELD', 'ERR_INPUT_UNKNOWN_FIELD', 'ERR_SPEC_INVALID_NAME', 'ERR_NAME_RESERVED_SEPARATOR', 'ERR_LABEL_RESERVED_PREFIX']);

export function validateSpec(document: SpecDocument, options: ValidateOptions): StageResult<ValidatedSpec> {
  const spec = structuredClone(document.value) as unknown as SystemSpec;
  const inputs = new Map<string, Record<string, unknown>>();
  const ctx = (): ValidationContext => ({
    document,
    registry: options.registry,
    schemas: options.schemas ?? new SchemaChecker(),
    target: options.target ?? spec.target ?? DEFAULT_TARGET,
    ...(options.targetNames ? { targetNames: options.targetNames } : {}),
    ...(options.targetNamed ? { targetNamed: options.targetNamed } : {}),
    inputs,
    ...(options.specDir !== undefined ? { specDir: options.specDir } : {}),
    ...(options.files ? { files: options.files } : {}),
  });
  let context = ctx();
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const found = rule.check(spec, context);
    diagnostics.push(...found);
    if (rule.id === 'spec-schema') {
      if (hasErrors(found)) break;
      // The schema filled defaults (target); take the inputs as they are now.
      for (const [name, m] of Object.entries(spec.modules)) inputs.set(name, structuredClone((m.with ?? {}) as Record<string, unknown>));
      context = ctx();
      continue;
    }
    if (rule.gate && hasErrors(found)) break;
  }
  const located = diagnostics.map((d) => locate(d, document.index));
  if (hasErrors(located)) return { diagnostics: located };
  return { value: { spec, target: context.target, inputs }, diagnostics: located };
}

export function locate(d: Diagnostic, index: PointerIndex): Diagnostic {
  if (d.range) return d;
  // The system name is the value of metadata.name, not its key.
  const onKey = atKey.has(d.code) && d.path !== '/metadata/name';
  const range = onKey ? index.keyRangeOf(d.path) : index.rangeOf(d.path);
  const related = d.related?.map((r) => (r.range ? r : { ...r, ...(index.rangeOf(r.path) ? { range: index.rangeOf(r.path) } : {}) }));
  return { ...d, ...(range ? { range } : {}), ...(related ? { related } : {}) };
}
