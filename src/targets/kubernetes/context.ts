/**
 * What every per-kind lowering of the kubernetes target shares: the system's names, labels,
 * images and the map from design node ids to the objects that realize them.
 */
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { Autoscale, Provenance } from '../../compiler/lower/ir.js';
import { provenanceLabels, selectorLabels } from './labels.js';
import type { JsonObject, K8sNode, K8sObject } from './model.js';
import type { PodContext } from './pod.js';
import type { KubernetesSettings } from './settings.js';

export interface LowerContext {
  readonly system: string;
  readonly owner?: string;
  readonly settings: KubernetesSettings;
  readonly namespace: string;
  /** Id of the Namespace node; every namespaced object depends on it. */
  readonly namespaceId: string;
  readonly pod: PodContext;
  /** Object ids realizing a design node id (a workload → its Deployment); images map to none. */
  readonly objectsOf: (irId: string) => readonly string[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Label sets depend only on the system, owner, module and rule: one frozen object per set and
 * lowering, shared by every object that carries it (tens of thousands of objects at 10,000 modules).
 */
const labelCache = new WeakMap<LowerContext, Record<'labels' | 'selector', Map<string, Map<string | null, Readonly<Record<string, string>>>>>>();

function cachedLabels(ctx: LowerContext, p: Provenance, which: 'labels' | 'selector'): Readonly<Record<string, string>> {
  let caches = labelCache.get(ctx);
  if (caches === undefined) {
    caches = { labels: new Map(), selector: new Map() };
    labelCache.set(ctx, caches);
  }
  // By rule, then by module: lookups with the provenance's own strings, no key built per call.
  let byModule = caches[which].get(p.rule);
  if (byModule === undefined) {
    byModule = new Map();
    caches[which].set(p.rule, byModule);
  }
  let labels = byModule.get(p.module);
  if (labels === undefined) {
    const lc = { system: ctx.system, ...(ctx.owner !== undefined ? { owner: ctx.owner } : {}) };
    labels = Object.freeze(which === 'labels' ? provenanceLabels(lc, p) : selectorLabels(lc, p));
    byModule.set(p.module, labels);
  }
  return labels;
}

export const labelsOf = (ctx: LowerContext, p: Provenance): Readonly<Record<string, string>> => cachedLabels(ctx, p, 'labels');
export const selectorOf = (ctx: LowerContext, p: Provenance): Readonly<Record<string, string>> => cachedLabels(ctx, p, 'selector');

export function meta(ctx: LowerContext, name: string, p: Provenance): K8sObject['metadata'] {
  return { name, namespace: ctx.namespace, labels: labelsOf(ctx, p) };
}

/** Dependencies of a module's objects: the namespace and whatever realizes its design dependencies. */
export function depsOf(ctx: LowerContext, irDeps: readonly string[], extra: readonly string[] = []): string[] {
  return [ctx.namespaceId, ...irDeps.flatMap((d) => ctx.objectsOf(d)), ...extra];
}

/** HorizontalPodAutoscaler (autoscaling/v2) on average CPU utilisation. */
export function hpaObject(ctx: LowerContext, name: string, kind: 'Deployment' | 'StatefulSet', a: Autoscale, p: Provenance): K8sObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(ctx, name, p),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind, name },
      minReplicas: a.min,
      maxReplicas: a.max,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: a.cpu } } }],
    },
  };
}

/** PodDisruptionBudget: several replicas keep all but one through voluntary disruptions; a single one (availability high) is never evicted voluntarily. */
export function pdbObject(ctx: LowerContext, name: string, selector: Readonly<Record<string, string>>, budget: JsonObject, p: Provenance): K8sObject {
  return { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(ctx, name, p), spec: { ...budget, selector: { matchLabels: { ...selector } } } };
}

/** Nodes of the ConfigMap of generated files, when there is one. */
export function filesNodes(ctx: LowerContext, parts: { readonly filesConfigMap?: { readonly name: string; readonly data: Readonly<Record<string, string>> } }, p: Provenance, mk: (o: K8sObject, deps: string[]) => K8sNode): K8sNode[] {
  const cm = parts.filesConfigMap;
  if (!cm) return [];
  return [mk({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(ctx, cm.name, p), data: { ...cm.data } }, [ctx.namespaceId])];
}
