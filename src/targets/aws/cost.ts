/**
 * The monthly cost of a design on aws, per module and in total, from the committed price tables
 * (cost-prices.ts) and the sizes the program deploys (sizing.ts). `plan` shows it through the
 * target's `cost` hook.
 *
 * How each design element is priced (730 hours a month, on-demand list prices):
 * - workload → ECS on Fargate: tasks × (vCPU × vCPU-hour + GB × GB-hour) × 730 at sizing.ts' task
 *   size; tasks = `replicas`, or `autoscale.min` (the floor always paid; what it scales to depends
 *   on load, which a plan cannot know). Each task sends COST_ASSUMPTIONS.logGbPerTask GB of logs.
 *   A workload serving a host directory (a static site) → S3 + CloudFront instead.
 * - store by engine: postgres/mysql → RDS (class and gp3 storage, × the Multi-AZ factor when
 *   availability high); redis → ElastiCache (nodes × node-hour); mongodb → DocumentDB (instances,
 *   storage, an I/O assumption); rabbitmq → Amazon MQ (broker nodes × broker-hour); another
 *   engine (nats) → one Fargate task; object-store → S3 Standard at its size.
 * - gateway → an Application Load Balancer: hours, an LCU assumption, a public IPv4 per zone.
 * - schedule → EventBridge Scheduler invocations (at its rate in whole minutes) plus Fargate run
 *   time per run.
 * - Secrets Manager, as the program stores secrets: one secret per module with generated secrets
 *   (none for an object store: S3 access goes through IAM)
 *   (all its keys in one JSON secret), and one per Fargate task whose env holds a secret or a value
 *   of the applying environment (the task's `secrets`). Built image → ECR storage.
 * - The network (one VPC per system, unless `platform.aws.vpcId` names an existing one): its NAT
 *   gateways (sizing.ts' natGateways), each with a public IPv4, plus an assumed data volume,
 *   under the `(system)` key.
 *
 * Every per-module amount is rounded to cents; `monthly` is the sum of the rounded amounts, so the
 * lines a reader adds up give the total. A region without a price table is priced with
 * us-east-1's table and reported as WARN_AWS_REGION_UNPRICED (the plan still shows an estimate).
 */
import { diagnostic, type Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { SYSTEM_COST_KEY, type CostEstimate } from '../../compiler/emit/cost.js';
import type { GatewayNode, InfraIR, Process, ScheduleNode, StoreNode, WorkloadNode } from '../../compiler/lower/ir.js';
import { parseMemory } from '../../compiler/validate/resource-quantity.js';
import { consumerEnv, isS3 } from './consumer-env.js';
import { FALLBACK_REGION, PRICE_TABLES, type PriceTable } from './cost-prices.js';
import { availabilityZones, brokerSize, cacheSize, databaseSize, documentDbSize, natGateways, taskSize, type TaskSize } from './sizing.js';

export const HOURS_PER_MONTH = 730;

/** The usage the estimate assumes where a design says nothing about it; each appears in `assumptions` when used. */
export const COST_ASSUMPTIONS = Object.freeze({
  /** CloudWatch Logs ingested per running Fargate task and month. */
  logGbPerTask: 1,
  /** ECR storage per built image. */
  ecrGbPerImage: 1,
  /** Average load balancer capacity units of a gateway's ALB. */
  albLcu: 1,
  /** Data through the system's NAT gateways per month (image pulls, calls to outside APIs). */
  natGbProcessed: 100,
  /** DocumentDB I/O requests per cluster and month, in millions. */
  documentDbIoMillions: 10,
  /** Length of one cron-job run (Fargate bills at least one minute). */
  cronRunMinutes: 1,
  /** A static site's files in S3. */
  staticSiteGb: 1,
  /** A static site's monthly transfer out of CloudFront. */
  staticSiteGbOut: 10,
  /** An object store without a `size`. */
  objectStoreGb: 10,
});

const GIB = 2 ** 30;

type Topic = 'fargate' | 'static-site' | 'network' | 'alb' | 'rds' | 'elasticache' | 'documentdb' | 'mq' | 's3' | 'schedule' | 'secrets' | 'ecr';

/**
 * One resource the estimate priced by size, and the size it priced (what the program must deploy:
 * test/targets/aws/cost-program.test.ts compares both): Fargate tasks (`cpu/memory`; cron runs as
 * `fargate-run`), RDS (`class`, ` multi-az`, ` <n>GiB`), ElastiCache nodes, DocumentDB instances,
 * Amazon MQ broker nodes, and the system's NAT gateways.
 */
export interface PricedResource {
  readonly module: string;
  readonly resource: 'fargate' | 'fargate-run' | 'rds' | 'elasticache' | 'documentdb' | 'mq' | 'nat';
  readonly size: string;
  readonly count: number;
}

interface Tally {
  readonly basis: PricedResource[];
  readonly design: InfraIR;
  readonly region: string;
  readonly prices: PriceTable;
  readonly zones: number;
  readonly nat: number;
  readonly amounts: Map<string, number>;
  readonly topics: Set<Topic>;
  readonly notes: string[];
}

/**
 * The estimate for `settings.region` (default: the design's `platform.aws.region`, else
 * us-east-1). Pure: same design and region, same estimate.
 */
export function estimateCost(design: InfraIR, settings: { readonly region: string } = { region: regionOf(design) }): CostEstimate {
  const table = PRICE_TABLES[settings.region];
  const prices = table ?? (PRICE_TABLES[FALLBACK_REGION] as PriceTable);
  const diagnostics: Diagnostic[] = table
    ? []
    : [diagnostic('WARN_AWS_REGION_UNPRICED', { region: settings.region, fallback: FALLBACK_REGION, priced: Object.keys(PRICE_TABLES).join(', ') }, { path: '/platform/aws/region' })];
  const t = tally(design, settings.region, prices);
  const perModule: Record<string, number> = {};
  for (const key of [...t.amounts.keys()].sort()) perModule[key] = cents(t.amounts.get(key) as number);
  return {
    currency: prices.currency,
    monthly: cents(Object.values(perModule).reduce((a, b) => a + b, 0)),
    perModule,
    assumptions: assumptions(t, settings.region, table === undefined),
    priceDate: prices.priceDate,
    region: prices.region,
    ...(diagnostics.length > 0 ? { diagnostics } : {}),
  };
}

/** The resources `estimateCost` prices by size, with the sizes it prices them at. */
export function pricedResources(design: InfraIR, settings: { readonly region: string } = { region: regionOf(design) }): readonly PricedResource[] {
  return tally(design, settings.region, PRICE_TABLES[settings.region] ?? (PRICE_TABLES[FALLBACK_REGION] as PriceTable)).basis;
}

function tally(design: InfraIR, region: string, prices: PriceTable): Tally {
  const t: Tally = { basis: [], design, region, prices, zones: availabilityZones(design), nat: natGateways(design), amounts: new Map(), topics: new Set(), notes: [] };
  const generated = new Set<string>();
  for (const node of design.nodes) {
    switch (node.kind) {
      case 'workload':
        workload(t, node);
        break;
      case 'store':
        store(t, node);
        break;
      case 'gateway':
        gateway(t, node);
        break;
      case 'schedule':
        schedule(t, node);
        break;
      case 'secret':
        // One JSON secret per module holds all its generated keys.
        // An S3 bucket's root password is not created (access goes through IAM).
        if (!generated.has(node.module) && !isS3(design, node.module)) add(t, node.module, prices.secretsManager.secretMonth, 'secrets');
        generated.add(node.module);
        break;
      case 'image':
        if (node.source.kind === 'build') add(t, node.module, COST_ASSUMPTIONS.ecrGbPerImage * prices.ecr.gbMonth, 'ecr');
        break;
      case 'volume':
        // Store data is priced with its store (RDS/DocumentDB storage, S3); backup volumes are the services' own backups.
        break;
      case 'task':
        // The aws target does not realize tasks (validation refuses them): nothing to price.
        break;
      default: {
        const never: never = node;
        return never;
      }
    }
  }
  if (design.platform['aws']?.['vpcId'] === undefined) {
    add(t, SYSTEM_COST_KEY, t.nat * (prices.natGateway.hour + prices.publicIpv4.hour) * HOURS_PER_MONTH + COST_ASSUMPTIONS.natGbProcessed * prices.natGateway.gbProcessed, 'network');
    t.basis.push({ module: SYSTEM_COST_KEY, resource: 'nat', size: '', count: t.nat });
  } else t.notes.push('the existing VPC of platform.aws.vpcId is not priced (its NAT gateways are paid already)');
  return t;
}

/** The design's `platform.aws.region`, else us-east-1 (the aws target's default). */
export function regionOf(design: InfraIR): string {
  const region = design.platform['aws']?.['region'];
  return typeof region === 'string' && region !== '' ? region : FALLBACK_REGION;
}

function workload(t: Tally, node: WorkloadNode): void {
  if (node.process.mounts.some((m) => m.kind === 'bind')) {
    // Files from the applying machine: uploaded to a bucket and served by CloudFront.
    add(t, node.module, COST_ASSUMPTIONS.staticSiteGb * t.prices.s3.gbMonth + COST_ASSUMPTIONS.staticSiteGbOut * t.prices.cloudfront.gbOut, 'static-site');
    return;
  }
  fargateService(t, node.module, node.process, node.autoscale ? node.autoscale.min : node.replicas);
}

function store(t: Tally, node: StoreNode): void {
  const p = t.prices;
  const hours = HOURS_PER_MONTH;
  switch (node.engine) {
    case 'postgres':
    case 'mysql': {
      const size = databaseSize(node);
      const factor = size.multiAz ? p.rds.multiAzFactor : 1;
      const hourly = price(p.rds.instanceHour[node.engine], size.instanceClass);
      t.basis.push({ module: node.module, resource: 'rds', size: `${size.instanceClass}${size.multiAz ? ' multi-az' : ''} ${size.storageGib}GiB`, count: 1 });
      add(t, node.module, factor * (hourly * hours + size.storageGib * p.rds.gp3GbMonth), 'rds');
      return;
    }
    case 'redis': {
      const size = cacheSize(node);
      t.basis.push({ module: node.module, resource: 'elasticache', size: size.nodeType, count: size.nodes });
      add(t, node.module, size.nodes * price(p.elasticache.nodeHour, size.nodeType) * hours, 'elasticache');
      return;
    }
    case 'mongodb': {
      const size = documentDbSize(node);
      t.basis.push({ module: node.module, resource: 'documentdb', size: size.instanceClass, count: size.instances });
      const io = COST_ASSUMPTIONS.documentDbIoMillions * p.documentdb.ioPerMillion;
      add(t, node.module, size.instances * price(p.documentdb.instanceHour, size.instanceClass) * hours + size.storageGib * p.documentdb.storageGbMonth + io, 'documentdb');
      return;
    }
    case 'rabbitmq': {
      const size = brokerSize(node);
      t.basis.push({ module: node.module, resource: 'mq', size: size.instanceType, count: size.nodes });
      add(t, node.module, size.nodes * price(p.mq.brokerHour, size.instanceType) * hours, 'mq');
      return;
    }
    case 'object-store':
      add(t, node.module, bucketGib(node.data.size) * p.s3.gbMonth, 's3');
      return;
    default:
      // No managed service (nats): one Fargate task, as the program runs it.
      t.notes.push(`module '${node.module}': engine '${node.engine}' has no managed service and is priced as one Fargate task`);
      fargateService(t, node.module, node.process, 1);
  }
}

function gateway(t: Tally, node: GatewayNode): void {
  const p = t.prices;
  add(t, node.module, (p.alb.hour + COST_ASSUMPTIONS.albLcu * p.alb.lcuHour + t.zones * p.publicIpv4.hour) * HOURS_PER_MONTH, 'alb');
}

function schedule(t: Tally, node: ScheduleNode): void {
  // EventBridge Scheduler rates count whole minutes: a shorter or uneven interval runs at the next whole minute.
  const rateSeconds = Math.max(1, Math.ceil(node.everySeconds / 60)) * 60;
  const runs = (HOURS_PER_MONTH * 3600) / rateSeconds;
  const runHours = (runs * COST_ASSUMPTIONS.cronRunMinutes) / 60;
  const size = taskSize(node.process.resources);
  t.basis.push({ module: node.module, resource: 'fargate-run', size: `${size.cpu}/${size.memory}`, count: 1 });
  add(t, node.module, (runs / 1e6) * t.prices.scheduler.perMillionInvocations + runHours * taskHour(t.prices, size), 'schedule');
  envSecret(t, node.module, node.process);
}

function fargateService(t: Tally, module: string, process: Process, tasks: number): void {
  const logs = COST_ASSUMPTIONS.logGbPerTask * t.prices.cloudwatchLogs.ingestedGb;
  const size = taskSize(process.resources);
  t.basis.push({ module, resource: 'fargate', size: `${size.cpu}/${size.memory}`, count: tasks });
  add(t, module, tasks * (taskHour(t.prices, size) * HOURS_PER_MONTH + logs), 'fargate');
  envSecret(t, module, process);
}

/** A task whose env (as consumer-env.ts gives it on AWS) holds a secret or a value of the applying environment gets its own Secrets Manager secret for them. */
function envSecret(t: Tally, module: string, process: Process): void {
  const secret = Object.values(consumerEnv(t.design, process, t.region)).some((v) => v.some((part) => part.kind === 'secret' || part.kind === 'host-env'));
  if (secret) add(t, module, t.prices.secretsManager.secretMonth, 'secrets');
}

/** One task's price per hour: CPU units / 1024 vCPUs and MiB / 1024 GB. */
function taskHour(p: PriceTable, size: TaskSize): number {
  return (size.cpu / 1024) * p.fargate.vcpuHour + (size.memory / 1024) * p.fargate.gbHour;
}

function add(t: Tally, key: string, amount: number, topic?: Topic): void {
  t.amounts.set(key, (t.amounts.get(key) ?? 0) + amount);
  if (topic) t.topics.add(topic);
}

/** sizing.ts only returns priced classes (the price-table test checks it); a miss is a bug, not a spec problem. */
function price(table: Readonly<Record<string, number>>, name: string): number {
  const value = table[name];
  if (value === undefined) throw new Error(`no price for ${name}`);
  return value;
}

/** Whole GiB of an object store's `size`, or the assumed size when it has none. */
function bucketGib(size: string | undefined): number {
  const parsed = size === undefined ? undefined : parseMemory(size);
  return parsed?.ok ? Math.ceil(parsed.value / GIB) : COST_ASSUMPTIONS.objectStoreGb;
}

/** Half-up to cents; the epsilon keeps 29.565 (binary 29.56499…) from rounding down. */
function cents(amount: number): number {
  return Math.round(amount * 100 + 1e-6) / 100;
}

function assumptions(t: Tally, requested: string, fallback: boolean): string[] {
  const a = COST_ASSUMPTIONS;
  const p = t.prices;
  const has = (topic: Topic): boolean => t.topics.has(topic);
  return [
    `${p.region} on-demand list prices of ${p.priceDate} in ${p.currency}, without free tier, savings plans, reservations or taxes; ${HOURS_PER_MONTH} hours a month`,
    ...(fallback ? [`region '${requested}' has no price table: the amounts are ${p.region} prices (WARN_AWS_REGION_UNPRICED)`] : []),
    ...(has('fargate')
      ? [
          'services and workers run on ECS Fargate (Linux/x86) at the task size sizing.ts picks from resources (default 0.25 vCPU, 0.5 GB); replicas is the task count and autoscale counts its minimum, the floor that is always paid',
          `each running task sends ${a.logGbPerTask} GB of logs a month to CloudWatch Logs`,
        ]
      : []),
    ...(has('ecr') ? [`each built image keeps ${a.ecrGbPerImage} GB in ECR`] : []),
    ...(has('network') ? [`the network spans ${t.zones} availability zones with ${t.nat} NAT gateway(s), each with a public IPv4 address, and ${a.natGbProcessed} GB a month through NAT, under ${SYSTEM_COST_KEY}`] : []),
    ...(has('alb') ? [`each gateway is an Application Load Balancer averaging ${a.albLcu} LCU, with one public IPv4 address per availability zone`] : []),
    ...(has('rds')
      ? ['RDS: availability high is Multi-AZ (instance and storage billed twice); gp3 storage at the module size, at least 20 GB; automated backups within the free allowance (the storage size)']
      : []),
    ...(has('elasticache') ? ['ElastiCache: one node, a primary and a replica when availability high; snapshots not priced'] : []),
    ...(has('documentdb') ? [`DocumentDB: storage at the module size, at least 20 GB, and ${a.documentDbIoMillions} million I/O requests a month per cluster`] : []),
    ...(has('mq') ? ['Amazon MQ for RabbitMQ: broker instance-hours of every node; broker storage not priced'] : []),
    ...(has('s3') ? [`object stores hold their size (${a.objectStoreGb} GB when unset) in S3 Standard; requests and transfer not priced`] : []),
    ...(has('static-site') ? [`a static site keeps ${a.staticSiteGb} GB in S3 and serves ${a.staticSiteGbOut} GB a month through CloudFront`] : []),
    ...(has('schedule') ? [`each cron-job run takes ${a.cronRunMinutes} minute of Fargate at the job's task size (Fargate's minimum charge), started by one EventBridge Scheduler invocation at the job's rate in whole minutes`] : []),
    ...(has('secrets') ? ["Secrets Manager: one secret per module with generated secrets and one per task whose env holds secrets (the task definition's secrets); API calls not priced"] : []),
    'data transfer to the internet is not priced except through CloudFront',
    ...t.notes,
  ];
}
