/**
 * Lost secrets are refused: a secret the new IR needs that the store lacks, although an applied
 * revision already used it, means the store was lost or replaced. Regenerating it silently would
 * leave stateful modules with the old password in their data, so apply stops unless told to.
 * Codes: ERR_STATE_SECRETS_LOST.
 */
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { DockerModel } from '../targets/docker-family/model.js';
import type { Revision } from '../state/journal.js';

/** The store's name of a secret node. */
export function secretName(node: { readonly module: string; readonly key: string }): string {
  return `${node.module}-${node.key}`;
}

export function lostSecrets(
  ir: DockerModel,
  store: { has(name: string): boolean },
  revisions: readonly Revision[],
  file: string,
): Diagnostic[] {
  const applied = new Set<string>();
  for (const r of revisions) if (r.status === 'applied') for (const n of r.ir.nodes) if (n.kind === 'secret') applied.add(n.id);
  const lost = ir.nodes.flatMap((n) => (n.kind === 'secret' && applied.has(n.id) && !store.has(secretName(n)) ? [secretName(n)] : []));
  if (lost.length === 0) return [];
  return [
    diagnostic('ERR_STATE_SECRETS_LOST', { names: lost.join(', '), file }, { hint: 'restore the file from a backup; or --regenerate-secrets (stateful modules keep their old password); or destroy --delete-data and apply again' }),
  ];
}
