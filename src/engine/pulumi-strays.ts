/**
 * Stray containers of the Pulumi engine: a `pulumi up` orphaned by a killed aninfra (kill -9) can
 * create a container that never reaches Pulumi's state; every later `up` would then fail with
 * "the container name is already in use". Before `up`, containers labelled with this system and
 * owner that Pulumi's state does not know are removed. Containers are stateless (data lives in
 * volumes, which are never touched here), so removing a stray one loses nothing.
 */
import type { LiveContainer } from './docker-cli.js';

const CONTAINER_TYPE = 'docker:index/container:Container';

interface StateResource {
  readonly type?: unknown;
  readonly id?: unknown;
  readonly outputs?: { readonly name?: unknown; readonly id?: unknown } | undefined;
}

/** Names and ids of the docker containers in an exported Pulumi deployment (`stack.exportStack().deployment`). */
export function knownContainers(deployment: unknown): Set<string> {
  const resources = (deployment as { resources?: unknown } | undefined)?.resources;
  const known = new Set<string>();
  if (!Array.isArray(resources)) return known;
  for (const r of resources as StateResource[]) {
    if (r?.type !== CONTAINER_TYPE) continue;
    for (const v of [r.id, r.outputs?.id]) if (typeof v === 'string' && v) known.add(v);
  }
  return known;
}

/** Live containers of this system and owner that Pulumi's state does not hold: safe to remove before `up`. */
export function strayContainers(live: readonly LiveContainer[], system: string, owner: string, known: ReadonlySet<string>): LiveContainer[] {
  return live.filter((c) => c.labels['aninfra.system'] === system && c.labels['aninfra.owner'] === owner && !known.has(c.id) && !known.has(c.name));
}
