/**
 * Prerequisite and engine errors that need a running daemon to reach: no Compose installed, an
 * image mapped to a local image that does not exist, a service whose build fails. Nothing is left
 * running; whatever the test created is purged.
 */
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, dockerLines, e2eEnabled, LOCAL_IMAGES, notesWorkspace, purgeSystem } from '../helpers/e2e.js';

const enabled = e2eEnabled();
const systems: string[] = [];

function workspace(tag: string): { spec: string; system: string } {
  const system = `e2e-pre-${tag}-${process.pid}`;
  systems.push(system);
  return { system, spec: notesWorkspace(system, 18990, 'compose').spec };
}

describe.runIf(enabled)('engine prerequisites on a real daemon', { timeout: 300_000 }, () => {
  afterAll(() => systems.forEach(purgeSystem));

  it('no Compose on PATH: ERR_PREREQ_COMPOSE, exit 5', async () => {
    const { spec } = workspace('compose');
    const bin = mkdtempSync(join(tmpdir(), 'onlydocker-'));
    symlinkSync(execFileSync('bash', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim(), join(bin, 'docker'));
    symlinkSync(process.execPath, join(bin, 'node'));
    // Only docker and node on PATH, and v2 detection off: no Compose of either kind to find.
    const r = await cli(['apply', spec, '--images', LOCAL_IMAGES, '--json'], { env: { PATH: bin, ANINFRA_COMPOSE: 'v1' } });
    expect(r.code).toBe(5);
    expect((r.json.diagnostics as { code: string }[]).map((d) => d.code)).toContain('ERR_PREREQ_COMPOSE');
  });

  it('an image mapped to a local image that does not exist: ERR_PREREQ_IMAGE_MISSING, exit 5, nothing pulled', async () => {
    const { spec } = workspace('image');
    const images = join(dirname(spec), 'images.yaml');
    writeFileSync(images, 'images:\n  redis:7: local/does-not-exist:never\n  postgres:16: local/postgres:bookworm\n');
    const r = await cli(['apply', spec, '--images', images, '--json']);
    expect(r.code).toBe(5);
    const d = (r.json.diagnostics as { code: string; message: string }[]).find((x) => x.code === 'ERR_PREREQ_IMAGE_MISSING');
    expect(d?.message).toContain('local/does-not-exist:never');
  });

  it('a service whose image fails to build: ERR_ENGINE_FAILED, exit 3, with the build output, and no build containers left', async () => {
    const { spec } = workspace('build');
    const containersBefore = dockerLines(['ps', '-aq']).length;
    writeFileSync(join(dirname(spec), 'notes', 'notes-api', 'Dockerfile'), 'ARG BASE_IMAGE=node:20-bookworm-slim\nFROM ${BASE_IMAGE}\nRUN echo "broken build on purpose" && exit 7\n');
    const r = await cli(['apply', spec, '--images', LOCAL_IMAGES, '--json']);
    expect(r.code).toBe(3);
    const d = (r.json.diagnostics as { code: string; hint?: string }[]).find((x) => x.code === 'ERR_ENGINE_FAILED');
    expect(d?.hint).toContain('broken build on purpose');
    expect(r.json.status).toBe('failed');
    // The failed RUN step's intermediate container is removed too (docker build --force-rm).
    expect(dockerLines(['ps', '-aq']).length).toBe(containersBefore);
  });
});
