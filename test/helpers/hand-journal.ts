/**
 * Journal revisions written by hand (the format of src/state/journal.ts), so CLI tests can put a
 * system in a state (applied, destroyed, interrupted…) without Docker.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { compileText } from '../../src/operations/compile-file.js';
import type { Revision } from '../../src/state/journal.js';
import { sha256 } from '../../src/compiler/emit/canonical.js';
import { statePaths } from '../../src/state/paths.js';

export function writeRevision(specPath: string, system: string, revision: number, status: Revision['status'], specText: string, operation: Revision['operation'] = status === 'destroyed' ? 'destroy' : 'apply'): void {
  // As apply records it: lowered with the state dir's owner label.
  const c = compileText(resolve(specPath), specText, { until: 'lower', owner: statePaths(specPath, system).owner });
  if (!c.ir) throw new Error(`the hand-written revision does not compile: ${JSON.stringify(c.diagnostics)}`);
  const record: Revision = {
    revision,
    status,
    operation,
    target: 'compose',
    engine: 'compose',
    specPath: resolve(specPath),
    specText,
    specHash: sha256(specText),
    planHash: sha256(`plan ${revision}`),
    ir: c.ir,
    startedAt: '2026-01-01T00:00:00.000Z',
    ...(status === 'applying' ? {} : { finishedAt: '2026-01-01T00:01:00.000Z' }),
    modules: [],
  };
  const dir = join(dirname(resolve(specPath)), '.aninfra', system, 'journal');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${String(revision).padStart(6, '0')}.json`), JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
}
