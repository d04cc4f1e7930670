/**
 * After-merge wiring of the aws cost estimate: `aninfra plan teamdocs --target aws --json` (the
 * built CLI, as a user runs it) carries `cost`, equal to estimateCost of the design the plan
 * compiled, and the human plan prints the total. It needs the aws target (src/targets/aws/index.ts)
 * with `cost: estimateCost` wired in; without that target the CLI refuses `--target aws` and this
 * test fails, which is the point: it shows the wiring is missing. It also counts, in the plan, the
 * resources the estimate prices by count (NAT gateways, Secrets Manager secrets, ECR repositories),
 * so the estimate and the program cannot drift apart unnoticed.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileText } from '../../../src/operations/compile-file.js';
import type { InfraIR } from '../../../src/compiler/lower/ir.js';
import { estimateCost } from '../../../src/targets/aws/cost.js';
import { natGateways } from '../../../src/targets/aws/sizing.js';
import { aninfra, ensureBuilt, EXAMPLES, json } from '../../cli/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-aws-plan-cost-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const teamdocs = join(EXAMPLES, 'teamdocs.yaml');
const dirs = (name: string): string[] => ['--emit-dir', join(tmp, name, 'emit'), '--state-dir', join(tmp, name, 'state')];

/** The design `plan --target aws` compiles (with the same platform overrides). */
function design(platform?: Readonly<Record<string, Readonly<Record<string, string>>>>): InfraIR {
  const c = compileText(teamdocs, readFileSync(teamdocs, 'utf8'), { target: 'aws', outDir: join(tmp, 'design'), ...(platform ? { platform } : {}) });
  if (!c.design) throw new Error(`teamdocs has no aws design: ${JSON.stringify(c.diagnostics)}`);
  return c.design;
}

describe('plan --target aws', () => {
  it('--json carries cost, equal to the estimate of the design', () => {
    const r = aninfra(['plan', teamdocs, '--target', 'aws', '--json', ...dirs('json')]);
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r) as { ok: boolean; cost?: { monthly: number; perModule: Record<string, number> } };
    expect(doc.ok).toBe(true);
    const { diagnostics: _none, ...expected } = estimateCost(design());
    expect(doc.cost).toEqual(expected);
    expect(doc.cost?.monthly).toBe(expected.monthly);
    expect(doc.cost?.perModule).toEqual(expected.perModule);
  });

  it('prices the region given with --region', () => {
    const r = aninfra(['plan', teamdocs, '--target', 'aws', '--region', 'eu-west-1', '--json', ...dirs('region')]);
    expect(r.code, r.stderr).toBe(0);
    const doc = json(r) as { cost?: { region: string; monthly: number } };
    const { diagnostics: _none, ...expected } = estimateCost(design({ aws: { region: 'eu-west-1' } }));
    expect(doc.cost).toEqual(expected);
    expect(doc.cost?.region).toBe('eu-west-1');
  });

  it('prints the monthly total in the human plan', () => {
    const r = aninfra(['plan', teamdocs, '--target', 'aws', ...dirs('human')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(estimateCost(design()).monthly.toFixed(2));
  });

  it('prices as many NAT gateways, secrets and ECR repositories as the program creates', () => {
    for (const name of ['standard', 'high'] as const) {
      const d = name === 'high' ? highDesign() : design();
      const dir = join(tmp, `count-${name}`);
      const spec = name === 'high' ? writeHighSpec(dir) : teamdocs;
      const r = aninfra(['plan', spec, '--target', 'aws', '--json', '--emit-dir', join(dir, 'emit'), '--state-dir', join(dir, 'state')]);
      expect(r.code, r.stderr).toBe(0);
      const ids = (json(r) as { plan: { changes: { id: string }[] } }).plan.changes.map((c) => c.id);
      const count = (prefix: string): number => ids.filter((id) => id.startsWith(prefix)).length;
      expect(count('aws.ec2.NatGateway/'), name).toBe(natGateways(d));
      const generated = new Set(d.nodes.flatMap((n) => (n.kind === 'secret' ? [n.module] : []))).size;
      const tasks = d.nodes.filter(
        (n) =>
          (n.kind === 'workload' && !n.process.mounts.some((m) => m.kind === 'bind')) || n.kind === 'schedule' || (n.kind === 'store' && n.engine === 'nats'),
      );
      const envSecrets = tasks.filter((n) => 'process' in n && Object.values(n.process.env).some((v) => v.some((p) => p.kind === 'secret' || p.kind === 'host-env'))).length;
      expect(count('aws.secretsmanager.Secret/'), name).toBe(generated + envSecrets);
      expect(count('aws.ecr.Repository/'), name).toBe(d.nodes.filter((n) => n.kind === 'image' && n.source.kind === 'build').length);
    }
  });
});

/** teamdocs with its postgres at availability high (3 zones, a NAT gateway each). */
function writeHighSpec(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const text = readFileSync(teamdocs, 'utf8').replace('      storage: 10Gi\n', '      storage: 10Gi\n      availability: high\n');
  if (!text.includes('availability: high')) throw new Error('teamdocs changed: no `storage: 10Gi` line to add availability after');
  const spec = join(dir, 'teamdocs.yaml');
  writeFileSync(spec, text);
  cpSync(join(EXAMPLES, 'teamdocs'), join(dir, 'teamdocs'), { recursive: true });
  return spec;
}

function highDesign(): InfraIR {
  const spec = writeHighSpec(join(tmp, 'count-high'));
  const c = compileText(spec, readFileSync(spec, 'utf8'), { target: 'aws', outDir: join(tmp, 'design-high') });
  if (!c.design) throw new Error(`no design: ${JSON.stringify(c.diagnostics)}`);
  return c.design;
}
