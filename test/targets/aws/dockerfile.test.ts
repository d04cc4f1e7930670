/**
 * A built service whose context has no Dockerfile on aws: the program directory holds the
 * Dockerfile aninfra generated (dockerfiles/<module>.Dockerfile, never the user's folder), the
 * @pulumi/docker Image builds the user's context with it (its build.dockerfile resolves to that
 * file under Pulumi's mocks), and a context with its own Dockerfile keeps building with it.
 * program-typecheck.test.ts typechecks this program too (`generatedAwsDockerfiles`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUnderMocks, type MockedRun } from '../../helpers/pulumi-mocks.js';
import { generatedAwsDockerfiles } from './program.js';

const c = generatedAwsDockerfiles();
const file = (path: string) => c.files.find((f) => f.path === path)?.content;
let root = '';
let run: MockedRun;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'aninfra-aws-dockerfile-'));
  run = await runUnderMocks(c.files, {
    dir: root,
    project: 'aninfra-shop',
    call: (token) => {
      if (token.includes('getAvailabilityZones')) return { names: ['z-a', 'z-b', 'z-c'], zoneIds: ['z-a', 'z-b', 'z-c'], id: 'zones' };
      if (token.includes('getAuthorizationToken')) return { userName: 'AWS', password: 'mock-ecr-token', authorizationToken: 'x', expiresAt: '', proxyEndpoint: '', id: 'token' };
      return undefined;
    },
  });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const buildOf = (module: string) => run.resources.find((r) => r.type === 'docker:index/image:Image' && r.name === module)?.inputs.build as { context?: string; dockerfile?: string } | undefined;

describe('generated Dockerfiles in the aws program', () => {
  it('writes each generated Dockerfile under dockerfiles/ and none for a context with its own', () => {
    expect(file('dockerfiles/api.Dockerfile')).toMatch(/CMD \["npm","start"\]/);
    expect(file('dockerfiles/svc.Dockerfile')).toMatch(/go build/);
    expect(file('dockerfiles/own.Dockerfile')).toBeUndefined();
    expect(c.model.images.map((i) => [i.module, i.generatedDockerfile !== undefined])).toEqual([
      ['api', true],
      ['own', false],
      ['svc', true],
    ]);
  });

  it('builds the user context with the program copy of the generated Dockerfile', () => {
    const data = JSON.parse(file('aninfra-resources.json') ?? '{}') as { resources: { id: string; args: { build?: { dockerfile?: unknown } } }[] };
    expect(data.resources.find((r) => r.id === 'docker.Image/api')?.args.build?.dockerfile).toEqual({ $programPath: 'dockerfiles/api.Dockerfile' });
    expect(buildOf('api')?.dockerfile).toBe(join(root, 'dockerfiles', 'api.Dockerfile'));
    expect(buildOf('svc')?.dockerfile).toBe(join(root, 'dockerfiles', 'svc.Dockerfile'));
    expect(buildOf('api')?.context).toMatch(/\/api$/);
  });

  it('leaves the Dockerfile choice to docker for a context that has one', () => {
    expect(buildOf('own')?.dockerfile).toBeUndefined();
    expect(buildOf('own')?.context).toMatch(/\/own$/);
  });
});
