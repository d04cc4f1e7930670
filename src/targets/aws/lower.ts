/**
 * InfraIR v2 → the aws model: the network (lower-network), the ECS cluster, generated secrets
 * (lower-secrets), security groups from the design's edges (lower-security), load balancers
 * (lower-gateway), then per design node its AWS realization (kinds.ts), in dependency order
 * (ties by id). Values reach consumers through values.ts (apply-time endpoints).
 *
 * Codes: WARN_AWS_HTTP_ONLY, WARN_AWS_PREFIX_NOT_STRIPPED, WARN_AWS_DOCUMENTDB_COMPAT,
 * WARN_AWS_NO_MANAGED_NATS, WARN_TARGET_SCHEDULE_APPROXIMATED.
 */
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { GatewayNode, InfraIR, IrNode, StackOutput } from '../../compiler/lower/ir.js';
import { awsStackOutputs, isS3 } from './consumer-env.js';
import type { AwsContext } from './context.js';
import { endpoints, mainId, realizedAs } from './kinds.js';
import { lowerSchedule, lowerService } from './lower-compute.js';
import { lowerBroker, lowerCache, lowerDocumentDb, lowerRds } from './lower-data.js';
import { lowerCluster } from './lower-ecs.js';
import { lowerGateways } from './lower-gateway.js';
import { lowerNetwork } from './lower-network.js';
import { generatedSecretId, lowerGeneratedSecrets } from './lower-secrets.js';
import { lowerSecurity, usesEdges } from './lower-security.js';
import { lowerObjectStore, lowerStaticSite } from './lower-storage.js';
import type { AwsModel, AwsOutput } from './model.js';
import { references } from './references.js';
import { awsSettings } from './settings.js';
import { dependencyOrder } from '../../compiler/emit/dependency-order.js';
import { awsValue } from './values.js';

export function lowerAws(ir: InfraIR): { readonly value?: AwsModel; readonly diagnostics: readonly Diagnostic[] } {
  const settings = awsSettings(ir.platform);
  const zones = ir.nodes.some((n) => n.kind === 'store' && n.availability === 'high') ? 3 : 2;
  const eps = endpoints(ir, settings);
  const users = usesEdges(ir);
  const mains = new Map<string, string[]>();
  for (const n of ir.nodes) {
    const r = realizedAs(n);
    if (r !== undefined && 'module' in n) mains.set(n.id, [mainId(r, n.module)]);
    if (n.kind === 'secret' && !isS3(ir, n.module)) mains.set(n.id, [generatedSecretId(n.module).replace('Secret/', 'SecretVersion/')]);
  }
  // Lookups by id and module, built once: the per-module lowerings ask them for every module.
  const byId = new Map<string, IrNode>();
  const secretKeys = new Map<string, string[]>();
  const healthPaths = new Map<string, string>();
  const runsTask = new Set<string>();
  for (const n of ir.nodes) {
    if (!byId.has(n.id)) byId.set(n.id, n);
    if (n.kind === 'secret') {
      const keys = secretKeys.get(n.module);
      if (keys) keys.push(n.key);
      else secretKeys.set(n.module, [n.key]);
    }
    if (n.kind === 'workload' && n.process.readiness?.probe.kind === 'http' && !healthPaths.has(n.module)) healthPaths.set(n.module, n.process.readiness.probe.path);
    const r = realizedAs(n);
    if ('module' in n && (r === 'ecs-service' || r === 'scheduled-task')) runsTask.add(n.module);
  }
  const outputsByKey = new Map<string, StackOutput>();
  for (const o of ir.outputs) {
    const key = `${o.module}\u0000${o.name}`;
    if (!outputsByKey.has(key)) outputsByKey.set(key, o);
  }
  const ctx: AwsContext = {
    system: ir.system,
    ...(ir.owner !== undefined ? { owner: ir.owner } : {}),
    ir,
    settings,
    zones,
    nodes: [],
    images: [],
    diagnostics: [],
    securityGroupOf: (m) => `aws.ec2.SecurityGroup/${m}`,
    endpointOf: (m) => eps.get(m),
    usersOf: (m) => users.get(m) ?? [],
    mainOf: (id) => mains.get(id) ?? [],
    nodeOf: (id) => byId.get(id),
    secretKeysOf: (m) => secretKeys.get(m) ?? [],
    outputOf: (m, name) => outputsByKey.get(`${m}\u0000${name}`),
    healthPathOf: (m) => healthPaths.get(m),
    runsTask: (m) => runsTask.has(m),
  };
  lowerNetwork(ctx);
  if (runsTask.size > 0) lowerCluster(ctx);
  lowerGeneratedSecrets(ctx);
  lowerSecurity(ctx);
  const attachments = lowerGateways(ctx, ir.nodes.filter((n): n is GatewayNode => n.kind === 'gateway'));
  for (const n of ir.nodes) lowerNode(ctx, n, attachments);
  const outputs: AwsOutput[] = awsStackOutputs(ir, settings.region).map((o) => ({ module: o.module, name: o.name, value: awsValue(o.value, ctx.endpointOf), secret: o.secret }));
  const refCtx = settings.vpcId === undefined ? { zones } : {};
  const nodes = dependencyOrder(
    ctx.nodes.map((n) => {
      const deps = references(n.args, refCtx, new Set(n.dependsOn));
      deps.delete(n.id);
      return { ...n, dependsOn: [...deps].sort() };
    }),
    'aws resources',
  );
  return {
    value: { system: ir.system, region: settings.region, ...(settings.vpcId !== undefined ? { vpcId: settings.vpcId } : {}), nodes, outputs: ir.outputs, awsOutputs: outputs, images: [...ctx.images].sort((a, b) => (a.module < b.module ? -1 : 1)) },
    diagnostics: ctx.diagnostics,
  };
}

function lowerNode(ctx: AwsContext, n: IrNode, attachments: ReadonlyMap<string, readonly import('./lower-compute.js').Attachment[]>): void {
  switch (n.kind) {
    case 'workload':
      if (realizedAs(n) === 'static-site') lowerStaticSite(ctx, n);
      else lowerService(ctx, n, attachments.get(n.module) ?? []);
      return;
    case 'store':
      switch (realizedAs(n)) {
        case 'rds':
          return lowerRds(ctx, n);
        case 'elasticache':
          return lowerCache(ctx, n);
        case 'documentdb':
          return lowerDocumentDb(ctx, n);
        case 'mq':
          return lowerBroker(ctx, n);
        case 's3':
          return lowerObjectStore(ctx, n);
        default:
          return lowerService(ctx, n, attachments.get(n.module) ?? []);
      }
    case 'schedule':
      return lowerSchedule(ctx, n);
    case 'gateway':
    case 'secret':
    case 'volume':
    case 'image':
      return;
    case 'task':
      // Not in `supports`: validation refuses a task before lowering (ERR_TARGET_UNSUPPORTED_MODULE).
      return;
    default: {
      const never: never = n;
      throw new Error(`internal: unknown design node ${JSON.stringify(never)}`);
    }
  }
}
