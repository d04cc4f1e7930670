/**
 * `aninfra plan SPEC --target aws` end to end through the built CLI: the plan of teamdocs lists
 * the AWS resources per module, the program lands in `.aninfra/<system>/program/aws/` (index.ts
 * and its data file aninfra-resources.json),
 * `--region` and `--certificate-arn` override the spec's platform.aws, and `validate --target aws`
 * accepts every module type. Nothing reaches AWS.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aninfra, ensureBuilt, json } from '../../cli/cli.js';
import { ALL_MODULES_SPEC, EXAMPLES_DIR } from '../fixtures.js';

const CERT = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab';
let dir = '';

/** The resources of a program's data file. */
const resources = (programDir: string) => (JSON.parse(readFileSync(join(programDir, 'aninfra-resources.json'), 'utf8')) as { resources: { kind: string; name: string; args: Record<string, unknown> }[] }).resources;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'aninfra-aws-plan-'));
  cpSync(join(EXAMPLES_DIR, 'teamdocs.yaml'), join(dir, 'teamdocs.yaml'));
  cpSync(join(EXAMPLES_DIR, 'teamdocs'), join(dir, 'teamdocs'), { recursive: true });
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('plan --target aws', () => {
  it('plans teamdocs and writes the program to .aninfra/<system>/program/aws/ (index.ts and its data)', () => {
    const r = aninfra(['plan', 'teamdocs.yaml', '--target', 'aws', '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = json(r) as { ok: boolean; programDir: string; diagnostics: { code: string }[]; modules: unknown[] };
    expect(out.ok).toBe(true);
    expect(out.programDir).toBe(join(dir, '.aninfra', 'teamdocs', 'program', 'aws'));
    expect(out.diagnostics.map((d) => d.code).sort()).toEqual(['WARN_AWS_DOCUMENTDB_COMPAT', 'WARN_AWS_HTTP_ONLY']);
    const index = readFileSync(join(out.programDir, 'index.ts'), 'utf8');
    expect(index).toContain('"aws.rds.Instance": aws.rds.Instance');
    expect(index).toContain('region: "us-east-1"');
    expect(resources(out.programDir).find((r) => r.kind === 'aws.rds.Instance')?.name).toBe('accounts-db');
    expect(existsSync(join(out.programDir, 'aninfra-runtime.ts'))).toBe(true);
  });

  it('prints the human plan with the AWS resources of each module', () => {
    const r = aninfra(['plan', 'teamdocs.yaml', '--target', 'aws'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('aws.ecs.Service/auth');
    expect(r.stdout).toContain('aws.lb.LoadBalancer/edge');
  });

  it('takes --region and --certificate-arn over the spec', () => {
    const r = aninfra(['plan', 'teamdocs.yaml', '--target', 'aws', '--region', 'eu-west-1', '--certificate-arn', CERT, '--json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = json(r) as { programDir: string; diagnostics: { code: string }[] };
    expect(out.diagnostics.map((d) => d.code)).not.toContain('WARN_AWS_HTTP_ONLY');
    const index = readFileSync(join(out.programDir, 'index.ts'), 'utf8');
    expect(index).toContain('region: "eu-west-1"');
    expect(resources(out.programDir).find((r) => r.kind === 'aws.lb.Listener')?.args.certificateArn).toBe(CERT);
    const bad = aninfra(['plan', 'teamdocs.yaml', '--target', 'aws', '--region', 'Mars-1', '--json'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect((json(bad) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code)).toContain('ERR_CLI_USAGE');
  });

  it('apply --target aws without AWS credentials stops with ERR_PREREQ_AWS_CREDENTIALS (exit 5) before anything starts', () => {
    const home = join(dir, 'empty-home');
    const env = { HOME: home, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: undefined, AWS_SHARED_CREDENTIALS_FILE: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: undefined, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined };
    const r = aninfra(['apply', 'teamdocs.yaml', '--target', 'aws', '--json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(5);
    const out = json(r) as { ok: boolean; diagnostics: { code: string; severity: string }[] };
    expect(out.ok).toBe(false);
    expect(out.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['ERR_PREREQ_AWS_CREDENTIALS']);
  });

  it('validate --target aws accepts every module type', () => {
    const r = aninfra(['validate', ALL_MODULES_SPEC, '--target', 'aws', '--json']);
    expect(r.code, r.stdout).toBe(0);
    expect((json(r) as { diagnostics: { severity: string }[] }).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
