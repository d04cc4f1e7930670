/**
 * One owner per system: before apply, rollback or destroy touch anything, the live resources
 * labelled `aninfra.system=<system>` must carry this state dir's `aninfra.owner` label. Resources
 * without the label (made before owners existed) count as this state dir's only when it has applied
 * the system before. `--adopt` takes a system over on purpose.
 * Codes: ERR_STATE_FOREIGN_OWNER.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import type { Engine, EngineContext, LabelledResource } from '../engine/engine.js';

export async function ownershipProblems(
  scope: { readonly system: string; readonly owner: string; readonly applied: boolean; readonly engine: Engine; readonly ctx: EngineContext },
  adopt: boolean,
): Promise<Diagnostic[]> {
  if (adopt) return [];
  // The engine of the target lists what carries the system's label (Docker resources, cluster objects).
  const foreign = (await scope.engine.labelledResources(scope.ctx)).filter((r) => (r.owner ? r.owner !== scope.owner : !scope.applied));
  if (foreign.length === 0) return [];
  const owners = [...new Set(foreign.map((r) => r.owner || 'unknown (unlabelled resources)'))];
  return [
    diagnostic(
      'ERR_STATE_FOREIGN_OWNER',
      { system: scope.system, owner: owners.map((x) => printable(x)).join(', '), resources: describe(foreign) },
      { hint: 'rename the system (metadata.name) or work from the state directory that owns it; --adopt takes it over on purpose' },
    ),
  ];
}

function describe(list: readonly LabelledResource[]): string {
  const shown = list.slice(0, 6).map((r) => `${r.kind} ${printable(r.name)}`);
  return list.length > shown.length ? `${shown.join(', ')} and ${list.length - shown.length} more` : shown.join(', ');
}
