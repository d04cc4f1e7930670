/**
 * The env a task runs with on AWS, from the design's env. An object store is an S3 bucket its
 * users reach through their task role (lower-storage grants it), not through keys: the variables a
 * `uses:` edge to it injected for the self-hosted server's root user (PREFIX_ACCESS_KEY,
 * PREFIX_SECRET_KEY) are left out (they would not be IAM keys, and SDKs prefer them over the
 * role), PREFIX_REGION is the bucket's region, and PREFIX_BUCKET names the bucket (its generated
 * name). The endpoint stays (https://s3.<region>.amazonaws.com). An env the spec wrote itself is
 * kept as written. The plan's cost estimate reads the same env (a task without a secret in it
 * needs no Secrets Manager secret).
 */
import type { InfraIR, Process, StackOutput } from '../../compiler/lower/ir.js';
import { outputRef, text, type Value } from '../../compiler/resolve/value.js';
import { BUCKET_OUTPUT, realizedAs } from './kinds.js';

/** Suffixes of the injected variables that carry the self-hosted server's credentials. */
const CREDENTIALS = ['_ACCESS_KEY', '_SECRET_KEY'];

export function consumerEnv(ir: InfraIR, process: Process, region: string): Readonly<Record<string, Value>> {
  const env: Record<string, Value> = Object.create(null) as Record<string, Value>;
  const buckets: [string, string][] = [];
  for (const name of Object.keys(process.env)) {
    const value = process.env[name] ?? [];
    const origin = process.envOrigin[name] ?? '';
    const from = origin.startsWith('uses:') ? origin.slice('uses:'.length) : undefined;
    if (from === undefined || !isS3(ir, from)) {
      env[name] = value;
      continue;
    }
    const credential = CREDENTIALS.find((s) => name.endsWith(s));
    if (credential !== undefined) {
      buckets.push([`${name.slice(0, -credential.length)}_BUCKET`, from]);
      continue;
    }
    env[name] = name.endsWith('_REGION') ? text(region) : value;
  }
  for (const [name, module] of buckets) if (!Object.hasOwn(env, name)) env[name] = outputRef(module, BUCKET_OUTPUT);
  return env;
}

/**
 * The stack outputs on AWS: an S3-realized module reports its endpoint, its bucket's region and
 * its bucket's name, and no access or secret key (there is none: access goes through IAM).
 */
export function awsStackOutputs(ir: InfraIR, region: string): readonly StackOutput[] {
  const out: StackOutput[] = [];
  const seen = new Set<string>();
  for (const o of ir.outputs) {
    if (!isS3(ir, o.module)) {
      out.push(o);
      continue;
    }
    if (o.name === 'accessKey' || o.name === 'secretKey') continue;
    out.push(o.name === 'region' ? { ...o, value: text(region) } : o);
    if (!seen.has(o.module)) out.push({ module: o.module, name: BUCKET_OUTPUT, value: outputRef(o.module, BUCKET_OUTPUT), secret: false });
    seen.add(o.module);
  }
  return out;
}

/** The modules realized as S3 buckets, once per design (a task's env is read per variable). */
const S3_MODULES = new WeakMap<InfraIR, ReadonlySet<string>>();

/** True for a module realized as an S3 bucket (its generated root password is not needed there either). */
export function isS3(ir: InfraIR, module: string): boolean {
  let modules = S3_MODULES.get(ir);
  if (modules === undefined) {
    modules = new Set(ir.nodes.flatMap((n) => ('module' in n && realizedAs(n) === 's3' ? [n.module] : [])));
    S3_MODULES.set(ir, modules);
  }
  return modules.has(module);
}
