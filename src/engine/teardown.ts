/**
 * The last steps of a destroy, shared by both engines: delete named volumes (those of stateful
 * modules only with --delete-data) and the images aninfra built for the system (unless
 * --keep-images), touching only resources whose `aninfra.system` and `aninfra.owner` labels are
 * this system's and this state dir's, and reporting what Docker shows afterwards, not what was asked.
 */
import type { DockerModel } from '../targets/docker-family/model.js';
import { dockerBinary, liveContainers } from './docker-cli.js';
import type { DestroyOptions } from './engine.js';
import { existing, volumeLabels } from './live-check.js';
import { runProcess } from './run-process.js';

export interface TeardownScope {
  readonly system: string;
  readonly owner: string;
  readonly ir: DockerModel;
  readonly env: NodeJS.ProcessEnv;
}

export interface TeardownResult {
  readonly volumesDeleted: string[];
  readonly volumesKept: string[];
  readonly imagesRemoved: string[];
}

export async function teardown(scope: TeardownScope, options: DestroyOptions): Promise<TeardownResult> {
  const docker = dockerBinary(scope.env);
  const volumes = scope.ir.nodes.flatMap((n) => (n.kind === 'volume' ? [n] : []));
  const present = await existing('volume', volumes.map((v) => v.name), scope.env);
  const deleted: string[] = [];
  for (const v of volumes) {
    if (!present.has(v.name) || (v.keep && !options.deleteData)) continue;
    const labels = await volumeLabels(v.name, scope.env);
    if (!labels || labels['aninfra.system'] !== scope.system || labels['aninfra.owner'] !== scope.owner) continue;
    await runProcess(docker, ['volume', 'rm', v.name], { env: scope.env, timeoutMs: 60_000 });
  }
  const after = await existing('volume', volumes.map((v) => v.name), scope.env);
  for (const v of volumes) if (present.has(v.name) && !after.has(v.name)) deleted.push(v.name);
  const kept = volumes.filter((v) => after.has(v.name)).map((v) => v.name);
  return { volumesDeleted: deleted, volumesKept: kept, imagesRemoved: options.keepImages ? [] : await removeBuiltImages(scope) };
}

/** Removes the images labelled as built by aninfra for this system and owner; returns the references removed. */
export async function removeBuiltImages(scope: Pick<TeardownScope, 'system' | 'owner' | 'env'>): Promise<string[]> {
  const docker = dockerBinary(scope.env);
  const list = async (): Promise<Map<string, string>> => {
    const r = await runProcess(docker, ['images', '--filter', `label=aninfra.system=${scope.system}`, '--filter', `label=aninfra.owner=${scope.owner}`, '--format', '{{.ID}}\t{{.Repository}}:{{.Tag}}'], { env: scope.env, timeoutMs: 30_000 });
    const map = new Map<string, string>();
    for (const line of r.stdout.split('\n')) {
      const [id = '', ref = ''] = line.trim().split('\t');
      if (id) map.set(`${id}\t${ref}`, ref.includes('<none>') ? id : ref);
    }
    return map;
  };
  const before = await list();
  if (before.size === 0) return [];
  await runProcess(docker, ['rmi', ...new Set(before.values())], { env: scope.env, timeoutMs: 120_000 });
  const after = await list();
  return [...before.entries()].filter(([k]) => !after.has(k)).map(([, ref]) => ref).sort();
}

/**
 * Removes the system's containers (labelled `aninfra.system`, with this owner or none: the
 * ownership check ran before) and its network, without the engine; returns what is still there.
 */
export async function removeByLabels(scope: TeardownScope): Promise<string[]> {
  const docker = dockerBinary(scope.env);
  const mine = (await liveContainers(scope.system, scope.env)).filter((c) => !c.labels['aninfra.owner'] || c.labels['aninfra.owner'] === scope.owner);
  if (mine.length > 0) await runProcess(docker, ['rm', '-f', '-v', ...mine.map((c) => c.id)], { env: scope.env, timeoutMs: 120_000 });
  const networks = scope.ir.nodes.flatMap((n) => (n.kind === 'network' ? [n.name] : []));
  const present = [...(await existing('network', networks, scope.env))];
  if (present.length > 0) await runProcess(docker, ['network', 'rm', ...present], { env: scope.env, timeoutMs: 60_000 });
  const ids = new Set(mine.map((c) => c.id));
  const still = (await liveContainers(scope.system, scope.env)).filter((c) => ids.has(c.id)).map((c) => `container ${c.name}`);
  return [...still, ...[...(await existing('network', networks, scope.env))].map((n) => `network ${n}`)];
}
