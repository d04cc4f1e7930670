/**
 * The data file of the aws program (aninfra-resources.json beside index.ts): every resource of
 * the model in dependency order (id, SDK kind, Pulumi name, arguments, dependsOn, retainOnDelete,
 * secret outputs), the stack outputs, the region, where the spec is from the program, and for a
 * created network its VPC and subnet ids. Arguments stay the model's values: spec text is JSON
 * string data, apply-time values are the tagged objects of model.ts, which aninfra-runtime.ts
 * resolves (`{"$ref": id, "attr": …}` is that resource's output). One resource per line, so a diff
 * of two plans reads per resource.
 */
import type { EmitContext } from '../../compiler/emit/target.js';
import { subnetIds } from './lower-network.js';
import type { AwsModel, AwsNode, AwsValue, OutRef } from './model.js';

/** The program's data file, beside index.ts. */
export const PROGRAM_DATA_FILE = 'aninfra-resources.json';

const idOf = (id: string): OutRef => ({ $ref: id, attr: 'id' });

/** The values `{"$net": …}` stands for in a created network (its VPC and subnets, by tier). */
function createdNetwork(model: AwsModel): Record<string, AwsValue> {
  const zones = model.nodes.filter((n) => n.kind === 'aws.ec2.Subnet' && n.name.startsWith('private-')).length;
  const privateIds = subnetIds(zones, 'private').map(idOf);
  return { vpcId: idOf('aws.ec2.Vpc/vpc'), publicSubnetIds: subnetIds(zones, 'public').map(idOf), privateSubnetIds: privateIds, firstPrivateSubnetId: privateIds[0] ?? '' };
}

function resourceOf(n: AwsNode): Record<string, AwsValue> {
  return {
    id: n.id,
    kind: n.kind,
    name: n.name,
    args: n.args,
    ...(n.dependsOn.length > 0 ? { dependsOn: n.dependsOn } : {}),
    ...(n.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(n.secretOutputs && n.secretOutputs.length > 0 ? { secretOutputs: n.secretOutputs } : {}),
  };
}

export function programData(model: AwsModel, ctx: EmitContext): string {
  const lines = ['{', `"region": ${JSON.stringify(model.region)},`, `"specDir": ${JSON.stringify(ctx.specDirFromOut)},`];
  if (model.vpcId === undefined) lines.push(`"network": ${JSON.stringify(createdNetwork(model))},`);
  lines.push('"resources": [');
  const last = model.nodes.length - 1;
  model.nodes.forEach((n, i) => lines.push(JSON.stringify(resourceOf(n)) + (i < last ? ',' : '')));
  lines.push('],', '"outputs": [');
  const outputs = model.awsOutputs ?? [];
  outputs.forEach((o, i) => lines.push(JSON.stringify({ module: o.module, name: o.name, value: o.value, secret: o.secret }) + (i < outputs.length - 1 ? ',' : '')));
  lines.push(']', '}');
  return lines.join('\n') + '\n';
}
