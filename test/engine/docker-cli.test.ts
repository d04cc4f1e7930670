/**
 * Which Compose the compose engine drives (ANINFRA_COMPOSE=plugin|v1|auto, plugin releases 2 and
 * later, 5.6.0 and a future 6 included), with fake `docker` and `docker-compose` programs, and what
 * it reads from Docker: recorded `docker inspect` output of containers made by the plugin
 * (`project-service-1`) and by v1 (`project_service_1`) gives the same services and modules.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeChoice, detectCompose, isPluginLine, parseComposeVersion, parseInspect } from '../../src/engine/docker-cli.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'compose-cli');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/**
 * A bin dir with a fake `docker` (answers `compose version --short` with `plugin`, or fails like a
 * docker without the plugin) and, when asked, a fake `docker-compose`; every docker call is logged.
 */
function fakeBin(options: { plugin?: string; v1?: boolean }): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'aninfra-fake-docker-'));
  dirs.push(dir);
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  const answer = options.plugin === undefined ? `echo "docker: 'compose' is not a docker command." >&2; exit 1` : `echo '${options.plugin}'; exit 0`;
  writeFileSync(join(dir, 'docker'), `#!/bin/sh\necho "$*" >> '${log}'\nif [ "$1" = compose ]; then ${answer}; fi\nexit 0\n`);
  chmodSync(join(dir, 'docker'), 0o755);
  if (options.v1) {
    writeFileSync(join(dir, 'docker-compose'), '#!/bin/sh\necho 1.29.2\n');
    chmodSync(join(dir, 'docker-compose'), 0o755);
  }
  return {
    env: { PATH: dir, ANINFRA_DOCKER: join(dir, 'docker') },
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
  };
}

const codeOf = (r: unknown): string | undefined => (r && typeof r === 'object' && 'code' in r ? (r as { code: string }).code : undefined);

describe('parseComposeVersion', () => {
  it.each([
    ['5.6.0\n', 5, '5.6.0'],
    ['v2.40.3', 2, '2.40.3'],
    ['2.40.3-desktop.1', 2, '2.40.3-desktop.1'],
    ['Docker Compose version v5.6.0', 5, '5.6.0'],
    ['6.0.0', 6, '6.0.0'],
    ['1.29.2', 1, '1.29.2'],
  ])('%j is major %i', (output, major, text) => {
    expect(parseComposeVersion(output)).toMatchObject({ major, text });
  });

  it.each(['', 'docker: unknown command', 'v5', '5.6'])('%j is no version', (output) => {
    expect(parseComposeVersion(output)).toBeUndefined();
  });

  it('takes 2 and every later major as the plugin line, 1 not', () => {
    expect(['2.0.0', '2.40.3', '5.6.0', '6.0.0', '10.1.2'].map((v) => isPluginLine(parseComposeVersion(v)!))).toEqual([true, true, true, true, true]);
    expect(isPluginLine(parseComposeVersion('1.29.2')!)).toBe(false);
  });
});

describe('composeChoice', () => {
  it.each([
    [undefined, 'auto'],
    ['', 'auto'],
    ['auto', 'auto'],
    ['plugin', 'plugin'],
    ['v1', 'v1'],
  ])('ANINFRA_COMPOSE=%j is %s', (value, choice) => {
    expect(composeChoice(value === undefined ? {} : { ANINFRA_COMPOSE: value })).toBe(choice);
  });

  it.each(['v2', 'PLUGIN', 'docker-compose', 'yes'])('ANINFRA_COMPOSE=%j is ERR_PREREQ_COMPOSE_CHOICE', (value) => {
    expect(codeOf(composeChoice({ ANINFRA_COMPOSE: value }))).toBe('ERR_PREREQ_COMPOSE_CHOICE');
  });
});

describe('detectCompose', () => {
  it('auto takes the plugin 5.6.0 when present', async () => {
    const { env } = fakeBin({ plugin: '5.6.0', v1: true });
    expect(await detectCompose(env)).toMatchObject({ flavour: 'v2', prefix: ['compose'], version: '5.6.0' });
  });

  it('auto takes a future plugin major, and drops a leading v', async () => {
    expect(await detectCompose(fakeBin({ plugin: '6.0.1', v1: true }).env)).toMatchObject({ flavour: 'v2', version: '6.0.1' });
    expect(await detectCompose(fakeBin({ plugin: 'v2.40.3', v1: true }).env)).toMatchObject({ flavour: 'v2', version: '2.40.3' });
  });

  it('auto falls back to v1 when `docker compose` is missing or is not the plugin line', async () => {
    expect(await detectCompose(fakeBin({ v1: true }).env)).toMatchObject({ flavour: 'v1', prefix: [] });
    expect(await detectCompose(fakeBin({ plugin: '1.0.0', v1: true }).env)).toMatchObject({ flavour: 'v1' });
    expect(await detectCompose(fakeBin({ plugin: 'something else', v1: true }).env)).toMatchObject({ flavour: 'v1' });
  });

  it('v1 uses docker-compose even when the plugin is present, without asking docker', async () => {
    const fake = fakeBin({ plugin: '5.6.0', v1: true });
    const r = await detectCompose({ ...fake.env, ANINFRA_COMPOSE: 'v1' });
    expect(r).toMatchObject({ flavour: 'v1', command: join(fake.env.PATH!, 'docker-compose') });
    expect(fake.calls()).toEqual([]);
  });

  it('plugin refuses to fall back to v1: ERR_PREREQ_COMPOSE', async () => {
    expect(codeOf(await detectCompose({ ...fakeBin({ v1: true }).env, ANINFRA_COMPOSE: 'plugin' }))).toBe('ERR_PREREQ_COMPOSE');
    expect(codeOf(await detectCompose({ ...fakeBin({ plugin: '1.0.0', v1: true }).env, ANINFRA_COMPOSE: 'plugin' }))).toBe('ERR_PREREQ_COMPOSE');
    expect(await detectCompose({ ...fakeBin({ plugin: '5.6.0' }).env, ANINFRA_COMPOSE: 'plugin' })).toMatchObject({ flavour: 'v2', version: '5.6.0' });
  });

  it('v1 without docker-compose, or no Compose at all: ERR_PREREQ_COMPOSE', async () => {
    expect(codeOf(await detectCompose({ ...fakeBin({ plugin: '5.6.0' }).env, ANINFRA_COMPOSE: 'v1' }))).toBe('ERR_PREREQ_COMPOSE');
    expect(codeOf(await detectCompose(fakeBin({}).env))).toBe('ERR_PREREQ_COMPOSE');
  });

  it('an unknown ANINFRA_COMPOSE is ERR_PREREQ_COMPOSE_CHOICE before anything runs', async () => {
    const fake = fakeBin({ plugin: '5.6.0', v1: true });
    expect(codeOf(await detectCompose({ ...fake.env, ANINFRA_COMPOSE: 'v2' }))).toBe('ERR_PREREQ_COMPOSE_CHOICE');
    expect(fake.calls()).toEqual([]);
  });
});

describe('parseInspect on containers made by each CLI', () => {
  // Recorded from the same two-service compose file: `docker compose -p h5rec-plugin up -d --wait`
  // (plugin 5.6.0) and `docker-compose -p h5recv1 up -d` (1.29.2).
  const plugin = parseInspect(readFileSync(join(FIXTURES, 'inspect-plugin.json'), 'utf8'));
  const v1 = parseInspect(readFileSync(join(FIXTURES, 'inspect-v1.json'), 'utf8'));

  it('keeps each CLI\'s container names', () => {
    expect(plugin.map((c) => c.name)).toEqual(['h5rec-plugin-api-1', 'h5rec-plugin-cache-1']);
    expect(v1.map((c) => c.name)).toEqual(['h5recv1_api_1', 'h5recv1_cache_1']);
  });

  it('reads the same services, modules, states, health and ports from both', () => {
    const shape = (list: typeof plugin) => list.map((c) => ({ service: c.service, module: c.module, state: c.state, health: c.health, ports: c.ports.map((p) => `${p.hostIp}:${p.containerPort}`), image: c.image, networks: c.networks.length }));
    expect(shape(plugin)).toEqual([
      { service: 'api', module: 'api', state: 'running', health: 'none', ports: [], image: 'local/debian:bookworm', networks: 1 },
      { service: 'cache', module: 'cache', state: 'running', health: 'healthy', ports: ['127.0.0.1:6379'], image: 'local/redis:bookworm', networks: 1 },
    ]);
    expect(shape(v1)).toEqual(shape(plugin));
  });

  it('names a container without service labels by its name after `<system>--`, and reads its restart count', () => {
    const record = { Id: 'c1', Name: '/shop--web', RestartCount: 2, Config: { Image: 'img', Labels: { 'aninfra.system': 'shop', 'aninfra.module': 'web' } }, State: { Status: 'running', ExitCode: 0, StartedAt: '' }, NetworkSettings: {} };
    expect(parseInspect(JSON.stringify([record]))[0]).toMatchObject({ service: 'web', restartCount: 2 });
  });
});
