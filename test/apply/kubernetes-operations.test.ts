/**
 * The operations on a kubernetes model (not a docker-family one): apply and destroy reach the
 * kubernetes engine, which refuses without a cluster before any revision (instead of the apply
 * path failing on the model's shape); values of the applying environment are found in the model's
 * host-env Secret.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostEnvUses, hostEnvValues } from '../../src/apply/host-env.js';
import { applyOperation, destroyOperation } from '../../src/operations/apply.js';
import { computePlan } from '../../src/operations/plan.js';
import type { TargetModel } from '../../src/compiler/emit/target.js';
import { Journal } from '../../src/state/journal.js';
import { statePaths } from '../../src/state/paths.js';

const scratch = mkdtempSync(join(tmpdir(), 'aninfra-kops-'));
const saved = { KUBECONFIG: process.env.KUBECONFIG, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME };
beforeAll(() => {
  // No cluster: the engine's prerequisites refuse (no kubeconfig, or no Pulumi CLI / provider).
  process.env.KUBECONFIG = join(scratch, 'no-kubeconfig');
  process.env.XDG_CONFIG_HOME = join(scratch, 'config');
});
afterAll(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(scratch, { recursive: true, force: true });
});

function workspace(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const spec = join(dir, 'aninfra.yaml');
  writeFileSync(spec, `apiVersion: aninfra/v1\nkind: System\nmetadata:\n  name: ${name}\ntarget: kubernetes\nmodules:\n  cache:\n    type: redis\n    version: "7"\n`);
  return spec;
}
const codes = (r: { diagnostics: readonly { code: string }[] }): string[] => r.diagnostics.map((d) => d.code);
const PREREQS = ['ERR_PREREQ_PULUMI', 'ERR_PREREQ_KUBERNETES'];

describe('operations on a kubernetes model', () => {
  it('apply reaches the kubernetes engine and is refused by its prerequisites, with no revision', async () => {
    const spec = workspace('kops-apply');
    const r = await applyOperation(spec);
    expect(r.ok).toBe(false);
    expect(codes(r).some((c) => PREREQS.includes(c)), JSON.stringify(r.diagnostics)).toBe(true);
    expect(codes(r)).not.toContain('ERR_INTERNAL');
    expect(new Journal(statePaths(spec, 'kops-apply').journal).revisions()).toEqual([]);
  });

  it('destroy of an applied kubernetes revision emits its program and is refused by the prerequisites', async () => {
    const spec = workspace('kops-destroy');
    const planned = computePlan(spec, {});
    const ir = planned.compilation.ir as TargetModel;
    expect(planned.plan?.target).toBe('kubernetes');
    const journal = new Journal(statePaths(spec, 'kops-destroy').journal);
    const at = new Date().toISOString();
    journal.write({ revision: 1, status: 'applied', operation: 'apply', target: 'kubernetes', engine: 'pulumi-kubernetes', specPath: spec, specText: planned.compilation.source.text, specHash: 'h', planHash: 'p', ir, startedAt: at, finishedAt: at, modules: [] });
    const r = await destroyOperation(spec);
    expect(r.ok).toBe(false);
    expect(codes(r).some((c) => PREREQS.includes(c)), JSON.stringify(r.diagnostics)).toBe(true);
    expect(journal.revisions().map((x) => x.revision)).toEqual([1]);
  });

  it("finds the applying environment's values in a non-docker model's nodes", () => {
    const model: TargetModel = {
      system: 'k',
      nodes: [{ id: 'Secret/k-host-env', kind: 'Secret', provenance: { module: null, rule: 'host-env-secret', detail: '' }, dependsOn: [], hostEnv: ['H7_API_KEY', 'H7_OTHER'] } as TargetModel['nodes'][number]],
      outputs: [],
    } as unknown as TargetModel;
    expect(hostEnvUses(model)).toEqual([
      { module: 'k', name: 'H7_API_KEY' },
      { module: 'k', name: 'H7_OTHER' },
    ]);
    const found = hostEnvValues(model, { H7_API_KEY: 'key' });
    expect(found.values).toEqual({ H7_API_KEY: 'key' });
    expect(found.missing.map((d) => d.code)).toEqual(['ERR_PREREQ_SECRET_ENV']);
  });
});
