/**
 * Drift of the kubernetes engine: how the cluster departs from the revision's model (one node per
 * object). Per Deployment and StatefulSet: missing, another image or env in a container of its pod
 * template (`kubectl set image`, `kubectl set env`); per module its pods missing, failed or broken
 * (kube-live.ts's health, the one apply waits on); the persistent volume claims of stores missing;
 * objects labelled `aninfra.system=<system>` the model does not know. `kubeDrift` is a pure
 * function of the live data (tested on faked data); `kubeDriftCheck` reads it with kubectl.
 * Env entries are compared as written in the manifest (a secret is a secretKeyRef, never a value);
 * items name variables, never values.
 * Codes: ERR_PREREQ_KUBERNETES.
 */
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { DriftItem, EngineContext, EngineDrift, LabelledResource } from './engine.js';
import { checkCluster, kubectl, kubeTarget, labelledObjects, liveClaims, livePods, systemSelector, type LivePod } from './kube-cli.js';
import { kubeView, moduleHealth } from './kube-live.js';
import { sortItems } from './docker-drift.js';

/** A container of a live controller's pod template. */
export interface LiveTemplateContainer {
  readonly name: string;
  readonly image: string;
  readonly env: readonly Readonly<Record<string, unknown>>[];
}

export interface LiveController {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly containers: readonly LiveTemplateContainer[];
}

export interface KubeLive {
  readonly pods: readonly LivePod[];
  /** Deployments and StatefulSets labelled with the system and owner. */
  readonly controllers: readonly LiveController[];
  /** Modules that have a persistent volume claim. */
  readonly claimModules: readonly string[];
  /** Objects labelled with the system, `name` as `namespace/name` for namespaced ones. */
  readonly labelled: readonly LabelledResource[];
}

interface ModelObject {
  readonly kind: string;
  readonly object?: {
    readonly kind?: string;
    readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
    readonly spec?: { readonly template?: { readonly spec?: { readonly containers?: readonly { readonly name?: string; readonly image?: string; readonly env?: readonly Readonly<Record<string, unknown>>[] }[] } } };
  };
}

const CONTROLLERS = new Set(['Deployment', 'StatefulSet']);

export function kubeDrift(model: unknown, live: KubeLive, kubectlName = 'kubectl'): DriftItem[] {
  const view = kubeView(model);
  const nodes = modelObjects(model);
  const items: DriftItem[] = [];
  const gone = new Set<string>();
  for (const n of nodes) {
    const o = n.object;
    if (!o || !CONTROLLERS.has(n.kind)) continue;
    const namespace = o.metadata?.namespace ?? '';
    const name = o.metadata?.name ?? '';
    const module = o.metadata?.labels?.['aninfra.module'] ?? '';
    const base = { module, resourceKind: n.kind, resource: `${namespace}/${name}` };
    const found = live.controllers.find((c) => c.kind === n.kind && c.namespace === namespace && c.name === name);
    if (!found) {
      items.push({ ...base, kind: 'missing' });
      gone.add(module);
      continue;
    }
    for (const want of o.spec?.template?.spec?.containers ?? []) {
      const have = found.containers.find((c) => c.name === want.name);
      if (!have) continue;
      if (want.image !== undefined && have.image !== want.image) items.push({ ...base, kind: 'image', expected: want.image, actual: have.image });
      const differing = envNames(want.env ?? [], have.env);
      if (differing.length > 0) items.push({ ...base, kind: 'env', expected: differing.join(', ') });
    }
  }
  for (const m of view.modules) {
    // A task whose Job failed is stopped; one that succeeded is settled (its Job stays; a missing one is not re-run: not drift).
    if (m.runsToCompletion && moduleHealth(m, live.pods).health === 'exited') items.push({ module: m.module, resourceKind: 'pods', resource: m.module, kind: 'stopped', actual: 'Failed' });
    if (!m.longRunning || gone.has(m.module)) continue;
    const h = moduleHealth(m, live.pods);
    const base = { module: m.module, resourceKind: 'pods', resource: m.module };
    if (h.health === 'missing') items.push({ ...base, kind: 'missing' });
    else if (h.health === 'exited') items.push({ ...base, kind: 'stopped', actual: 'Failed' });
    else if (h.health === 'unhealthy') items.push({ ...base, kind: 'unhealthy', actual: live.pods.find((p) => p.module === m.module && p.reason)?.reason || 'unhealthy' });
  }
  for (const store of view.stores) if (!live.claimModules.includes(store)) items.push({ kind: 'volume-missing', module: store, resourceKind: 'PersistentVolumeClaim', resource: store });
  items.push(...unknownObjects(nodes, live.labelled, kubectlName));
  return sortItems(items);
}

/** Env entries (by name) that differ between the model's container and the live one, either way, sorted. */
export function envNames(want: readonly Readonly<Record<string, unknown>>[], have: readonly Readonly<Record<string, unknown>>[]): string[] {
  const byName = (list: readonly Readonly<Record<string, unknown>>[]): Map<string, string> => new Map(list.map((e) => [String(e.name), canonical(e)]));
  const a = byName(want);
  const b = byName(have);
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
}

/** JSON with sorted keys; an empty `value` equals an absent one (the API server drops it). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([k, x]) => x !== undefined && !(k === 'value' && x === ''));
    return `{${entries.sort(([x], [y]) => x.localeCompare(y)).map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function modelObjects(model: unknown): ModelObject[] {
  const nodes = (model as { nodes?: unknown } | undefined)?.nodes;
  return Array.isArray(nodes) ? (nodes as ModelObject[]).filter((n) => n.object !== undefined) : [];
}

/**
 * Labelled objects the model has no node for. Claims a StatefulSet of the model made from its
 * volumeClaimTemplates (`<template>-<statefulset>-<ordinal>`) are its own, not unknown.
 */
function unknownObjects(nodes: readonly ModelObject[], labelled: readonly LabelledResource[], kubectlName: string): DriftItem[] {
  const known = new Set(nodes.map((n) => `${n.kind}|${n.object?.metadata?.namespace ? `${n.object.metadata.namespace}/` : ''}${n.object?.metadata?.name ?? ''}`));
  const sets = nodes.filter((n) => n.kind === 'StatefulSet').map((n) => ({ namespace: n.object?.metadata?.namespace ?? '', name: n.object?.metadata?.name ?? '' }));
  const out: DriftItem[] = [];
  for (const r of labelled) {
    if (known.has(`${r.kind}|${r.name}`)) continue;
    const [namespace, name] = r.name.includes('/') ? (r.name.split('/', 2) as [string, string]) : ['', r.name];
    if (r.kind === 'PersistentVolumeClaim' && sets.some((s) => s.namespace === namespace && new RegExp(`-${escape(s.name)}-\\d+$`).test(name))) continue;
    const remove = [kubectlName, 'delete', r.kind.toLowerCase(), name, ...(namespace ? ['-n', namespace] : [])];
    out.push({ kind: 'unknown', module: '', resourceKind: r.kind, resource: r.name, remove });
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface ControllerJson {
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  spec?: { template?: { spec?: { containers?: { name?: string; image?: string; env?: Record<string, unknown>[] }[] } } };
}

/** Deployments and StatefulSets as `kubectl get -o json` lists them (exported for tests). */
export function parseControllers(json: string): LiveController[] {
  let doc: { items?: ControllerJson[] };
  try {
    doc = JSON.parse(json) as { items?: ControllerJson[] };
  } catch {
    return [];
  }
  return (doc.items ?? []).map((c) => ({
    kind: c.kind ?? '',
    namespace: c.metadata?.namespace ?? '',
    name: c.metadata?.name ?? '',
    containers: (c.spec?.template?.spec?.containers ?? []).map((k) => ({ name: k.name ?? '', image: k.image ?? '', env: k.env ?? [] })),
  }));
}

/** `drift` of the kubernetes engine: reads pods, controllers, claims and labelled objects, then kubeDrift. */
export async function kubeDriftCheck(ctx: EngineContext): Promise<EngineDrift> {
  const chosen = ctx.platform.kubernetes?.context;
  const kube = kubeTarget(ctx.env, typeof chosen === 'string' && chosen !== '' ? chosen : undefined);
  const problem = await checkCluster(kube);
  if (problem) return { unavailable: problem, items: [] };
  const owner = ctx.paths.owner;
  const [pods, controllers, claimModules, labelled] = await Promise.all([
    livePods(kube, ctx.system, owner),
    kubectl(kube, ['get', 'deployments,statefulsets', '--all-namespaces', '-l', systemSelector(ctx.system, owner), '-o', 'json']),
    liveClaims(kube, ctx.system, owner, true),
    labelledObjects(kube, ctx.system),
  ]);
  if (!pods || controllers.code !== 0) return { unavailable: diagnostic('ERR_PREREQ_KUBERNETES', { reason: 'the pods and controllers of the system cannot be listed' }), items: [] };
  return { items: kubeDrift(ctx.ir, { pods, controllers: parseControllers(controllers.stdout), claimModules, labelled }, 'kubectl') };
}
