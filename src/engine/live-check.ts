/**
 * What runs now for a system, against what its IR says must exist: the network, every named
 * volume, every container (running, and healthy where it has a health check) and every image
 * aninfra builds. The engines' no-op fast path and `status` decide from this one check, so a
 * network or volume removed by hand is seen by status and healed by the next apply, and so does
 * `drift` (the items of docker-drift.ts, computed here from the same reads).
 * Also lists the resources labelled with a system, with their owner label, for the ownership check.
 */
import type { ContainerNode, DockerModel } from '../targets/docker-family/model.js';
import { containerSettled, dockerBinary, imageExists, liveContainers, type LiveContainer } from './docker-cli.js';
import { dockerDrift, healedByApply } from './docker-drift.js';
import type { DriftItem, LabelledResource } from './engine.js';
import { runProcess } from './run-process.js';

export interface LiveState {
  readonly containers: readonly LiveContainer[];
  readonly missingNetworks: readonly string[];
  readonly missingVolumes: readonly string[];
  /** Images aninfra builds for the system that are not present. */
  readonly missingImages: readonly string[];
  /** IR container names that are absent, stopped or not (yet) healthy. */
  readonly unsettled: readonly string[];
  /** How the live system departs from the model (docker-drift.ts): what `drift` and `status` report. */
  readonly drift: readonly DriftItem[];
}

/** `secrets`: generated secret values by node id where the caller holds them (env values holding one are then compared exactly). */
export async function liveState(system: string, ir: DockerModel, env: NodeJS.ProcessEnv, secrets: ReadonlyMap<string, string> = new Map()): Promise<LiveState> {
  const networks = ir.nodes.flatMap((n) => (n.kind === 'network' ? [n.name] : []));
  const volumes = ir.nodes.flatMap((n) => (n.kind === 'volume' ? [n.name] : []));
  const [containers, liveNetworks, liveVolumes, labelled] = await Promise.all([
    liveContainers(system, env),
    existing('network', networks, env),
    existing('volume', volumes, env),
    labelledResources(system, env),
  ]);
  const byService = new Map(containers.map((c) => [c.service, c]));
  const missingImages: string[] = [];
  for (const n of ir.nodes) if (n.kind === 'image' && n.source.kind === 'build' && !(await imageExists(n.ref, env))) missingImages.push(n.ref);
  const unsettled = ir.nodes.filter((n): n is ContainerNode => n.kind === 'container' && !containerSettled(byService.get(n.name), n)).map((n) => n.name);
  const imageIds = await idsOfNamedImages(ir, containers, env);
  return {
    containers,
    missingNetworks: networks.filter((n) => !liveNetworks.has(n)),
    missingVolumes: volumes.filter((v) => !liveVolumes.has(v)),
    missingImages,
    unsettled,
    drift: dockerDrift(ir, { containers, networks: liveNetworks, volumes: liveVolumes, labelled, imageIds }, dockerBinary(env), secrets),
  };
}

/**
 * Everything the system owns exists, every container is settled and runs the model's image and
 * env: an apply without changes has nothing to do. Resources the model does not know are only
 * reported (apply never removes them), so they do not count.
 */
export function converged(state: LiveState): boolean {
  return (
    state.missingNetworks.length === 0 &&
    state.missingVolumes.length === 0 &&
    state.missingImages.length === 0 &&
    state.unsettled.length === 0 &&
    state.drift.every((d) => !healedByApply(d))
  );
}

/** Local ids of the model's image refs that some container does not name literally (Pulumi names images by id). */
async function idsOfNamedImages(ir: DockerModel, containers: readonly LiveContainer[], env: NodeJS.ProcessEnv): Promise<Map<string, string>> {
  const byService = new Map(containers.map((c) => [c.service, c]));
  const refs = new Map(ir.nodes.flatMap((n) => (n.kind === 'image' ? [[n.id, n.ref] as const] : [])));
  const wanted = new Set<string>();
  for (const n of ir.nodes) {
    const ref = n.kind === 'container' ? refs.get(n.image) : undefined;
    const c = n.kind === 'container' ? byService.get(n.name) : undefined;
    if (ref !== undefined && c && c.image !== ref) wanted.add(ref);
  }
  const ids = new Map<string, string>();
  await Promise.all(
    [...wanted].map(async (ref) => {
      const r = await runProcess(dockerBinary(env), ['image', 'inspect', '--format', '{{.Id}}', ref], { env, timeoutMs: 20_000 });
      if (r.code === 0 && r.stdout.trim()) ids.set(ref, r.stdout.trim());
    }),
  );
  return ids;
}

/** Names of the given networks or volumes that exist (inspect prints the ones it finds). */
export async function existing(kind: 'network' | 'volume', names: readonly string[], env: NodeJS.ProcessEnv): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const r = await runProcess(dockerBinary(env), [kind, 'inspect', '--format', '{{.Name}}', ...names], { env, timeoutMs: 30_000 });
  const found = new Set(r.stdout.split('\n').map((s) => s.trim().replace(/^\//, '')).filter(Boolean));
  return new Set(names.filter((n) => found.has(n)));
}

/** Every container, network and volume labelled `aninfra.system=<system>`, with its owner label. */
export async function labelledResources(system: string, env: NodeJS.ProcessEnv): Promise<LabelledResource[]> {
  const docker = dockerBinary(env);
  const filter = ['--filter', `label=aninfra.system=${system}`];
  const format = (field: string): string[] => ['--format', `${field}\t{{.Label "aninfra.owner"}}`];
  const [containers, networks, volumes] = await Promise.all([
    runProcess(docker, ['ps', '-a', ...filter, ...format('{{.Names}}')], { env, timeoutMs: 30_000 }),
    runProcess(docker, ['network', 'ls', ...filter, ...format('{{.Name}}')], { env, timeoutMs: 30_000 }),
    runProcess(docker, ['volume', 'ls', ...filter, ...format('{{.Name}}')], { env, timeoutMs: 30_000 }),
  ]);
  const rows = (kind: LabelledResource['kind'], stdout: string): LabelledResource[] =>
    stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [name = '', owner = ''] = l.split('\t');
        return { kind, name: name.trim(), owner: owner.trim() === '<no value>' ? '' : owner.trim() };
      });
  return [...rows('container', containers.stdout), ...rows('network', networks.stdout), ...rows('volume', volumes.stdout)];
}

/** Labels of one volume, or undefined when it does not exist. */
export async function volumeLabels(name: string, env: NodeJS.ProcessEnv): Promise<Record<string, string> | undefined> {
  const r = await runProcess(dockerBinary(env), ['volume', 'inspect', '--format', '{{json .Labels}}', name], { env, timeoutMs: 30_000 });
  if (r.code !== 0) return undefined;
  try {
    return (JSON.parse(r.stdout.trim() || 'null') as Record<string, string> | null) ?? {};
  } catch {
    return {};
  }
}
