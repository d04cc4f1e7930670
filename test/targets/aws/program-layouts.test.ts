/**
 * The aws program registers its resources from a data file (aninfra-resources.json) through the
 * runtime helper's fixed loop. Under Pulumi's mocks it registers exactly what the same model
 * unrolled into one TypeScript statement per resource (`unrolledIndex`, the layout before the data
 * file) registers: the same resources, names, inputs (secrets wrapped alike), dependencies,
 * retainOnDelete and secret outputs, and the same stack outputs — for teamdocs, the every-module
 * spec (static site, image builds, cron job, brokers, buckets), teamdocs in an existing VPC with a
 * certificate, and hostile text in every free-text field.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmittedFile } from '../../../src/compiler/emit/target.js';
import { unrolledIndex } from './unrolled-program.js';
import { awsTarget, type AwsModel } from '../../../src/targets/aws/index.js';
import { runUnderMocks, type MockedRun } from '../../helpers/pulumi-mocks.js';
import { ALL_MODULES_SPEC } from '../fixtures.js';
import { HOSTILE, hostileDesign } from '../kubernetes/design-of.js';
import { compileAws, examplePath } from './program.js';

const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab';
const HOST_ENV: Record<string, string> = { STRIPE_SECRET_KEY: 'sk-sentinel', STRIPE_WEBHOOK_SECRET: 'whsec-sentinel', STRIPE_KEY: 'sk-other', STRIPE_WEBHOOK: 'wh-other', HOSTILE_KEY: HOSTILE };
const saved: Record<string, string | undefined> = {};
let root = '';

interface Case {
  readonly name: string;
  readonly model: AwsModel;
  readonly files: () => readonly EmittedFile[];
  data?: MockedRun;
  unrolled?: MockedRun;
}

const hostile = (): { model: AwsModel; files: readonly EmittedFile[] } => {
  const model = awsTarget.lower(hostileDesign(), { toolVersion: 'test' }).value as AwsModel;
  return { model, files: awsTarget.emit(model, { specDirFromOut: '../../..', toolVersion: 'test' }) };
};

const cases: Case[] = [];

async function run(dir: string, files: readonly EmittedFile[], project: string): Promise<MockedRun> {
  return runUnderMocks(files, {
    dir,
    project,
    state: (type, name) => ({ arn: `arn:aws:${type.split(':')[1]?.split('/')[0] ?? 'x'}:us-east-1:123456789012:${name}`, ...(type === 'aws:mq/broker:Broker' ? { instances: [{ endpoints: [`amqps://${name}.mq.mock:5671`] }] } : {}) }),
    call: (token, inputs) => {
      if (token.includes('getAvailabilityZones')) return { names: ['z-a', 'z-b', 'z-c'], zoneIds: ['z-a', 'z-b', 'z-c'], id: 'zones' };
      if (token.includes('getAuthorizationToken')) return { userName: 'AWS', password: 'mock-ecr-token', authorizationToken: 'x', expiresAt: '', proxyEndpoint: '', id: 'token' };
      if (token.includes('getSubnets')) return { ids: [`subnet-${JSON.stringify(inputs).length}`], id: 'subnets' };
      return undefined;
    },
  });
}

beforeAll(async () => {
  for (const [k, v] of Object.entries(HOST_ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  root = mkdtempSync(join(tmpdir(), 'aninfra-aws-layouts-'));
  const at = (name: string) => join(root, name, 'program');
  const teamdocs = compileAws(examplePath('teamdocs'), undefined, {}, at('teamdocs'));
  const all = compileAws(ALL_MODULES_SPEC, readFileSync(ALL_MODULES_SPEC, 'utf8'), {}, at('all-modules'));
  const vpc = compileAws(examplePath('teamdocs'), undefined, { aws: { region: 'eu-west-1', certificateArn: CERT, vpcId: 'vpc-0123456789abcdef0' } }, at('teamdocs-vpc'));
  const h = hostile();
  cases.push(
    { name: 'teamdocs', model: teamdocs.model, files: () => teamdocs.files },
    { name: 'all-modules', model: all.model, files: () => all.files },
    { name: 'teamdocs-vpc', model: vpc.model, files: () => vpc.files },
    { name: 'hostile', model: h.model, files: () => h.files },
  );
  for (const c of cases) {
    const files = c.files();
    const index = unrolledIndex(c.model, { specDirFromOut: specDirOf(files), toolVersion: 'test' });
    c.data = await run(join(root, c.name, 'data'), files, `aninfra-${c.model.system}`);
    c.unrolled = await run(join(root, c.name, 'unrolled'), files.map((f) => (f.path === 'index.ts' ? { ...f, content: index } : f)), `aninfra-${c.model.system}`);
  }
}, 240_000);

afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(root, { recursive: true, force: true });
});

/** The spec directory the data file was emitted with (the unrolled program must resolve paths alike). */
function specDirOf(files: readonly EmittedFile[]): string {
  const data = JSON.parse(files.find((f) => f.path === 'aninfra-resources.json')?.content ?? '{}') as { specDir?: string };
  return data.specDir ?? '..';
}

/** A run as comparable data: resources by URN (project-relative), with everything the engine would see. */
function comparable(r: MockedRun, dir: string) {
  const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null).split(dir).join('<dir>'));
  return {
    resources: [...r.resources].sort((a, b) => (a.urn < b.urn ? -1 : 1)).map((x) => strip({ ...x, dependencies: [...x.dependencies].sort() })),
    outputs: strip(r.outputs),
  };
}

describe('the data-driven aws program registers what the unrolled program registers', () => {
  it.each(['teamdocs', 'all-modules', 'teamdocs-vpc', 'hostile'])('%s', (name) => {
    const c = cases.find((x) => x.name === name) as Case;
    const data = comparable(c.data as MockedRun, join(root, name, 'data'));
    const unrolled = comparable(c.unrolled as MockedRun, join(root, name, 'unrolled'));
    expect(data.resources.length).toBeGreaterThan(c.model.nodes.length / 2);
    expect(data).toEqual(unrolled);
  });
});
