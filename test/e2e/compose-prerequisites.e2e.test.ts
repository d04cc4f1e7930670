/**
 * Prerequisite and engine errors that need a running daemon to reach: the chosen Compose CLI not
 * installed, an unknown ANINFRA_COMPOSE, an image mapped to a local image that does not exist, a
 * service whose build fails. Runs once per Compose CLI (the plugin and v1). Nothing is left
 * running; whatever the test created is purged.
 */
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, composeClis, type ComposeCli, dockerLines, e2eEnabled, LOCAL_IMAGES, notesWorkspace, purgeSystem } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const clis = enabled ? composeClis() : [];
const systems: string[] = [];

/** System names have at most 24 characters: keep tags short (a pid has up to 7 digits). */
function workspace(tag: string): { spec: string; system: string } {
  const system = `e2e-pre-${tag}-${process.pid}`;
  systems.push(system);
  return { system, spec: notesWorkspace(system, 18990, 'compose').spec };
}

const realDocker = (): string => execFileSync('bash', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();

/** The chosen CLI made unavailable while the other one stays installed. */
function withoutCli(compose: ComposeCli): NodeJS.ProcessEnv {
  const bin = mkdtempSync(join(tmpdir(), `no-${compose}-`));
  if (compose === 'v1') {
    // Only docker and node on PATH: no docker-compose to find (the plugin stays).
    symlinkSync(realDocker(), join(bin, 'docker'));
    symlinkSync(process.execPath, join(bin, 'node'));
    return { PATH: bin, ANINFRA_COMPOSE: 'v1' };
  }
  // A docker without the compose plugin, as Docker's CLI answers then; docker-compose stays on PATH.
  writeFileSync(join(bin, 'docker'), `#!/bin/sh\nif [ "$1" = compose ]; then echo "docker: 'compose' is not a docker command." >&2; exit 1; fi\nexec '${realDocker()}' "$@"\n`);
  chmodSync(join(bin, 'docker'), 0o755);
  return { ANINFRA_DOCKER: join(bin, 'docker'), ANINFRA_COMPOSE: 'plugin' };
}

describe.runIf(enabled)('ANINFRA_COMPOSE on a real daemon', () => {
  afterAll(() => systems.forEach(purgeSystem));

  it('an unknown value: ERR_PREREQ_COMPOSE_CHOICE, exit 5', async () => {
    const { spec } = workspace('choice');
    const r = await cli(['apply', spec, '--images', LOCAL_IMAGES, '--json'], { env: { ANINFRA_COMPOSE: 'v2' } });
    expect(r.code).toBe(5);
    expect((r.json.diagnostics as { code: string }[]).map((d) => d.code)).toEqual(['ERR_PREREQ_COMPOSE_CHOICE']);
  });
});

describe.runIf(enabled).each(clis)('engine prerequisites on a real daemon (%s)', { timeout: 300_000 }, (compose) => {
  afterAll(() => systems.forEach(purgeSystem));
  const env = { ANINFRA_COMPOSE: compose };
  const short = compose === 'plugin' ? 'p' : 'v1';

  it('the chosen Compose is not installed: ERR_PREREQ_COMPOSE, exit 5, even with the other one there', async () => {
    const { spec } = workspace(`cli-${short}`);
    const r = await cli(['apply', spec, '--images', LOCAL_IMAGES, '--json'], { env: withoutCli(compose) });
    expect(r.code).toBe(5);
    expect((r.json.diagnostics as { code: string }[]).map((d) => d.code)).toContain('ERR_PREREQ_COMPOSE');
  });

  it('an image mapped to a local image that does not exist: ERR_PREREQ_IMAGE_MISSING, exit 5, nothing pulled', async () => {
    const { spec } = workspace(`img-${short}`);
    const images = join(dirname(spec), 'images.yaml');
    writeFileSync(images, 'images:\n  redis:7: local/does-not-exist:never\n  postgres:16: local/postgres:bookworm\n');
    const r = await cli(['apply', spec, '--images', images, '--json'], { env });
    expect(r.code).toBe(5);
    const d = (r.json.diagnostics as { code: string; message: string }[]).find((x) => x.code === 'ERR_PREREQ_IMAGE_MISSING');
    expect(d?.message).toContain('local/does-not-exist:never');
  });

  it('a service whose image fails to build: ERR_ENGINE_FAILED, exit 3, with the build output, and no build containers left', async () => {
    const { spec } = workspace(`bld-${short}`);
    const containersBefore = dockerLines(['ps', '-aq']).length;
    writeFileSync(join(dirname(spec), 'notes', 'notes-api', 'Dockerfile'), 'ARG BASE_IMAGE=node:20-bookworm-slim\nFROM ${BASE_IMAGE}\nRUN echo "broken build on purpose" && exit 7\n');
    const r = await cli(['apply', spec, '--images', LOCAL_IMAGES, '--json'], { env });
    expect(r.code).toBe(3);
    const d = (r.json.diagnostics as { code: string; hint?: string }[]).find((x) => x.code === 'ERR_ENGINE_FAILED');
    expect(d?.hint).toContain('broken build on purpose');
    expect(r.json.status).toBe('failed');
    // The failed RUN step's intermediate container is removed too (docker build --force-rm).
    expect(dockerLines(['ps', '-aq']).length).toBe(containersBefore);
  });
});
