/**
 * Lowering shared by modules that run as one container: an image, an optional data volume,
 * published ports on 127.0.0.1, a health check and provenance labels.
 */
import type { ContainerNode, HealthCheck, IrNode, Mount, PortBinding, VolumeNode } from '../../compiler/lower/ir.js';
import type { Value } from '../../compiler/resolve/value.js';
import { resourceNames } from '../../compiler/validate/resource-names.js';
import type { LowerContext, ModuleInstance } from '../descriptor.js';

export interface SingleContainerOptions {
  readonly publicImage: string;
  readonly env?: Readonly<Record<string, Value>>;
  readonly entrypoint?: readonly string[];
  readonly command?: readonly string[];
  readonly ports?: readonly { readonly name: string; readonly container: number; readonly host?: number }[];
  /** Mount path of the data volume; given only for stateful modules. */
  readonly dataPath?: string;
  readonly extraMounts?: readonly Mount[];
  readonly files?: ContainerNode['files'];
  readonly healthcheck?: HealthCheck;
  readonly restart?: ContainerNode['restart'];
}

export function healthcheck(test: readonly string[], overrides: Partial<Omit<HealthCheck, 'test'>> = {}): HealthCheck {
  // Never a 0 s start period: Docker reads 0 as "inherit the image's", so the running container
  // would differ from the program and every Pulumi refresh would find drift.
  return { test, intervalSeconds: 2, timeoutSeconds: 5, retries: 30, startPeriodSeconds: 1, ...overrides };
}

export function singleContainer(instance: ModuleInstance, ctx: LowerContext, options: SingleContainerOptions): IrNode[] {
  const nodes: IrNode[] = [];
  const image = ctx.image(instance.name, options.publicImage);
  nodes.push(image);
  const mounts: Mount[] = [...(options.extraMounts ?? [])];
  const dependsOn = [...ctx.dependsOn, image.id];
  if (options.dataPath) {
    const volume: VolumeNode = {
      kind: 'volume',
      id: `volume:${instance.name}-data`,
      name: resourceNames.dataVolume(instance.system, instance.name),
      legacyName: `${instance.system}-${instance.name}-data`,
      keep: true,
      labels: ctx.resourceLabels(instance.name, 'stateful-volume'),
      provenance: { module: instance.name, rule: 'stateful-volume', detail: `${instance.type} is stateful: its data lives in a named volume kept across destroys` },
      dependsOn: [],
    };
    nodes.push(volume);
    mounts.unshift({ kind: 'volume', volume: volume.id, target: options.dataPath, readOnly: false });
    dependsOn.push(volume.id);
  }
  const ports: PortBinding[] = (options.ports ?? []).map((p) => ({
    name: p.name,
    container: p.container,
    ...(p.host !== undefined ? { host: p.host } : {}),
    hostIp: '127.0.0.1',
    protocol: 'tcp',
  }));
  const container: ContainerNode = {
    kind: 'container',
    id: `container:${instance.name}`,
    name: instance.name,
    module: instance.name,
    image: image.id,
    ...(options.entrypoint ? { entrypoint: options.entrypoint } : {}),
    ...(options.command ? { command: options.command } : {}),
    // The module's own env wins: validation rejects a spec `env:` key the module owns
    // (ERR_ENV_MODULE_OWNED), so this only matters if a use injected one.
    env: { ...instance.env, ...(options.env ?? {}) },
    ports,
    mounts,
    files: options.files ?? [],
    ...(options.healthcheck ? { healthcheck: options.healthcheck } : {}),
    restart: options.restart ?? 'unless-stopped',
    aliases: [instance.name],
    labels: { ...ctx.labels(instance.name, `module:${instance.type}`), ...instance.labels },
    provenance: { module: instance.name, rule: `module:${instance.type}`, detail: `${instance.type} ${instance.version}` },
    dependsOn: [...new Set(dependsOn)].sort(),
  };
  nodes.push(container);
  return nodes;
}
