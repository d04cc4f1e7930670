/**
 * Which changes of a plan delete or strand stored data. The data of a stateful module lives in a
 * resource its target says holds data (`PlanRules.holdsData`: docker's kept volume, a
 * PersistentVolumeClaim); it is lost or at risk when:
 * - `module-removed`: the module left the spec (removed or renamed): its volume is deleted or left behind;
 * - `type-change`: the module keeps its name but changes type (postgres → mysql would open postgres files);
 * - `major-version`: a new major version cannot open the data directory (postgres 16 → 17);
 * - `volume-replaced`: the data resource itself is replaced or deleted for another reason.
 * Each finding marks the data resource's change (`dataRisk`) and becomes one `DataRisk` per module.
 * A module's type and version come from the provenance of its nodes: a node made by rule
 * `module:<type>` has the detail `<type> <version>`.
 */
import type { ModelNode, PlanRules, TargetModel } from '../compiler/emit/target.js';

export type DataRiskKind = 'major-version' | 'type-change' | 'module-removed' | 'volume-replaced';

export interface DataRisk {
  readonly module: string;
  readonly kind: DataRiskKind;
  /** Id of the resource that holds the data (docker: the kept volume). */
  readonly volume: string;
  /** Module type before the change. */
  readonly type: string;
  /** Before / after: versions (major-version), types (type-change), the reason (volume-replaced). */
  readonly from: string;
  readonly to: string;
}

interface Change {
  readonly id: string;
  readonly action: string;
  readonly reason: string;
  readonly module: string | null;
  readonly dataLoss: boolean;
  readonly dataRisk?: DataRiskKind;
}

export function assessDataRisk<N extends ModelNode, C extends Change>(
  before: TargetModel<N> | undefined,
  after: TargetModel<N>,
  rules: Pick<PlanRules<N>, 'holdsData'>,
  changes: readonly C[],
): { changes: C[]; dataRisks: DataRisk[] } {
  const risks = new Map<string, DataRisk>();
  if (before) {
    const was = identities(before);
    const is = identities(after);
    const modulesAfter = new Set(after.nodes.flatMap((n) => (n.provenance.module === null ? [] : [n.provenance.module])));
    const byId = new Map(changes.map((c) => [c.id, c]));
    for (const v of before.nodes) {
      const module = v.provenance.module;
      if (module === null || !rules.holdsData(v)) continue;
      const old = was.get(module);
      const now = is.get(module);
      const type = old?.type ?? 'unknown';
      const c = byId.get(v.id);
      const risk = (kind: DataRiskKind, from: string, to: string): DataRisk => ({ module, kind, volume: v.id, type, from, to });
      if (!modulesAfter.has(module)) risks.set(v.id, risk('module-removed', type, ''));
      else if (old && old.type !== now?.type) risks.set(v.id, risk('type-change', old.type, now?.type ?? 'another kind of module'));
      else if (old && now && major(old.version) !== major(now.version)) risks.set(v.id, risk('major-version', old.version, now.version));
      else if (c && (c.action === 'replace' || c.action === 'delete')) risks.set(v.id, risk('volume-replaced', c.reason, c.action));
    }
  }
  for (const c of changes) {
    if (c.dataLoss && !risks.has(c.id)) risks.set(c.id, { module: c.module ?? '(system)', kind: 'volume-replaced', volume: c.id, type: 'unknown', from: c.reason, to: c.action });
  }
  const marked = changes.map((c) => {
    const r = risks.get(c.id);
    return r ? { ...c, dataRisk: r.kind } : c;
  });
  const dataRisks = [...risks.values()].sort((a, b) => (a.module === b.module ? (a.volume < b.volume ? -1 : 1) : a.module < b.module ? -1 : 1));
  return { changes: marked, dataRisks };
}

/** Module → type and version, from the provenance of its nodes made by rule `module:<type>` (detail `<type> <version>…`). */
function identities(ir: TargetModel): Map<string, { type: string; version: string }> {
  const out = new Map<string, { type: string; version: string }>();
  for (const n of ir.nodes) {
    const { module, rule, detail } = n.provenance;
    if (module === null || out.has(module) || !rule.startsWith('module:')) continue;
    const type = rule.slice('module:'.length);
    const m = /^(\S+) ([^\s,]+)/.exec(detail);
    if (m && m[1] === type) out.set(module, { type, version: m[2] as string });
  }
  return out;
}

function major(version: string): string {
  return version.split('.')[0] as string;
}
