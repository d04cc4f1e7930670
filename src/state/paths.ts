/**
 * Where a system's state lives: `.aninfra/<system>/` (an environment's: `.aninfra/<system>@<env>/`) beside the spec file (journal, lock, encrypted
 * secrets, Pulumi backend, programs). The key that decrypts the secrets lives elsewhere: in the
 * user's config dir, keyed by the state dir's owner id, so copying or committing the project tree
 * never carries the key with the ciphertext.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface StatePaths {
  readonly root: string;
  readonly journal: string;
  readonly lock: string;
  /** The secret key file: $ANINFRA_SECRET_KEY_FILE, else <config dir>/aninfra/keys/<owner>.key. */
  readonly key: string;
  /** Where keys lived before they moved out of the project tree; still read when present. */
  readonly legacyKey: string;
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

export function statePaths(specPath: string, system: string, stateDir?: string, env: NodeJS.ProcessEnv = process.env): StatePaths {
  const root = stateDir ? resolve(stateDir, system) : join(dirname(resolve(specPath)), '.aninfra', system);
  const owner = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return {
    root,
    journal: join(root, 'journal'),
    lock: join(root, 'lock.json'),
    key: env.ANINFRA_SECRET_KEY_FILE ? resolve(env.ANINFRA_SECRET_KEY_FILE) : join(configHome(env), 'aninfra', 'keys', `${owner}.key`),
    legacyKey: join(root, 'secrets.key'),
    secrets: join(root, 'secrets.enc.json'),
    pulumiBackend: join(root, 'pulumi'),
    owner,
    program: (target) => join(root, 'program', target),
    deploy: (target) => join(root, 'deploy', target),
  };
}

/**
 * The state directory's name for a system, per environment: `<system>` without one, else
 * `<system>@<env>` (`@` is in no system name, so no system's state can be taken for an environment's).
 * Pass it as `statePaths`' `system`; its owner id, and so the label `aninfra.owner`, differs per environment.
 */
export function stateName(system: string, environment?: string): string {
  return environment === undefined ? system : `${system}@${environment}`;
}

/** $XDG_CONFIG_HOME, else ~/.config (the XDG base directory default). */
function configHome(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  return xdg && xdg.startsWith('/') ? xdg : join(env.HOME || homedir(), '.config');
}
