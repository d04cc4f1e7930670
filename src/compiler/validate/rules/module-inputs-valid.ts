/**
 * module-inputs-valid: each module's `with:` block matches its descriptor's input schema, and the
 * descriptor's cross-field checks pass. Fills schema defaults into ctx.inputs.
 * Codes: ERR_INPUT_UNKNOWN_FIELD, ERR_INPUT_MISSING_REQUIRED, ERR_INPUT_WRONG_TYPE,
 * ERR_INPUT_INVALID_VALUE, ERR_INPUT_INVALID_FORMAT, ERR_INPUT_CONFLICT.
 */
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { pointer } from '../../source/json-pointer.js';
import type { ModuleDescriptor } from '../../../modules/descriptor.js';
import { knownModules, type ValidationRule } from '../rule.js';
import { schemaErrorsToDiagnostics } from '../schema-errors.js';

export const moduleInputsValid: ValidationRule = {
  id: 'module-inputs-valid',
  reports: ['ERR_INPUT_UNKNOWN_FIELD', 'ERR_INPUT_MISSING_REQUIRED', 'ERR_INPUT_WRONG_TYPE', 'ERR_INPUT_INVALID_VALUE', 'ERR_INPUT_INVALID_FORMAT', 'ERR_INPUT_CONFLICT'],
  perModule: true,
  // Edge rules call descriptor functions on these inputs, which assume they passed the schema.
  gate: true,
  check(spec, ctx) {
    const out: Diagnostic[] = [];
    for (const [name, m, d] of knownModules(spec, ctx)) {
      const inputs = ctx.inputs.get(name) ?? {};
      const base = pointer('modules', name, 'with');
      const errors = ctx.schemas.check(`module:${d.kind}`, d.inputs, inputs);
      const found = errors.length === 0 ? [] : schemaErrorsToDiagnostics(errors, {
        flavour: 'input',
        base,
        schema: d.inputs,
        data: inputs,
        written: m.with ?? {},
        module: name,
        type: d.kind,
        defaults: (path, property) => exampleValue(d, path, property),
        keyRange: (path) => ctx.document.index.keyRangeOf(path),
      });
      // Without a `with:` block in the spec, a fix must create the block rather than a key inside it.
      out.push(...(m.with === undefined ? withBlockFixes(found, base) : found));
      if (found.length === 0 && d.conflicts) {
        for (const c of d.conflicts(inputs)) {
          out.push(diagnostic('ERR_INPUT_CONFLICT', { module: name, type: d.kind, problem: c.problem }, { path: pointer('modules', name) + c.path }));
        }
      }
    }
    return out;
  },
};

/** The value a descriptor example uses for a missing required input: a valid default an agent can start from. */
function exampleValue(d: ModuleDescriptor, path: string, property: string): unknown {
  if (path !== '') return undefined;
  for (const example of d.examples) {
    const v = example.module.with?.[property];
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * Without a `with:` block, every fix must create the block. Each such fix creates it with all the
 * values the missing inputs' fixes add, so applying any one of them (or all, in any order) leaves
 * the same block instead of each overwriting the others.
 */
function withBlockFixes(found: readonly Diagnostic[], base: string): Diagnostic[] {
  const block: Record<string, unknown> = {};
  for (const d of found) {
    for (const op of d.fix?.patch ?? []) {
      if (op.op === 'add' && op.path.startsWith(base + '/')) block[op.path.slice(base.length + 1).replace(/~1/g, '/').replace(/~0/g, '~')] = op.value;
    }
  }
  return found.map((d) => {
    if (!d.fix || !d.fix.patch.some((op) => op.op === 'add' && op.path.startsWith(base + '/'))) return d;
    return { ...d, fix: { title: d.fix.title, patch: [{ op: 'add' as const, path: base, value: { ...block } }] } };
  });
}
