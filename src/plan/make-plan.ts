/**
 * plan: the new target model against the model of the baseline revision → per-resource actions
 * (create / update / replace / delete / no-op), each with its reason: the fields that changed,
 * or the rule that synthesized a new resource. It knows no target: the target's plan rules say
 * which field changes apply in place, which resources hold data and which are recreated with
 * another one (docker: a container whenever its image, volume, network or secret is replaced).
 * Changes that strand or delete stored data are marked (`dataLoss`, `dataRisk`, see
 * data-risk.ts), and a baseline that may not match the live system (an interrupted or failed
 * revision after it) is marked `converge`.
 */
import type { ModelNode, PlanRules, TargetModel } from '../compiler/emit/target.js';
import { describeValue } from '../compiler/resolve/value.js';
import { createHash } from 'node:crypto';
import { canonicalJson, sha256 } from '../compiler/emit/canonical.js';
import { assessDataRisk, type DataRisk, type DataRiskKind } from './data-risk.js';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

export interface ResourceChange {
  readonly id: string;
  /** The target's resource kind ('container', 'volume'; 'Deployment'…). */
  readonly kind: string;
  readonly module: string | null;
  readonly action: Action;
  readonly reason: string;
  /** Fields that differ from the applied revision (update / replace). */
  readonly changed: readonly string[];
  readonly rule: string;
  readonly detail: string;
  /** Replacing or deleting this destroys stored data. */
  readonly dataLoss: boolean;
  /** Why this resource's stored data is lost or at risk (set on every resource `dataRisks` names). */
  readonly dataRisk?: DataRiskKind;
}

/** A revision newer than the baseline that did not finish cleanly: the live system may differ from the journal. */
export interface Converge {
  readonly revision: number;
  readonly status: 'failed' | 'interrupted' | 'applying';
}

export interface Plan {
  readonly planVersion: 1;
  readonly system: string;
  readonly target: string;
  /** Hash of the spec text the plan was made from. */
  readonly specHash: string;
  /** Revision the plan was made against (null when nothing was applied yet). */
  readonly baseRevision: number | null;
  readonly planHash: string;
  readonly changes: readonly ResourceChange[];
  readonly summary: Readonly<Record<Action, number>>;
  /** True when anything changes, and also when `converge` is set (apply must check the live system). */
  readonly hasChanges: boolean;
  /** Per module: stored data this plan deletes or endangers (apply refuses unless allowed). */
  readonly dataRisks: readonly DataRisk[];
  readonly converge?: Converge;
  /** The baseline is empty because this revision destroyed the system. */
  readonly destroyedRevision?: number;
}

export interface PlanInput<N extends ModelNode = ModelNode> {
  readonly model: TargetModel<N>;
  /** The plan rules of `target`. */
  readonly rules: PlanRules<N>;
  readonly target: string;
  readonly specText: string;
  /** The baseline revision's model; compared only when it was made for the same target. */
  readonly previous?: { readonly model: TargetModel; readonly revision: number; readonly target: string };
  readonly converge?: Converge;
  readonly destroyedRevision?: number;
}

export function makePlan<N extends ModelNode>(input: PlanInput<N>): Plan {
  const { model: ir, rules } = input;
  // Same target, same model node types (the journal stores each revision's target with its model).
  const previousIr = input.previous?.target === input.target ? (input.previous.model as TargetModel<N>) : undefined;
  const before = new Map((previousIr?.nodes ?? []).map((n) => [n.id, n]));
  const after = new Map(ir.nodes.map((n) => [n.id, n]));
  const change = (node: N, action: Action, reason: string, changed: readonly string[]): ResourceChange => changeOf(node, rules, action, reason, changed);
  const diffed: ResourceChange[] = [];
  for (const node of ir.nodes) {
    const old = before.get(node.id);
    if (!old) {
      diffed.push(change(node, 'create', `new: ${node.provenance.detail} (${node.provenance.rule})`, []));
      continue;
    }
    const changed = diffFields(old, node);
    if (changed.length === 0) {
      diffed.push(change(node, 'no-op', 'unchanged', []));
      continue;
    }
    const replace = changed.some((f) => !rules.inPlace(node, f));
    diffed.push(change(node, replace ? 'replace' : 'update', `changed: ${changed.join(', ')}`, changed));
  }
  for (const old of before.values()) {
    if (!after.has(old.id)) diffed.push(change(old, 'delete', 'no longer in the spec', []));
  }
  const risk = assessDataRisk(previousIr, ir, rules, withReplacedDependencies(ir, rules, diffed));
  const changes = risk.changes;
  const summary: Record<Action, number> = { create: 0, update: 0, replace: 0, delete: 0, 'no-op': 0 };
  for (const c of changes) summary[c.action]++;
  const specHash = sha256(input.specText);
  const baseRevision = input.previous?.revision ?? null;
  const planHash = hashPlan(specHash, baseRevision, input.target, ir, changes, input.converge);
  return {
    planVersion: 1,
    system: ir.system,
    target: input.target,
    specHash,
    baseRevision,
    planHash,
    changes,
    summary,
    hasChanges: input.converge !== undefined || changes.some((c) => c.action !== 'no-op'),
    dataRisks: risk.dataRisks,
    ...(input.converge ? { converge: input.converge } : {}),
    ...(input.destroyedRevision !== undefined ? { destroyedRevision: input.destroyedRevision } : {}),
  };
}

/**
 * What the engines do beyond the field diff: a resource the target recreates with another one
 * (`recreatedWith`: a container with its image, volume, secret or network) is replaced when that
 * one is, and is then never `no-op` or `update`.
 */
function withReplacedDependencies<N extends ModelNode>(ir: TargetModel<N>, rules: PlanRules<N>, changes: readonly ResourceChange[]): ResourceChange[] {
  const replaced = new Map(changes.filter((c) => c.action === 'replace').map((c) => [c.id, c]));
  if (replaced.size === 0 || !rules.recreatedWith) return [...changes];
  const recreatedWith = rules.recreatedWith.bind(rules);
  const nodes = new Map(ir.nodes.map((n) => [n.id, n]));
  return changes.map((c) => {
    const node = nodes.get(c.id);
    if (!node || (c.action !== 'no-op' && c.action !== 'update' && c.action !== 'replace')) return c;
    const causes = [...new Set(recreatedWith(node))].filter((id) => id !== c.id && replaced.has(id));
    if (causes.length === 0) return c;
    const why = causes.map((id) => `${id} is replaced (${(replaced.get(id) as ResourceChange).changed.join(', ') || 'changed'})`).join('; ');
    return { ...c, action: 'replace', reason: c.action === 'no-op' ? `recreated: ${why}` : `${c.reason}; recreated: ${why}` };
  });
}

function changeOf<N extends ModelNode>(node: N, rules: PlanRules<N>, action: Action, reason: string, changed: readonly string[]): ResourceChange {
  const dataLoss = rules.holdsData(node) && (action === 'replace' || action === 'delete');
  return { id: node.id, kind: node.kind, module: node.provenance.module, action, reason, changed, rule: node.provenance.rule, detail: node.provenance.detail, dataLoss };
}

/** Dotted names of the top-level (and env, label and provenance keys) fields that differ. */
function diffFields(a: ModelNode, b: ModelNode): string[] {
  const out: string[] = [];
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  for (const key of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
    if (canonicalJson(ra[key]) === canonicalJson(rb[key])) continue;
    if ((key === 'env' || key === 'labels' || key === 'provenance') && isRecord(ra[key]) && isRecord(rb[key])) {
      const ea = ra[key] as Record<string, unknown>;
      const eb = rb[key] as Record<string, unknown>;
      for (const k of [...new Set([...Object.keys(ea), ...Object.keys(eb)])].sort()) if (canonicalJson(ea[k]) !== canonicalJson(eb[k])) out.push(`${key}.${k}`);
    } else out.push(key);
  }
  return out;
}

function isRecord(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The plan hash, fed node by node. Lowering builds the model deterministically (keys in a fixed order,
 * env and labels sorted; the determinism tests shuffle spec keys and compare bytes), so plain
 * JSON of each node is canonical already, and no sorted copy of a large IR is made.
 */
function hashPlan(specHash: string, baseRevision: number | null, target: string, ir: TargetModel, changes: readonly ResourceChange[], converge: Converge | undefined): string {
  const hash = createHash('sha256');
  // Pieces are gathered into chunks of about a megabyte: one update per node cost more than the JSON.
  let chunk = JSON.stringify({ specHash, baseRevision, target, system: ir.system, ...(converge ? { converge } : {}) });
  const feed = (text: string): void => {
    chunk += text;
    if (chunk.length >= HASH_CHUNK) {
      hash.update(chunk);
      chunk = '';
    }
  };
  for (const node of ir.nodes) feed(JSON.stringify(node));
  // Outputs as text: secret parts appear as placeholders, never as content.
  for (const o of ir.outputs) feed(JSON.stringify([o.module, o.name, o.secret, describeValue(o.value)]));
  for (const c of changes) feed(JSON.stringify(c));
  hash.update(chunk);
  return hash.digest('hex');
}

const HASH_CHUNK = 1 << 20;
