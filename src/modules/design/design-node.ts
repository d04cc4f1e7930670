/**
 * The pieces every descriptor's design is built from: the module node's common fields, its process
 * (image, env, files, readiness, restart intent), a typed readiness probe with default timing, the
 * data volume of a store, and the L4 fields read from `with:` (replicas, autoscale, resources,
 * availability). Descriptors describe; targets decide how each piece is realized.
 */
import type { Autoscale, ConfigFile, ImageNode, Mount, Port, Probe, ProbeTiming, Process, Readiness, Resources, RestartIntent, VolumeNode } from '../../compiler/lower/ir.js';
import type { Value } from '../../compiler/resolve/value.js';
import type { DesignContext, ModuleInstance } from '../descriptor.js';

/** How often and how patiently every probe runs unless a module says otherwise. */
export const DEFAULT_TIMING: ProbeTiming = { intervalSeconds: 2, timeoutSeconds: 5, retries: 30, startPeriodSeconds: 1 };

export function readiness(probe: Probe, timing: Partial<ProbeTiming> = {}): Readiness {
  return { probe, timing: { ...DEFAULT_TIMING, ...timing } };
}

/** An exec probe through the image's shell: `/bin/sh -c <script>`. */
export function shellProbe(script: string): Probe {
  return { kind: 'exec', command: ['/bin/sh', '-c', script] };
}

/** What every module node of `m` shares: id, module, type, version, labels, provenance and dependencies. */
export function moduleBase<K extends string>(m: ModuleInstance, ctx: DesignContext, kind: K, uses: readonly string[]) {
  return {
    kind,
    id: `${kind}:${m.name}`,
    module: m.name,
    type: m.type,
    version: m.version,
    labels: ctx.labels,
    provenance: { module: m.name, rule: `module:${m.type}`, detail: `${m.type} ${m.version}` },
    dependsOn: [...new Set([...ctx.dependsOn, ...uses])].sort(),
  };
}

export interface ProcessOptions {
  readonly image: ImageNode;
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  /** The module's own env; laid over the instance's (uses: injections, then `env:`). */
  readonly env?: Readonly<Record<string, Value>>;
  readonly files?: readonly ConfigFile[];
  readonly mounts?: readonly Mount[];
  readonly readiness?: Readiness;
  readonly restart?: RestartIntent;
  readonly runtime?: string;
}

/** envOrigin is filled in by lower-to-ir, which knows which variables came from edges and from the spec. */
export function processOf(m: ModuleInstance, options: ProcessOptions): Process {
  const resources = resourcesOf(m.with);
  return {
    image: options.image.id,
    ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
    ...(options.command ? { command: options.command } : {}),
    // The module's own env wins: validation rejects a spec `env:` key the module owns
    // (ERR_ENV_MODULE_OWNED), so this only matters if a use injected one.
    env: { ...m.env, ...(options.env ?? {}) },
    envOrigin: {},
    files: options.files ?? [],
    mounts: options.mounts ?? [],
    ...(options.readiness ? { readiness: options.readiness } : {}),
    restart: options.restart ?? 'always',
    ...(resources ? { resources } : {}),
    ...(options.runtime ? { runtime: options.runtime } : {}),
  };
}

/** An internal port, published when `publish` is a number. */
export function port(name: string, number: number, protocol: Port['protocol'], publish: unknown): Port {
  return { name, port: number, protocol, ...(typeof publish === 'number' ? { publish } : {}) };
}

/** The volume holding a stateful module's data (purpose 'data'), kept across destroys. */
export function dataVolume(m: ModuleInstance): VolumeNode {
  const size = typeof m.with.storage === 'string' ? m.with.storage : undefined;
  return {
    kind: 'volume',
    id: `volume:${m.name}-data`,
    module: m.name,
    purpose: 'data',
    ...(size ? { size } : {}),
    keep: true,
    provenance: { module: m.name, rule: 'stateful-volume', detail: `${m.type} is stateful: its data lives in a named volume kept across destroys` },
    dependsOn: [],
  };
}

/** `with.replicas`, or autoscale's minimum, or 1. */
export function replicasOf(w: Readonly<Record<string, unknown>>): number {
  const autoscale = autoscaleOf(w);
  if (autoscale) return autoscale.min;
  return typeof w.replicas === 'number' ? w.replicas : 1;
}

export function autoscaleOf(w: Readonly<Record<string, unknown>>): Autoscale | undefined {
  const a = record(w.autoscale);
  if (!a || typeof a.min !== 'number' || typeof a.max !== 'number') return undefined;
  return { min: a.min, max: a.max, cpu: typeof a.cpu === 'number' ? a.cpu : 80 };
}

export function resourcesOf(w: Readonly<Record<string, unknown>>): Resources | undefined {
  const r = record(w.resources);
  if (!r) return undefined;
  const quantity = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const cpu = quantity(r.cpu);
  const memory = quantity(r.memory);
  const out = { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
  return Object.keys(out).length > 0 ? out : undefined;
}

export function availabilityOf(w: Readonly<Record<string, unknown>>): 'standard' | 'high' {
  return w.availability === 'high' ? 'high' : 'standard';
}

function record(v: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
