/**
 * `status` of the docker-family engines (compose and pulumi on Docker): what runs now, read with
 * the Docker CLI by aninfra labels, against what the revision's model says must exist: per module
 * the worst health of its containers, the network and volumes that are missing, and the published
 * endpoints, and the drift items of the same check (which `drift` reports alone). Never changes anything.
 * Codes: ERR_PREREQ_DOCKER.
 */
import type { TargetModel } from '../compiler/emit/target.js';
import { dockerModel, type DockerModel } from '../targets/docker-family/model.js';
import { checkDocker, taskSucceeded, type LiveContainer } from './docker-cli.js';
import type { Endpoint, EngineContext, EngineDrift, ModuleHealth, ModuleStatus, StatusReport } from './engine.js';
import { liveState } from './live-check.js';

export async function dockerStatus(ctx: EngineContext): Promise<StatusReport> {
  const ir = dockerModel(ctx.ir);
  const docker = await checkDocker(ctx.env);
  if (docker) return { unavailable: docker, modules: moduleStatus(ir, []), missing: { networks: [], volumes: [] }, endpoints: dockerEndpoints(ir) };
  const live = await liveState(ctx.system, ir, ctx.env, ctx.secrets);
  return {
    modules: moduleStatus(ir, live.containers),
    missing: { networks: [...live.missingNetworks], volumes: [...live.missingVolumes] },
    endpoints: dockerEndpoints(ir),
    drift: live.drift,
  };
}

/** `drift` of the docker-family engines: the items of the same live check status and apply's fast path use. */
export async function dockerDriftCheck(ctx: EngineContext): Promise<EngineDrift> {
  const docker = await checkDocker(ctx.env);
  if (docker) return { unavailable: docker, items: [] };
  return { items: (await liveState(ctx.system, dockerModel(ctx.ir), ctx.env, ctx.secrets)).drift };
}

/** The host ports containers publish, as URLs. */
export function dockerEndpoints(model: TargetModel): Endpoint[] {
  const out: Endpoint[] = [];
  for (const n of dockerModel(model).nodes) {
    if (n.kind !== 'container') continue;
    for (const p of n.ports) if (p.host !== undefined) out.push({ module: n.module, container: n.name, url: `http://${p.hostIp}:${p.host}` });
  }
  return out;
}

function moduleStatus(ir: DockerModel, live: readonly LiveContainer[]): ModuleStatus[] {
  const expected = new Map<string, string[]>();
  const tasks = new Set<string>();
  for (const n of ir.nodes) if (n.kind === 'container') expected.set(n.module, [...(expected.get(n.module) ?? []), n.name]);
  for (const n of ir.nodes) if (n.kind === 'container' && n.runsToCompletion) tasks.add(n.name);
  return [...expected.keys()].sort().map((module) => {
    const names = expected.get(module) ?? [];
    const containers = names.map((name) => live.find((c) => c.service === name));
    const rows = containers.filter((c): c is LiveContainer => !!c).map((c) => ({ name: c.name, id: c.id.slice(0, 12), state: c.state, health: c.health, ports: c.ports }));
    // A task that exited 0 is done, not down: it counts as a container without a health check.
    const done = (c: LiveContainer | undefined): boolean => !!c && tasks.has(c.service) && taskSucceeded(c);
    const worst: ModuleHealth = containers.some((c) => !c)
      ? 'missing'
      : containers.every(done)
        ? 'none'
        : containers.some((c) => c?.state !== 'running')
        ? 'exited'
        : containers.some((c) => c?.health === 'unhealthy')
          ? 'unhealthy'
          : containers.some((c) => c?.health === 'starting')
            ? 'starting'
            : containers.every((c) => c?.health === 'healthy')
              ? 'healthy'
              : 'running';
    return { module, health: worst, containers: rows };
  });
}
