/**
 * The aws engine ('pulumi-aws') checks before anything starts: AWS credentials first (none →
 * ERR_PREREQ_AWS_CREDENTIALS, even without the Pulumi CLI, and apply starts nothing), then the
 * `pulumi` CLI, then the AWS provider plugin (ERR_PREREQ_PULUMI naming it with its install
 * command). Fake `pulumi` and plugin binaries on PATH; HOME is a temp directory. No AWS endpoint
 * is contacted.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_PLUGIN_INSTALL, awsCredentialSource, awsEngine, awsPreviewSteps } from '../../src/engine/aws-engine.js';
import type { EngineContext } from '../../src/engine/engine.js';
import { loadEngine } from '../../src/engine/index.js';
import { statePaths } from '../../src/state/paths.js';
import { awsTarget } from '../../src/targets/aws/index.js';

let dir = '';
let bare = '';
let withPulumi = '';
let withPlugin = '';
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example-secret' };

function tool(bin: string, name: string, script: string): void {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, name), 0o755);
}

function ctx(env: NodeJS.ProcessEnv): EngineContext {
  const paths = statePaths(join(dir, 'spec.yaml'), 'ap', join(dir, 'state'), env);
  return {
    system: 'ap',
    ir: { system: 'ap', nodes: [], outputs: [] } as unknown as EngineContext['ir'],
    platform: {},
    programDir: join(dir, 'program'),
    specDir: dir,
    paths,
    secrets: new Map(),
    hostEnv: {},
    hasChanges: true,
    timeoutSeconds: 10,
    pull: 'never',
    signal: new AbortController().signal,
    env,
    emit: () => undefined,
    redact: (t) => t,
  };
}

async function check(env: NodeJS.ProcessEnv): Promise<{ ok: boolean; codes: string[]; text: string }> {
  const r = await awsEngine.prerequisites(ctx(env));
  return r.ok ? { ok: true, codes: [], text: r.tool } : { ok: false, codes: r.diagnostics.map((d) => d.code), text: r.diagnostics.map((d) => `${d.message} ${JSON.stringify(d)}`).join('\n') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'aninfra-aws-prereq-'));
  bare = join(dir, 'bin-none');
  mkdirSync(bare);
  withPulumi = join(dir, 'bin-pulumi');
  withPlugin = join(dir, 'bin-plugin');
  for (const bin of [withPulumi, withPlugin]) tool(bin, 'pulumi', 'echo v3.248.0');
  tool(withPlugin, 'pulumi-resource-aws', 'exit 0');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('aws engine prerequisites', () => {
  it('is the registered engine of the aws target', async () => {
    expect(awsTarget.engines).toEqual(['pulumi-aws']);
    expect((await loadEngine('pulumi-aws'))?.name).toBe('pulumi-aws');
  });

  it('refuses with ERR_PREREQ_AWS_CREDENTIALS when no credentials are found, before looking for Pulumi', async () => {
    const home = join(dir, 'home-empty');
    mkdirSync(home, { recursive: true });
    expect(await check({ PATH: bare, HOME: home })).toMatchObject({ ok: false, codes: ['ERR_PREREQ_AWS_CREDENTIALS'] });
    const applied = await awsEngine.apply(ctx({ PATH: bare, HOME: home }));
    expect(applied.ok).toBe(false);
    expect(applied.diagnostics.map((d) => d.code)).toEqual(['ERR_PREREQ_AWS_CREDENTIALS']);
    expect(applied.modules).toEqual([]);
  });

  it('finds credentials in the environment, a profile or the shared credentials file', () => {
    const home = join(dir, 'home-file');
    expect(awsCredentialSource({ HOME: home })).toBeUndefined();
    expect(awsCredentialSource({ HOME: home, AWS_ACCESS_KEY_ID: 'x' })).toBeUndefined();
    expect(awsCredentialSource({ HOME: home, ...KEYS })).toBe('AWS_ACCESS_KEY_ID');
    expect(awsCredentialSource({ HOME: home, AWS_PROFILE: 'prod' })).toBe('AWS_PROFILE prod');
    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(join(home, '.aws', 'credentials'), '[default]\n');
    expect(awsCredentialSource({ HOME: home })).toBe(join(home, '.aws', 'credentials'));
  });

  it('without the pulumi CLI: ERR_PREREQ_PULUMI', async () => {
    expect(await check({ PATH: bare, HOME: dir, ...KEYS })).toMatchObject({ ok: false, codes: ['ERR_PREREQ_PULUMI'] });
  });

  it('without the AWS provider plugin: ERR_PREREQ_PULUMI naming it with its install command', async () => {
    const r = await check({ PATH: withPulumi, HOME: dir, PULUMI_HOME: join(dir, 'no-pulumi-home'), ...KEYS });
    expect(r).toMatchObject({ ok: false, codes: ['ERR_PREREQ_PULUMI'] });
    expect(r.text).toContain('pulumi-resource-aws');
    expect(r.text).toContain(AWS_PLUGIN_INSTALL);
    expect(AWS_PLUGIN_INSTALL).toBe('pulumi plugin install resource aws 7.48.0');
  });

  it('is ready with the plugin on PATH or installed under PULUMI_HOME', async () => {
    expect(await check({ PATH: withPlugin, HOME: dir, ...KEYS })).toMatchObject({ ok: true });
    const pulumiHome = join(dir, 'pulumi-home');
    mkdirSync(join(pulumiHome, 'plugins', 'resource-aws-v7.48.0'), { recursive: true });
    expect(await check({ PATH: withPulumi, HOME: dir, PULUMI_HOME: pulumiHome, ...KEYS })).toMatchObject({ ok: true });
  });
});

describe('aws engine preview steps', () => {
  it('maps Pulumi resources (`<type>::<name>`) to model node ids and leaves the rest out', () => {
    const model = { nodes: [{ id: 'aws.rds.Instance/db', kind: 'aws.rds.Instance', name: 'db' }, { id: 'aws.ecs.Service/api', kind: 'aws.ecs.Service', name: 'api' }] };
    const ops = new Map<string, string[]>([
      ['aws:rds/instance:Instance::db', ['replace']],
      ['aws:ecs/service:Service::api', ['same']],
      ['pulumi:providers:aws::aninfra-aws', ['create']],
    ]);
    expect(awsPreviewSteps(model, ops)).toEqual([{ id: 'aws.ecs.Service/api', op: 'same' }, { id: 'aws.rds.Instance/db', op: 'replace' }]);
  });
});
