/**
 * Pod templates from a design process: the container (image, command, env, ports, probes,
 * resources, mounts), its volumes, and the ConfigMap carrying the files a module generates.
 * Readiness and liveness both come from the design's typed probe (http → httpGet, exec → exec,
 * tcp → tcpSocket); published ports become hostPorts on 127.0.0.1 (a local cluster's CNI portmap
 * serves them).
 */
import type { Port, Probe, Process, Readiness, Resources } from '../../compiler/lower/ir.js';
import { containerEnv, escapeExpansion } from './env.js';
import type { Json, JsonObject, K8sObject } from './model.js';

export interface ImageUse {
  readonly ref: string;
  /** Set for images the engine provides (built and imported, or mapped local): never pulled when present. */
  readonly pullPolicy?: 'IfNotPresent';
}

export interface PodContext {
  readonly system: string;
  readonly namespace: string;
  readonly images: ReadonlyMap<string, ImageUse>;
  /** Claim name of a design volume node id that is not a store's data volume. */
  readonly claimOf: (volumeId: string) => string;
}

export interface ContainerOptions {
  readonly name: string;
  readonly module: string;
  readonly process: Process;
  readonly ports: readonly Port[];
  /** Overrides the process' probe (gateways probe their own health location). */
  readonly readiness?: Readiness;
  /** Volume node id → mount through the StatefulSet's claim template of this name (a store's data). */
  readonly templateClaims?: ReadonlyMap<string, string>;
  readonly extraEnv?: Readonly<Record<string, string>>;
  readonly extraMounts?: readonly JsonObject[];
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** A CPU request to set when the design sets none (autoscaling on CPU needs one). */
  readonly defaultCpuRequest?: string;
}

export interface PodParts {
  readonly container: JsonObject;
  readonly volumes: readonly JsonObject[];
  /** The ConfigMap of generated files, when the process has any. */
  readonly filesConfigMap?: { readonly name: string; readonly data: Readonly<Record<string, string>> };
}

export const filesConfigMapName = (module: string): string => `${module}-files`;

export function podParts(o: ContainerOptions, ctx: PodContext): PodParts {
  const image = ctx.images.get(o.process.image);
  if (!image) throw new Error(`internal: ${o.module} has no image node ${o.process.image}`);
  const mounts: JsonObject[] = [];
  const volumes: JsonObject[] = [];
  for (const m of o.process.mounts) {
    if (m.kind === 'bind') throw new Error(`internal: bind mount of ${o.module} reached the kubernetes pod builder`);
    const template = o.templateClaims?.get(m.volume);
    if (template !== undefined) {
      // A sub-directory keeps the engine's data dir free of the file system's lost+found.
      mounts.push({ name: template, mountPath: m.target, subPath: 'data', ...(m.readOnly ? { readOnly: true } : {}) });
      continue;
    }
    const claim = ctx.claimOf(m.volume);
    const name = `vol-${volumes.length}`;
    volumes.push({ name, persistentVolumeClaim: { claimName: claim } });
    mounts.push({ name, mountPath: m.target, ...(m.readOnly ? { readOnly: true } : {}) });
  }
  let filesConfigMap: PodParts['filesConfigMap'];
  if (o.process.files.length > 0) {
    const name = filesConfigMapName(o.module);
    const data: Record<string, string> = {};
    o.process.files.forEach((f, i) => {
      data[`file-${i}`] = f.content;
      mounts.push({ name: 'aninfra-files', mountPath: f.path, subPath: `file-${i}`, readOnly: true });
    });
    volumes.push({ name: 'aninfra-files', configMap: { name } });
    filesConfigMap = { name, data };
  }
  mounts.push(...(o.extraMounts ?? []));
  const readiness = o.readiness ?? o.process.readiness;
  const command = o.command ?? o.process.entrypoint;
  const args = o.args ?? o.process.command;
  const env = containerEnv(o.process.env, { system: ctx.system }, o.extraEnv);
  const resources = resourcesOf(o.process.resources, o.defaultCpuRequest);
  const container: JsonObject = {
    name: o.name,
    image: image.ref,
    ...(image.pullPolicy ? { imagePullPolicy: image.pullPolicy } : {}),
    ...(command ? { command: command.map(escapeExpansion) } : {}),
    ...(args ? { args: args.map(escapeExpansion) } : {}),
    ...(env.length > 0 ? { env } : {}),
    ...(o.ports.length > 0 ? { ports: o.ports.map(containerPort) } : {}),
    ...(readiness ? { readinessProbe: probe(readiness), livenessProbe: probe(readiness) } : {}),
    ...(resources ? { resources } : {}),
    ...(mounts.length > 0 ? { volumeMounts: mounts } : {}),
  };
  return { container, volumes, ...(filesConfigMap ? { filesConfigMap } : {}) };
}

function containerPort(p: Port): JsonObject {
  return { containerPort: p.port, protocol: 'TCP', ...(p.publish !== undefined ? { hostPort: p.publish, hostIP: '127.0.0.1' } : {}) };
}

/** A probe of either kind from the design's typed probe and timing. */
export function probe(r: Readiness): JsonObject {
  const timing = {
    periodSeconds: Math.max(1, r.timing.intervalSeconds),
    timeoutSeconds: Math.max(1, r.timing.timeoutSeconds),
    failureThreshold: Math.max(1, r.timing.retries),
    initialDelaySeconds: Math.max(0, r.timing.startPeriodSeconds),
  };
  return { ...handler(r.probe), ...timing };
}

function handler(p: Probe): JsonObject {
  switch (p.kind) {
    case 'http':
      return { httpGet: { path: p.path, port: p.port } };
    case 'exec':
      return { exec: { command: [...p.command] } };
    case 'tcp':
      return { tcpSocket: { port: p.port } };
    default: {
      const never: never = p;
      throw new Error(`internal: unknown probe ${JSON.stringify(never)}`);
    }
  }
}

/** Requests equal limits (a guaranteed share) for what the design sets. */
function resourcesOf(r: Resources | undefined, defaultCpuRequest: string | undefined): JsonObject | undefined {
  const set: Record<string, string> = {};
  if (r?.cpu !== undefined) set.cpu = r.cpu;
  if (r?.memory !== undefined) set.memory = r.memory;
  if (Object.keys(set).length > 0) {
    const requests: Record<string, string> = { ...(set.cpu === undefined && defaultCpuRequest ? { cpu: defaultCpuRequest } : {}), ...set };
    return { requests, limits: set };
  }
  return defaultCpuRequest ? { requests: { cpu: defaultCpuRequest } } : undefined;
}

/** A Service port name: an IANA service name (at most 15 characters, a letter in it) or `port-<n>`. */
export function portName(p: Port, used: Set<string>): string {
  const ok = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(p.name) && /[a-z]/.test(p.name) && !p.name.includes('--');
  const name = ok && !used.has(p.name) ? p.name : `port-${p.port}`;
  used.add(name);
  return name;
}

/** A ClusterIP Service over the pods selected by `selector` (type never NodePort/LoadBalancer: published ports are hostPorts). */
export function serviceObject(name: string, namespace: string, labels: Readonly<Record<string, string>>, selector: Readonly<Record<string, string>>, ports: readonly Port[], headless = false): K8sObject {
  const used = new Set<string>();
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels },
    spec: {
      type: 'ClusterIP',
      ...(headless ? { clusterIP: 'None', publishNotReadyAddresses: true } : {}),
      selector: { ...selector },
      ports: ports.map((p): Json => ({ name: portName(p, used), port: p.port, targetPort: p.port, protocol: 'TCP' })),
    },
  };
}

/** The pod template: provenance labels on the pod, the container, its volumes. */
export function podTemplate(labels: Readonly<Record<string, string>>, parts: PodParts, restartPolicy?: 'Always' | 'OnFailure' | 'Never'): JsonObject {
  return {
    metadata: { labels: { ...labels } },
    spec: {
      containers: [parts.container],
      ...(restartPolicy ? { restartPolicy } : {}),
      ...(parts.volumes.length > 0 ? { volumes: [...parts.volumes] } : {}),
    },
  };
}
