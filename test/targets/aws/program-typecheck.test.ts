/**
 * Every aws program typechecks against the real @pulumi/aws 7.48.0, @pulumi/random, @pulumi/docker
 * and @pulumi/pulumi types (strict), in ONE tsc run: every example spec, the every-module spec,
 * teamdocs with a certificate and an existing VPC, a generated 100-module spec, and services built
 * with generated Dockerfiles. The emitted index.ts hands the resources of its data file to the
 * runtime helper; so the arguments themselves are checked too, each program is also checked
 * unrolled (`unrolledIndex`: the same model, one statement per resource, excess properties
 * checked, so a misspelt argument fails). Two deliberately broken programs ride along to prove the
 * check can fail. The emitted package.json pins the SDK versions aninfra depends on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AWS_SDK_VERSIONS } from '../../../src/targets/aws/index.js';
import { unrolledIndex } from './unrolled-program.js';
import { typecheckPrograms, type ProgramToCheck, type TypecheckResult } from '../../helpers/pulumi-typecheck.js';
import { ALL_MODULES_SPEC, EXAMPLES_DIR, REPO } from '../fixtures.js';
import { compileAws, examplePath, generatedAwsDockerfiles, generatedSpec, type CompiledAws } from './program.js';

const BROKEN = 'broken-on-purpose';
const MISSPELT = 'misspelt-field';
const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab';
let result: TypecheckResult;
const teamdocs = compileAws(examplePath('teamdocs'));

const program = (name: string, c: CompiledAws, indexTs = c.file('index.ts')): ProgramToCheck => ({
  name,
  indexTs,
  packageJson: c.file('package.json'),
  modules: Object.fromEntries(c.files.filter((f) => f.path.endsWith('.ts') && f.path !== 'index.ts').map((f) => [f.path, f.content])),
});

const examples = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.yaml')).sort();

/** The program as emitted, and unrolled (every resource's arguments as typed object literals). */
const both = (name: string, c: CompiledAws): ProgramToCheck[] => [program(name, c), program(`${name}-unrolled`, c, unrolledIndex(c.model, { specDirFromOut: '..', toolVersion: 'test' }))];

beforeAll(() => {
  const index = unrolledIndex(teamdocs.model, { specDirFromOut: '..', toolVersion: 'test' });
  const broken = index.replace('multiAz: false,', 'multiAz: "no",');
  const misspelt = index.replace('storageEncrypted: true,', 'storageEncryptd: true,');
  expect(broken).not.toBe(index);
  expect(misspelt).not.toBe(index);
  result = typecheckPrograms([
    ...examples.flatMap((f) => both(`example-${f.replace(/\.yaml$/, '')}`, compileAws(join(EXAMPLES_DIR, f)))),
    ...both('all-modules', compileAws(ALL_MODULES_SPEC)),
    ...both('teamdocs-https-vpc', compileAws(examplePath('teamdocs'), undefined, { aws: { region: 'eu-west-1', certificateArn: CERT, vpcId: 'vpc-0123456789abcdef0' } })),
    ...both('generated-100', compileAws(join(EXAMPLES_DIR, 'gen100.yaml'), generatedSpec(100))),
    ...both('generated-dockerfiles', generatedAwsDockerfiles()),
    program(BROKEN, teamdocs, broken),
    program(MISSPELT, teamdocs, misspelt),
  ]);
}, 300_000);

describe('tsc --noEmit on the aws programs (one batched run)', () => {
  it('typechecks every example, the every-module spec, the HTTPS/existing-VPC variant, the 100-module spec and builds with generated Dockerfiles, as emitted and unrolled', () => {
    const unexpected = [...result.errors].filter(([name]) => name !== BROKEN && name !== MISSPELT);
    expect(unexpected, result.output).toEqual([]);
    expect(examples.length).toBeGreaterThan(3);
  });

  it('fails the program that passes a string as multiAz, and the one with a misspelt argument', () => {
    expect(result.errors.get(BROKEN)?.join('\n')).toMatch(/error TS2322/);
    expect(result.errors.get(MISSPELT)?.join('\n')).toMatch(/storageEncryptd/);
    expect(result.exitCode).not.toBe(0);
  });
});

describe('emitted project files', () => {
  it('pins the SDK versions aninfra depends on, as exact versions', () => {
    const repo = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const pkg = JSON.parse(teamdocs.file('package.json')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual(AWS_SDK_VERSIONS);
    for (const [name, version] of Object.entries(pkg.dependencies)) expect(repo.dependencies[name], name).toBe(version);
  });

  it('writes the program files a Pulumi project needs', () => {
    expect(teamdocs.files.map((f) => f.path).sort()).toEqual(['Pulumi.yaml', 'aninfra-resources.json', 'aninfra-runtime.ts', 'index.ts', 'package.json', 'tsconfig.json']);
  });
});
