/**
 * The design of a data store module (postgres, mysql, mongodb, redis, rabbitmq, nats, object-store):
 * its image, its data volume and a store node. A store configured to keep nothing (redis
 * `persistence: false`, nats without JetStream) is a plain workload: there is no data to place,
 * keep or back up.
 */
import type { Port, StoreNode, WorkloadNode } from '../../compiler/lower/ir.js';
import type { DesignContext, DesignNode, ModuleInstance } from '../descriptor.js';
import { backupPolicy } from '../contract/backup-commands.js';
import { availabilityOf, dataVolume, moduleBase, processOf, type ProcessOptions } from './design-node.js';

export interface StoreOptions extends Omit<ProcessOptions, 'image' | 'mounts'> {
  readonly publicImage: string;
  readonly ports: readonly Port[];
  /** Where the data lives in the process' file system; absent when the store keeps nothing. */
  readonly dataPath?: string;
}

export function storeDesign(m: ModuleInstance, ctx: DesignContext, options: StoreOptions): DesignNode[] {
  const { publicImage, ports, dataPath, ...rest } = options;
  const image = ctx.image(publicImage);
  const process = processOf(m, { ...rest, image });
  if (dataPath === undefined) {
    const workload: WorkloadNode = { ...moduleBase(m, ctx, 'workload', [image.id]), process, ports, replicas: 1 };
    return [image, workload];
  }
  const volume = dataVolume(m);
  const store: StoreNode = {
    ...moduleBase(m, ctx, 'store', [image.id, volume.id]),
    engine: m.type,
    process,
    ports,
    data: { volume: volume.id, path: dataPath, ...(volume.size ? { size: volume.size } : {}) },
    availability: availabilityOf(m.with),
    ...backupOf(m),
  };
  return [image, volume, store];
}

/** `backup: { schedule, retain }` (validated) → the store's backup policy with its engine's commands. */
function backupOf(m: ModuleInstance): { backup?: StoreNode['backup'] } {
  const b = m.with.backup as { schedule?: unknown; retain?: unknown } | undefined;
  if (b === null || typeof b !== 'object' || typeof b.schedule !== 'string' || typeof b.retain !== 'number') return {};
  return { backup: backupPolicy(m.type, { schedule: b.schedule, retain: b.retain }) };
}
