/**
 * Security groups from the design's edges only: one group per module that runs in the VPC (ECS
 * tasks, databases, caches, brokers, load balancers). A module accepts traffic only from the
 * groups of the modules that use it (`uses` edges), on its ports; a routed workload also from its
 * gateway's load balancer on the route's port; a load balancer from anywhere, but only on its
 * listener port. ECS tasks may connect out (image pulls, AWS APIs, external APIs); data stores
 * open nothing outwards. Every rule is its own resource, so edges never form a cycle of groups.
 */
import type { InfraIR, IrNode } from '../../compiler/lower/ir.js';
import { add, tagsOf, type AwsContext } from './context.js';
import { MANAGED_PORT, realizedAs } from './kinds.js';
import { awsNode, net, nodeId, out } from './model.js';

export const securityGroupId = (module: string): string => nodeId('aws.ec2.SecurityGroup', module);

/** Listener port of a gateway's load balancer: 443 with a certificate, else 80. */
export const listenerPort = (https: boolean): number => (https ? 443 : 80);

/** The ports a module serves on AWS (the managed service's for managed stores). */
export function servedPorts(n: IrNode): number[] {
  if (n.kind === 'store') {
    const managed = MANAGED_PORT[n.engine];
    if (managed !== undefined) return [managed];
    return n.ports.map((p) => p.port);
  }
  if (n.kind === 'workload') return n.ports.map((p) => p.port);
  return [];
}

/** Modules with a security group: what runs in the VPC. */
export function hasSecurityGroup(n: IrNode): boolean {
  const r = realizedAs(n);
  return r !== undefined && r !== 's3' && r !== 'static-site';
}

/** `uses` edges: consumer → used modules, from the env origins of each process. */
export function usesEdges(ir: InfraIR): Map<string, string[]> {
  const users = new Map<string, Set<string>>();
  for (const n of ir.nodes) {
    if (n.kind !== 'workload' && n.kind !== 'store' && n.kind !== 'gateway' && n.kind !== 'schedule') continue;
    for (const origin of Object.values(n.process.envOrigin)) {
      if (!origin.startsWith('uses:')) continue;
      const used = origin.slice('uses:'.length);
      if (used === n.module) continue;
      users.set(used, (users.get(used) ?? new Set()).add(n.module));
    }
  }
  return new Map([...users].map(([k, v]) => [k, [...v].sort()]));
}

export function lowerSecurity(ctx: AwsContext): void {
  const https = ctx.settings.certificateArn !== undefined;
  const byModule = new Map<string, IrNode>();
  for (const n of ctx.ir.nodes) if ('module' in n && hasSecurityGroup(n)) byModule.set(n.module, n);
  for (const [module, n] of [...byModule].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const p = { module, rule: 'security-group', detail: 'accepts only the modules that use it, on its ports' };
    const sg = awsNode('aws.ec2.SecurityGroup', module, p, { vpcId: net('vpcId'), description: `aninfra ${ctx.system}/${module}`, tags: { ...tagsOf(ctx, p), Name: `${ctx.system}-${module}` } });
    add(ctx, sg);
    const r = realizedAs(n);
    if (r === 'ecs-service' || r === 'scheduled-task') {
      add(ctx, awsNode('aws.vpc.SecurityGroupEgressRule', `${module}-out`, { ...p, detail: 'tasks connect out: image pulls, AWS APIs, external services' }, { securityGroupId: out(sg, 'id'), ipProtocol: '-1', cidrIpv4: '0.0.0.0/0', description: 'outbound' }));
    }
    if (n.kind === 'gateway') {
      const port = listenerPort(https);
      add(ctx, awsNode('aws.vpc.SecurityGroupIngressRule', `${module}-public-${port}`, { ...p, rule: 'gateway-listener', detail: 'the load balancer is open to anyone on its listener port only' }, { securityGroupId: out(sg, 'id'), ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIpv4: '0.0.0.0/0', description: 'public listener' }));
      const targets = [...new Set(n.routes.map((rt) => `${rt.to}:${rt.port}`))].sort();
      for (const t of targets) {
        const [to = '', portText = ''] = t.split(':');
        const port = Number(portText);
        if (!byModule.has(to)) continue;
        add(ctx, awsNode('aws.vpc.SecurityGroupEgressRule', `${module}-to-${to}-${port}`, { ...p, rule: 'gateway-route', detail: `forwards to ${to}` }, { securityGroupId: out(sg, 'id'), ipProtocol: 'tcp', fromPort: port, toPort: port, referencedSecurityGroupId: out(securityGroupId(to), 'id'), description: `to ${to}` }));
        add(ctx, awsNode('aws.vpc.SecurityGroupIngressRule', `${to}-from-${module}-${port}`, { module: to, rule: 'gateway-route', detail: `reached by gateway ${module}` }, { securityGroupId: out(securityGroupId(to), 'id'), ipProtocol: 'tcp', fromPort: port, toPort: port, referencedSecurityGroupId: out(sg, 'id'), description: `from ${module}` }));
      }
    }
    for (const user of ctx.usersOf(module)) {
      if (!byModule.has(user)) continue;
      for (const port of servedPorts(n)) {
        add(ctx, awsNode('aws.vpc.SecurityGroupIngressRule', `${module}-from-${user}-${port}`, { module, rule: 'uses-edge', detail: `${user} uses ${module}` }, { securityGroupId: out(sg, 'id'), ipProtocol: 'tcp', fromPort: port, toPort: port, referencedSecurityGroupId: out(securityGroupId(user), 'id'), description: `from ${user}` }));
      }
    }
  }
}
