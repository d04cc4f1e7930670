/**
 * The same spec through both engines, one after the other, on a real Docker daemon: the running
 * topologies match — the same containers per module, images, env names, networks, health checks
 * and published ports. Proves the Compose export and the Pulumi program describe one system, with
 * either Compose CLI (the plugin and v1 each apply it; Pulumi once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveContainers, type LiveContainer } from '../../src/engine/docker-cli.js';
import { cli, COMPOSE_TOOL, composeClis, type ComposeCli, dockerLines, e2eEnabled, freePort, LOCAL_IMAGES, notesWorkspace, pulumiBinDir, purgeSystem } from '../helpers/e2e.js';

const bin = e2eEnabled() ? pulumiBinDir() : undefined;
const clis = bin !== undefined ? composeClis() : [];
const system = `e2e-cmp-${process.pid}`;

interface Shape {
  service: string;
  module: string;
  image: string;
  env: readonly string[];
  networks: readonly string[];
  health: readonly string[];
  ports: readonly string[];
}

function shape(list: readonly LiveContainer[]): Shape[] {
  return list
    .map((c) => ({
      service: c.service,
      module: c.module,
      // Pulumi pins containers to the image id so a rebuild replaces them; compare by tag.
      image: c.image.startsWith('sha256:') ? (dockerLines(['image', 'inspect', '--format', '{{index .RepoTags 0}}', c.image])[0] ?? c.image) : c.image,
      env: c.env.map((e) => e.slice(0, e.indexOf('='))).sort(),
      networks: c.networks,
      health: c.healthTest,
      ports: c.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}`).sort(),
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

describe.runIf(bin !== undefined)('compose and Pulumi engines build the same topology', { timeout: 900_000 }, () => {
  let spec = '';
  const env = { PATH: `${bin ?? ''}:${process.env.PATH ?? ''}` };
  const composeShapes = new Map<ComposeCli, Shape[]>();

  beforeAll(async () => {
    purgeSystem(system);
    spec = notesWorkspace(system, await freePort(), 'compose').spec;
  });
  afterAll(() => purgeSystem(system));

  it.each(clis)('applies and destroys through the compose engine with %s', async (compose) => {
    const viaCompose = await cli(['apply', spec, '--target', 'compose', '--images', LOCAL_IMAGES, '--json', '--timeout', '180'], { env: { ...env, ANINFRA_COMPOSE: compose } });
    expect(viaCompose.code, viaCompose.stderr).toBe(0);
    expect(viaCompose.json.engine).toMatch(COMPOSE_TOOL[compose]);
    composeShapes.set(compose, shape(await liveContainers(system)));
    const down = await cli(['destroy', spec, '--json', '--delete-data'], { env: { ...env, ANINFRA_COMPOSE: compose } });
    expect(down.code, down.stderr).toBe(0);
    expect(composeShapes.get(compose)?.map((c) => c.service)).toEqual(['accounts', 'cache', 'db', 'edge', 'notes']);
  });

  it('Pulumi matches each compose run container by container', async () => {
    const viaPulumi = await cli(['apply', spec, '--target', 'docker', '--images', LOCAL_IMAGES, '--json', '--timeout', '180'], { env, timeoutMs: 600_000 });
    expect(viaPulumi.code, `${viaPulumi.stderr}\n${JSON.stringify(viaPulumi.json.diagnostics)}`).toBe(0);
    const pulumiShape = shape(await liveContainers(system));
    const gone = await cli(['destroy', spec, '--json', '--delete-data'], { env, timeoutMs: 600_000 });
    expect(gone.code, gone.stderr).toBe(0);

    expect([...composeShapes.keys()]).toEqual(clis);
    for (const composeShape of composeShapes.values()) expect(pulumiShape).toEqual(composeShape);
  });
});
