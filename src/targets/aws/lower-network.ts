/**
 * The network of a system: one VPC (10.0.0.0/16) with a public and a private subnet per
 * availability zone (2, or 3 when any module has availability high), an internet gateway for the
 * public subnets, NAT gateways for the private ones (one per zone when high, else one), and the
 * VPC's default security group emptied so nothing can use it. With platform.aws.vpcId the
 * program creates none of this and looks the subnets up in that VPC instead.
 */
import type { Provenance } from '../../compiler/lower/ir.js';
import { add, tagsOf, type AwsContext } from './context.js';
import { awsNode, out, type AwsNode } from './model.js';

const NETWORK: Provenance = { module: null, rule: 'network', detail: 'the system network: VPC, subnets over availability zones, NAT' };
const ZONE_LETTERS = ['a', 'b', 'c'];

export function lowerNetwork(ctx: AwsContext): void {
  if (ctx.settings.vpcId !== undefined) return;
  const tags = (name: string) => ({ ...tagsOf(ctx, NETWORK), Name: `${ctx.system}-${name}` });
  const vpc = awsNode('aws.ec2.Vpc', 'vpc', NETWORK, { cidrBlock: '10.0.0.0/16', enableDnsHostnames: true, enableDnsSupport: true, tags: tags('vpc') });
  const lockedDefault = awsNode('aws.ec2.DefaultSecurityGroup', 'default', { ...NETWORK, detail: 'the default security group with no rules: nothing uses it' }, { vpcId: out(vpc, 'id'), ingress: [], egress: [], tags: tags('default-unused') });
  const igw = awsNode('aws.ec2.InternetGateway', 'igw', NETWORK, { vpcId: out(vpc, 'id'), tags: tags('igw') });
  const publicRoutes = awsNode('aws.ec2.RouteTable', 'public', NETWORK, { vpcId: out(vpc, 'id'), routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: out(igw, 'id') }], tags: tags('public') });
  add(ctx, vpc, lockedDefault, igw, publicRoutes);
  const high = ctx.zones > 2;
  const nats: AwsNode[] = [];
  for (let i = 0; i < ctx.zones; i++) {
    const zone = ZONE_LETTERS[i] ?? String(i);
    const pub = awsNode('aws.ec2.Subnet', `public-${zone}`, NETWORK, { vpcId: out(vpc, 'id'), cidrBlock: `10.0.${i}.0/24`, availabilityZone: { $az: i }, mapPublicIpOnLaunch: false, tags: tags(`public-${zone}`) });
    const priv = awsNode('aws.ec2.Subnet', `private-${zone}`, NETWORK, { vpcId: out(vpc, 'id'), cidrBlock: `10.0.${100 + i}.0/24`, availabilityZone: { $az: i }, mapPublicIpOnLaunch: false, tags: tags(`private-${zone}`) });
    const pubAssoc = awsNode('aws.ec2.RouteTableAssociation', `public-${zone}`, NETWORK, { subnetId: out(pub, 'id'), routeTableId: out(publicRoutes, 'id') });
    add(ctx, pub, priv, pubAssoc);
    if (i === 0 || high) {
      const eip = awsNode('aws.ec2.Eip', `nat-${zone}`, NETWORK, { domain: 'vpc', tags: tags(`nat-${zone}`) });
      const nat = awsNode('aws.ec2.NatGateway', `nat-${zone}`, NETWORK, { allocationId: out(eip, 'id'), subnetId: out(pub, 'id'), tags: tags(`nat-${zone}`) }, [igw.id]);
      add(ctx, eip, nat);
      nats.push(nat);
    }
    const nat = nats[high ? i : 0] as AwsNode;
    const privRoutes = awsNode('aws.ec2.RouteTable', `private-${zone}`, NETWORK, { vpcId: out(vpc, 'id'), routes: [{ cidrBlock: '0.0.0.0/0', natGatewayId: out(nat, 'id') }], tags: tags(`private-${zone}`) });
    const privAssoc = awsNode('aws.ec2.RouteTableAssociation', `private-${zone}`, NETWORK, { subnetId: out(priv, 'id'), routeTableId: out(privRoutes, 'id') });
    add(ctx, privRoutes, privAssoc);
  }
}

/** Subnet node ids of the created network, by tier (the emitter lists them; with vpcId it looks them up instead). */
export function subnetIds(zones: number, tier: 'public' | 'private'): string[] {
  return Array.from({ length: zones }, (_, i) => `aws.ec2.Subnet/${tier}-${ZONE_LETTERS[i] ?? String(i)}`);
}
