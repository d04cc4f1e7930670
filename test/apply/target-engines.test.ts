/**
 * Targets own their engine facts: each names registered engines, the engine registry loads the
 * engine under its own name, and the operations pick a target's engine through it.
 */
import { describe, expect, it } from 'vitest';
import { engineFor, engineNameFor } from '../../src/apply/state-access.js';
import { engines, loadEngine } from '../../src/engine/index.js';
import { targetNames, targets } from '../../src/targets/index.js';

describe('engine registry (src/engine/index.ts)', () => {
  it('is frozen, sorted, and loads each engine under its own name', async () => {
    expect(Object.isFrozen(engines)).toBe(true);
    expect(Object.keys(engines)).toEqual([...Object.keys(engines)].sort());
    for (const name of Object.keys(engines)) expect((await loadEngine(name))?.name).toBe(name);
    expect(await loadEngine('nope')).toBeUndefined();
    expect(await loadEngine('constructor')).toBeUndefined();
  });

  it.each(targets.map((t) => [t.name, t] as const))('target %s names registered engines, its default first', async (name, target) => {
    expect(target.engines.length).toBeGreaterThan(0);
    for (const e of target.engines) expect(Object.keys(engines)).toContain(e);
    expect(engineNameFor(name)).toBe(target.engines[0]);
    expect((await engineFor(name)).name).toBe(target.engines[0]);
  });

  it('refuses a target this aninfra does not know (a newer journal) instead of guessing an engine', async () => {
    expect(targetNames).not.toContain('mainframe');
    await expect(engineFor('mainframe')).rejects.toThrow(/mainframe/);
  });
});
