/**
 * Drift of the docker family (compose and pulumi on Docker): how what Docker shows departs from
 * the revision's model. Per model container: missing, stopped, unhealthy, running another image,
 * or env variables whose values differ; the model's network and named volumes missing; containers,
 * networks and volumes labelled `aninfra.system=<system>` the model does not know. A pure function
 * of the live data (read by live-check.ts), so every item kind is tested on faked data.
 * Env values holding a generated secret are compared exactly where aninfra keeps the secret (the
 * compose engine's store), in memory; otherwise (Pulumi keeps its own, host-env values) on their
 * literal parts only. Items name variables, never values: no secret is ever printed.
 */
import type { Value } from '../compiler/resolve/value.js';
import { resourceNames } from '../compiler/validate/resource-names.js';
import type { ContainerNode, DockerModel } from '../targets/docker-family/model.js';
import { taskSucceeded, type LiveContainer } from './docker-cli.js';
import type { DriftItem, LabelledResource } from './engine.js';

export interface DockerLive {
  /** Every container labelled with the system (`docker ps -a` + `docker inspect`). */
  readonly containers: readonly LiveContainer[];
  /** The model's networks and volumes that exist. */
  readonly networks: ReadonlySet<string>;
  readonly volumes: ReadonlySet<string>;
  /** Networks and volumes (and containers) labelled with the system. */
  readonly labelled: readonly LabelledResource[];
  /** Local image ids of the model's image refs that a container does not name literally. */
  readonly imageIds: ReadonlyMap<string, string>;
}

/**
 * `secrets`: generated secret values by secret node id, where aninfra keeps them (the compose
 * engine's store): env values holding one are then compared exactly, in memory; without them (Pulumi
 * keeps its own) a secret part matches any text.
 */
export function dockerDrift(model: DockerModel, live: DockerLive, docker = 'docker', secrets: ReadonlyMap<string, string> = new Map()): DriftItem[] {
  const items: DriftItem[] = [];
  const secretIds = new Map(model.nodes.flatMap((n) => (n.kind === 'secret' ? [[`${n.module}\u0000${n.key}`, n.id] as const] : [])));
  const secretOf = (module: string, name: string): string | undefined => secrets.get(secretIds.get(`${module}\u0000${name}`) ?? '');
  const byService = new Map(live.containers.map((c) => [c.service, c]));
  const refs = new Map(model.nodes.flatMap((n) => (n.kind === 'image' ? [[n.id, n.ref] as const] : [])));
  const containers = model.nodes.filter((n): n is ContainerNode => n.kind === 'container');
  for (const node of containers) {
    const c = byService.get(node.name);
    const base = { module: node.module, resourceKind: 'container' };
    if (!c) {
      items.push({ ...base, kind: 'missing', resource: resourceNames.container(model.system, node.name) });
      continue;
    }
    // A task (run to completion) that exited 0 is where it should be; one that failed is stopped.
    if (node.runsToCompletion) {
      if (c.state !== 'running' && !taskSucceeded(c)) items.push({ ...base, kind: 'stopped', resource: c.name, actual: `${c.state} (exit ${String(c.exitCode)})` });
    } else if (c.state !== 'running') items.push({ ...base, kind: c.state === 'restarting' ? 'unhealthy' : 'stopped', resource: c.name, actual: c.state });
    else if (c.health === 'unhealthy') items.push({ ...base, kind: 'unhealthy', resource: c.name, actual: 'unhealthy' });
    const ref = refs.get(node.image);
    if (ref !== undefined && !runsImage(c, ref, live.imageIds)) items.push({ ...base, kind: 'image', resource: c.name, expected: ref, actual: c.image });
    const differing = envDrift(node.env, c.env, secretOf);
    if (differing.length > 0) items.push({ ...base, kind: 'env', resource: c.name, expected: differing.join(', ') });
  }
  for (const n of model.nodes) {
    if (n.kind === 'network' && !live.networks.has(n.name)) items.push({ kind: 'network-missing', module: '', resourceKind: 'network', resource: n.name });
    if (n.kind === 'volume' && !live.volumes.has(n.name)) items.push({ kind: 'volume-missing', module: n.provenance.module ?? '', resourceKind: 'volume', resource: n.name });
  }
  const known = new Set(containers.map((n) => n.name));
  for (const c of live.containers) {
    if (!known.has(c.service)) items.push({ kind: 'unknown', module: '', resourceKind: 'container', resource: c.name, remove: [docker, 'rm', '-f', c.name] });
  }
  const names = (kind: 'network' | 'volume'): Set<string> => new Set(model.nodes.flatMap((n) => (n.kind === kind ? [n.name] : [])));
  const networks = names('network');
  const volumes = names('volume');
  for (const r of live.labelled) {
    if (r.kind === 'network' && !networks.has(r.name)) items.push({ kind: 'unknown', module: '', resourceKind: 'network', resource: r.name, remove: [docker, 'network', 'rm', r.name] });
    if (r.kind === 'volume' && !volumes.has(r.name)) items.push({ kind: 'unknown', module: '', resourceKind: 'volume', resource: r.name, remove: [docker, 'volume', 'rm', r.name] });
  }
  return sortItems(items);
}

/** Every item but unknown resources is healed by an apply; unknown ones are only reported. */
export function healedByApply(item: DriftItem): boolean {
  return item.kind !== 'unknown';
}

const ORDER: Readonly<Record<DriftItem['kind'], number>> = { missing: 0, stopped: 1, unhealthy: 2, image: 3, env: 4, 'network-missing': 5, 'volume-missing': 6, unknown: 7 };

export function sortItems(items: readonly DriftItem[]): DriftItem[] {
  return [...items].sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.resourceKind.localeCompare(b.resourceKind) || a.resource.localeCompare(b.resource));
}

/** The container runs the model's image: by the name it was created with, or by image id (Pulumi creates containers by id). */
function runsImage(c: LiveContainer, ref: string, ids: ReadonlyMap<string, string>): boolean {
  if (c.image === ref) return true;
  const id = ids.get(ref);
  return id !== undefined && (c.image === id || c.imageId === id);
}

/** Names of the model's env variables whose live value is absent or does not match, sorted. */
export function envDrift(expected: Readonly<Record<string, Value>>, live: readonly string[], secretOf: SecretLookup = () => undefined): string[] {
  const actual = new Map<string, string>();
  for (const line of live) {
    const eq = line.indexOf('=');
    if (eq > 0) actual.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return Object.keys(expected)
    .filter((key) => !valueMatches(expected[key] ?? [], actual.get(key), secretOf))
    .sort();
}

/** A generated secret's value by module and key, where known. */
export type SecretLookup = (module: string, name: string) => string | undefined;

/** Literal parts and known secrets must be there exactly, in order; an unknown secret or a host-env part matches any text. */
export function valueMatches(value: Value, actual: string | undefined, secretOf: SecretLookup = () => undefined): boolean {
  if (actual === undefined) return false;
  const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = value
    .map((p) => {
      const known = p.kind === 'text' ? p.text : p.kind === 'secret' ? secretOf(p.module, p.name) : undefined;
      return known !== undefined ? literal(known) : '[\\s\\S]*';
    })
    .join('');
  return new RegExp(`^${pattern}$`, 'u').test(actual);
}
