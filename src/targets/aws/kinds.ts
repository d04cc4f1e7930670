/**
 * Which AWS service realizes each design node, and how consumers reach it. A store's engine picks
 * the managed service (RDS, ElastiCache, DocumentDB, Amazon MQ, S3); an engine without one runs as
 * an ECS service like a workload; a workload serving a host directory is a static site (S3 and
 * CloudFront).
 */
import type { InfraIR, IrNode } from '../../compiler/lower/ir.js';
import { nodeId, out } from './model.js';
import type { AwsSettings } from './settings.js';
import type { Endpoint } from './values.js';

export type Realized = 'ecs-service' | 'static-site' | 'rds' | 'elasticache' | 'documentdb' | 'mq' | 's3' | 'alb' | 'scheduled-task';

const MANAGED: Readonly<Record<string, Realized>> = { postgres: 'rds', mysql: 'rds', redis: 'elasticache', mongodb: 'documentdb', rabbitmq: 'mq', 'object-store': 's3' };

/** The managed service's port for a store engine (what its security group opens). */
export const MANAGED_PORT: Readonly<Record<string, number>> = { postgres: 5432, mysql: 3306, redis: 6379, mongodb: 27017, rabbitmq: 5671 };

/** The output of an S3-realized module that names its bucket (consumer-env.ts injects it, values.ts renders it). */
export const BUCKET_OUTPUT = 'bucket';

export function realizedAs(n: IrNode): Realized | undefined {
  switch (n.kind) {
    case 'workload':
      return n.process.mounts.some((m) => m.kind === 'bind') ? 'static-site' : 'ecs-service';
    case 'store':
      return MANAGED[n.engine] ?? 'ecs-service';
    case 'gateway':
      return 'alb';
    case 'schedule':
      return 'scheduled-task';
    default:
      return undefined;
  }
}

export const cloudMapName = (system: string, module: string): string => `${module}.${system}.internal`;

/** Ids of the main resource of each realization (what dependents wait for). */
export function mainId(realized: Realized, module: string): string {
  switch (realized) {
    case 'ecs-service':
      return nodeId('aws.ecs.Service', module);
    case 'static-site':
      return nodeId('aws.cloudfront.Distribution', module);
    case 'rds':
      return nodeId('aws.rds.Instance', module);
    case 'elasticache':
      return nodeId('aws.elasticache.ReplicationGroup', module);
    case 'documentdb':
      return nodeId('aws.docdb.Cluster', module);
    case 'mq':
      return nodeId('aws.mq.Broker', module);
    case 's3':
      return nodeId('aws.s3.Bucket', module);
    case 'alb':
      return nodeId('aws.lb.LoadBalancer', module);
    case 'scheduled-task':
      return nodeId('aws.scheduler.Schedule', module);
  }
}

/** Per module: how consumers reach it (host at apply time, port and scheme of the managed service). */
export function endpoints(ir: InfraIR, settings: AwsSettings): Map<string, Endpoint> {
  const outMap = new Map<string, Endpoint>();
  for (const n of ir.nodes) {
    const r = realizedAs(n);
    if (r === undefined || !('module' in n)) continue;
    const id = mainId(r, n.module);
    switch (r) {
      case 'ecs-service':
        outMap.set(n.module, { host: cloudMapName(ir.system, n.module) });
        break;
      case 'static-site':
        outMap.set(n.module, { host: out(id, 'domainName'), ports: portsTo(n, 443), schemes: { http: 'https' } });
        break;
      case 'rds':
        outMap.set(n.module, { host: out(id, 'address') });
        break;
      case 'elasticache':
        outMap.set(n.module, { host: out(id, 'primaryEndpointAddress'), schemes: { redis: 'rediss' } });
        break;
      case 'documentdb':
        // DocumentDB clusters require TLS and do not support retryable writes.
        outMap.set(n.module, { host: out(id, 'endpoint'), query: 'tls=true&retryWrites=false' });
        break;
      case 'mq':
        outMap.set(n.module, { host: { $brokerHost: id }, ports: { 5672: 5671 }, schemes: { amqp: 'amqps' } });
        break;
      case 's3':
        outMap.set(n.module, { host: `s3.${settings.region}.amazonaws.com`, ports: portsTo(n, 443), defaultPort: 443, schemes: { http: 'https' }, outputs: { [BUCKET_OUTPUT]: out(id, 'bucket') } });
        break;
      case 'alb': {
        const https = settings.certificateArn !== undefined;
        outMap.set(n.module, { host: out(id, 'dnsName'), ports: n.kind === 'gateway' ? { [n.listen]: https ? 443 : 80, [n.publish]: https ? 443 : 80 } : {}, ...(https ? { schemes: { http: 'https' } } : {}) });
        break;
      }
      case 'scheduled-task':
        break;
    }
  }
  return outMap;
}

function portsTo(n: IrNode, port: number): Record<number, number> {
  const ports = n.kind === 'workload' || n.kind === 'store' ? n.ports : [];
  return Object.fromEntries(ports.map((p) => [p.port, port]));
}
