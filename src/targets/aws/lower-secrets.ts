/**
 * Secrets in Secrets Manager. Generated secrets: a random password per key (made at apply time,
 * never in any emitted file) stored as one JSON secret per module, `<system>/<module>/generated`.
 * A task's env values that hold a secret (a generated password, a URL with one, an external API
 * key of the applying environment) go into the task's own secret `<system>/<module>/env`, which
 * the task definition injects through `secrets` (valueFrom `<arn>:<NAME>::`): no secret value is
 * ever plain env. Both are kept on destroy with the data they unlock.
 */
import type { Provenance } from '../../compiler/lower/ir.js';
import { isS3 } from './consumer-env.js';
import { add, tagsOf, type AwsContext } from './context.js';
import { awsNode, concatOf, jsonOf, out, type AwsNode, type AwsObject, type AwsValue } from './model.js';

export const generatedSecretId = (module: string): string => `aws.secretsmanager.Secret/${module}`;
export const randomId = (module: string, key: string): string => `random.RandomPassword/${module}-${key}`;

export function lowerGeneratedSecrets(ctx: AwsContext): void {
  const byModule = new Map<string, { key: string; length: number }[]>();
  // An S3 bucket has no root password: access goes through IAM (consumer-env.ts).
  for (const n of ctx.ir.nodes) if (n.kind === 'secret' && !isS3(ctx.ir, n.module)) byModule.set(n.module, [...(byModule.get(n.module) ?? []), { key: n.key, length: n.length }]);
  for (const [module, keys] of [...byModule].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : 1));
    const p: Provenance = { module, rule: 'generated-secret', detail: `passwords generated at apply time: ${sorted.map((k) => k.key).join(', ')}` };
    const randoms = sorted.map((k) => awsNode('random.RandomPassword', `${module}-${k.key}`, p, { length: Math.max(16, k.length), special: false }, [], { retainOnDelete: true, secretOutputs: ['result'] }));
    const secret = awsNode('aws.secretsmanager.Secret', module, p, { name: `${ctx.system}/${module}/generated`, description: `generated credentials of ${module}`, tags: tagsOf(ctx, p) }, [], { retainOnDelete: true });
    const version = awsNode('aws.secretsmanager.SecretVersion', module, p, { secretId: out(secret, 'id'), secretString: jsonOf(Object.fromEntries(sorted.map((k) => [k.key, { $secret: module, key: k.key }]))) }, [], { retainOnDelete: true, secretOutputs: ['secretString'] });
    add(ctx, ...randoms, secret, version);
  }
}

/** The secret and version holding a task's secret env values, and the task definition's `secrets` entries. */
export function envSecret(ctx: AwsContext, module: string, values: ReadonlyMap<string, AwsValue>): { nodes: AwsNode[]; entries: AwsValue[]; arn?: AwsValue } {
  if (values.size === 0) return { nodes: [], entries: [] };
  const p: Provenance = { module, rule: 'env-secret', detail: 'env values holding secrets, injected by the task definition' };
  // Derived values, written again by every apply: deleted at once, so a later apply can reuse the name.
  const secret = awsNode('aws.secretsmanager.Secret', `${module}-env`, p, { name: `${ctx.system}/${module}/env`, description: `secret env values of ${module}`, recoveryWindowInDays: 0, tags: tagsOf(ctx, p) });
  const json: AwsObject = Object.fromEntries([...values].sort(([a], [b]) => (a < b ? -1 : 1)));
  const version = awsNode('aws.secretsmanager.SecretVersion', `${module}-env`, p, { secretId: out(secret, 'id'), secretString: jsonOf(json) }, [], { secretOutputs: ['secretString'] });
  const entries = Object.keys(json).map((name) => ({ name, valueFrom: concatOf(out(secret, 'arn'), `:${name}::`) }));
  return { nodes: [secret, version], entries, arn: out(secret, 'arn') };
}
