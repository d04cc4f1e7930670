/**
 * A gateway is an Application Load Balancer in the public subnets with its own security group:
 * one listener (HTTPS on 443 with platform.aws.certificateArn, else HTTP on 80 with
 * WARN_AWS_HTTP_ONLY) answering 404 by default, and per route a target group (ip targets, the
 * routed workload's HTTP readiness path as health check) and a listener rule on the path prefix,
 * longest prefix first. WebSocket routes need nothing more (ALB passes upgrades); prefixes are
 * forwarded as they are (WARN_AWS_PREFIX_NOT_STRIPPED when the spec asks to strip one).
 *
 * Codes: WARN_AWS_HTTP_ONLY, WARN_AWS_PREFIX_NOT_STRIPPED.
 */
import { diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { GatewayNode, Route } from '../../compiler/lower/ir.js';
import { add, tagsOf, type AwsContext } from './context.js';
import type { Attachment } from './lower-compute.js';
import { listenerPort, securityGroupId } from './lower-security.js';
import { awsNode, net, out } from './model.js';
import { limitedName } from './names.js';

/** Lowers every gateway; returns, per routed module, the target groups its service joins. */
export function lowerGateways(ctx: AwsContext, gateways: readonly GatewayNode[]): Map<string, Attachment[]> {
  const attachments = new Map<string, Attachment[]>();
  for (const g of gateways) {
    for (const [module, list] of lowerGateway(ctx, g)) {
      const all = attachments.get(module);
      if (all) all.push(...list);
      else attachments.set(module, [...list]);
    }
  }
  return attachments;
}

function lowerGateway(ctx: AwsContext, g: GatewayNode): Map<string, Attachment[]> {
  const https = ctx.settings.certificateArn !== undefined;
  if (!https) ctx.diagnostics.push(diagnostic('WARN_AWS_HTTP_ONLY', { module: g.module }, { path: `/modules/${g.module}` }));
  const p = g.provenance;
  const tags = tagsOf(ctx, p);
  const lb = awsNode('aws.lb.LoadBalancer', g.module, p, {
    name: limitedName([ctx.system, g.module], 32),
    loadBalancerType: 'application',
    internal: false,
    subnets: net('publicSubnetIds'),
    securityGroups: [out(securityGroupId(g.module), 'id')],
    dropInvalidHeaderFields: true,
    idleTimeout: 3600,
    tags,
  });
  const port = listenerPort(https);
  const listener = awsNode('aws.lb.Listener', g.module, p, {
    loadBalancerArn: out(lb, 'arn'),
    port,
    protocol: https ? 'HTTPS' : 'HTTP',
    ...(https ? { certificateArn: ctx.settings.certificateArn, sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } : {}),
    defaultActions: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'not found' } }],
    tags,
  });
  add(ctx, lb, listener);
  const out_ = new Map<string, Attachment[]>();
  const routes = [...g.routes].sort((a, b) => b.path.length - a.path.length || (a.path < b.path ? -1 : 1));
  routes.forEach((r, i) => {
    if (r.stripPrefix && r.path !== '/') ctx.diagnostics.push(diagnostic('WARN_AWS_PREFIX_NOT_STRIPPED', { module: g.module, path: r.path, to: r.to }, { path: `/modules/${g.module}/with/routes` }));
    const name = `${g.module}-${routeSlug(r)}`;
    const rp = { ...p, detail: `route ${r.path} → ${r.to}:${r.port}${r.websocket ? ' (WebSocket)' : ''}` };
    const tg = awsNode('aws.lb.TargetGroup', name, rp, {
      name: limitedName([ctx.system, g.module, routeSlug(r)], 32),
      port: r.port,
      protocol: 'HTTP',
      targetType: 'ip',
      vpcId: net('vpcId'),
      deregistrationDelay: 30,
      healthCheck: { path: healthPath(ctx, r.to), matcher: '200-499', interval: 15, healthyThreshold: 2, unhealthyThreshold: 3 },
      ...(r.websocket ? { stickiness: { type: 'lb_cookie', enabled: true } } : {}),
      tags,
    });
    const rule = awsNode('aws.lb.ListenerRule', name, rp, {
      listenerArn: out(listener, 'arn'),
      priority: i + 1,
      actions: [{ type: 'forward', targetGroupArn: out(tg, 'arn') }],
      conditions: [{ pathPattern: { values: r.path === '/' ? ['/*'] : [r.path, `${r.path}/*`] } }],
      tags,
    });
    add(ctx, tg, rule);
    const attachment = { targetGroup: tg.id, port: r.port, rule: rule.id };
    const list = out_.get(r.to);
    if (list) list.push(attachment);
    else out_.set(r.to, [attachment]);
  });
  return out_;
}

/** A route as a name part: its path's letters and digits ('/' is 'root'). */
function routeSlug(r: Route): string {
  const slug = r.path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
  return slug === '' ? 'root' : slug;
}

function healthPath(ctx: AwsContext, module: string): string {
  return ctx.healthPathOf(module) ?? '/';
}
