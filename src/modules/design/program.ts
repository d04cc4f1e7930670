/**
 * What the program modules (service, worker, cron-job) share: the inputs that say how to obtain the
 * program's image (a build context or a prebuilt image), their cross-field checks, and the image
 * node (built: the target names and tags it; prebuilt: through the image mapping).
 */
import { createHash } from 'node:crypto';
import type { ImageNode } from '../../compiler/lower/ir.js';
import type { DesignContext, HostPathDecl, JsonSchema, ModuleInstance } from '../descriptor.js';
import { BUILD_BASE_IMAGES, buildContents, planBuild } from './dockerfile.js';

export { BUILD_BASE_IMAGES } from './dockerfile.js';

export const RUNTIMES = ['node', 'python', 'go', 'image'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** A Docker image reference: repository[:tag][@digest], no whitespace or shell characters. */
export const IMAGE_REF_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$';
export const MAX_REPLICAS = 20;

/** Schema properties every program module has: runtime, build, dockerfile, image, command. */
export function programProperties(commandDescription: string): Record<string, JsonSchema> {
  return {
    runtime: {
      type: 'string',
      enum: [...RUNTIMES],
      description: "How the program is packaged: 'node', 'python' or 'go' build from `build`; 'image' runs the prebuilt `image`.",
    },
    build: {
      type: 'string',
      minLength: 1,
      maxLength: 1024,
      description: 'Build context directory, relative to the spec file. Required for node, python and go. Holds a Dockerfile, or aninfra generates one from package.json (node), requirements.txt / pyproject.toml and app.py or main.py (python) or go.mod (go).',
    },
    dockerfile: {
      type: 'string',
      pattern: '^[A-Za-z0-9._-][A-Za-z0-9._/-]{0,254}$',
      description: 'Dockerfile path inside the build context (default: Dockerfile).',
    },
    image: {
      type: 'string',
      pattern: IMAGE_REF_PATTERN,
      description: "Prebuilt image reference (e.g. 'ghcr.io/acme/api:1.4'); required when runtime is 'image'.",
    },
    command: {
      type: 'array',
      minItems: 1,
      maxItems: 256,
      items: { type: 'string', maxLength: 8192 },
      description: commandDescription,
    },
  };
}

export const replicasProperty: JsonSchema = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_REPLICAS,
  default: 1,
  description: 'Number of identical containers, named <module>--1 … <module>--N when more than one.',
};

/** Cross-field checks of the image inputs; paths are relative to the module. */
export function programConflicts(w: Readonly<Record<string, unknown>>): { path: string; problem: string }[] {
  const out: { path: string; problem: string }[] = [];
  const runtime = typeof w.runtime === 'string' ? w.runtime : undefined;
  const hasBuild = w.build !== undefined;
  const hasImage = w.image !== undefined;
  if (hasBuild && hasImage) {
    out.push({ path: '/with/image', problem: "'build' and 'image' cannot be used together: build from a directory, or run a prebuilt image" });
  }
  if (runtime === 'image' && !hasImage) {
    out.push({ path: '/with/runtime', problem: "runtime 'image' needs 'image', a prebuilt image reference" });
  }
  if (runtime !== undefined && runtime !== 'image' && !hasBuild) {
    out.push({
      path: '/with/runtime',
      problem: `runtime '${runtime}' needs 'build', the program's directory (relative to the spec) with a Dockerfile or what one is generated from; to run a prebuilt image use runtime 'image'`,
    });
  }
  if (w.dockerfile !== undefined && !hasBuild) {
    out.push({ path: '/with/dockerfile', problem: "'dockerfile' needs 'build': it names a file inside the build context" });
  }
  return out;
}

/** The build context and its Dockerfile, which must stay inside the spec's directory and the context. */
export function programHostPaths(w: Readonly<Record<string, unknown>>): HostPathDecl[] {
  if (typeof w.build !== 'string') return [];
  const dockerfile = typeof w.dockerfile === 'string' ? w.dockerfile : undefined;
  return [
    {
      path: '/with/build',
      directory: w.build,
      what: 'build context',
      file: dockerfile !== undefined ? { path: '/with/dockerfile', name: dockerfile, required: true } : { path: '/with/build', name: 'Dockerfile', required: false },
      contents: buildContents(buildInputs(w)),
    },
  ];
}

/**
 * The program's image: built from `build` (the target names it; docker: `<system>--<module>:<content
 * hash>`, or `:latest` when the hash is unknown), or `image` through the context's mapping.
 */
export function programImage(m: ModuleInstance, ctx: DesignContext): ImageNode {
  if (typeof m.with.build !== 'string') {
    // conflicts() guarantees one of build and image; reaching here without either is a bug upstream.
    if (typeof m.with.image !== 'string') throw new Error(`internal: ${m.type} ${m.name} has neither build nor image`);
    return ctx.image(m.with.image);
  }
  const dockerfile = typeof m.with.dockerfile === 'string' ? m.with.dockerfile : undefined;
  const runtime = m.with.runtime;
  const bases = runtime === 'node' || runtime === 'python' || runtime === 'go' ? BUILD_BASE_IMAGES[runtime] : {};
  const args: Record<string, string> = {};
  for (const [arg, ref] of Object.entries(bases)) {
    const mapped = ctx.mapImage(ref);
    if (mapped !== ref) args[arg] = mapped;
  }
  const view = ctx.contextView?.(m.with.build);
  const plan = view ? planBuild(buildInputs(m.with), view) : undefined;
  const generated = plan?.kind === 'generated' ? plan : undefined;
  const hash = ctx.contentHash(m.with.build);
  // The image tag must change with the generated Dockerfile as with any file of the context.
  const contentHash = hash !== undefined && generated ? createHash('sha256').update(`${hash}\n${generated.text}`).digest('hex').slice(0, 32) : hash;
  return {
    kind: 'image',
    id: `image:${m.name}`,
    module: m.name,
    source: { kind: 'build', context: m.with.build, ...(dockerfile ? { dockerfile } : {}), ...(generated ? { generatedDockerfile: generated.text } : {}), args, ...(contentHash ? { contentHash } : {}) },
    provenance: generated
      ? { module: m.name, rule: 'generated-dockerfile', detail: `${m.type} ${m.name} is built from ${m.with.build} with a Dockerfile aninfra generated from ${generated.from.join(' and ')} (plan --show-dockerfile ${m.name})` }
      : { module: m.name, rule: `${m.type}-build`, detail: `${m.type} ${m.name} is built from ${m.with.build}` },
    dependsOn: [],
  };
}

function buildInputs(w: Readonly<Record<string, unknown>>): { runtime: string | undefined; dockerfile: string | undefined; command: string[] | undefined } {
  return {
    runtime: typeof w.runtime === 'string' ? w.runtime : undefined,
    dockerfile: typeof w.dockerfile === 'string' ? w.dockerfile : undefined,
    command: Array.isArray(w.command) ? w.command.map(String) : undefined,
  };
}

/** `with.command` as argv, if given. */
export function commandInput(m: ModuleInstance): string[] | undefined {
  const c = m.with.command;
  return Array.isArray(c) ? c.map(String) : undefined;
}

/** The runtime hint of a program's process ('node', 'python', 'go'; none for a prebuilt image). */
export function runtimeOf(m: ModuleInstance): string | undefined {
  return typeof m.with.runtime === 'string' && m.with.runtime !== 'image' ? m.with.runtime : undefined;
}
