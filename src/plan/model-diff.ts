/**
 * The resource-level difference between two compiled target models, e.g. of two environments of
 * one system (`aninfra diff SPEC --env a --env b`): the target each compiles for, the resources
 * only one side has, and for resources both have, every leaf field that differs with both values.
 * Each model is first written in terms of its own system name (`{system}`), so `teamdocs-dev` and
 * `teamdocs-prod` in names, ids and labels are no difference; everything else is.
 */
import type { ModelNode, TargetModel } from '../compiler/emit/target.js';
import { canonicalJson } from '../compiler/emit/canonical.js';

/** What one side of a diff compiled: the environment, its target and model. */
export interface DiffSide {
  readonly env: string;
  readonly target: string;
  readonly model: TargetModel;
}

export interface NodeRef {
  readonly id: string;
  readonly kind: string;
  readonly module: string | null;
}

export interface FieldChange {
  /** JSON pointer into the node (`/spec/replicas`, `/env/LOG_LEVEL`). */
  readonly path: string;
  /** The value on side a (absent when only b has the field). */
  readonly a?: unknown;
  readonly b?: unknown;
}

export interface ModelDiff {
  readonly equal: boolean;
  readonly target: { readonly a: string; readonly b: string; readonly changed: boolean };
  /** Resources only side b has. */
  readonly added: readonly NodeRef[];
  /** Resources only side a has. */
  readonly removed: readonly NodeRef[];
  readonly changed: readonly (NodeRef & { readonly fields: readonly FieldChange[] })[];
  readonly summary: { readonly added: number; readonly removed: number; readonly changed: number; readonly unchanged: number };
}

/** The placeholder each side's system name is replaced by before comparing. */
export const SYSTEM_PLACEHOLDER = '{system}';

export function modelDiff(a: DiffSide, b: DiffSide): ModelDiff {
  const left = nodesById(a.model);
  const right = nodesById(b.model);
  const added = [...right.keys()].filter((id) => !left.has(id)).sort().map((id) => ref(id, right.get(id) as ModelNode));
  const removed = [...left.keys()].filter((id) => !right.has(id)).sort().map((id) => ref(id, left.get(id) as ModelNode));
  const changed: (NodeRef & { fields: FieldChange[] })[] = [];
  let unchanged = 0;
  for (const id of [...left.keys()].filter((k) => right.has(k)).sort()) {
    const fields = fieldChanges(left.get(id), right.get(id), '');
    if (fields.length > 0) changed.push({ ...ref(id, right.get(id) as ModelNode), fields });
    else unchanged++;
  }
  const targetChanged = a.target !== b.target;
  return {
    equal: !targetChanged && added.length === 0 && removed.length === 0 && changed.length === 0,
    target: { a: a.target, b: b.target, changed: targetChanged },
    added,
    removed,
    changed,
    summary: { added: added.length, removed: removed.length, changed: changed.length, unchanged },
  };
}

/** The model's nodes by id, every string written with `{system}` for the model's own system name. */
function nodesById(model: TargetModel): Map<string, ModelNode> {
  const generic = (v: unknown): unknown => renamed(v, model.system);
  return new Map(model.nodes.map((n) => [generic(n.id) as string, generic(n) as ModelNode]));
}

function renamed(value: unknown, system: string): unknown {
  if (typeof value === 'string') return system === '' ? value : value.split(system).join(SYSTEM_PLACEHOLDER);
  if (Array.isArray(value)) return value.map((v) => renamed(v, system));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, renamed(k, system) as string, { value: renamed(v, system), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

function ref(id: string, node: ModelNode): NodeRef {
  const module = (node.provenance as { module?: unknown } | undefined)?.module;
  return { id, kind: node.kind, module: typeof module === 'string' ? module : null };
}

/** Leaf fields that differ: objects by key, arrays by index, anything else by value. */
function fieldChanges(a: unknown, b: unknown, path: string): FieldChange[] {
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => {
      const p = `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (!(k in b)) return [{ path: p, a: a[k] }];
      if (!(k in a)) return [{ path: p, b: b[k] }];
      return fieldChanges(a[k], b[k], p);
    });
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) return a.flatMap((item, i) => fieldChanges(item, b[i], `${path}/${i}`));
  return canonicalJson(a) === canonicalJson(b) ? [] : [{ path, a, b }];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
