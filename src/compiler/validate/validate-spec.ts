/**
 * validate: SpecDocument → ValidatedSpec. Runs the rules of rules/index.ts in order; a gating
 * rule with errors stops the rest. Attaches a source range to every diagnostic from its pointer.
 *
 * Every independent error is reported in one run; an error that depends on an earlier one is not.
 * The schema is the first gate, and a structural error under one module (`uses: x` as a string, a
 * misspelled field) says nothing about the others: the rules that look at one module on its own
 * (`perModule`: type, version, inputs) still run on every module the schema found no error under,
 * so an unknown type in one module and an unknown input in another show with the structural error
 * in a third. What stays suppressed after a schema error: the broken module's own checks (its
 * fields cannot be trusted), and every rule that reads several modules or the spec's top level
 * (edges, references, names, ports, target support), whose findings could follow from the broken
 * module (a `uses:` naming it, a port it would publish). When the `modules` map itself is broken,
 * nothing after the schema runs. The same holds for the inputs gate: with input errors, the rules
 * after it (which call descriptor functions on the inputs) do not run.
 */
import type { Code } from '../diagnostics/codes.js';
import { hasErrors, type Diagnostic, type StageResult } from '../diagnostics/diagnostic.js';
import type { ModuleRegistry } from '../../modules/descriptor.js';
import type { PointerIndex } from '../parse/pointer-index.js';
import type { SpecDocument } from '../parse/parse-spec.js';
import { memoizedHostFiles, type HostFiles } from '../source/host-files.js';
import { SchemaChecker } from './ajv.js';
import { validationMemo, type ValidationContext } from './rule.js';
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
  const spec = cloneData(document.value) as unknown as SystemSpec;
  const inputs = new Map<string, Record<string, unknown>>();
  const files = options.files ? memoizedHostFiles(options.files) : undefined;
  const schemas = options.schemas ?? new SchemaChecker();
  const memo = validationMemo();
  const ctx = (): ValidationContext => ({
    document,
    registry: options.registry,
    schemas,
    target: options.target ?? spec.target ?? DEFAULT_TARGET,
    ...(options.targetNames ? { targetNames: options.targetNames } : {}),
    ...(options.targetNamed ? { targetNamed: options.targetNamed } : {}),
    inputs,
    memo,
    ...(options.specDir !== undefined ? { specDir: options.specDir } : {}),
    ...(files ? { files } : {}),
  });
  let context = ctx();
  const diagnostics: Diagnostic[] = [];
  // After schema errors: the spec reduced to its well-formed modules, checked by perModule rules only.
  let partial: SystemSpec | undefined;
  for (const rule of rules) {
    if (partial && !rule.perModule) continue;
    const found = rule.check(partial ?? spec, context);
    diagnostics.push(...found);
    if (rule.id === 'spec-schema') {
      if (hasErrors(found)) {
        partial = wellFormedModules(spec, found);
        if (!partial) break;
      }
      // The schema filled defaults (target); take the inputs as they are now.
      for (const [name, m] of Object.entries((partial ?? spec).modules)) inputs.set(name, cloneData((m.with ?? {}) as Record<string, unknown>) as Record<string, unknown>);
      context = ctx();
      continue;
    }
    if (rule.gate && hasErrors(found)) break;
  }
  const located = diagnostics.map((d) => locate(d, document.index));
  if (hasErrors(located)) return { diagnostics: located };
  return { value: { spec, target: context.target, inputs }, diagnostics: located };
}

/**
 * A deep copy of parsed data, as structuredClone makes it (an object an alias shares stays shared)
 * but several times faster for the plain objects, arrays and scalars a spec is made of; anything
 * else is left to structuredClone. Depth is bounded by the parse limits.
 */
export function cloneData(value: unknown, seen: Map<object, unknown> = new Map()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return structuredClone(value);
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(cloneData(item, seen));
    return out;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const key of Object.keys(value)) {
    const item = cloneData((value as Record<string, unknown>)[key], seen);
    // A key named __proto__ is data: defineProperty, as structuredClone and yaml's toJS keep it.
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, writable: true, enumerable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}

/**
 * The spec with only the modules the schema found no error under, or undefined when the errors
 * leave no module to check on its own (the `modules` map itself is missing or not a map).
 */
function wellFormedModules(spec: SystemSpec, errors: readonly Diagnostic[]): SystemSpec | undefined {
  const modules: unknown = (spec as { modules?: unknown }).modules;
  if (typeof modules !== 'object' || modules === null || Array.isArray(modules)) return undefined;
  const broken = new Set<string>();
  for (const d of errors) {
    if (d.severity !== 'error') continue;
    const parts = d.path.split('/');
    if (parts[1] !== 'modules') continue;
    if (parts.length < 3) return undefined;
    broken.add((parts[2] ?? '').replace(/~1/g, '/').replace(/~0/g, '~'));
  }
  const kept: Record<string, SystemSpec['modules'][string]> = {};
  for (const [name, m] of Object.entries(modules as Record<string, unknown>)) {
    // A module the schema did not see as a map with a string type cannot be checked on its own either.
    if (broken.has(name) || typeof m !== 'object' || m === null || typeof (m as { type?: unknown }).type !== 'string') continue;
    kept[name] = m as SystemSpec['modules'][string];
  }
  return Object.keys(kept).length > 0 ? { ...spec, modules: kept } : undefined;
}

export function locate(d: Diagnostic, index: PointerIndex): Diagnostic {
  if (d.range) return d;
  // The system name is the value of metadata.name, not its key.
  const onKey = atKey.has(d.code) && d.path !== '/metadata/name';
  const range = onKey ? index.keyRangeOf(d.path) : index.rangeOf(d.path);
  const related = d.related?.map((r) => (r.range ? r : { ...r, ...(index.rangeOf(r.path) ? { range: index.rangeOf(r.path) } : {}) }));
  return { ...d, ...(range ? { range } : {}), ...(related ? { related } : {}) };
}
