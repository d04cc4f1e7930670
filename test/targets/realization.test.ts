/**
 * How each target realizes each design kind and field (Target.realization): complete for what it
 * supports, nothing for what it does not, the design fields match the module contract, and
 * `modules describe` / `aninfra docs` show it per module and target, human and JSON.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DESIGN_FIELDS } from '../../src/compiler/emit/target.js';
import { storeResilience, workloadScaling } from '../../src/modules/contract/l4-inputs.js';
import { registry } from '../../src/modules/index.js';
import { realizationOf, targetNames, targets } from '../../src/targets/index.js';
import { aninfra, ensureBuilt, json } from '../cli/cli.js';

describe('Target.realization', () => {
  it('names exactly the design fields modules take under with:', () => {
    expect([...DESIGN_FIELDS].sort()).toEqual(Object.keys({ ...workloadScaling, ...storeResilience }).sort());
  });

  it.each(targets.map((t) => [t.name, t] as const))('%s explains every kind it supports and every design field, and nothing else', (_name, t) => {
    const expected = [...t.supports, ...DESIGN_FIELDS].sort();
    expect(Object.keys(t.realization).sort()).toEqual(expected);
    for (const text of Object.values(t.realization)) expect((text ?? '').trim().length).toBeGreaterThan(0);
  });

  it('per module: every kind it produces and every design field it takes, or what a target lacks', () => {
    const postgres = registry.get('postgres')!;
    const rows = realizationOf(postgres.realizes, ['availability', 'backup']);
    expect(rows.map((r) => r.target)).toEqual([...targetNames]);
    for (const r of rows) {
      expect(r).toMatchObject({ realized: true, missing: [] });
      expect(Object.keys(r.how)).toEqual([...postgres.realizes, 'availability', 'backup']);
      expect(r.how.backup).toBe(targets.find((t) => t.name === r.target)!.realization.backup);
    }
    const site = registry.get('static-site')!;
    const lacking = realizationOf(site.realizes, []).filter((r) => !r.realized);
    expect(lacking.length).toBeGreaterThan(0);
    for (const r of lacking) {
      expect(r.missing).toEqual(['host-directory']);
      expect(r.how).toEqual({});
    }
  });
});

describe('modules describe and docs show the realization per target', () => {
  beforeAll(() => ensureBuilt());

  it('modules describe postgres --json: one entry per target with the store and its design fields', () => {
    const doc = json(aninfra(['modules', 'describe', 'postgres', '--json'])) as { module: { realization: { target: string; realized: boolean; how: Record<string, string> }[] } };
    expect(doc.module.realization.map((r) => r.target)).toEqual([...targetNames]);
    for (const r of doc.module.realization) {
      expect(r.realized).toBe(true);
      for (const topic of ['store', 'volume', 'secret', 'availability', 'backup']) expect(r.how[topic]).toBe(targets.find((t) => t.name === r.target)!.realization[topic as 'store']);
    }
  });

  it('modules describe postgres (human): each target named with its store text', () => {
    const r = aninfra(['modules', 'describe', 'postgres']);
    expect(r.code).toBe(0);
    for (const t of targets) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${t.name}$`, 'm'));
      expect(r.stdout).toContain(t.realization.store!);
    }
  });

  it('a service takes the workload design fields; a target lacking a feature says so', () => {
    const service = json(aninfra(['modules', 'describe', 'service', '--json'])) as { module: { realization: { how: Record<string, string> }[] } };
    for (const r of service.module.realization) expect(Object.keys(r.how)).toEqual(expect.arrayContaining(['workload', 'replicas', 'autoscale', 'resources']));
    const site = json(aninfra(['modules', 'describe', 'static-site', '--json'])) as { module: { realization: { realized: boolean; missing: string[] }[] } };
    expect(site.module.realization.filter((r) => !r.realized).every((r) => r.missing.includes('host-directory'))).toBe(true);
  });

  it('aninfra docs (llms.txt and --json) carries every target and its realization texts', () => {
    const txt = aninfra(['docs']).stdout;
    for (const t of targets) {
      expect(txt).toContain(`- ${t.name}: `);
      expect(txt).toContain(`- on ${t.name}: `);
      expect(txt).toContain(t.realization.backup!);
    }
    const doc = json(aninfra(['docs', '--json'])) as { targets: { name: string; realization: Record<string, string> }[]; modules: { type: string; realization: unknown[] }[] };
    expect(doc.targets.map((t) => t.name)).toEqual([...targetNames]);
    expect(doc.targets.find((t) => t.name === targetNames[0])!.realization).toEqual(targets[0]!.realization);
    for (const m of doc.modules) expect(m.realization).toHaveLength(targets.length);
  });
});
