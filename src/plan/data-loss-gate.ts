/**
 * The gate apply, apply of a saved plan and rollback pass before they take the lock: a plan that
 * deletes or strands stored data (`plan.dataRisks`) is refused unless the caller allowed it
 * (`--allow-data-loss`, MCP `allowDataLoss`).
 * Codes: ERR_PLAN_DATA_LOSS.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { DataRisk } from './data-risk.js';
import type { Plan } from './make-plan.js';

export function dataLossGate(plan: Pick<Plan, 'dataRisks'>, allow: boolean): Diagnostic | undefined {
  if (allow || plan.dataRisks.length === 0) return undefined;
  const changes = plan.dataRisks.map((r) => `${r.volume} of module '${r.module}' (${describe(r)})`).join('; ');
  return diagnostic('ERR_PLAN_DATA_LOSS', { changes }, { hint: 'back up or migrate the data, then rerun the same command with --allow-data-loss (MCP: allowDataLoss: true)' });
}

function describe(r: DataRisk): string {
  switch (r.kind) {
    case 'module-removed':
      return `${r.type} module removed or renamed`;
    case 'type-change':
      return `type ${r.from} → ${r.to}`;
    case 'major-version':
      return `${r.type} ${r.from} → ${r.to}`;
    case 'volume-replaced':
      return `volume ${r.to === 'delete' ? 'deleted' : 'replaced'}: ${r.from}`;
    default: {
      const never: never = r.kind;
      return never;
    }
  }
}
