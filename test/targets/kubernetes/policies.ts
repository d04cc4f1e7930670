/**
 * A policy suite over a Kubernetes resource graph (the objects a program registers, or the
 * documents of manifests.yaml), stated independently of the emitter: each rule returns its
 * violations, so a test can prove it rejects a deliberately broken object.
 */
import type { InfraIR } from '../../../src/compiler/lower/ir.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; [k: string]: any };

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet']);

/** Containers of the long-running controllers (Deployments, StatefulSets). */
function workloadContainers(objects: readonly Obj[]): { owner: Obj; container: Record<string, unknown> }[] {
  return objects.filter((o) => WORKLOAD_KINDS.has(o.kind)).flatMap((o) => ((o.spec?.template?.spec?.containers ?? []) as Record<string, unknown>[]).map((container) => ({ owner: o, container })));
}

/** Every container of a workload has a readiness and a liveness probe. */
export function probesPolicy(objects: readonly Obj[]): string[] {
  return workloadContainers(objects)
    .filter(({ container }) => !container.readinessProbe || !container.livenessProbe)
    .map(({ owner, container }) => `${owner.kind}/${owner.metadata.name}: container ${String(container.name)} lacks a readiness or liveness probe`);
}

/** A module whose design sets resources has exactly them as requests and limits. */
export function resourcesPolicy(objects: readonly Obj[], ir: InfraIR): string[] {
  const out: string[] = [];
  for (const n of ir.nodes) {
    if ((n.kind !== 'workload' && n.kind !== 'store') || !n.process.resources) continue;
    const want = Object.fromEntries(Object.entries(n.process.resources).filter(([, v]) => v !== undefined));
    const owner = objects.find((o) => WORKLOAD_KINDS.has(o.kind) && o.metadata.name === n.module);
    const c = owner?.spec?.template?.spec?.containers?.[0];
    if (!c) out.push(`${n.module}: no controller`);
    else if (JSON.stringify(c.resources?.limits) !== JSON.stringify(want) || JSON.stringify(c.resources?.requests) !== JSON.stringify(want)) out.push(`${n.module}: resources ${JSON.stringify(c.resources)} are not ${JSON.stringify(want)}`);
  }
  return out;
}

/** No Service is exposed on the nodes or through a cloud load balancer. */
export function serviceTypePolicy(objects: readonly Obj[]): string[] {
  return objects.filter((o) => o.kind === 'Service' && (o.spec?.type === 'NodePort' || o.spec?.type === 'LoadBalancer')).map((o) => `Service/${o.metadata.name} is ${String(o.spec.type)}`);
}

/** The edges of a design: `uses` edges from env origins, gateway route targets (consumer → provider with pods and ports). */
export function designEdges(ir: InfraIR): string[] {
  const hasPorts = new Set<string>();
  for (const n of ir.nodes) {
    if ((n.kind === 'workload' || n.kind === 'store') && n.ports.length > 0) hasPorts.add(n.module);
    if (n.kind === 'gateway') hasPorts.add(n.module);
  }
  const edges = new Set<string>();
  for (const n of ir.nodes) {
    if (n.kind === 'workload' || n.kind === 'store' || n.kind === 'gateway' || n.kind === 'schedule') {
      for (const o of Object.values(n.process.envOrigin)) if (o.startsWith('uses:') && hasPorts.has(o.slice(5))) edges.add(`${n.module}->${o.slice(5)}`);
    }
    if (n.kind === 'gateway') for (const r of n.routes) edges.add(`${n.module}->${r.to}`);
  }
  return [...edges].sort();
}

/** Exactly one NetworkPolicy allows each design edge (the consumer's pods into the provider's), a default deny covers every pod of the system, and no policy allows a pair that is no edge. */
export function networkPolicyEdgesPolicy(objects: readonly Obj[], ir: InfraIR): string[] {
  const out: string[] = [];
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const allows = new Map<string, number>();
  for (const p of policies) {
    const to = p.spec?.podSelector?.matchLabels?.['aninfra.module'] as string | undefined;
    for (const rule of (p.spec?.ingress ?? []) as { from?: { podSelector?: { matchLabels?: Record<string, string> } }[] }[]) {
      for (const peer of rule.from ?? []) {
        const labels = peer.podSelector?.matchLabels ?? {};
        // A store's backup job reaches its own store, a replicated gateway's publisher its gateway: no design edges.
        if (labels['aninfra.rule'] === 'store-backup' || labels['aninfra.rule'] === 'gateway-publisher') continue;
        const key = `${labels['aninfra.module'] ?? '?'}->${to ?? '?'}`;
        allows.set(key, (allows.get(key) ?? 0) + 1);
      }
    }
  }
  const edges = designEdges(ir);
  for (const e of edges) if (allows.get(e) !== 1) out.push(`edge ${e} is allowed by ${allows.get(e) ?? 0} policies`);
  for (const key of allows.keys()) if (!edges.includes(key)) out.push(`policy allows ${key}, which is no edge of the design`);
  const everyPodOfTheSystem = (selector: unknown): boolean => JSON.stringify(selector) === '{}' || JSON.stringify(selector) === JSON.stringify({ matchLabels: { 'aninfra.system': ir.system } });
  if (!policies.some((p) => everyPodOfTheSystem(p.spec?.podSelector) && (p.spec?.ingress ?? []).length === 0 && (p.spec?.policyTypes ?? []).includes('Ingress'))) out.push('no default-deny ingress policy');
  return out;
}

/** Containers of every pod-running object. */
function allContainers(objects: readonly Obj[]): { owner: Obj; container: Record<string, unknown> }[] {
  return objects.flatMap((o) => {
    const spec = o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template?.spec : o.spec?.template?.spec;
    return ((spec?.containers ?? []) as Record<string, unknown>[]).map((container) => ({ owner: o, container }));
  });
}

/**
 * No secret value in clear: manifests hold no Secret with data, no env value of any container
 * contains one of the `secrets` (the values the apply generated), and every env var whose design
 * value has a secret part reads it through a secretKeyRef.
 */
export function secretsPolicy(objects: readonly Obj[], manifestObjects: readonly Obj[], secrets: readonly string[], ir: InfraIR): string[] {
  const out: string[] = [];
  for (const o of manifestObjects) if (o.kind === 'Secret' && (o.data !== undefined || o.stringData !== undefined)) out.push(`manifests.yaml holds Secret/${o.metadata.name} with its data`);
  const text = JSON.stringify(manifestObjects);
  for (const s of secrets) if (text.includes(s)) out.push('manifests.yaml holds a secret value');
  for (const { owner, container } of allContainers(objects)) {
    for (const e of (container.env ?? []) as { name: string; value?: string }[]) {
      if (e.value !== undefined && secrets.some((s) => e.value?.includes(s))) out.push(`${owner.kind}/${owner.metadata.name}: env ${e.name} holds a secret value in clear`);
    }
  }
  for (const n of ir.nodes) {
    if (n.kind !== 'workload' && n.kind !== 'store' && n.kind !== 'schedule' && n.kind !== 'gateway') continue;
    const owner = objects.find((o) => ['Deployment', 'StatefulSet', 'CronJob'].includes(o.kind) && o.metadata.name === n.module);
    const c = owner ? allContainers([owner])[0]?.container : undefined;
    const env = new Map(((c?.env ?? []) as { name: string; value?: string; valueFrom?: { secretKeyRef?: unknown } }[]).map((e) => [e.name, e]));
    for (const [name, value] of Object.entries(n.process.env)) {
      if (!value.some((p) => p.kind === 'secret' || p.kind === 'host-env')) continue;
      const e = env.get(name);
      const viaRef = e?.valueFrom?.secretKeyRef !== undefined || (e?.value !== undefined && /\$\(ANINFRA_[SH]_[A-Z0-9_]+\)/.test(e.value) && [...(e.value.matchAll(/\$\((ANINFRA_[SH]_[A-Z0-9_]+)\)/g))].every((m) => env.get(m[1] ?? '')?.valueFrom?.secretKeyRef !== undefined));
      if (!viaRef) out.push(`${n.module}: env ${name} does not read its secret through a secretKeyRef`);
    }
  }
  return out;
}
