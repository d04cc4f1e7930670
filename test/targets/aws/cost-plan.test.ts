/**
 * The cost estimate in `plan`: a target with a `cost` hook gives the plan document
 * `cost: { currency, monthly, perModule, assumptions, priceDate, region }` and the human plan a
 * total and one line per module; a target without one changes nothing. The registry has no target
 * with the hook on this branch (the aws target arrives separately), so the compose target is
 * given one here through a mock of the registry's lookup; everything else is the real plan.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { planCommand } from '../../../src/cli/commands/plan.js';
import { computePlan } from '../../../src/operations/plan.js';
import { createIo } from '../../../src/cli/io.js';
import type { Diagnostic } from '../../../src/compiler/diagnostics/diagnostic.js';
import { plainStyle } from '../../../src/compiler/diagnostics/render.js';
import type { CostEstimate } from '../../../src/compiler/emit/cost.js';
import type { InfraIR } from '../../../src/compiler/lower/ir.js';
import { costLines } from '../../../src/plan/cost-lines.js';
import { withCostEstimate } from '../../../src/plan/cost-estimate.js';
import { estimateCost } from '../../../src/targets/aws/cost.js';
import { exampleNamed } from '../fixtures.js';

vi.mock('../../../src/targets/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/targets/index.js')>();
  const { estimateCost: estimate } = await import('../../../src/targets/aws/cost.js');
  return {
    ...original,
    targetNamed: (name: string) => {
      const t = original.targetNamed(name);
      return t && name === 'compose' ? { ...t, cost: (design: InfraIR) => estimate(design, { region: 'us-east-1' }) } : t;
    },
  };
});

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cost-plan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const teamdocs = exampleNamed('teamdocs').path;
const dirs = (name: string) => ({ emitDir: join(tmp, name, 'emit'), stateDir: join(tmp, name, 'state') });

describe('plan with a target that estimates costs', () => {
  const result = computePlan(teamdocs, { target: 'compose', ...dirs('json') });
  const doc = result.document as unknown as { ok: boolean; cost?: Record<string, unknown>; diagnostics: { code: string }[] };

  it('puts the estimate of the design into the plan document as `cost`', () => {
    expect(doc.ok).toBe(true);
    const design = result.compilation.design as InfraIR;
    const { diagnostics: _none, ...expected } = estimateCost(design, { region: 'us-east-1' });
    expect(doc.cost).toEqual(expected);
    expect(Object.keys(doc.cost ?? {}).sort()).toEqual(['assumptions', 'currency', 'monthly', 'perModule', 'priceDate', 'region']);
    expect(doc.cost?.monthly).toBe(207.92);
  });

  it('prints the total and one line per module in the human plan', async () => {
    let out = '';
    const io = createIo({ json: false, color: false, stdout: (t) => void (out += t), stderr: () => undefined });
    expect(await planCommand(io, teamdocs, { target: 'compose', ...dirs('human') })).toBe(0);
    const lines = out.split('\n');
    const cost = doc.cost as { monthly: number; perModule: Record<string, number> };
    expect(lines.some((l) => l.includes(cost.monthly.toFixed(2)))).toBe(true);
    for (const [module, amount] of Object.entries(cost.perModule)) {
      expect(lines.some((l) => new RegExp(`^\\s+${module.replace(/[()]/g, '\\$&')}\\s+${amount.toFixed(2).replace('.', '\\.')}$`).test(l)), module).toBe(true);
    }
  });
});

describe('plan with a target without the hook', () => {
  it('has no cost in the document or the human plan', async () => {
    const doc = computePlan(teamdocs, { target: 'docker', ...dirs('docker') }).document;
    expect(doc.ok).toBe(true);
    expect('cost' in doc).toBe(false);
    expect(costLines(doc as { cost?: never }, plainStyle)).toEqual([]);
  });
});

const estimate: CostEstimate = {
  currency: 'USD',
  monthly: 3,
  perModule: { '(system)': 1, api: 2 },
  assumptions: ['one'],
  priceDate: '2025-01-01',
  region: 'us-east-1',
};
const design = { irVersion: 2, system: 's', platform: {}, nodes: [], outputs: [] } satisfies InfraIR;

describe('withCostEstimate', () => {
  const base: { readonly ok: boolean; readonly diagnostics: readonly Diagnostic[] } = { ok: true, diagnostics: [] };

  it('adds the estimate without its diagnostics, which join the plan diagnostics', () => {
    const warned = estimateCost(design, { region: 'ap-south-1' });
    const doc = withCostEstimate(base, { cost: () => warned }, design);
    expect(doc.cost).not.toHaveProperty('diagnostics');
    expect(doc.diagnostics.map((d) => d.code)).toEqual(['WARN_AWS_REGION_UNPRICED']);
  });

  it('leaves the document alone without a hook or a design', () => {
    expect(withCostEstimate(base, {}, design)).toBe(base);
    expect(withCostEstimate(base, { cost: () => estimate }, undefined)).toBe(base);
    expect(withCostEstimate(base, undefined, design)).toBe(base);
  });
});

describe('costLines', () => {
  it('escapes module names and texts from outside before printing', () => {
    const hostile = 'ev\u001b[2Jil\nname\u202e';
    const lines = costLines({ cost: { ...estimate, perModule: { [hostile]: 3 }, assumptions: [`about ${hostile}`] } }, plainStyle);
    const text = lines.join('\n');
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u001b\u202e]/);
    // the only line breaks are the ones between lines (and the blank line before the block)
    expect(lines.every((l, i) => !l.slice(i === 0 ? 1 : 0).includes('\n'))).toBe(true);
    expect(text).toContain('\\u001b');
  });
});
