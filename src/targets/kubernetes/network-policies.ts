/**
 * NetworkPolicies: ingress to the system's pods is denied by default, then allowed per edge of the
 * design: one policy per `uses` edge (a module's env origins `uses:<module>`: the consumer's pods
 * reach the used module's pods on its ports), one per gateway route target (the gateway's pods
 * reach the routed module on the route ports), one per store backup (the backup job reaches the
 * store), and from anywhere to a gateway's listen port and to published ports (a replicated
 * gateway's or workload's publisher reaches it, and anyone reaches the publisher).
 */
import type { InfraIR, Port, Provenance } from '../../compiler/lower/ir.js';
import { labelsOf, selectorOf, type LowerContext } from './context.js';
import { labelValue } from './labels.js';
import { needsPublisher, publisherName, publisherProvenance } from './lower-publisher.js';
import { needsWorkloadPublisher } from './lower-workload.js';
import { workloadPublisherProvenance } from './lower-workload-publisher.js';
import { backupProvenance } from './lower-store.js';
import { k8sNode, nodeId, type Json, type K8sNode } from './model.js';

export const DEFAULT_DENY_NAME = 'default-deny-ingress';
export const allowName = (from: string, to: string): string => `allow-${from}-to-${to}`;
export const publicName = (to: string): string => `allow-public-to-${to}`;

export type EdgeKind = 'uses-edge' | 'gateway-route' | 'store-backup' | 'public-entry';

export interface PolicyEdge {
  readonly kind: EdgeKind;
  /** Consumer module; undefined: from anywhere. */
  readonly from?: string;
  readonly to: string;
  readonly ports: readonly number[];
}

interface Pods {
  readonly provenance: Provenance;
  /** A store's engine. */
  readonly engine?: string;
  readonly ports: readonly Port[];
  readonly objectId: string;
}

/** The edges a design implies, sorted by policy name. */
export function policyEdges(ir: InfraIR): PolicyEdge[] {
  const pods = podsByModule(ir);
  const edges = new Map<string, PolicyEdge>();
  const add = (name: string, e: PolicyEdge): void => {
    const known = edges.get(name);
    edges.set(name, known ? { ...known, ports: [...new Set([...known.ports, ...e.ports])].sort((a, b) => a - b) } : { ...e, ports: [...new Set(e.ports)].sort((a, b) => a - b) });
  };
  for (const n of ir.nodes) {
    if (n.kind === 'workload' || n.kind === 'store' || n.kind === 'gateway' || n.kind === 'schedule' || n.kind === 'task') {
      for (const origin of Object.values(n.process.envOrigin)) {
        const used = origin.startsWith('uses:') ? origin.slice('uses:'.length) : undefined;
        const target = used !== undefined ? pods.get(used) : undefined;
        if (used === undefined || !target || used === n.module || target.ports.length === 0) continue;
        add(allowName(n.module, used), { kind: 'uses-edge', from: n.module, to: used, ports: target.ports.map((p) => p.port) });
      }
    }
    if (n.kind === 'gateway') {
      for (const r of n.routes) if (pods.has(r.to)) add(allowName(n.module, r.to), { kind: 'gateway-route', from: n.module, to: r.to, ports: [r.port] });
      add(publicName(n.module), { kind: 'public-entry', to: n.module, ports: [n.listen] });
    }
    if (n.kind === 'store' && n.backup && n.backup.dump.length > 0 && n.ports.length > 0) add(allowName(`${n.module}-backup`, n.module), { kind: 'store-backup', from: n.module, to: n.module, ports: n.ports.map((p) => p.port) });
    if (n.kind === 'workload' && n.ports.some((p) => p.publish !== undefined)) {
      add(publicName(n.module), { kind: 'public-entry', to: n.module, ports: n.ports.filter((p) => p.publish !== undefined).map((p) => p.port) });
    }
  }
  return [...edges.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, e]) => e);
}

function podsByModule(ir: InfraIR): Map<string, Pods> {
  const out = new Map<string, Pods>();
  for (const n of ir.nodes) {
    if (n.kind === 'workload') out.set(n.module, { provenance: n.provenance, ports: n.ports, objectId: nodeId('Deployment', n.module) });
    if (n.kind === 'store') out.set(n.module, { provenance: n.provenance, engine: n.engine, ports: n.ports, objectId: nodeId('StatefulSet', n.module) });
    if (n.kind === 'gateway') out.set(n.module, { provenance: n.provenance, ports: [{ name: 'http', port: n.listen, protocol: 'http' }], objectId: nodeId('Deployment', n.module) });
    if (n.kind === 'schedule') out.set(n.module, { provenance: n.provenance, ports: [], objectId: nodeId('CronJob', n.module) });
    if (n.kind === 'task') out.set(n.module, { provenance: n.provenance, ports: [], objectId: nodeId('Job', n.module) });
  }
  return out;
}

export function networkPolicyNodes(ir: InfraIR, ctx: LowerContext): K8sNode[] {
  const pods = podsByModule(ir);
  const system: Provenance = { module: null, rule: 'default-deny', detail: 'pods accept traffic only along the edges of the design' };
  const policy = (name: string, p: Provenance, spec: Json, deps: string[]): K8sNode =>
    k8sNode({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ctx.namespace, labels: labelsOf(ctx, p) }, spec }, p, [ctx.namespaceId, ...deps]);
  // Scoped to the system's pods: a namespace shared with other applications keeps their traffic.
  const nodes = [policy(DEFAULT_DENY_NAME, system, { podSelector: { matchLabels: { 'aninfra.system': labelValue(ir.system) } }, policyTypes: ['Ingress'] }, [])];
  for (const e of policyEdges(ir)) {
    const to = pods.get(e.to);
    if (!to) continue;
    const ports = e.ports.map((port): Json => ({ protocol: 'TCP', port }));
    const fromProvenance = e.kind === 'store-backup' ? backupProvenance({ module: e.to, engine: to.engine ?? '' }) : e.from !== undefined ? pods.get(e.from)?.provenance : undefined;
    const rule: Json | undefined = e.from === undefined ? { ports } : fromProvenance ? { from: [{ podSelector: { matchLabels: selectorOf(ctx, fromProvenance) } }], ports } : undefined;
    if (!rule) continue;
    const name = e.kind === 'public-entry' ? publicName(e.to) : e.kind === 'store-backup' ? allowName(`${e.to}-backup`, e.to) : allowName(e.from ?? '', e.to);
    const p: Provenance = { module: e.from ?? e.to, rule: e.kind, detail: e.from === undefined ? `anyone may reach ${e.to} on ${e.ports.join(', ')}` : `${e.from} reaches ${e.to} on ${e.ports.join(', ')}` };
    nodes.push(policy(name, p, { podSelector: { matchLabels: selectorOf(ctx, to.provenance) }, policyTypes: ['Ingress'], ingress: [rule] }, []));
  }
  for (const n of ir.nodes) {
    if (n.kind !== 'gateway' || !needsPublisher(n)) continue;
    const p = publisherProvenance(n);
    const ports: Json[] = [{ protocol: 'TCP', port: n.listen }];
    nodes.push(policy(publicName(publisherName(n.module)), { ...p, detail: `anyone may reach ${publisherName(n.module)} on ${n.listen}` }, { podSelector: { matchLabels: selectorOf(ctx, p) }, policyTypes: ['Ingress'], ingress: [{ ports }] }, []));
    nodes.push(
      policy(allowName(publisherName(n.module), n.module), { ...p, detail: `${publisherName(n.module)} reaches ${n.module} on ${n.listen}` }, { podSelector: { matchLabels: selectorOf(ctx, n.provenance) }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: selectorOf(ctx, p) } }], ports }] }, []),
    );
  }
  // A replicated workload's publisher: anyone reaches it on the published ports (it reaches the workload through the public entry above).
  for (const n of ir.nodes) {
    if (n.kind !== 'workload' || !needsWorkloadPublisher(n)) continue;
    const p = workloadPublisherProvenance(n);
    const published = n.ports.filter((x) => x.publish !== undefined).map((x) => x.port);
    const ports: Json[] = published.map((port) => ({ protocol: 'TCP', port }));
    nodes.push(policy(publicName(publisherName(n.module)), { ...p, detail: `anyone may reach ${publisherName(n.module)} on ${published.join(', ')}` }, { podSelector: { matchLabels: selectorOf(ctx, p) }, policyTypes: ['Ingress'], ingress: [{ ports }] }, []));
  }
  return nodes;
}
