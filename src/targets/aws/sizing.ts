/**
 * How the aws target sizes what a design asks for: one documented table from a module's
 * `resources`, `availability` and storage size to Fargate task sizes, RDS, ElastiCache and
 * DocumentDB instance classes and Amazon MQ broker types. The AWS program and the plan's cost
 * estimate both read it, so what is estimated is what is deployed.
 *
 * Rules:
 * - Fargate: the smallest valid CPU/memory combination that holds the requested CPU and memory;
 *   without `resources`, 0.25 vCPU and 512 MiB.
 * - Databases (RDS, DocumentDB) and caches: the smallest class of the family whose vCPUs and
 *   memory hold the request; burstable classes for `availability: standard`, general-purpose
 *   (or memory-optimized, DocumentDB) ones for `high`, which also adds a standby or replica.
 * - Storage: the store's `size` rounded up to whole GiB, at least 20 GiB (the gp3 minimum).
 * - Network: 2 availability zones, 3 when any store asks for `availability: high`; one NAT
 *   gateway for the system, one per zone when high (so egress survives the loss of a zone).
 */
import type { InfraIR, Resources, StoreNode } from '../../compiler/lower/ir.js';
import { parseCpu, parseMemory } from '../../compiler/validate/resource-quantity.js';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** A Fargate task size: CPU units (1024 = 1 vCPU) and memory in MiB, as the task definition takes them. */
export interface TaskSize {
  readonly cpu: number;
  readonly memory: number;
}

export const DEFAULT_TASK: TaskSize = { cpu: 256, memory: 512 };

/** Fargate's valid combinations: CPU units → the memory sizes (MiB) it allows. */
const FARGATE: readonly (readonly [number, readonly number[]])[] = [
  [256, [512, 1024, 2048]],
  [512, steps(1024, 4096, 1024)],
  [1024, steps(2048, 8192, 1024)],
  [2048, steps(4096, 16384, 1024)],
  [4096, steps(8192, 30720, 1024)],
  [8192, steps(16384, 61440, 4096)],
  [16384, steps(32768, 122880, 8192)],
];

/** The Fargate task size for a process' `resources` (CPU millicores and memory bytes as requested). */
export function taskSize(resources: Resources | undefined): TaskSize {
  const { millicores, bytes } = requested(resources);
  if (millicores === 0 && bytes === 0) return DEFAULT_TASK;
  const memoryMib = Math.ceil(bytes / MIB);
  for (const [cpu, memories] of FARGATE) {
    if (cpu * (1000 / 1024) < millicores) continue;
    const memory = memories.find((m) => m >= memoryMib);
    if (memory !== undefined) return { cpu, memory };
  }
  const [cpu, memories] = FARGATE[FARGATE.length - 1] as readonly [number, readonly number[]];
  return { cpu, memory: memories[memories.length - 1] as number };
}

/** An instance class with its vCPUs and memory (GiB), as AWS lists them. */
export interface InstanceClass {
  readonly name: string;
  readonly vcpu: number;
  readonly memoryGib: number;
}

const RDS_BURSTABLE: readonly InstanceClass[] = [
  { name: 'db.t4g.micro', vcpu: 2, memoryGib: 1 },
  { name: 'db.t4g.small', vcpu: 2, memoryGib: 2 },
  { name: 'db.t4g.medium', vcpu: 2, memoryGib: 4 },
  { name: 'db.t4g.large', vcpu: 2, memoryGib: 8 },
];
const RDS_GENERAL: readonly InstanceClass[] = [
  { name: 'db.m6g.large', vcpu: 2, memoryGib: 8 },
  { name: 'db.m6g.xlarge', vcpu: 4, memoryGib: 16 },
  { name: 'db.m6g.2xlarge', vcpu: 8, memoryGib: 32 },
  { name: 'db.m6g.4xlarge', vcpu: 16, memoryGib: 64 },
];
const CACHE_BURSTABLE: readonly InstanceClass[] = [
  { name: 'cache.t4g.micro', vcpu: 2, memoryGib: 0.5 },
  { name: 'cache.t4g.small', vcpu: 2, memoryGib: 1.37 },
  { name: 'cache.t4g.medium', vcpu: 2, memoryGib: 3.09 },
];
const CACHE_GENERAL: readonly InstanceClass[] = [
  { name: 'cache.m6g.large', vcpu: 2, memoryGib: 6.38 },
  { name: 'cache.m6g.xlarge', vcpu: 4, memoryGib: 12.93 },
  { name: 'cache.m6g.2xlarge', vcpu: 8, memoryGib: 26.04 },
];
const DOCDB_BURSTABLE: readonly InstanceClass[] = [{ name: 'db.t4g.medium', vcpu: 2, memoryGib: 4 }];
const DOCDB_MEMORY: readonly InstanceClass[] = [
  { name: 'db.r6g.large', vcpu: 2, memoryGib: 16 },
  { name: 'db.r6g.xlarge', vcpu: 4, memoryGib: 32 },
  { name: 'db.r6g.2xlarge', vcpu: 8, memoryGib: 64 },
];

/** A relational database (RDS): class, storage and whether a Multi-AZ standby runs. */
export interface DatabaseSize {
  readonly instanceClass: string;
  readonly storageGib: number;
  readonly multiAz: boolean;
}

export function databaseSize(store: StoreNode): DatabaseSize {
  const high = store.availability === 'high';
  return {
    instanceClass: pick(high ? RDS_GENERAL : RDS_BURSTABLE, store.process.resources).name,
    storageGib: storageGib(store.data.size),
    multiAz: high,
  };
}

/** An ElastiCache (redis) replication group: node type and node count (a replica when high). */
export interface CacheSize {
  readonly nodeType: string;
  readonly nodes: number;
}

export function cacheSize(store: StoreNode): CacheSize {
  const high = store.availability === 'high';
  return { nodeType: pick(high ? CACHE_GENERAL : CACHE_BURSTABLE, store.process.resources).name, nodes: high ? 2 : 1 };
}

/** A DocumentDB cluster: instance class, instance count (a replica when high) and storage. */
export interface DocumentDbSize {
  readonly instanceClass: string;
  readonly instances: number;
  readonly storageGib: number;
}

export function documentDbSize(store: StoreNode): DocumentDbSize {
  const high = store.availability === 'high';
  return {
    instanceClass: pick(high ? DOCDB_MEMORY : DOCDB_BURSTABLE, store.process.resources).name,
    instances: high ? 2 : 1,
    storageGib: storageGib(store.data.size),
  };
}

/** An Amazon MQ for RabbitMQ broker: a single small broker, or a three-node Multi-AZ cluster when high. */
export interface BrokerSize {
  readonly instanceType: string;
  readonly deploymentMode: 'SINGLE_INSTANCE' | 'CLUSTER_MULTI_AZ';
  /** Broker nodes billed. */
  readonly nodes: number;
}

export function brokerSize(store: StoreNode): BrokerSize {
  return store.availability === 'high'
    ? { instanceType: 'mq.m5.large', deploymentMode: 'CLUSTER_MULTI_AZ', nodes: 3 }
    : { instanceType: 'mq.t3.micro', deploymentMode: 'SINGLE_INSTANCE', nodes: 1 };
}

/** Storage in whole GiB for a size written as a memory quantity ('10Gi'), at least 20. */
export function storageGib(size: string | undefined): number {
  const parsed = size === undefined ? undefined : parseMemory(size);
  const gib = parsed?.ok ? Math.ceil(parsed.value / GIB) : 0;
  return Math.max(20, gib);
}

/** The smallest class that holds the request; the largest when none does. */
function pick(classes: readonly InstanceClass[], resources: Resources | undefined): InstanceClass {
  const { millicores, bytes } = requested(resources);
  const fits = classes.find((c) => c.vcpu * 1000 >= millicores && c.memoryGib * GIB >= bytes);
  return fits ?? (classes[classes.length - 1] as InstanceClass);
}

function requested(resources: Resources | undefined): { readonly millicores: number; readonly bytes: number } {
  const cpu = resources?.cpu === undefined ? undefined : parseCpu(resources.cpu);
  const memory = resources?.memory === undefined ? undefined : parseMemory(resources.memory);
  return { millicores: cpu?.ok ? cpu.value : 0, bytes: memory?.ok ? memory.value : 0 };
}

function steps(from: number, to: number, by: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += by) out.push(v);
  return out;
}

/** Availability zones the system's network spans: 2, or 3 when any store asks for availability high. */
export function availabilityZones(design: InfraIR): 2 | 3 {
  return design.nodes.some((n) => n.kind === 'store' && n.availability === 'high') ? 3 : 2;
}

/** NAT gateways of the system's network: one, or one per availability zone when any store asks for availability high. */
export function natGateways(design: InfraIR): number {
  const zones = availabilityZones(design);
  return zones > 2 ? zones : 1;
}

/**
 * Every class the functions above can return, per service: the cost estimate's price tables must
 * price each one in every region (test/targets/aws/cost-prices.test.ts checks it, and that a sweep
 * of requests through the functions yields nothing else).
 */
export const SIZED_CLASSES: { readonly rds: readonly string[]; readonly cache: readonly string[]; readonly documentDb: readonly string[]; readonly broker: readonly string[] } = {
  rds: [...RDS_BURSTABLE, ...RDS_GENERAL].map((c) => c.name),
  cache: [...CACHE_BURSTABLE, ...CACHE_GENERAL].map((c) => c.name),
  documentDb: [...DOCDB_BURSTABLE, ...DOCDB_MEMORY].map((c) => c.name),
  broker: ['mq.t3.micro', 'mq.m5.large'],
};
