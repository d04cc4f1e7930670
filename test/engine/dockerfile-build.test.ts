/**
 * The engines' build step with a generated Dockerfile (src/engine/build-images.ts, also used by
 * the kubernetes engine): `docker build -f <program dir>/dockerfiles/<module>.Dockerfile <context>`,
 * the file written there when absent, nothing written into the context, and the content hash (the
 * label that skips an unchanged build) covering the generated text. A fake docker records argv.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildImage } from '../../src/engine/build-images.js';
import type { EngineContext } from '../../src/engine/engine.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(): { root: string; context: string; program: string; log: string; ctx: EngineContext } {
  const root = mkdtempSync(join(tmpdir(), 'aninfra-genbuild-'));
  dirs.push(root);
  const context = join(root, 'api');
  mkdirSync(context);
  writeFileSync(join(context, 'package.json'), '{"scripts":{"start":"node s.js"}}');
  const program = join(root, 'deploy');
  mkdirSync(program);
  const log = join(root, 'docker.log');
  const docker = join(root, 'docker');
  // `image inspect` finds nothing (so the build runs); every call's argv is one line of the log.
  writeFileSync(docker, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\n[ "$1" = image ] && exit 1\nexit 0\n`);
  chmodSync(docker, 0o755);
  const ctx = {
    system: 'shop',
    programDir: program,
    specDir: root,
    paths: { owner: 'owner1' },
    signal: new AbortController().signal,
    env: { ...process.env, ANINFRA_DOCKER: docker },
    emit: () => undefined,
    redact: (t: string) => t,
  } as unknown as EngineContext;
  return { root, context, program, log, ctx };
}

const TEXT = 'ARG BASE_IMAGE=node:20-bookworm-slim\nFROM ${BASE_IMAGE}\nCOPY . .\nCMD ["npm","start"]\n';
const request = (text: string) => ({ ref: 'shop--api:abc', module: 'api', source: { kind: 'build' as const, context: './api', args: {}, generatedDockerfile: text } });

describe('building with a generated Dockerfile', () => {
  it('passes -f with the file in the program directory and writes nothing into the context', async () => {
    const { context, program, log, ctx } = setup();
    expect(await buildImage(request(TEXT), context, ctx)).toBeUndefined();
    const path = join(program, 'dockerfiles', 'api.Dockerfile');
    expect(readFileSync(path, 'utf8')).toBe(TEXT);
    const build = readFileSync(log, 'utf8').split('\n').find((l) => l.startsWith('build '));
    expect(build).toContain(`-f ${path}`);
    expect(build?.endsWith(` ${context}`)).toBe(true);
    expect(readdirSync(context)).toEqual(['package.json']);
    expect(existsSync(join(context, 'Dockerfile'))).toBe(false);
  });

  it('labels the image with a hash that changes with the generated text', async () => {
    const { context, log, ctx } = setup();
    await buildImage(request(TEXT), context, ctx);
    await buildImage(request(TEXT.replace('npm","start', 'node","s.js')), context, ctx);
    const hashes = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('build '))
      .map((l) => /aninfra\.context-hash=(\w+)/.exec(l)?.[1]);
    expect(hashes).toHaveLength(2);
    expect(hashes[0]).not.toBe(hashes[1]);
  });

  it('rewrites a stale generated file in the program directory', async () => {
    const { context, program, ctx } = setup();
    mkdirSync(join(program, 'dockerfiles'));
    writeFileSync(join(program, 'dockerfiles', 'api.Dockerfile'), 'FROM old\n');
    await buildImage(request(TEXT), context, ctx);
    expect(readFileSync(join(program, 'dockerfiles', 'api.Dockerfile'), 'utf8')).toBe(TEXT);
  });
});
