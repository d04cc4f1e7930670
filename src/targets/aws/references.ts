/**
 * The nodes an argument value refers to (outputs, generated passwords, brokers, registries, the
 * created network): the emitter declares them first, and the model's dependency order follows them.
 */
import { subnetIds } from './lower-network.js';
import { specialKey, type AwsValue } from './model.js';
import { randomId } from './lower-secrets.js';

export interface ReferenceContext {
  /** Zones of a created network; undefined when the network is looked up (platform.aws.vpcId). */
  readonly zones?: number;
}

export function references(v: AwsValue, ctx: ReferenceContext, into: Set<string> = new Set()): Set<string> {
  if (v === null || typeof v !== 'object') return into;
  if (Array.isArray(v)) {
    for (const x of v as readonly AwsValue[]) references(x, ctx, into);
    return into;
  }
  const o = v as Readonly<Record<string, AwsValue>>;
  switch (specialKey(v)) {
    case '$ref':
      into.add(String(o.$ref));
      return into;
    case '$brokerHost':
      into.add(String(o.$brokerHost));
      return into;
    case '$ecrRegistry':
      into.add(String(o.$ecrRegistry));
      return into;
    case '$secret':
      into.add(randomId(String(o.$secret), String(o.key)));
      return into;
    case '$net': {
      if (ctx.zones === undefined) return into;
      const which = String(o.$net);
      const ids = which === 'vpcId' ? ['aws.ec2.Vpc/vpc'] : which === 'publicSubnetIds' ? subnetIds(ctx.zones, 'public') : which === 'privateSubnetIds' ? subnetIds(ctx.zones, 'private') : subnetIds(ctx.zones, 'private').slice(0, 1);
      for (const id of ids) into.add(id);
      return into;
    }
    case '$concat':
      return references(o.$concat as AwsValue, ctx, into);
    case '$json':
      return references(o.$json as AwsValue, ctx, into);
    case '$hostEnv':
    case '$az':
    case '$context':
    case '$specPath':
    case '$programPath':
    case '$dataPolicy':
      return into;
    case undefined:
      for (const x of Object.values(o)) references(x, ctx, into);
      return into;
  }
}
