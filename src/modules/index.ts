/**
 * The module catalog: every descriptor, sorted by type name. No scanning, no self-registration.
 */
import type { ModuleDescriptor, ModuleRegistry } from './descriptor.js';
import { cronJob } from './cron-job.js';
import { external } from './external.js';
import { gateway } from './gateway.js';
import { mongodb } from './mongodb.js';
import { mysql } from './mysql.js';
import { nats } from './nats.js';
import { objectStore } from './object-store.js';
import { postgres } from './postgres.js';
import { rabbitmq } from './rabbitmq.js';
import { redis } from './redis.js';
import { service } from './service.js';
import { staticSite } from './static-site.js';
import { task } from './task.js';
import { worker } from './worker.js';

export const descriptors: readonly ModuleDescriptor[] = Object.freeze([
  cronJob,
  external,
  gateway,
  mongodb,
  mysql,
  nats,
  objectStore,
  postgres,
  rabbitmq,
  redis,
  service,
  staticSite,
  task,
  worker,
]);

export const registry: ModuleRegistry = createRegistry(descriptors);

export function createRegistry(list: readonly ModuleDescriptor[]): ModuleRegistry {
  const byKind = new Map(list.map((d) => [d.kind, d]));
  return { descriptors: list, get: (kind) => byKind.get(kind) };
}
