/**
 * What a consumer of a managed store gets on aws. DocumentDB: its URL carries `tls=true` (the
 * cluster requires TLS) and `retryWrites=false` (it has no retryable writes), for injected env and
 * the module's stack output alike. S3: no ACCESS_KEY/SECRET_KEY (the task role grants access;
 * the self-hosted server's root credentials are no IAM keys), the bucket's generated name in
 * PREFIX_BUCKET, the bucket's region, and the endpoint without `:443`, in env and stack outputs;
 * an env the spec wrote itself stays. The cost estimate agrees: a task whose only secret was the S3 key needs no
 * Secrets Manager secret.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsNode, AwsValue } from '../../../src/targets/aws/index.js';
import { compileText } from '../../../src/operations/compile-file.js';
import { estimateCost } from '../../../src/targets/aws/cost.js';
import { withQuery } from '../../../src/targets/aws/values.js';
import { EXAMPLES_DIR } from '../fixtures.js';
import { compileAws } from './program.js';

const SPEC = `apiVersion: aninfra/v1
kind: System
metadata: { name: urls }
target: aws
platform: { aws: { region: eu-west-1 } }
modules:
  docs: { type: mongodb }
  files: { type: object-store, with: { buckets: [uploads] } }
  api: { type: service, with: { runtime: image, image: "ghcr.io/acme/api:1", port: 8080 }, uses: [docs, files] }
  blobs: { type: service, with: { runtime: image, image: "ghcr.io/acme/blobs:1", port: 8080 }, uses: [files] }
  keyed: { type: service, with: { runtime: image, image: "ghcr.io/acme/keyed:1", port: 8080 }, uses: [files], env: { FILES_ACCESS_KEY: mine } }
`;
const c = compileAws(join(EXAMPLES_DIR, 'urls.yaml'), SPEC);
const node = (id: string): AwsNode => {
  const n = c.model.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no ${id}`);
  return n;
};

/** An apply-time value as text: literal parts as written, other parts as <…>. */
const flat = (v: AwsValue | undefined): string => {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && '$concat' in v) return (v.$concat as readonly AwsValue[]).map(flat).join('');
  return `<${JSON.stringify(v)}>`;
};

/** A task's env, plain and secret, by name. */
function envOf(module: string): Record<string, AwsValue> {
  const task = node(`aws.ecs.TaskDefinition/${module}`);
  const defs = (task.args.containerDefinitions as { $json: readonly { environment: readonly { name: string; value: AwsValue }[] }[] }).$json;
  const plain = Object.fromEntries((defs[0]?.environment ?? []).map((e) => [e.name, e.value]));
  const version = c.model.nodes.find((n) => n.id === `aws.secretsmanager.SecretVersion/${module}-env`);
  const secret = version ? ((version.args.secretString as { $json: Record<string, AwsValue> }).$json) : {};
  return { ...plain, ...secret };
}

describe('DocumentDB URLs', () => {
  it('carry tls=true and retryWrites=false after the database options, in env and stack output', () => {
    const url = flat(envOf('api').DOCS_URL);
    expect(url).toMatch(/^mongodb:\/\/app:<.*>@<.*docdb\.Cluster\/docs.*>:27017\/docs\?authSource=admin&tls=true&retryWrites=false$/);
    const output = c.model.awsOutputs.find((o) => o.module === 'docs' && o.name === 'url');
    expect(flat(output?.value)).toMatch(/\?authSource=admin&tls=true&retryWrites=false$/);
    // Host and port alone are no URL: unchanged.
    expect(envOf('api').DOCS_PORT).toBe('27017');
  });

  it('adds only the parameters a URL lacks, with the / MongoDB needs before them', () => {
    expect(withQuery(':27017/db?authSource=admin', 'tls=true&retryWrites=false')).toBe(':27017/db?authSource=admin&tls=true&retryWrites=false');
    expect(withQuery(':27017/db?tls=false', 'tls=true&retryWrites=false')).toBe(':27017/db?tls=false&retryWrites=false');
    expect(withQuery(':27017', 'tls=true')).toBe(':27017/?tls=true');
    expect(withQuery('', 'tls=true')).toBe('/?tls=true');
    expect(withQuery(':27017/db#x', 'tls=true')).toBe(':27017/db?tls=true#x');
  });
});

describe('S3 consumers', () => {
  it('get no access or secret key, but the bucket name, its region and the endpoint without :443', () => {
    for (const module of ['api', 'blobs']) {
      const env = envOf(module);
      expect(Object.keys(env).filter((k) => k.startsWith('FILES_')).sort(), module).toEqual(['FILES_BUCKET', 'FILES_ENDPOINT', 'FILES_REGION']);
      expect(env.FILES_ENDPOINT).toBe('https://s3.eu-west-1.amazonaws.com');
      expect(env.FILES_REGION).toBe('eu-west-1');
      expect(flat(env.FILES_BUCKET)).toBe(`<${JSON.stringify({ $ref: 'aws.s3.Bucket/files', attr: 'bucket' })}>`);
    }
    expect(c.model.awsOutputs.find((o) => o.module === 'files' && o.name === 'endpoint')?.value).toBe('https://s3.eu-west-1.amazonaws.com');
  });

  it('report the bucket, its region and endpoint as stack outputs, and no keys', () => {
    const outputs = Object.fromEntries(c.model.awsOutputs.filter((o) => o.module === 'files').map((o) => [o.name, o.value]));
    expect(Object.keys(outputs).sort()).toEqual(['bucket', 'endpoint', 'region']);
    expect(outputs.region).toBe('eu-west-1');
    expect(flat(outputs.bucket)).toBe(`<${JSON.stringify({ $ref: 'aws.s3.Bucket/files', attr: 'bucket' })}>`);
  });

  it('leave the bucket without a generated root password, in the program and the estimate', () => {
    expect(c.model.nodes.filter((n) => n.id.includes('files-rootPassword') || n.id === 'aws.secretsmanager.Secret/files')).toEqual([]);
    expect(c.model.nodes.some((n) => n.id === 'aws.secretsmanager.Secret/docs')).toBe(true);
    const design = compileText(join(EXAMPLES_DIR, 'urls.yaml'), SPEC, { target: 'aws', outDir: '/tmp/aninfra-urls-test' }).design;
    if (!design) throw new Error('no design');
    // S3 Standard at the default 10 GB, and no 0.40 secret.
    expect(estimateCost(design).perModule.files).toBe(0.23);
  });

  it('keep an access key the spec sets itself', () => {
    const env = envOf('keyed');
    expect(env.FILES_ACCESS_KEY).toBe('mine');
    expect(env.FILES_SECRET_KEY).toBeUndefined();
  });

  it('need no Secrets Manager secret when the S3 key was their only secret, in the program and the estimate', () => {
    expect(c.model.nodes.some((n) => n.id === 'aws.secretsmanager.Secret/blobs-env')).toBe(false);
    expect(c.model.nodes.some((n) => n.id === 'aws.secretsmanager.Secret/api-env')).toBe(true);
    const design = compileText(join(EXAMPLES_DIR, 'urls.yaml'), SPEC, { target: 'aws', outDir: '/tmp/aninfra-urls-test' }).design;
    if (!design) throw new Error('no design');
    const perModule = estimateCost(design).perModule;
    // Same task size; only api pays one env secret (0.40 a month) for its DocumentDB URL.
    expect(perModule.blobs).toBe(perModule.keyed);
    expect(Math.round(((perModule.api ?? 0) - (perModule.blobs ?? 0)) * 100) / 100).toBe(0.4);
  });
});
