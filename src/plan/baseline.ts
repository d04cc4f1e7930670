/**
 * What a plan compares against, read from the journal newest first: the newest `applied`
 * revision is the baseline; a `destroyed` one means nothing is live (every resource is created).
 * A `failed`, `interrupted` or still `applying` revision newer than the baseline means the live
 * system may differ from the journal: the plan is marked `converge` so it never says "no changes".
 */
import type { TargetModel } from '../compiler/emit/target.js';
import type { Revision } from '../state/journal.js';
import type { Converge } from './make-plan.js';

export interface Baseline {
  /** The baseline's target model (the journal's `ir` field). */
  readonly previous?: { readonly model: TargetModel; readonly revision: number; readonly target: string };
  readonly converge?: Converge;
  readonly destroyedRevision?: number;
}

export function planBaseline(revisions: readonly Pick<Revision, 'revision' | 'status' | 'ir' | 'target'>[]): Baseline {
  let converge: Converge | undefined;
  const newestFirst = [...revisions].sort((a, b) => b.revision - a.revision);
  for (const r of newestFirst) {
    const marked = converge ? { converge } : {};
    if (r.status === 'applied') return { previous: { model: r.ir, revision: r.revision, target: r.target }, ...marked };
    if (r.status === 'destroyed') return { destroyedRevision: r.revision, ...marked };
    if (!converge && (r.status === 'failed' || r.status === 'interrupted' || r.status === 'applying')) converge = { revision: r.revision, status: r.status };
  }
  return converge ? { converge } : {};
}
