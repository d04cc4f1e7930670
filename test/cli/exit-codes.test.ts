/**
 * Exit codes as the design contract says: 0 success, 1 invalid input, 2 a plan with changes under
 * --detailed-exitcode (4, a locked or stale state, belongs to apply and is tested with the engine).
 * Every example spec validates and plans for both targets; `plan --out` saves the plan document
 * and the plan hash is the same every time.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aninfra, ensureBuilt, EXAMPLES, examples, json } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-exit-'));
let n = 0;
/** Fresh state and emit directories, so plans never write beside the repository's specs. */
const dirs = () => {
  n++;
  return ['--state-dir', join(tmp, `state-${n}`), '--emit-dir', join(tmp, `emit-${n}`)];
};

beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const bad = join(import.meta.dirname, '..', 'fixtures', 'diagnostics', 'ERR_MODULE_UNKNOWN_TYPE', 'spec.yaml');
const warning = join(import.meta.dirname, '..', 'fixtures', 'diagnostics', 'WARN_REF_IMPLICIT_DEPENDENCY', 'spec.yaml');

describe.each(examples())('example %s', (file) => {
  const spec = join(EXAMPLES, file);
  it.each(['docker', 'compose'])('validates for %s (exit 0)', (target) => {
    const r = aninfra(['validate', spec, '--target', target, '--json']);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, diagnostics: [] });
  });
  it.each(['docker', 'compose'])('plans for %s (exit 0; 2 with --detailed-exitcode)', (target) => {
    const r = aninfra(['plan', spec, '--target', target, ...dirs()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/plan hash [0-9a-f]{16}/);
    expect(aninfra(['plan', spec, '--target', target, '--detailed-exitcode', ...dirs()]).code).toBe(2);
  });
});

describe('exit codes', () => {
  it('validate: 0 for a valid spec, also with warnings', () => {
    expect(aninfra(['validate', join(EXAMPLES, 'minimal.yaml')]).code).toBe(0);
    const r = aninfra(['validate', warning, '--json']);
    expect(r.code).toBe(0);
    expect(json(r)).toMatchObject({ ok: true, diagnostics: [{ code: 'WARN_REF_IMPLICIT_DEPENDENCY', severity: 'warning' }] });
  });

  it('validate, plan and graph: 1 for an invalid spec', () => {
    for (const cmd of [['validate'], ['plan', ...dirs()], ['plan', '--detailed-exitcode', ...dirs()], ['graph']]) {
      const r = aninfra([cmd[0] as string, bad, ...cmd.slice(1), '--json']);
      expect(r.code, cmd.join(' ')).toBe(1);
      expect(json(r)).toMatchObject({ ok: false, diagnostics: [{ code: 'ERR_MODULE_UNKNOWN_TYPE' }] });
    }
  });

  it('1 for a spec file that does not exist', () => {
    const r = aninfra(['validate', join(tmp, 'absent.yaml'), '--json']);
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, diagnostics: [{ code: 'ERR_SPEC_FILE_NOT_FOUND' }] });
  });

  it('reads aninfra.yaml from the working directory by default', () => {
    const dir = join(tmp, 'default');
    cpSync(join(EXAMPLES, 'minimal.yaml'), join(dir, 'aninfra.yaml'));
    cpSync(join(EXAMPLES, 'minimal'), join(dir, 'minimal'), { recursive: true }); // its build context
    expect(aninfra(['validate'], { cwd: dir }).code).toBe(0);
    expect(aninfra(['validate'], { cwd: tmp }).code).toBe(1);
  });

  it('0 for self-description commands', () => {
    for (const args of [['modules', 'list'], ['modules', 'describe', 'postgres'], ['schema'], ['explain', 'ERR_GRAPH_CYCLE'], ['explain', '--list'], ['--version'], ['--help']]) {
      expect(aninfra(args).code, args.join(' ')).toBe(0);
    }
  });
});

describe('plan --out and plan hashes', () => {
  it('writes the plan document it prints', () => {
    const out = join(tmp, 'plan.json');
    const r = aninfra(['plan', join(EXAMPLES, 'teamdocs.yaml'), '--out', out, '--json', ...dirs()]);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
    const saved = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(saved).toEqual(json(r));
    expect(saved).toMatchObject({ ok: true, plan: { planVersion: 1, system: 'teamdocs', hasChanges: true } });
  });

  it('gives the same plan hash every time, wherever the program is written', () => {
    // One state dir (the owner label is part of the plan), a new program dir each time.
    const state = join(tmp, 'state-hash');
    const hash = () => (json(aninfra(['plan', join(EXAMPLES, 'teamdocs.yaml'), '--json', ...dirs().slice(2), '--state-dir', state])).plan as { planHash: string }).planHash;
    const first = hash();
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(hash()).toBe(first);
  });

  it('changes the plan hash when the spec changes', () => {
    const spec = join(tmp, 'changed.yaml');
    const text = readFileSync(join(EXAMPLES, 'minimal.yaml'), 'utf8');
    cpSync(join(EXAMPLES, 'minimal'), join(tmp, 'minimal'), { recursive: true }); // its build context
    writeFileSync(spec, text);
    const before = (json(aninfra(['plan', spec, '--json', ...dirs()])).plan as { planHash: string }).planHash;
    writeFileSync(spec, text.replace('port: 8080 }', 'port: 9090 }'));
    const after = (json(aninfra(['plan', spec, '--json', ...dirs()])).plan as { planHash: string }).planHash;
    expect(after).not.toBe(before);
  });
});
