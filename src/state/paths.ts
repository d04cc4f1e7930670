/**
 * Where a system's state lives: `.aninfra/<system>/` beside the spec file.
 */
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

export interface StatePaths {
  readonly root: string;
  readonly journal: string;
  readonly lock: string;
  readonly key: string;
  readonly secrets: string;
  readonly pulumiBackend: string;
  /**
   * Id of this state directory (sha256 of its absolute path, 16 hex digits). Every resource an
   * apply creates carries it as the label `aninfra.owner`; another state dir is refused.
   */
  readonly owner: string;
  /** The program a plan wrote, for review (`plan` replaces it atomically; apply never runs it). */
  program(target: string): string;
  /** The program the last apply ran: written only under the lock, swapped in whole. */
  deploy(target: string): string;
}

export function statePaths(specPath: string, system: string, stateDir?: string): StatePaths {
  const root = stateDir ? resolve(stateDir, system) : join(dirname(resolve(specPath)), '.aninfra', system);
  return {
    root,
    journal: join(root, 'journal'),
    lock: join(root, 'lock.json'),
    key: join(root, 'secrets.key'),
    secrets: join(root, 'secrets.enc.json'),
    pulumiBackend: join(root, 'pulumi'),
    owner: createHash('sha256').update(root).digest('hex').slice(0, 16),
    program: (target) => join(root, 'program', target),
    deploy: (target) => join(root, 'deploy', target),
  };
}
