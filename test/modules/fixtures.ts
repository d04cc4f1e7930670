/**
 * Shared fixtures for descriptor tests: the ajv configuration validation uses, a fake LowerContext,
 * instances built from `with:` blocks (defaults applied, like the validate stage does), and small
 * accessors over lowered IR.
 */
import Ajv, { type ValidateFunction } from 'ajv';
import type { ContainerNode, ImageNode, IrNode, VolumeNode } from '../../src/compiler/lower/ir.js';
import type { Value } from '../../src/compiler/resolve/value.js';
import type { DependencyView, LowerContext, ModuleDescriptor, ModuleInstance } from '../../src/modules/descriptor.js';

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

/** A context like the lower stage's: pulled images `image:<module>`, a network, provenance labels, an image mapping. */
export function fakeContext(dependsOn: readonly string[] = [NETWORK], mapping: Readonly<Record<string, string>> = {}, hashes: Readonly<Record<string, string>> = {}): LowerContext {
  return {
    mapImage: (publicRef: string) => mapping[publicRef] ?? publicRef,
    image: (module: string, publicRef: string): ImageNode => ({
      kind: 'image',
      id: `image:${module}`,
      ref: publicRef,
      source: { kind: 'pull' },
      labels: { 'aninfra.module': module, 'aninfra.rule': 'module-image' },
      provenance: { module, rule: 'module-image', detail: publicRef },
      dependsOn: [],
    }),
    dependsOn,
    network: NETWORK,
    labels: (module: string, rule: string) => ({ 'aninfra.module': module, 'aninfra.rule': rule }),
    resourceLabels: (module: string, rule: string) => ({ 'aninfra.module': module, 'aninfra.rule': rule }),
    contentHash: (context: string) => (Object.hasOwn(hashes, context) ? hashes[context] : undefined),
  };
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

export function lowerModule(d: ModuleDescriptor, name: string, withValue: Record<string, unknown> = {}, extras: InstanceExtras = {}, mapping: Readonly<Record<string, string>> = {}): IrNode[] {
  return [...d.lower(makeInstance(d, name, withValue, extras), fakeContext([NETWORK], mapping))];
}

export function containers(nodes: readonly IrNode[]): ContainerNode[] {
  return nodes.filter((n): n is ContainerNode => n.kind === 'container');
}

export function volumes(nodes: readonly IrNode[]): VolumeNode[] {
  return nodes.filter((n): n is VolumeNode => n.kind === 'volume');
}

export function images(nodes: readonly IrNode[]): ImageNode[] {
  return nodes.filter((n): n is ImageNode => n.kind === 'image');
}

export function container(nodes: readonly IrNode[], id: string): ContainerNode {
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
