/**
 * What the docker target must register for an IR, stated independently of the emitter: one
 * resource per IR node (local images are plain strings, not resources), its type and name, the
 * container inputs the IR implies (with mocked secret values), and its dependencies.
 */
import { join } from 'node:path';
import type { ContainerNode, DockerImageNode, DockerModel, DockerNode } from '../../src/targets/docker-family/model.js';
import type { Value } from '../../src/compiler/resolve/value.js';
import { mockImageId, mockPassword, typeAndName, type MockedRun, type RegisteredResource } from './pulumi-mocks.js';

/** The resource types the docker target registers. Images, pulled or built, are RemoteImages. */
export const TYPES = {
  network: 'docker:index/network:Network',
  volume: 'docker:index/volume:Volume',
  secret: 'random:index/randomPassword:RandomPassword',
  remoteImage: 'docker:index/remoteImage:RemoteImage',
  container: 'docker:index/container:Container',
} as const;

/** `type::name` of the resource an IR node becomes; undefined for local images (plain strings). */
export function resourceKey(node: DockerNode): string | undefined {
  switch (node.kind) {
    case 'network':
      return `${TYPES.network}::${node.name}`;
    case 'volume':
      return `${TYPES.volume}::${node.name}`;
    case 'secret':
      return `${TYPES.secret}::${node.module}-${node.key}`;
    case 'image': {
      const name = node.id.replace(/^image:/, '');
      if (node.source.kind === 'local') return undefined;
      return `${TYPES.remoteImage}::${name}`;
    }
    case 'container':
      return `${TYPES.container}::${node.name}`;
  }
}

export function resourceFor(run: MockedRun, node: DockerNode): RegisteredResource | undefined {
  const key = resourceKey(node);
  return key ? run.resources.find((r) => `${r.type}::${r.name}` === key) : undefined;
}

/** Every difference between the registered resources and dependencies and what the IR says. */
export function graphMismatches(ir: DockerModel, run: MockedRun): string[] {
  const out: string[] = [];
  const byId = new Map(ir.nodes.map((n) => [n.id, n]));
  const expected = new Set<string>();
  for (const node of ir.nodes) {
    const key = resourceKey(node);
    if (!key) continue;
    expected.add(key);
    const resource = run.resources.find((r) => `${r.type}::${r.name}` === key);
    if (!resource) {
      out.push(`${node.id}: no resource ${key}`);
      continue;
    }
    const want = node.dependsOn
      .map((d) => byId.get(d))
      .map((d) => (d ? resourceKey(d) : undefined))
      .filter((k): k is string => k !== undefined)
      .sort();
    const got = [...new Set(resource.dependencies.map(typeAndName))].sort();
    const missing = want.filter((k) => !got.includes(k));
    const extra = got.filter((k) => !want.includes(k));
    if (missing.length > 0) out.push(`${node.id}: missing dependencies ${missing.join(', ')}`);
    if (extra.length > 0) out.push(`${node.id}: unexpected dependencies ${extra.join(', ')}`);
  }
  for (const r of run.resources) if (!expected.has(`${r.type}::${r.name}`)) out.push(`unexpected resource ${r.type}::${r.name}`);
  const keys = run.resources.map((r) => `${r.type}::${r.name}`);
  for (const k of new Set(keys)) if (keys.filter((x) => x === k).length > 1) out.push(`duplicate resource ${k}`);
  return out;
}

/** A Value as the container sees it under the mocks: passwords from the mocked RandomPassword, host env from config. */
export function mockedValue(value: Value, config: Readonly<Record<string, string>>): string {
  return value
    .map((p) => {
      switch (p.kind) {
        case 'text':
          return p.text;
        case 'secret':
          return mockPassword(`${p.module}-${p.name}`);
        case 'host-env':
          return config[p.name] ?? '';
      }
    })
    .join('');
}

/** Variables the program reads from config (external modules' fromEnv), each with a test value. */
export function hostConfig(ir: DockerModel): Record<string, string> {
  const names = new Set<string>();
  const values: Value[] = [...ir.outputs.map((o) => o.value), ...ir.nodes.flatMap((n) => (n.kind === 'container' ? Object.values(n.env) : []))];
  for (const v of values) for (const p of v) if (p.kind === 'host-env') names.add(p.name);
  return Object.fromEntries([...names].sort().map((n) => [n, `config-value-of-${n}`]));
}

/** The image input a container must get for its image node. */
export function expectedImageInput(image: DockerImageNode): string {
  return image.source.kind === 'local' ? image.ref : mockImageId(image.ref);
}

export function imageOf(ir: DockerModel, c: ContainerNode): DockerImageNode {
  const image = ir.nodes.find((n): n is DockerImageNode => n.kind === 'image' && n.id === c.image);
  if (!image) throw new Error(`no image node ${c.image}`);
  return image;
}

/** Where the program resolves a path relative to the spec: path.join(specDir, rel), specDir = resolve(programDir, specDirFromOut). */
export function programPath(specDir: string, rel: string): string {
  return join(specDir, rel);
}
