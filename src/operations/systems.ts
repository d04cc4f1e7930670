/**
 * The systems a state directory holds (`<state dir>/<system>/journal`), for front ends that address
 * systems by name (HTTP GET /v1/systems, /v1/systems/{name}): each with its latest revision and the
 * spec file that revision was applied from, which the state operations (status, history, rollback,
 * destroy, drift) then take. An environment's state dir is `<system>@<env>`: its summary names the
 * environment, which those operations need to find it again. Codes: ERR_STATE_NOT_APPLIED.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { JsonSchema } from '../modules/descriptor.js';
import { Journal, StateError, type Revision } from '../state/journal.js';
import { envelopeSchema } from './schemas.js';

export interface SystemSummary {
  readonly name: string;
  /** The spec file the latest revision was applied from. */
  readonly specPath: string;
  /** The environment, for a state dir `<system>@<env>`. */
  readonly env?: string;
  readonly latest: { readonly revision: number; readonly status: Revision['status']; readonly operation: Revision['operation']; readonly target: string; readonly startedAt: string; readonly finishedAt?: string };
}

export const systemsOutputSchema: JsonSchema = envelopeSchema('The systems of the workdir\'s state directory.', {
  systems: {
    type: 'array',
    items: {
      type: 'object',
      required: ['name', 'specPath', 'latest'],
      properties: { name: { type: 'string' }, specPath: { type: 'string' }, env: { type: 'string' }, latest: { type: 'object', required: ['revision', 'status', 'operation', 'target', 'startedAt'] } },
    },
  },
});

/** Every system with at least one readable revision under `stateRoot`, by name. Unreadable journals come back as diagnostics. */
export function listSystems(stateRoot: string): { systems: SystemSummary[]; diagnostics: Diagnostic[] } {
  if (!existsSync(stateRoot)) return { systems: [], diagnostics: [] };
  const systems: SystemSummary[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const entry of readdirSync(stateRoot, { withFileTypes: true }).filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const found = systemNamed(stateRoot, entry.name);
    if ('system' in found) systems.push(found.system);
    else diagnostics.push(...found.diagnostics.filter((d) => d.code !== 'ERR_STATE_NOT_APPLIED'));
  }
  return { systems, diagnostics };
}

/** The system `name` under `stateRoot`, or ERR_STATE_NOT_APPLIED (or the journal's problem). */
export function systemNamed(stateRoot: string, name: string): { system: SystemSummary; revisions: readonly Revision[] } | { diagnostics: Diagnostic[] } {
  const dir = join(stateRoot, name);
  const journalDir = join(dir, 'journal');
  if (!existsSync(journalDir)) return { diagnostics: [diagnostic('ERR_STATE_NOT_APPLIED', { system: name, dir })] };
  try {
    const revisions = new Journal(journalDir).revisions();
    const latest = revisions.at(-1);
    if (!latest) return { diagnostics: [diagnostic('ERR_STATE_NOT_APPLIED', { system: name, dir })] };
    const { revision, status, operation, target, startedAt, finishedAt } = latest;
    const at = name.indexOf('@');
    return { system: { name, specPath: latest.specPath, ...(at > 0 ? { env: name.slice(at + 1) } : {}), latest: { revision, status, operation, target, startedAt, ...(finishedAt ? { finishedAt } : {}) } }, revisions };
  } catch (e) {
    if (e instanceof StateError) return { diagnostics: [e.diagnostic] };
    throw e;
  }
}
