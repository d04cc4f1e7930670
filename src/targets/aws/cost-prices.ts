/**
 * The aws price tables (src/targets/aws/prices/<region>.json): on-demand list prices per region,
 * each table with its date, its currency and the public pages it was read from. Assigning the
 * imported JSON to `PriceTable` makes a table with a missing or mistyped price a compile error;
 * test/targets/aws/cost-prices.test.ts checks the values and that every class sizing.ts can
 * produce is priced in every table.
 */
import euWest1 from './prices/eu-west-1.json' with { type: 'json' };
import usEast1 from './prices/us-east-1.json' with { type: 'json' };

type Hourly = Readonly<Record<string, number>>;

/** Every section names the page its prices come from. */
interface Section {
  readonly source: string;
}

export interface PriceTable {
  readonly region: string;
  /** ISO 4217 code of every price. */
  readonly currency: string;
  /** When the prices were read (YYYY-MM-DD). */
  readonly priceDate: string;
  /** Where the prices were read, and how. */
  readonly source: string;
  /** ECS on Fargate (Linux/x86): per vCPU-hour and per GB-hour of a running task. */
  readonly fargate: Section & { readonly vcpuHour: number; readonly gbHour: number };
  /** RDS single-AZ instance-hours per engine and class; Multi-AZ (one standby) multiplies instance and storage. */
  readonly rds: Section & { readonly instanceHour: { readonly postgres: Hourly; readonly mysql: Hourly }; readonly multiAzFactor: number; readonly gp3GbMonth: number };
  /** ElastiCache (Redis OSS) per node-hour and node type. */
  readonly elasticache: Section & { readonly nodeHour: Hourly };
  /** DocumentDB per instance-hour and class; storage per GB-month; I/O per million requests. */
  readonly documentdb: Section & { readonly instanceHour: Hourly; readonly storageGbMonth: number; readonly ioPerMillion: number };
  /** Amazon MQ for RabbitMQ per broker instance-hour and type. */
  readonly mq: Section & { readonly brokerHour: Hourly };
  readonly natGateway: Section & { readonly hour: number; readonly gbProcessed: number };
  readonly publicIpv4: Section & { readonly hour: number };
  /** Application Load Balancer per hour and per LCU-hour. */
  readonly alb: Section & { readonly hour: number; readonly lcuHour: number };
  readonly s3: Section & { readonly gbMonth: number };
  readonly secretsManager: Section & { readonly secretMonth: number };
  readonly cloudfront: Section & { readonly gbOut: number };
  readonly cloudwatchLogs: Section & { readonly ingestedGb: number };
  readonly scheduler: Section & { readonly perMillionInvocations: number };
  readonly ecr: Section & { readonly gbMonth: number };
}

const usEast1Table: PriceTable = usEast1;
const euWest1Table: PriceTable = euWest1;

/** The tables by region, sorted by region. */
export const PRICE_TABLES: Readonly<Record<string, PriceTable>> = Object.freeze({ 'eu-west-1': euWest1Table, 'us-east-1': usEast1Table });

/** The region priced when the design's region has no table (and the default region of the aws target). */
export const FALLBACK_REGION = 'us-east-1';
