/**
 * Names aninfra derives are unambiguous, and every resource carries its ownership labels.
 *
 * - A seeded property: for random (system, module) pairs made of dashed DNS labels, no two distinct
 *   pairs share a name of any kind (network, data volume, built image, container, replica), and
 *   every name is a 63-character DNS-1123 label (the image's repository part). Checked on the
 *   naming functions and on what lowering really emits.
 * - The collision of issue 9 (system adv-c + module k-x against system adv-c-k + module x), which
 *   shared the volume adv-c-k-x-data, now yields different names.
 * - `owner` labels every container, network, volume and built image (`aninfra.owner`), containers
 *   also carry `aninfra.container`; both targets emit them.
 * - `contextHash` tags a built image with the hash and records it; an unusable hash is ignored.
 */
import fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compiler/pipeline.js';
import { dockerModel, type DockerModel } from '../../../src/targets/docker-family/model.js';
import { MAX_MODULE_NAME, MAX_SYSTEM_NAME, resourceNames } from '../../../src/compiler/validate/resource-names.js';
import { registry } from '../../../src/modules/index.js';
import { targetNamed } from '../../../src/targets/index.js';

const SEED = 0x9_2026;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** DNS labels of at most `max` characters with dashes (single ones: `--` is refused by validation). */
const dashedName = (max: number): fc.Arbitrary<string> =>
  fc
    .array(fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/), { minLength: 1, maxLength: 6 })
    .map((parts) => parts.join('-'))
    .filter((n) => n.length <= max);

const system = dashedName(MAX_SYSTEM_NAME);
const module = dashedName(MAX_MODULE_NAME);

/** Every name a (system, module) pair gets, by kind; replicas 1 and 20 stand for all. */
function namesOf(s: string, m: string): Record<string, string> {
  return {
    network: resourceNames.network(s),
    volume: resourceNames.dataVolume(s, m),
    image: resourceNames.builtImage(s, m, 'latest'),
    container: resourceNames.container(s, m),
    replica1: resourceNames.container(s, resourceNames.replica(m, 1)),
    replica20: resourceNames.container(s, resourceNames.replica(m, 20)),
  };
}

function spec(s: string, modules: Record<string, unknown>, target = 'compose'): string {
  return YAML.stringify({ apiVersion: 'aninfra/v1', kind: 'System', metadata: { name: s }, target, modules });
}

function lower(text: string, options: { owner?: string; contextHash?: (context: string) => string | undefined; target?: 'compose' | 'docker' } = {}) {
  const c = compile(
    { path: '/virtual/aninfra.yaml', text },
    {
      registry,
      targets: (name) => targetNamed(name),
      outDir: '/virtual/.aninfra/out',
      ...(options.target ? { target: options.target } : {}),
      ...(options.owner ? { owner: options.owner } : {}),
      ...(options.contextHash ? { contextHash: options.contextHash } : {}),
    },
  );
  return { ...c, ir: c.ir ? dockerModel(c.ir) : undefined };
}

describe('derived names', () => {
  it('never coincide for two distinct (system, module) pairs, whatever the dashes (seeded property)', () => {
    fc.assert(
      fc.property(system, module, system, module, (s1, m1, s2, m2) => {
        fc.pre(s1 !== s2 || m1 !== m2);
        const a = namesOf(s1, m1);
        const b = namesOf(s2, m2);
        for (const kind of Object.keys(a)) {
          // The network belongs to the system alone.
          if (kind === 'network' && s1 === s2) continue;
          expect(a[kind], kind).not.toBe(b[kind]);
        }
        // Containers of any kind (plain, replica) never share a name across pairs either.
        const containersA = [a.container, a.replica1, a.replica20];
        for (const name of [b.container, b.replica1, b.replica20]) expect(containersA).not.toContain(name);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('are 63-character DNS labels at the longest names the schema allows', () => {
    const s = 's'.repeat(MAX_SYSTEM_NAME);
    const m = 'm'.repeat(MAX_MODULE_NAME);
    const names = namesOf(s, m);
    for (const [kind, name] of Object.entries(names)) expect(name.replace(/:latest$/, ''), kind).toMatch(DNS_LABEL);
    expect(resourceNames.replicasAlias(m)).toMatch(DNS_LABEL);
  });

  it('as lowered: the pairs of issue 9 get different volumes, images and containers', () => {
    const of = (s: string, m: string): DockerModel => {
      const r = lower(spec(s, { [m]: { type: 'postgres' }, [`${m}-api`]: { type: 'service', with: { runtime: 'image', image: 'nginx:1.27', replicas: 2 } } }));
      if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
      return dockerModel(r.ir);
    };
    const names = (ir: DockerModel) => ir.nodes.flatMap((n) => (n.kind === 'volume' || n.kind === 'network' ? [n.name] : n.kind === 'container' ? [`${ir.system}--${n.name}`] : []));
    const a = names(of('adv-c', 'k-x'));
    const b = names(of('adv-c-k', 'x'));
    expect(a).toContain('adv-c--k-x--data');
    expect(b).toContain('adv-c-k--x--data');
    for (const name of a) expect(b).not.toContain(name);
  });

  it('as lowered, for random pairs: every Docker name of one system differs from every one of another', () => {
    fc.assert(
      fc.property(system, module, system, module, (s1, m1, s2, m2) => {
        fc.pre(s1 !== s2);
        const dockerNames = (s: string, m: string): string[] => {
          const r = lower(spec(s, { [m]: { type: 'redis' }, w: { type: 'worker', with: { runtime: 'image', image: 'busybox:1.36', replicas: 2 } } }));
          if (!r.ir) throw new Error(JSON.stringify(r.diagnostics));
          return r.ir.nodes.flatMap((n) => (n.kind === 'volume' || n.kind === 'network' ? [n.name] : n.kind === 'container' ? [resourceNames.container(s, n.name)] : []));
        };
        const a = dockerNames(s1, m1);
        const b = dockerNames(s2, m2);
        for (const name of a) expect(b).not.toContain(name);
        for (const name of [...a, ...b]) expect(name).toMatch(DNS_LABEL);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('ownership labels', () => {
  const text = spec('shop', {
    db: { type: 'postgres' },
    api: { type: 'service', with: { runtime: 'node', build: './api', replicas: 2 }, uses: ['db'] },
  });

  it('label every network, volume, built image and container with system and owner; containers with their name', () => {
    const r = lower(text, { owner: '0123456789abcdef' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const n of r.ir?.nodes ?? []) {
      if (n.kind === 'secret') continue;
      expect(n.labels, n.id).toMatchObject({ 'aninfra.system': 'shop', 'aninfra.owner': '0123456789abcdef', 'aninfra.managed-by': 'aninfra', 'aninfra.rule': n.provenance.rule });
      if (n.provenance.module !== null) expect(n.labels['aninfra.module'], n.id).toBe(n.provenance.module);
      if (n.kind === 'container') expect(n.labels['aninfra.container']).toBe(n.name);
    }
    const compose = YAML.parse(r.files?.find((f) => f.path === 'docker-compose.yml')?.content ?? '') as {
      services: Record<string, { container_name: string; labels: Record<string, string>; build?: { labels: Record<string, string> } }>;
      networks: Record<string, { labels: Record<string, string> }>;
      volumes: Record<string, { labels: Record<string, string> }>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'api--1', 'api--2', 'db']);
    expect(compose.services['api--1']).toMatchObject({ container_name: 'shop--api--1', labels: { 'aninfra.owner': '0123456789abcdef', 'aninfra.container': 'api--1' }, build: { labels: { 'aninfra.owner': '0123456789abcdef', 'aninfra.system': 'shop' } } });
    expect(compose.networks['shop--net']?.labels).toMatchObject({ 'aninfra.owner': '0123456789abcdef', 'aninfra.system': 'shop' });
    expect(compose.volumes['shop--db--data']?.labels).toMatchObject({ 'aninfra.owner': '0123456789abcdef', 'aninfra.system': 'shop', 'aninfra.module': 'db' });
    const docker = lower(text, { owner: '0123456789abcdef', target: 'docker' }).files?.find((f) => f.path === 'index.ts')?.content ?? '';
    // The network, the volume, api's built image (the balancer's pulled nginx carries none) and four containers.
    expect(docker.match(/"0123456789abcdef"/g)?.length).toBe(1 + 1 + 1 + 4);
  });

  it('carry no owner label when the owner is unknown', () => {
    for (const n of lower(text).ir?.nodes ?? []) if (n.kind !== 'secret') expect(Object.keys(n.labels)).not.toContain('aninfra.owner');
  });
});

describe('build tags from content', () => {
  const text = spec('shop', { api: { type: 'worker', with: { runtime: 'node', build: './api' } } });
  const image = (r: ReturnType<typeof lower>) => r.ir?.nodes.find((n) => n.kind === 'image');

  it('tag a built image with the context hash and record it', () => {
    const seen: string[] = [];
    const r = lower(text, { contextHash: (context) => (seen.push(context), 'a1b2c3d4e5f60718293a4b5c6d7e8f90') });
    expect(seen).toEqual(['./api']);
    expect(image(r)).toMatchObject({ ref: 'shop--api:a1b2c3d4e5f60718293a4b5c6d7e8f90', source: { kind: 'build', context: './api', contentHash: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' } });
    expect(r.files?.find((f) => f.path === 'docker-compose.yml')?.content).toContain('"shop--api:a1b2c3d4e5f60718293a4b5c6d7e8f90"');
  });

  it('fall back to latest when the hash is unknown or not a valid tag', () => {
    for (const hash of [undefined, '', 'not a tag!', 'x'.repeat(129)]) {
      const built = image(lower(text, { contextHash: () => hash }));
      expect(built?.kind === 'image' && built.ref).toBe('shop--api:latest');
      expect(built?.kind === 'image' && built.source.kind === 'build' && built.source.contentHash).toBeUndefined();
    }
  });
});
