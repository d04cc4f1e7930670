/**
 * A workload (service, worker): a Deployment (replicas, rolling update, probes, resources), a
 * ClusterIP Service named after the module (so `<module>:<port>` resolves as on Docker), an HPA
 * for `autoscale`, a PodDisruptionBudget when it runs more than one replica, and the ConfigMap of
 * its generated files. A replicated workload with a published port does not publish from its own
 * pods (one hostPort per node): its publisher does (lower-workload-publisher.ts, added by lower.ts).
 */
import type { Port, WorkloadNode } from '../../compiler/lower/ir.js';
import { depsOf, filesNodes, hpaObject, labelsOf, meta, pdbObject, selectorOf, type LowerContext } from './context.js';
import { k8sNode, nodeId, type JsonObject, type K8sNode } from './model.js';
import { podParts, podTemplate, serviceObject, type PodParts } from './pod.js';

/** Requested when autoscaling and the design sets no CPU: the HPA computes utilisation against a request. */
export const AUTOSCALE_CPU_REQUEST = '100m';

/**
 * A workload the design gives no probe but a port is probed by a TCP connect to its first port: a
 * Service then routes only to pods that listen, and a pod that stops listening is restarted.
 */
export const FALLBACK_TIMING = { intervalSeconds: 5, timeoutSeconds: 3, retries: 6, startPeriodSeconds: 5 } as const;

/** A published port on a workload that runs several pods: a publisher pod publishes it (one hostPort per node). */
export const needsWorkloadPublisher = (n: Pick<WorkloadNode, 'ports' | 'replicas' | 'autoscale'>): boolean => n.ports.some((p) => p.publish !== undefined) && (n.autoscale !== undefined || n.replicas > 1);

export function lowerWorkload(n: WorkloadNode, ctx: LowerContext): K8sNode[] {
  const p = n.provenance;
  const ports: readonly Port[] = needsWorkloadPublisher(n) ? n.ports.map(({ publish: _publish, ...x }) => x) : n.ports;
  const fallback = n.process.readiness === undefined && n.ports[0] !== undefined ? { readiness: { probe: { kind: 'tcp' as const, port: n.ports[0].port }, timing: FALLBACK_TIMING } } : {};
  const parts = podParts(
    { name: n.module, module: n.module, process: n.process, ports, ...fallback, ...(n.autoscale && n.process.resources?.cpu === undefined ? { defaultCpuRequest: AUTOSCALE_CPU_REQUEST } : {}) },
    ctx.pod,
  );
  const selector = selectorOf(ctx, p);
  const files = filesNodes(ctx, parts, p, (o, d) => k8sNode(o, p, d));
  const deployment = deploymentNode(ctx, n.module, n, parts, selector, files.map((f) => f.id), ports.some((x) => x.publish !== undefined));
  const nodes: K8sNode[] = [...files, deployment];
  if (n.ports.length > 0) {
    nodes.push(k8sNode(serviceObject(n.module, ctx.namespace, labelsOf(ctx, p), selector, n.ports), p, [ctx.namespaceId], { immutable: { clusterIP: 'auto' } }));
  }
  nodes.push(...scalingNodes(ctx, n.module, n, selector, deployment.id));
  return nodes;
}

interface Scaled {
  readonly provenance: WorkloadNode['provenance'];
  readonly dependsOn: readonly string[];
  readonly replicas: number;
  readonly autoscale?: WorkloadNode['autoscale'];
}

/**
 * The Deployment. With autoscale, `replicas` is left to the HPA (an apply would otherwise reset
 * it to the minimum). A pod with a hostPort cannot run twice on one node, so such a Deployment
 * rolls by stopping an old pod first (maxSurge 0) instead of starting a new one first.
 */
export function deploymentNode(ctx: LowerContext, name: string, n: Scaled, parts: PodParts, selector: Readonly<Record<string, string>>, extraDeps: readonly string[], hostPorts: boolean): K8sNode {
  const p = n.provenance;
  const strategy: JsonObject = hostPorts ? { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
  const object = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(ctx, name, p),
    spec: {
      ...(n.autoscale ? {} : { replicas: n.replicas }),
      selector: { matchLabels: { ...selector } },
      strategy,
      template: podTemplate(labelsOf(ctx, p), parts),
    },
  };
  return k8sNode(object, p, depsOf(ctx, n.dependsOn, [...extraDeps, ...secretDeps(parts)]), { immutable: { selector: { matchLabels: { ...selector } } } });
}

/** The Secrets a pod reads (generated ones and host-env), as node ids. */
export function secretDeps(parts: PodParts): string[] {
  const env = (parts.container.env ?? []) as readonly { readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string } } }[];
  return [...new Set(env.flatMap((e) => (e.valueFrom?.secretKeyRef ? [nodeId('Secret', e.valueFrom.secretKeyRef.name)] : [])))];
}

export function scalingNodes(ctx: LowerContext, name: string, n: Scaled, selector: Readonly<Record<string, string>>, controllerId: string): K8sNode[] {
  const p = n.provenance;
  const out: K8sNode[] = [];
  if (n.autoscale) out.push(k8sNode(hpaObject(ctx, name, 'Deployment', n.autoscale, p), p, [ctx.namespaceId, controllerId]));
  if ((n.autoscale ? n.autoscale.min : n.replicas) > 1) out.push(k8sNode(pdbObject(ctx, name, selector, { maxUnavailable: 1 }, p), p, [ctx.namespaceId, controllerId], { immutable: {} }));
  return out;
}
