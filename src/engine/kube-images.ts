/**
 * Images for the kubernetes engine: service images are built with `docker build` on this machine
 * (build-images.ts), then reach the cluster by the load method ANINFRA_K8S_IMAGE_LOAD names:
 *
 *   ctr:<containerd socket>  `docker save | ctr -n k8s.io images import` into the node's containerd
 *                            (the local cluster: ctr:/tmp/aninfra-k8s/containerd/containerd.sock);
 *                            an image already imported with the same Docker image id is skipped
 *                            (the import is labelled aninfra.image-id)
 *   kind:<cluster name>      `kind load docker-image` into a kind cluster
 *   push                     `docker push` of the image's reference (the target names built images
 *                            under platform.kubernetes.imageRegistry): real clusters
 *   none                     nothing: the cluster sees this machine's Docker images (Docker Desktop)
 *
 * Unset: `push` when the spec sets platform.kubernetes.imageRegistry, else `none`. Images mapped to
 * local ones (--images) are loaded like built ones; public images are pulled by the cluster.
 * Codes: ERR_ENGINE_FAILED, ERR_PREREQ_IMAGE_MISSING.
 */
import { resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { printable } from '../compiler/diagnostics/printable.js';
import { buildImage } from './build-images.js';
import { dockerBinary, imageExists } from './docker-cli.js';
import type { EngineContext } from './engine.js';
import type { KubeImage } from './kube-live.js';
import { runProcess } from './run-process.js';

export type LoadMethod = { readonly kind: 'ctr'; readonly socket: string } | { readonly kind: 'kind'; readonly cluster: string } | { readonly kind: 'push' } | { readonly kind: 'none' };

/** The load method from ANINFRA_K8S_IMAGE_LOAD, or the default for the spec's settings; a string is a bad value. */
export function loadMethod(env: NodeJS.ProcessEnv, imageRegistry: string | undefined): LoadMethod | string {
  const raw = env.ANINFRA_K8S_IMAGE_LOAD?.trim() ?? '';
  if (raw === '') return imageRegistry ? { kind: 'push' } : { kind: 'none' };
  if (raw === 'push' || raw === 'none') return { kind: raw };
  const [kind = '', ...rest] = raw.split(':');
  const arg = rest.join(':');
  if (kind === 'ctr' && arg) return { kind: 'ctr', socket: arg };
  if (kind === 'kind') return { kind: 'kind', cluster: arg || 'kind' };
  return raw;
}

/** Builds and loads the images; the diagnostics say what failed (an empty list: all there). */
export async function prepareClusterImages(ctx: EngineContext, images: readonly KubeImage[], imageRegistry: string | undefined): Promise<Diagnostic[]> {
  const method = loadMethod(ctx.env, imageRegistry);
  if (typeof method === 'string') {
    return [diagnostic('ERR_ENGINE_FAILED', { engine: 'kubernetes images', reason: `ANINFRA_K8S_IMAGE_LOAD is '${printable(method)}'; it must be ctr:<socket>, kind[:<cluster>], push or none` })];
  }
  const diagnostics: Diagnostic[] = [];
  for (const image of images) {
    if (ctx.signal.aborted) break;
    if (image.source.kind === 'build') {
      const built = await buildImage(image, resolve(ctx.specDir, image.source.context), ctx);
      if (built) {
        diagnostics.push(built);
        continue;
      }
    } else if (!(await imageExists(image.ref, ctx.env))) {
      diagnostics.push(diagnostic('ERR_PREREQ_IMAGE_MISSING', { image: image.ref, module: image.module }, { hint: 'build the local image first (e.g. bash ../shared/docker/bootstrap.sh)' }));
      continue;
    }
    const loaded = await loadImage(ctx, image, method);
    if (loaded) diagnostics.push(loaded);
  }
  return diagnostics;
}

/** The name containerd stores a Docker reference under ('local/x:1' → 'docker.io/local/x:1', 'x' → 'docker.io/library/x:latest'). */
export function normalizeRef(ref: string): string {
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const hasDomain = first.includes('.') || first.includes(':') || first === 'localhost';
  let name = hasDomain ? ref : `docker.io/${slash < 0 ? `library/${ref}` : ref}`;
  const lastPart = name.slice(name.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@')) name += ':latest';
  return name;
}

async function loadImage(ctx: EngineContext, image: KubeImage, method: LoadMethod): Promise<Diagnostic | undefined> {
  const docker = dockerBinary(ctx.env);
  const failed = (what: string, r: { stdout: string; stderr: string }): Diagnostic =>
    diagnostic('ERR_ENGINE_FAILED', { engine: 'kubernetes images', reason: `${what} of ${printable(image.ref)} for '${image.module}' failed: ${printable(ctx.redact(`${r.stderr}\n${r.stdout}`.trim().split('\n').slice(-3).join('; ')))}` });
  const opts = { env: ctx.env, signal: ctx.signal, ...(ctx.onChild ? { onChild: ctx.onChild } : {}), timeoutMs: 15 * 60_000 };
  if (method.kind === 'none') return undefined;
  if (method.kind === 'push') {
    ctx.emit({ type: 'progress', module: image.module, message: `pushing ${image.ref}` });
    const r = await runProcess(docker, ['push', image.ref], opts);
    return r.code === 0 ? undefined : failed('docker push', r);
  }
  if (method.kind === 'kind') {
    ctx.emit({ type: 'progress', module: image.module, message: `loading ${image.ref} into kind cluster ${method.cluster}` });
    const r = await runProcess(ctx.env.ANINFRA_KIND ?? 'kind', ['load', 'docker-image', image.ref, '--name', method.cluster], opts);
    return r.code === 0 ? undefined : failed('kind load', r);
  }
  const ctr = ctx.env.ANINFRA_CTR ?? 'ctr';
  const idResult = await runProcess(docker, ['image', 'inspect', '--format', '{{.Id}}', image.ref], { env: ctx.env, timeoutMs: 30_000 });
  const id = idResult.stdout.trim().replace(/^sha256:/, '');
  const name = normalizeRef(image.ref);
  const listed = await runProcess(ctr, ['-a', method.socket, '-n', 'k8s.io', 'images', 'ls', `name==${name}`], { env: ctx.env, timeoutMs: 30_000 });
  if (listed.code === 0 && id && listed.stdout.includes(`aninfra.image-id=${id}`)) return undefined;
  ctx.emit({ type: 'progress', module: image.module, message: `importing ${image.ref} into the cluster's containerd` });
  const script = 'set -o pipefail; "$0" save "$2" | "$1" -a "$3" -n k8s.io images import -';
  const r = await runProcess('bash', ['-c', script, docker, ctr, image.ref, method.socket], opts);
  if (r.code !== 0) return failed('ctr import', r);
  if (id) await runProcess(ctr, ['-a', method.socket, '-n', 'k8s.io', 'images', 'label', name, `aninfra.image-id=${id}`], { env: ctx.env, timeoutMs: 30_000 });
  return undefined;
}
