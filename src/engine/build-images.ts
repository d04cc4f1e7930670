/**
 * Images for the compose engine: build service images from their contexts (skipped when the
 * context is unchanged, by a content hash kept as an image label), and check that mapped local
 * images exist, so no registry is contacted unless an image really must be pulled.
 * A context without a Dockerfile is built with the one aninfra generated (the image source's
 * `generatedDockerfile`), from the program directory the engine deploys (`-f`), never from a file
 * in the user's folder.
 * Codes: ERR_PREREQ_IMAGE_MISSING, ERR_ENGINE_FAILED.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generatedDockerfilePath } from '../modules/design/dockerfile.js';
import { contextHash } from '../plan/context-hash.js';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { dockerModel, type DockerImageNode } from '../targets/docker-family/model.js';
import { dockerBinary, imageExists } from './docker-cli.js';
import type { EngineContext } from './engine.js';
import { runProcess } from './run-process.js';

export async function prepareImages(ctx: EngineContext, specDir: string): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const node of dockerModel(ctx.ir).nodes) {
    if (node.kind !== 'image' || ctx.signal.aborted) continue;
    const module = node.provenance.module ?? node.id;
    if (node.source.kind === 'build') {
      const d = await buildImage({ ref: node.ref, module, source: node.source }, resolve(specDir, node.source.context), ctx);
      if (d) diagnostics.push(d);
    } else if (node.source.kind === 'local' || ctx.pull === 'never') {
      if (!(await imageExists(node.ref, ctx.env))) diagnostics.push(diagnostic('ERR_PREREQ_IMAGE_MISSING', { image: node.ref, module }, { hint: node.source.kind === 'local' ? 'build the local image first (e.g. bash ../shared/docker/bootstrap.sh)' : 'pull it, or map it to a local image with --images' }));
    }
  }
  return diagnostics;
}

/** An image to build: its reference, its module and its build source (IR v1 and v2 image nodes both give these). */
export interface BuildRequest {
  readonly ref: string;
  readonly module: string;
  readonly source: DockerImageNode['source'];
}

/** Builds one image with `docker build` unless an image of the same context hash, system and owner exists. */
export async function buildImage(node: BuildRequest, context: string, ctx: EngineContext): Promise<Diagnostic | undefined> {
  if (node.source.kind !== 'build') return undefined;
  const module = node.module;
  const generated = node.source.generatedDockerfile;
  let hash: string;
  let dockerfile: string | undefined;
  try {
    // The generated text stands for the Dockerfile's name in the hash: a new text, a new build.
    hash = contextHash(context, generated !== undefined ? `generated:${generated}` : node.source.dockerfile ?? 'Dockerfile', node.source.args);
    dockerfile = generated !== undefined ? writeGeneratedDockerfile(ctx.programDir, module, generated) : node.source.dockerfile !== undefined ? join(context, node.source.dockerfile) : undefined;
  } catch (e) {
    return diagnostic('ERR_ENGINE_FAILED', { engine: 'docker build', reason: `build context of '${module}' (${context}) cannot be read: ${(e as Error).message}` });
  }
  const docker = dockerBinary(ctx.env);
  // The owner label is part of what must match: destroy removes the images labelled with its system and owner.
  const wanted = `${hash} ${ctx.system} ${ctx.paths.owner}`;
  const current = await runProcess(docker, ['image', 'inspect', '--format', '{{index .Config.Labels "aninfra.context-hash"}} {{index .Config.Labels "aninfra.system"}} {{index .Config.Labels "aninfra.owner"}}', node.ref], { env: ctx.env, timeoutMs: 20_000 });
  if (current.code === 0 && current.stdout.trim() === wanted) {
    ctx.emit({ type: 'progress', module, message: `image ${node.ref} is up to date` });
    return undefined;
  }
  ctx.emit({ type: 'progress', module, message: `building image ${node.ref} from ${context}` });
  const args = ['build', '--force-rm', '-t', node.ref, '--label', `aninfra.context-hash=${hash}`, '--label', `aninfra.module=${module}`, '--label', `aninfra.system=${ctx.system}`, '--label', `aninfra.owner=${ctx.paths.owner}`];
  for (const [k, v] of Object.entries(node.source.args).sort()) args.push('--build-arg', `${k}=${v}`);
  if (dockerfile !== undefined) args.push('-f', dockerfile);
  args.push(context);
  // The classic builder works with every daemon; BuildKit needs buildx on newer clients.
  const env = { ...ctx.env, DOCKER_BUILDKIT: ctx.env.DOCKER_BUILDKIT ?? '0' };
  const r = await runProcess(docker, args, { env, signal: ctx.signal, onChild: ctx.onChild, timeoutMs: 15 * 60_000 });
  if (r.code !== 0) {
    const tail = ctx.redact(`${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-15).join('\n'));
    return diagnostic('ERR_ENGINE_FAILED', { engine: 'docker build', reason: `image for '${module}' failed to build` }, { hint: tail });
  }
  return undefined;
}

/**
 * The generated Dockerfile's path in the program directory: the target wrote it there with the
 * program; written again when absent or different (a program emitted before it existed).
 */
function writeGeneratedDockerfile(programDir: string, module: string, text: string): string {
  const path = join(programDir, generatedDockerfilePath(module));
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current !== text) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return path;
}

export { contextHash } from '../plan/context-hash.js';
