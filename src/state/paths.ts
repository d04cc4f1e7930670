/**
 * Where a system's state lives: `.aninfra/<system>/` beside the spec file.
 */
import { dirname, join, resolve } from 'node:path';

export interface StatePaths {
  readonly root: string;
  readonly journal: string;
  readonly lock: string;
  readonly key: string;
  readonly secrets: string;
  readonly pulumiBackend: string;
  program(target: string): string;
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
    program: (target) => join(root, 'program', target),
  };
}
