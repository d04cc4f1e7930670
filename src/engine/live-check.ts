/**
 * What runs now for a system, against what its IR says must exist: the network, every named
 * volume, every container (running, and healthy where it has a health check) and every image
 * aninfra builds. The engines' no-op fast path and `status` decide from this one check, so a
 * network or volume removed by hand is seen by status and healed by the next apply.
 * Also lists the resources labelled with a system, with their owner label, for the ownership check.
 */
import type { ContainerNode, DockerModel } from '../targets/docker-family/model.js';
import { containerSettled, dockerBinary, imageExists, liveContainers, type LiveContainer } from './docker-cli.js';
import type { LabelledResource } from './engine.js';
import { runProcess } from './run-process.js';

export interface LiveState {
  readonly containers: readonly LiveContainer[];
  readonly missingNetworks: readonly string[];
  readonly missingVolumes: readonly string[];
  /** Images aninfra builds for the system that are not present. */
  readonly missingImages: readonly string[];
  /** IR container names that are absent, stopped or not (yet) healthy. */
  readonly unsettled: readonly string[];
}

export async function liveState(system: string, ir: DockerModel, env: NodeJS.ProcessEnv): Promise<LiveState> {
  const containers = await liveContainers(system, env);
  const byService = new Map(containers.map((c) => [c.service, c]));
  const networks = ir.nodes.flatMap((n) => (n.kind === 'network' ? [n.name] : []));
  const volumes = ir.nodes.flatMap((n) => (n.kind === 'volume' ? [n.name] : []));
  const [liveNetworks, liveVolumes] = await Promise.all([existing('network', networks, env), existing('volume', volumes, env)]);
  const missingImages: string[] = [];
  for (const n of ir.nodes) if (n.kind === 'image' && n.source.kind === 'build' && !(await imageExists(n.ref, env))) missingImages.push(n.ref);
  const unsettled = ir.nodes.filter((n): n is ContainerNode => n.kind === 'container' && !containerSettled(byService.get(n.name), n)).map((n) => n.name);
  return {
    containers,
    missingNetworks: networks.filter((n) => !liveNetworks.has(n)),
    missingVolumes: volumes.filter((v) => !liveVolumes.has(v)),
    missingImages,
    unsettled,
  };
}

/** Everything the system owns exists and every container is settled: an apply without changes has nothing to do. */
export function converged(state: LiveState): boolean {
  return state.missingNetworks.length === 0 && state.missingVolumes.length === 0 && state.missingImages.length === 0 && state.unsettled.length === 0;
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
