/**
 * Shared fixtures for descriptor tests: the ajv configuration validation uses, a fake
 * DesignContext, instances built from `with:` blocks (defaults applied, like the validate stage
 * does), a module's design and its docker-family lowering, and small accessors over them.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import type { ContainerNode, DockerImageNode, DockerNode, DockerVolumeNode } from '../../src/targets/docker-family/model.js';
import type { Value } from '../../src/compiler/resolve/value.js';
import type { DependencyView, DesignContext, DesignNode, ModuleDescriptor, ModuleInstance } from '../../src/modules/descriptor.js';
import type { ImageNode, InfraIR, SecretNode } from '../../src/compiler/lower/ir.js';
import { lowerDockerFamily, resolveRefs } from '../../src/targets/docker-family/lower.js';

export const SYSTEM = 'shop';
export const NETWORK = 'network:shop';

export function makeAjv() {
  return new Ajv.default({ allErrors: true, useDefaults: true, strict: true });
}

const sharedAjv = makeAjv();
/** Compiled once per descriptor: property tests validate hundreds of inputs. */
const validators = new WeakMap<ModuleDescriptor, ValidateFunction>();

/** Validate a `with:` block (a copy; defaults filled in) against a descriptor's inputs. */
export function checkInputs(d: ModuleDescriptor, data: unknown): { ok: boolean; errors: string[]; value: Record<string, unknown> } {
  let validate = validators.get(d);
  if (!validate) {
    validate = sharedAjv.compile(d.inputs as object);
    validators.set(d, validate);
  }
  const value = structuredClone(data ?? {}) as Record<string, unknown>;
  const ok = validate(value);
  return { ok, errors: (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`), value };
}

/** A context like the lower stage's: pulled images `image:<module>` through an image mapping, the dependencies' node ids, build hashes. */
export function fakeContext(dependsOn: readonly string[] = [], mapping: Readonly<Record<string, string>> = {}, hashes: Readonly<Record<string, string>> = {}, module = 'm'): DesignContext {
  return {
    mapImage: (publicRef: string) => mapping[publicRef] ?? publicRef,
    image: (publicRef: string): ImageNode => {
      const mapped = Object.hasOwn(mapping, publicRef) ? mapping[publicRef] : undefined;
      return {
        kind: 'image',
        id: `image:${module}`,
        module,
        ref: mapped ?? publicRef,
        source: mapped ? { kind: 'local' } : { kind: 'pull' },
        provenance: { module, rule: 'module-image', detail: publicRef },
        dependsOn: [],
      };
    },
    dependsOn,
    labels: {},
    contentHash: (context: string) => (Object.hasOwn(hashes, context) ? hashes[context] : undefined),
  };
}

/** A module's design nodes, as the lower stage gets them from its descriptor. */
export function designModule(d: ModuleDescriptor, m: ModuleInstance, mapping: Readonly<Record<string, string>> = {}, hashes: Readonly<Record<string, string>> = {}): DesignNode[] {
  return [...d.design(m, fakeContext([], mapping, hashes, m.name))];
}

/**
 * A module lowered for the docker family: its design (with its generated secrets) in a system of
 * its own, through the docker-family lowering; the system network left out.
 */
export function lowerInstance(d: ModuleDescriptor, m: ModuleInstance, mapping: Readonly<Record<string, string>> = {}, hashes: Readonly<Record<string, string>> = {}): DockerNode[] {
  const secrets: SecretNode[] = Object.entries(d.secrets(m)).map(([key, length]) => ({
    kind: 'secret',
    id: `secret:${m.name}-${key}`,
    module: m.name,
    key,
    length,
    provenance: { module: m.name, rule: 'generated-secret', detail: key },
    dependsOn: [],
  }));
  const design: InfraIR = { irVersion: 2, system: m.system, platform: {}, images: mapping, nodes: [...secrets, ...designModule(d, m, mapping, hashes)], outputs: [] };
  const lowered = lowerDockerFamily(design, 'compose');
  if (!lowered.value) throw new Error(`docker-family lowering failed: ${JSON.stringify(lowered.diagnostics)}`);
  return lowered.value.nodes.filter((n) => n.kind !== 'network');
}

export interface InstanceExtras {
  readonly version?: string;
  readonly env?: Readonly<Record<string, Value>>;
  readonly labels?: Readonly<Record<string, string>>;
  readonly deps?: Readonly<Record<string, DependencyView>>;
}

/** An instance as lowering sees it; throws when `with` is invalid so tests cannot lower bad input. */
export function makeInstance(d: ModuleDescriptor, name: string, withValue: Record<string, unknown> = {}, extras: InstanceExtras = {}): ModuleInstance {
  const checked = checkInputs(d, withValue);
  if (!checked.ok) throw new Error(`invalid with for ${d.kind}: ${checked.errors.join('; ')}`);
  return {
    system: SYSTEM,
    name,
    type: d.kind,
    version: extras.version ?? d.versions.default,
    with: checked.value,
    env: extras.env ?? {},
    labels: extras.labels ?? {},
    deps: extras.deps ?? {},
  };
}

/** A dependency as another module sees it: its type, its output values and inputs. */
export function depView(d: ModuleDescriptor, name: string, withValue: Record<string, unknown> = {}): DependencyView {
  const m = makeInstance(d, name, withValue);
  return { type: d.kind, outputs: d.outputValues(m), with: m.with };
}

export function lowerModule(d: ModuleDescriptor, name: string, withValue: Record<string, unknown> = {}, extras: InstanceExtras = {}, mapping: Readonly<Record<string, string>> = {}): DockerNode[] {
  return lowerInstance(d, makeInstance(d, name, withValue, extras), mapping);
}

export function containers(nodes: readonly DockerNode[]): ContainerNode[] {
  return nodes.filter((n): n is ContainerNode => n.kind === 'container');
}

export function volumes(nodes: readonly DockerNode[]): DockerVolumeNode[] {
  return nodes.filter((n): n is DockerVolumeNode => n.kind === 'volume');
}

export function images(nodes: readonly DockerNode[]): DockerImageNode[] {
  return nodes.filter((n): n is DockerImageNode => n.kind === 'image');
}

export function container(nodes: readonly DockerNode[], id: string): ContainerNode {
  const c = containers(nodes).find((n) => n.id === id);
  if (!c) throw new Error(`no container ${id} in ${nodes.map((n) => n.id).join(', ')}`);
  return c;
}

/** Plain text of a value, failing the test's expectation if it holds a secret part. */
export function textOf(v: Value | undefined): string | undefined {
  if (!v || v.some((p) => p.kind !== 'text')) return undefined;
  return v.map((p) => (p.kind === 'text' ? p.text : '')).join('');
}

/** The file the nginx container gets at `path`. */
export function fileContent(c: ContainerNode, path: string): string {
  const f = c.files.find((x) => x.path === path);
  if (!f) throw new Error(`no file ${path} in ${c.id}`);
  return f.content;
}

/** A module's output values as the docker family sees them: apply-time references resolved to module names. */
export function networkOutputs(d: ModuleDescriptor, m: ModuleInstance): Record<string, Value> {
  return Object.fromEntries(Object.entries(d.outputValues(m)).map(([k, v]) => [k, resolveRefs(v)]));
}
