/**
 * plan: the new IR against the IR of the baseline revision → per-resource actions
 * (create / update / replace / delete / no-op), each with its reason: the fields that changed,
 * or the rule that synthesized a new resource. It predicts what the engines do: a container is
 * replaced whenever its image (or a volume, network or secret it uses) is. Changes that strand or
 * delete stored data are marked (`dataLoss`, `dataRisk`, see data-risk.ts), and a baseline that
 * may not match the live system (an interrupted or failed revision after it) is marked `converge`.
 */
import type { DockerModel, DockerNode } from '../targets/docker-family/model.js';
import { describeValue } from '../compiler/resolve/value.js';
import { createHash } from 'node:crypto';
import { canonicalJson, sha256 } from './canonical.js';
import { assessDataRisk, type DataRisk, type DataRiskKind } from './data-risk.js';

export type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op';

export interface ResourceChange {
  readonly id: string;
  readonly kind: DockerNode['kind'];
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

export interface PlanInput {
  readonly ir: DockerModel;
  readonly target: string;
  readonly specText: string;
  readonly previous?: { readonly ir: DockerModel; readonly revision: number; readonly target: string };
  readonly converge?: Converge;
  readonly destroyedRevision?: number;
}

/**
 * Fields whose change the engines apply without recreating the resource: only aninfra's own
 * bookkeeping, never anything Docker sees. Container labels are immutable in Docker (Compose
 * recreates on any label change), and dependsOn only orders operations. Volumes, networks and
 * built images carry their provenance rule and module as labels, so only the detail text is in place.
 */
const inPlace: Readonly<Record<DockerNode['kind'], readonly string[]>> = {
  network: ['provenance.detail'],
  volume: ['provenance.detail'],
  secret: ['provenance'],
  image: ['provenance.detail'],
  container: ['provenance', 'envOrigin', 'dependsOn'],
};

const appliesInPlace = (kind: DockerNode['kind'], field: string): boolean => inPlace[kind].includes(field) || inPlace[kind].includes(field.split('.')[0] as string);

export function makePlan(input: PlanInput): Plan {
  const { ir } = input;
  const previousIr = input.previous?.target === input.target ? input.previous.ir : undefined;
  const before = new Map((previousIr?.nodes ?? []).map((n) => [n.id, n]));
  const after = new Map(ir.nodes.map((n) => [n.id, n]));
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
    const replace = changed.some((f) => !appliesInPlace(node.kind, f));
    diffed.push(change(node, replace ? 'replace' : 'update', `changed: ${changed.join(', ')}`, changed));
  }
  for (const old of before.values()) {
    if (!after.has(old.id)) diffed.push(change(old, 'delete', 'no longer in the spec', []));
  }
  const risk = assessDataRisk(previousIr, ir, withReplacedDependencies(ir, diffed));
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
 * What the engines do beyond the field diff: a container whose image is replaced (new ref, new
 * source, new build hash) is recreated from the new image, and so is one whose volume, secret or
 * network is replaced. Such a container is never `no-op` or `update`.
 */
function withReplacedDependencies(ir: DockerModel, changes: readonly ResourceChange[]): ResourceChange[] {
  const replaced = new Map(changes.filter((c) => c.action === 'replace' && c.kind !== 'container').map((c) => [c.id, c]));
  if (replaced.size === 0) return [...changes];
  const containers = new Map(ir.nodes.flatMap((n) => (n.kind === 'container' ? [[n.id, n] as const] : [])));
  return changes.map((c) => {
    const node = containers.get(c.id);
    if (!node || (c.action !== 'no-op' && c.action !== 'update' && c.action !== 'replace')) return c;
    const uses = [node.image, ...node.dependsOn, ...node.mounts.flatMap((m) => (m.kind === 'volume' ? [m.volume] : []))];
    const causes = [...new Set(uses)].filter((id) => replaced.has(id));
    if (causes.length === 0) return c;
    const why = causes.map((id) => `${id} is replaced (${(replaced.get(id) as ResourceChange).changed.join(', ') || 'changed'})`).join('; ');
    return { ...c, action: 'replace', reason: c.action === 'no-op' ? `recreated: ${why}` : `${c.reason}; recreated: ${why}` };
  });
}

function change(node: DockerNode, action: Action, reason: string, changed: readonly string[]): ResourceChange {
  const dataLoss = node.kind === 'volume' && node.keep && (action === 'replace' || action === 'delete');
  return { id: node.id, kind: node.kind, module: node.provenance.module, action, reason, changed, rule: node.provenance.rule, detail: node.provenance.detail, dataLoss };
}

/** Dotted names of the top-level (and env, label and provenance keys) fields that differ. */
function diffFields(a: DockerNode, b: DockerNode): string[] {
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
 * The plan hash, fed node by node. Lowering builds the IR deterministically (keys in a fixed order,
 * env and labels sorted; the determinism tests shuffle spec keys and compare bytes), so plain
 * JSON of each node is canonical already, and no sorted copy of a large IR is made.
 */
function hashPlan(specHash: string, baseRevision: number | null, target: string, ir: DockerModel, changes: readonly ResourceChange[], converge: Converge | undefined): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ specHash, baseRevision, target, system: ir.system, ...(converge ? { converge } : {}) }));
  for (const node of ir.nodes) hash.update(JSON.stringify(node));
  // Outputs as text: secret parts appear as placeholders, never as content.
  for (const o of ir.outputs) hash.update(JSON.stringify([o.module, o.name, o.secret, describeValue(o.value)]));
  for (const c of changes) hash.update(JSON.stringify(c));
  return hash.digest('hex');
}
