/**
 * Both targets come from one IR, so they must describe the same system. For each spec, the
 * docker-compose.yml (parsed with `yaml`) and the resource graph the Pulumi program registers
 * under mocks agree on: containers (by module label), images and builds, env names and values
 * (Compose `$$` unescaped, secret placeholders filled with the values the mocks generate), published
 * ports, health checks, volumes, bind mounts and uploaded files, networks and dependencies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerModel, DockerSecretNode } from '../../src/targets/docker-family/model.js';
import { composeSecretVariable } from '../../src/targets/compose.js';
import { hostConfig, TYPES } from '../helpers/pulumi-expect.js';
import { isSecretValue, mockImageId, mockPassword, reveal, runUnderMocks, typeAndName, type MockedRun, type RegisteredResource } from '../helpers/pulumi-mocks.js';
import { ALL_SPECS, emitSpec, fileOf, type Emitted } from './fixtures.js';

type Service = Record<string, unknown> & {
  container_name: string;
  image: string;
  build?: { context: string; dockerfile?: string; labels?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: { type: string; source: string; target: string; read_only?: boolean }[];
  networks?: Record<string, { aliases: string[] }>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period: string };
  labels: Record<string, string>;
  command?: string[];
  entrypoint?: string[];
  restart: string;
};
interface ComposeFile {
  services: Record<string, Service>;
  networks?: Record<string, { name: string; labels: Record<string, string> }>;
  volumes?: Record<string, { name: string; labels: Record<string, string> }>;
}

/** Compose interpolation: `$$` → `$`, `${NAME}` → vars[NAME]; anything else with `$` is an error. */
function interpolate(s: string, vars: Readonly<Record<string, string>>): { value: string; substituted: boolean } {
  let value = '';
  let substituted = false;
  for (let i = 0; i < s.length; ) {
    if (s[i] !== '$') {
      value += s[i];
      i++;
    } else if (s[i + 1] === '$') {
      value += '$';
      i += 2;
    } else {
      const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(s.slice(i));
      if (!m || !Object.hasOwn(vars, m[1] as string)) throw new Error(`unexpected interpolation at ${i} in ${JSON.stringify(s)}`);
      value += vars[m[1] as string];
      substituted = true;
      i += m[0].length;
    }
  }
  return { value, substituted };
}
const unescape = (s: string): string => interpolate(s, {}).value;

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-parity-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(ALL_SPECS.map((s) => [s.name, s] as const))('%s: compose file and Pulumi graph', (name, spec) => {
  let dir = '';
  let ir: DockerModel;
  let compose: ComposeFile;
  let composeFiles: Emitted['files'];
  let run: MockedRun;
  let config: Record<string, string>;
  let vars: Record<string, string>;
  let containers: Map<string, RegisteredResource>;

  beforeAll(async () => {
    dir = join(root, name);
    const docker = emitSpec(spec, 'docker', dir);
    const composeEmitted = emitSpec(spec, 'compose', dir);
    ir = docker.ir;
    expect(composeEmitted.ir).toEqual(ir);
    composeFiles = composeEmitted.files;
    const doc = YAML.parseDocument(fileOf(composeEmitted, 'docker-compose.yml'), { uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    compose = doc.toJS() as ComposeFile;
    config = hostConfig(ir);
    const project = (YAML.parse(fileOf(docker, 'Pulumi.yaml')) as { name: string }).name;
    run = await runUnderMocks(docker.list, { dir, project, config });
    vars = { ...config };
    for (const s of ir.nodes.filter((n): n is DockerSecretNode => n.kind === 'secret')) vars[composeSecretVariable(s.module, s.key)] = mockPassword(`${s.module}-${s.key}`);
    containers = new Map(run.resources.filter((r) => r.type === TYPES.container).map((r) => [r.name, r]));
  });

  const input = (r: RegisteredResource, key: string): unknown => reveal(r.inputs[key]);
  const labels = (r: RegisteredResource): Record<string, string> =>
    Object.fromEntries(((input(r, 'labels') ?? []) as { label: string; value: string }[]).map((l) => [l.label, l.value]));
  const each = (check: (service: string, s: Service, c: RegisteredResource) => void): void => {
    for (const [service, s] of Object.entries(compose.services)) {
      const c = containers.get(service);
      if (!c) throw new Error(`no Pulumi container for compose service ${service}`);
      check(service, s, c);
    }
  };

  it('have the same containers, by name and by module label', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...containers.keys()].sort());
    const byModule = (pairs: [string, string][]) => pairs.map(([m, c]) => `${m}/${c}`).sort();
    expect(byModule(Object.entries(compose.services).map(([n, s]) => [unescape(s.labels['aninfra.module'] ?? ''), n]))).toEqual(
      byModule([...containers.values()].map((c) => [labels(c)['aninfra.module'] ?? '', c.name])),
    );
    each((service, s, c) => {
      expect(input(c, 'name')).toBe(`${ir.system}--${service}`);
      expect(unescape(s.container_name)).toBe(input(c, 'name'));
    });
  });

  it('label the network, volumes and built images alike, with the system and module', () => {
    const resourceLabels = (type: string) => new Map(run.resources.filter((r) => r.type === type).map((r) => [String(input(r, 'name')), labels(r)]));
    const networks = resourceLabels(TYPES.network);
    for (const [key, n] of Object.entries(compose.networks ?? {})) {
      expect(n.name).toBe(key);
      expect(n.labels).toEqual(networks.get(n.name));
      expect(n.labels['aninfra.system']).toBe(ir.system);
    }
    const volumes = resourceLabels(TYPES.volume);
    for (const v of Object.values(compose.volumes ?? {})) {
      expect(v.labels).toEqual(volumes.get(v.name));
      expect(v.labels).toMatchObject({ 'aninfra.system': ir.system, 'aninfra.module': expect.any(String) });
    }
    for (const s of Object.values(compose.services)) {
      if (!s.build) continue;
      const image = run.resources.find((r) => r.type === TYPES.remoteImage && String(input(r, 'name')) === unescape(s.image));
      expect((input(image as RegisteredResource, 'build') as { label?: unknown }).label).toEqual(s.build.labels);
      expect(s.build.labels).toMatchObject({ 'aninfra.system': ir.system });
    }
  });

  it('run the same images, built from the same context', () => {
    each((service, s, c) => {
      const ref = unescape(s.image);
      const pulumiImage = String(input(c, 'image'));
      // The container runs the image resource's id, or a local image by name.
      const image = run.resources.find((r) => r.type === TYPES.remoteImage && mockImageId(String(input(r, 'name'))) === pulumiImage);
      expect(image ? String(input(image, 'name')) : pulumiImage, service).toBe(ref);
      const build = image ? (input(image, 'build') as { context: string; dockerfile?: string } | undefined) : undefined;
      expect(Boolean(s.build), service).toBe(Boolean(build));
      if (s.build && build) {
        // Both read the Dockerfile relative to the context.
        const context = resolve(dir, unescape(s.build.context));
        expect(context).toBe(resolve(build.context));
        expect(s.build.dockerfile ? resolve(context, unescape(s.build.dockerfile)) : undefined).toBe(build.dockerfile ? resolve(build.context, build.dockerfile) : undefined);
      }
    });
  });

  it('set the same env names, equal values, and the same secrets', () => {
    each((service, s, c) => {
      const composeEnv = Object.entries(s.environment ?? {}).map(([k, v]) => ({ k, ...interpolate(String(v), vars) }));
      const pulumiEnv = ((c.inputs.envs ?? []) as unknown[]).map((e) => {
        const text = String(reveal(e));
        const eq = text.indexOf('=');
        return { k: text.slice(0, eq), value: text.slice(eq + 1), secret: isSecretValue(e) };
      });
      expect(composeEnv.map((e) => e.k).sort(), service).toEqual(pulumiEnv.map((e) => e.k).sort());
      for (const e of pulumiEnv) {
        const other = composeEnv.find((x) => x.k === e.k);
        expect(other?.value, `${service} ${e.k}`).toBe(e.value);
        expect(other?.substituted, `${service} ${e.k} is secret in both or neither`).toBe(e.secret);
      }
    });
  });

  it('publish the same ports, on 127.0.0.1', () => {
    each((service, s, c) => {
      const pulumiPorts = ((input(c, 'ports') ?? []) as { internal: number; external: number; ip: string; protocol: string }[]).map((p) => `${p.ip}:${p.external}:${p.internal}/${p.protocol}`);
      expect(s.ports ?? [], service).toEqual(pulumiPorts);
      for (const p of pulumiPorts) expect(p.startsWith('127.0.0.1:')).toBe(true);
    });
  });

  it('probe health with the same tests and timings', () => {
    each((service, s, c) => {
      const hc = input(c, 'healthcheck') as { tests: string[]; interval: string; timeout: string; retries: number; startPeriod: string } | undefined;
      if (!hc) {
        expect(s.healthcheck, service).toBeUndefined();
        return;
      }
      expect(s.healthcheck?.test.map(unescape), service).toEqual(hc.tests);
      expect([s.healthcheck?.interval, s.healthcheck?.timeout, s.healthcheck?.retries, s.healthcheck?.start_period]).toEqual([hc.interval, hc.timeout, hc.retries, hc.startPeriod]);
    });
  });

  it('mount the same volumes, bind mounts and files', () => {
    each((service, s, c) => {
      const mounts = s.volumes ?? [];
      const pulumiVolumes = ((input(c, 'volumes') ?? []) as { volumeName?: string; hostPath?: string; containerPath: string; readOnly?: boolean }[]).map((v) =>
        v.volumeName !== undefined ? `volume ${v.volumeName} ${v.containerPath} ${v.readOnly === true}` : `bind ${resolve(v.hostPath ?? '')} ${v.containerPath} ${v.readOnly === true}`,
      );
      const uploads = (input(c, 'uploads') ?? []) as { file: string; content: string }[];
      const files = mounts.filter((m) => m.type === 'bind' && m.source.startsWith('./files/'));
      const others = mounts
        .filter((m) => !files.includes(m))
        .map((m) => (m.type === 'volume' ? `volume ${unescape(m.source)} ${unescape(m.target)} ${m.read_only === true}` : `bind ${resolve(dir, unescape(m.source))} ${unescape(m.target)} ${m.read_only === true}`));
      expect(others.sort(), service).toEqual(pulumiVolumes.sort());
      expect(files.map((f) => unescape(f.target)).sort(), service).toEqual(uploads.map((u) => u.file).sort());
      for (const f of files) {
        expect(f.read_only).toBe(true);
        expect(composeFiles.get(f.source.replace(/^\.\//, '')), `${service} ${f.target}`).toBe(uploads.find((u) => u.file === unescape(f.target))?.content);
      }
    });
  });

  it('start each container after the same containers, health-gated where the dependency has a probe', () => {
    each((service, s, c) => {
      const pulumiDeps = c.dependencies.map(typeAndName).filter((k) => k.startsWith(`${TYPES.container}::`)).map((k) => k.split('::').pop() as string);
      expect(Object.keys(s.depends_on ?? {}).sort(), service).toEqual(pulumiDeps.sort());
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        const probed = input(containers.get(dep) as RegisteredResource, 'healthcheck') !== undefined;
        expect(condition, `${service} → ${dep}`).toBe(probed ? 'service_healthy' : 'service_started');
      }
    });
  });

  it('agree on command, entrypoint, restart policy, labels and network aliases', () => {
    const network = run.resources.find((r) => r.type === TYPES.network);
    each((service, s, c) => {
      expect(s.command?.map(unescape), service).toEqual(input(c, 'command'));
      expect(s.entrypoint?.map(unescape), service).toEqual(input(c, 'entrypoints'));
      expect(s.restart).toBe(input(c, 'restart'));
      expect(Object.fromEntries(Object.entries(s.labels).map(([k, v]) => [k, unescape(v)]))).toEqual(labels(c));
      const nets = input(c, 'networksAdvanced') as { name: string; aliases: string[] }[];
      expect(Object.entries(s.networks ?? {}).map(([n, v]) => ({ name: n, aliases: v.aliases.map(unescape) }))).toEqual(nets);
    });
    expect(Object.values(compose.networks ?? {}).map((n) => n.name)).toEqual(network ? [input(network, 'name')] : []);
  });

  it('declare the same named volumes with the same labels', () => {
    const volumes = run.resources.filter((r) => r.type === TYPES.volume);
    expect(Object.values(compose.volumes ?? {}).map((v) => ({ name: v.name, labels: v.labels })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      volumes.map((v) => ({ name: input(v, 'name'), labels: labels(v) })).sort((a, b) => String(a.name).localeCompare(String(b.name))),
    );
  });
});
