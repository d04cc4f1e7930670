/**
 * The emitted Pulumi program, run under Pulumi's unit-test mocks (no CLI): every resource it
 * registers, with type, name, key inputs and dependencies, against the IR it was emitted from —
 * plus hand-written expectations for teamdocs that do not go through the IR at all, and proof that
 * the dependency assertion fails when program and IR disagree.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/state/version.js';
import type { ContainerNode, DockerImageNode, DockerModel, NetworkNode, DockerSecretNode, DockerVolumeNode } from '../../src/targets/docker-family/model.js';
import { isSecret } from '../../src/compiler/resolve/value.js';
import { dockerTarget } from '../../src/targets/docker.js';
import { expectedImageInput, graphMismatches, hostConfig, imageOf, mockedValue, resourceFor, TYPES } from '../helpers/pulumi-expect.js';
import { isSecretValue, reveal, runUnderMocks, typeAndName, type MockedRun, type RegisteredResource } from '../helpers/pulumi-mocks.js';
import { emitSpec, exampleNamed, fileOf, type Emitted } from './fixtures.js';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-mocks-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Mocked {
  readonly emitted: Emitted;
  readonly ir: DockerModel;
  readonly run: MockedRun;
  readonly config: Record<string, string>;
  readonly specDir: string;
}

async function mockedProgram(name: string, dirName = name): Promise<Mocked> {
  const spec = exampleNamed(name);
  const dir = join(root, dirName);
  const emitted = emitSpec(spec, 'docker', dir);
  const project = (YAML.parse(fileOf(emitted, 'Pulumi.yaml')) as { name: string }).name;
  const config = hostConfig(emitted.ir);
  const run = await runUnderMocks(emitted.list, { dir, project, config });
  return { emitted, ir: emitted.ir, run, config, specDir: dirname(spec.path) };
}

const of = <K extends string>(ir: DockerModel, kind: K) => ir.nodes.filter((n) => n.kind === kind);
const must = (r: RegisteredResource | undefined, what: string): RegisteredResource => {
  if (!r) throw new Error(`no resource for ${what}`);
  return r;
};
const input = (r: RegisteredResource, key: string): unknown => r.inputs[key];
const labelsOf = (r: RegisteredResource): Record<string, string> =>
  Object.fromEntries(((reveal(input(r, 'labels')) ?? []) as { label: string; value: string }[]).map((l) => [l.label, l.value]));

describe.each(['teamdocs', 'minimal', 'all-modules'])('%s under Pulumi mocks', (name) => {
  let m: Mocked;
  beforeAll(async () => {
    m = await mockedProgram(name);
  });

  it('registers one resource per IR node (local images are plain strings) with exactly the IR dependencies', () => {
    expect(graphMismatches(m.ir, m.run)).toEqual([]);
    expect(m.run.resources.length).toBe(m.ir.nodes.filter((n) => !(n.kind === 'image' && n.source.kind === 'local')).length);
    for (const r of m.run.resources) expect(r.custom, r.name).toBe(true);
  });

  it('creates the system network', () => {
    const nodes = of(m.ir, 'network') as NetworkNode[];
    expect(nodes).toHaveLength(1);
    const r = must(resourceFor(m.run, nodes[0]!), 'network');
    expect(reveal(r.inputs)).toMatchObject({ name: `${m.ir.system}--net`, driver: 'bridge' });
    expect(labelsOf(r)).toEqual({ ...nodes[0]!.labels });
    expect(labelsOf(r)).toEqual({ 'aninfra.managed-by': 'aninfra', 'aninfra.system': m.ir.system, 'aninfra.rule': 'system-network' });
  });

  it('keeps volumes on destroy and labels them with their provenance', () => {
    for (const v of of(m.ir, 'volume') as DockerVolumeNode[]) {
      const r = must(resourceFor(m.run, v), v.id);
      expect(input(r, 'name')).toBe(v.name);
      expect(r.retainOnDelete).toBe(v.keep);
      expect(labelsOf(r)).toEqual({ ...v.labels });
      expect(labelsOf(r)).toMatchObject({ 'aninfra.system': m.ir.system, 'aninfra.module': v.provenance.module, 'aninfra.rule': v.provenance.rule });
    }
  });

  it('generates passwords with random, their result a secret output', () => {
    for (const s of of(m.ir, 'secret') as DockerSecretNode[]) {
      const r = must(resourceFor(m.run, s), s.id);
      expect(reveal(r.inputs)).toEqual({ length: s.length, special: false });
      expect(r.additionalSecretOutputs).toContain('result');
    }
  });

  it('pulls public images and builds the others from their context beside the spec', () => {
    for (const image of of(m.ir, 'image') as DockerImageNode[]) {
      const r = resourceFor(m.run, image);
      if (image.source.kind === 'local') {
        expect(r).toBeUndefined();
        continue;
      }
      const registered = must(r, image.id);
      expect(registered.type).toBe(TYPES.remoteImage);
      if (image.source.kind === 'pull') {
        expect(reveal(registered.inputs)).toEqual({ name: image.ref, keepLocally: true });
      } else {
        // Built by RemoteImage's build, rebuilt when the context's content hash changes.
        const build: Record<string, unknown> = { context: resolve(m.specDir, image.source.context), label: { ...image.labels } };
        expect(image.labels).toMatchObject({ 'aninfra.system': m.ir.system, 'aninfra.module': image.provenance.module });
        if (image.source.dockerfile) build.dockerfile = image.source.dockerfile;
        if (Object.keys(image.source.args).length > 0) build.buildArgs = { ...image.source.args };
        expect(reveal(registered.inputs)).toEqual({ name: image.ref, build, triggers: { contextHash: expect.stringMatching(/^[0-9a-f]{32}$/) }, keepLocally: true });
      }
    }
  });

  it('gives every container its image, env (secrets as secrets), ports on 127.0.0.1, probe, network, mounts, files and labels', () => {
    const containers = of(m.ir, 'container') as ContainerNode[];
    expect(containers.length).toBeGreaterThan(0);
    const volumes = new Map((of(m.ir, 'volume') as DockerVolumeNode[]).map((v) => [v.id, v]));
    for (const c of containers) {
      const r = must(resourceFor(m.run, c), c.id);
      const at = (key: string) => reveal(input(r, key));
      expect(at('name')).toBe(`${m.ir.system}--${c.name}`);
      expect(at('image')).toBe(expectedImageInput(imageOf(m.ir, c)));
      expect(at('entrypoints')).toEqual(c.entrypoint ? [...c.entrypoint] : undefined);
      expect(at('command')).toEqual(c.command ? [...c.command] : undefined);

      const keys = Object.keys(c.env).sort();
      const envs = (input(r, 'envs') ?? []) as unknown[];
      expect(envs.map(reveal), `${c.id} envs`).toEqual(keys.map((k) => `${k}=${mockedValue(c.env[k] ?? [], m.config)}`));
      expect(envs.map(isSecretValue), `${c.id} secret envs`).toEqual(keys.map((k) => isSecret(c.env[k] ?? [])));

      for (const p of c.ports) expect(p.hostIp).toBe('127.0.0.1');
      const published = c.ports.filter((p) => p.host !== undefined);
      expect(at('ports')).toEqual(published.length > 0 ? published.map((p) => ({ internal: p.container, external: p.host, ip: '127.0.0.1', protocol: p.protocol })) : undefined);

      const hc = c.healthcheck;
      expect(at('healthcheck')).toEqual(
        hc ? { tests: [...hc.test], interval: `${hc.intervalSeconds}s`, timeout: `${hc.timeoutSeconds}s`, retries: hc.retries, startPeriod: `${hc.startPeriodSeconds}s` } : undefined,
      );
      expect(at('wait')).toBe(hc ? true : undefined);

      expect(at('networksAdvanced')).toEqual([{ name: `${m.ir.system}--net`, aliases: [...c.aliases] }]);
      const mounts = c.mounts.map((mount) =>
        mount.kind === 'volume'
          ? { volumeName: volumes.get(mount.volume)?.name, containerPath: mount.target, ...(mount.readOnly ? { readOnly: true } : {}) }
          : { hostPath: resolve(m.specDir, mount.source), containerPath: mount.target, ...(mount.readOnly ? { readOnly: true } : {}) },
      );
      expect(at('volumes')).toEqual(mounts.length > 0 ? mounts : undefined);
      expect(at('uploads')).toEqual(c.files.length > 0 ? c.files.map((f) => ({ file: f.path, content: f.content })) : undefined);
      expect(at('restart')).toBe(c.restart);

      const labels = labelsOf(r);
      expect(labels).toEqual({ ...c.labels });
      expect(labels).toMatchObject({ 'aninfra.managed-by': 'aninfra', 'aninfra.system': m.ir.system, 'aninfra.module': c.module, 'aninfra.container': c.name, 'aninfra.rule': c.provenance.rule });
    }
  });

  it('exports every IR output, secrets as secrets', () => {
    const expected: Record<string, Record<string, { value: string; secret: boolean }>> = {};
    for (const o of m.ir.outputs) expected[o.module] = { ...(expected[o.module] ?? {}), [o.name]: { value: mockedValue(o.value, m.config), secret: o.secret } };
    expect(m.run.outputs).toEqual(expected);
  });
});

describe('teamdocs, stated by hand', () => {
  let m: Mocked;
  beforeAll(async () => {
    m = await mockedProgram('teamdocs', 'teamdocs-by-hand');
  });
  const named = (type: string, name: string): RegisteredResource => must(m.run.resources.find((r) => r.type === type && r.name === name), `${type} ${name}`);
  const deps = (r: RegisteredResource): string[] => r.dependencies.map(typeAndName).sort();

  it('uses every resource type of the target: network, volumes, pulled and built images, passwords, containers', () => {
    expect([...new Set(m.run.resources.map((r) => r.type))].sort()).toEqual(Object.values(TYPES).sort());
    const built = m.run.resources.filter((r) => r.type === TYPES.remoteImage && r.inputs.build !== undefined).map((r) => r.name);
    expect(built.sort()).toEqual(['auth', 'documents', 'payments', 'realtime']);
  });

  it('hands the generated postgres password to the database and its users only as a secret', () => {
    const db = named(TYPES.container, 'accounts-db');
    const envs = input(db, 'envs') as unknown[];
    const password = envs.find((e) => String(reveal(e)).startsWith('POSTGRES_PASSWORD='));
    expect(isSecretValue(password)).toBe(true);
    expect(reveal(password)).toBe('POSTGRES_PASSWORD=mock-password-accounts-db-password');
    const auth = named(TYPES.container, 'auth');
    const url = (input(auth, 'envs') as unknown[]).find((e) => String(reveal(e)).startsWith('ACCOUNTS_DB_URL='));
    expect(isSecretValue(url)).toBe(true);
    expect(reveal(url)).toBe('ACCOUNTS_DB_URL=postgres://app:mock-password-accounts-db-password@accounts-db:5432/accounts');
    expect((input(auth, 'envs') as unknown[]).filter((e) => !isSecretValue(e))).toContain('JWT_ISSUER=https://teamdocs.example/auth');
  });

  it('reads the Stripe key from secret config', () => {
    const payments = named(TYPES.container, 'payments');
    const key = (input(payments, 'envs') as unknown[]).find((e) => String(reveal(e)).startsWith('STRIPE_API_KEY='));
    expect(isSecretValue(key)).toBe(true);
    expect(reveal(key)).toBe('STRIPE_API_KEY=config-value-of-STRIPE_SECRET_KEY');
  });

  it('publishes only the gateway, on 127.0.0.1:8443', () => {
    const published = m.run.resources.filter((r) => r.type === TYPES.container && input(r, 'ports') !== undefined);
    expect(published.map((r) => r.name)).toEqual(['edge']);
    expect(reveal(input(published[0]!, 'ports'))).toEqual([{ internal: 8080, external: 8443, ip: '127.0.0.1', protocol: 'tcp' }]);
  });

  it('keeps the three data volumes', () => {
    const volumes = m.run.resources.filter((r) => r.type === TYPES.volume);
    expect(volumes.map((v) => [v.name, v.retainOnDelete]).sort()).toEqual([
      ['teamdocs--accounts-db--data', true],
      ['teamdocs--docs-db--data', true],
      ['teamdocs--sessions--data', true],
    ]);
  });

  it('starts services after what they use, and the load balancer after its replicas', () => {
    expect(deps(named(TYPES.container, 'auth'))).toEqual(
      [
        `${TYPES.container}::accounts-db`,
        `${TYPES.container}::sessions`,
        `${TYPES.remoteImage}::auth`,
        `${TYPES.network}::teamdocs--net`,
        `${TYPES.secret}::accounts-db-password`,
        `${TYPES.secret}::sessions-password`,
      ].sort(),
    );
    expect(deps(named(TYPES.container, 'documents'))).toEqual(expect.arrayContaining([`${TYPES.container}::documents--1`, `${TYPES.container}::documents--2`]));
    expect(deps(named(TYPES.container, 'edge'))).toEqual(expect.arrayContaining([`${TYPES.container}::auth`, `${TYPES.container}::documents`, `${TYPES.container}::realtime`]));
    expect(named(TYPES.volume, 'teamdocs--accounts-db--data').dependencies).toEqual([]);
  });

  it('probes postgres with pg_isready', () => {
    expect(reveal(input(named(TYPES.container, 'accounts-db'), 'healthcheck'))).toMatchObject({ tests: ['CMD', 'pg_isready', '-U', 'app', '-d', 'accounts', '-h', '127.0.0.1'] });
  });
});

describe('the dependency assertion', () => {
  it('fails when a dependency the IR declares is missing from the program', async () => {
    const spec = exampleNamed('teamdocs');
    const dir = join(root, 'mutated');
    const { ir } = emitSpec(spec, 'docker', dir);
    const victim = ir.nodes.find((n): n is ContainerNode => n.kind === 'container' && n.dependsOn.some((d) => d.startsWith('container:')));
    if (!victim) throw new Error('teamdocs has no container depending on another');
    const removed = victim.dependsOn.find((d) => d.startsWith('container:')) as string;
    const mutated: DockerModel = { ...ir, nodes: ir.nodes.map((n) => (n.id === victim.id ? { ...n, dependsOn: n.dependsOn.filter((d) => d !== removed) } : n)) };
    const files = dockerTarget.emit(mutated, { specDirFromOut: relative(dir, dirname(spec.path)), toolVersion: VERSION });
    const run = await runUnderMocks(files, { dir, project: `aninfra-${ir.system}`, config: hostConfig(ir) });
    const removedName = (ir.nodes.find((n) => n.id === removed) as ContainerNode).name;
    expect(graphMismatches(ir, run)).toEqual([`${victim.id}: missing dependencies ${TYPES.container}::${removedName}`]);
    expect(graphMismatches(mutated, run)).toEqual([]);
  });
});

describe('a build context with symbolic links', () => {
  it('is hashed without following them: a loop or a dangling link does not break the program, and a link target counts', async () => {
    const specDir = join(root, 'links');
    mkdirSync(join(specDir, 'app'), { recursive: true });
    writeFileSync(join(specDir, 'aninfra.yaml'), 'apiVersion: aninfra/v1\nkind: System\nmetadata: { name: links }\nmodules:\n  app: { type: worker, with: { runtime: node, build: ./app } }\n');
    writeFileSync(join(specDir, 'app', 'Dockerfile'), 'FROM node:20-alpine\n');
    symlinkSync('..', join(specDir, 'app', 'loop'));
    symlinkSync('nowhere', join(specDir, 'app', 'dangling'));
    const spec = { name: 'links', path: join(specDir, 'aninfra.yaml') };
    const hashOf = async (dir: string): Promise<unknown> => {
      const e = emitSpec(spec, 'docker', join(root, dir));
      const run = await runUnderMocks(e.list, { dir: join(root, dir), project: 'aninfra-links' });
      const image = run.resources.find((r) => r.type === TYPES.remoteImage && r.name === 'app');
      return (reveal(image?.inputs.triggers) as { contextHash?: unknown } | undefined)?.contextHash;
    };
    const first = await hashOf('links-out-1');
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    unlinkSync(join(specDir, 'app', 'dangling'));
    symlinkSync('elsewhere', join(specDir, 'app', 'dangling'));
    const second = await hashOf('links-out-2');
    expect(second).toMatch(/^[0-9a-f]{32}$/);
    expect(second).not.toBe(first);
  });
});

describe('an absolute build path inside the spec directory', () => {
  it('reaches the program as that path, not glued onto the spec directory (destroy needs no context either way)', async () => {
    const specDir = join(root, 'absolute');
    mkdirSync(join(specDir, 'app'), { recursive: true });
    writeFileSync(join(specDir, 'app', 'Dockerfile'), 'FROM node:20-alpine\n');
    writeFileSync(join(specDir, 'aninfra.yaml'), `apiVersion: aninfra/v1\nkind: System\nmetadata: { name: absolute }\nmodules:\n  app: { type: worker, with: { runtime: node, build: ${JSON.stringify(join(specDir, 'app'))} } }\n`);
    const spec = { name: 'absolute', path: join(specDir, 'aninfra.yaml') };
    const out = join(specDir, '.aninfra', 'absolute', 'program', 'docker');
    const e = emitSpec(spec, 'docker', out);
    const run = await runUnderMocks(e.list, { dir: out, project: 'aninfra-absolute' });
    const image = run.resources.find((r) => r.type === TYPES.remoteImage && r.name === 'app');
    expect((reveal(image?.inputs.build) as { context?: unknown }).context).toBe(join(specDir, 'app'));
  });
});
