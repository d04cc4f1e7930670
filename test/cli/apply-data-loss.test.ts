/**
 * Issue 9, item 6: data loss is visible in the plan and refused by apply, apply of a saved plan
 * and rollback with ERR_PLAN_DATA_LOSS (exit 1) before the lock, the journal or any engine is
 * touched, unless --allow-data-loss. Journals are written by hand; no Docker needed for the refusals.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRevision } from '../helpers/hand-journal.js';
import { aninfra, ensureBuilt, json } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-data-loss-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const spec = (db: string) => `apiVersion: aninfra/v1
kind: System
metadata: { name: dataloss }
target: compose
modules:
${db}
  cache: { type: redis }
`;
const PG16 = spec('  db: { type: postgres, version: "16" }');
const PG17 = spec('  db: { type: postgres, version: "17" }');
const NO_DB = spec('');

function folder(name: string, text: string): { spec: string; state: string } {
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'aninfra.yaml'), text);
  return { spec: join(dir, 'aninfra.yaml'), state: join(dir, '.aninfra', 'dataloss') };
}

const codes = (doc: Record<string, unknown>): string[] => (doc.diagnostics as { code: string }[]).map((d) => d.code);
const untouched = (state: string, revisions: string[]): void => {
  expect(readdirSync(join(state, 'journal')).sort()).toEqual(revisions);
  expect(existsSync(join(state, 'lock.json'))).toBe(false);
  expect(existsSync(join(state, 'secrets.key'))).toBe(false);
};

describe('data loss gate', () => {
  it('apply refuses a major version change of a stateful module before anything else happens', () => {
    const f = folder('major', PG17);
    writeRevision(f.spec, 'dataloss', 1, 'applied', PG16);
    const r = aninfra(['apply', f.spec, '--json']);
    expect(r.code).toBe(1);
    expect(codes(json(r))).toContain('ERR_PLAN_DATA_LOSS');
    untouched(f.state, ['000001.json']);
  });

  it('apply refuses removing a stateful module; plan --json lists the removed module with its deletes', () => {
    const f = folder('removed', NO_DB);
    writeRevision(f.spec, 'dataloss', 1, 'applied', PG16);
    const p = aninfra(['plan', f.spec, '--json']);
    expect(p.code).toBe(0);
    const doc = json(p) as { modules: { module: string; removed?: boolean; resources: { id: string; action: string; dataLoss: boolean }[] }[]; diagnostics: { code: string }[] };
    const db = doc.modules.find((m) => m.module === 'db');
    expect(db?.removed).toBe(true);
    expect(db?.resources).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'volume:db-data', action: 'delete', dataLoss: true }), expect.objectContaining({ id: 'container:db', action: 'delete' })]));
    expect(doc.diagnostics.map((d) => d.code)).toContain('WARN_PLAN_MODULE_REMOVED');
    const human = aninfra(['plan', f.spec]);
    expect(human.stdout.split('\n').some((l) => l.includes('volume:db-data') && l.includes('delete'))).toBe(true);
    const r = aninfra(['apply', f.spec, '--json']);
    expect(r.code).toBe(1);
    expect(codes(json(r))).toContain('ERR_PLAN_DATA_LOSS');
    untouched(f.state, ['000001.json']);
  });

  it('apply of a saved plan with data loss is refused too', () => {
    const f = folder('saved', spec('  db: { type: mysql }'));
    writeRevision(f.spec, 'dataloss', 1, 'applied', PG16);
    const out = join(tmp, 'saved-plan.json');
    expect(aninfra(['plan', f.spec, '--out', out, '--json']).code).toBe(0);
    const r = aninfra(['apply', out, '--json']);
    expect(r.code).toBe(1);
    expect(codes(json(r))).toContain('ERR_PLAN_DATA_LOSS');
    untouched(f.state, ['000001.json']);
  });

  it('rollback across a major version is refused', () => {
    const f = folder('rollback', PG17);
    writeRevision(f.spec, 'dataloss', 1, 'applied', PG16);
    writeRevision(f.spec, 'dataloss', 2, 'applied', PG17);
    const r = aninfra(['rollback', f.spec, '--json']);
    expect(r.code).toBe(1);
    expect(codes(json(r))).toContain('ERR_PLAN_DATA_LOSS');
    untouched(f.state, ['000001.json', '000002.json']);
  });

  it('--allow-data-loss passes the gate (what follows needs Docker and is not run here)', () => {
    const f = folder('allowed', PG17);
    writeRevision(f.spec, 'dataloss', 1, 'applied', PG16);
    const r = aninfra(['apply', f.spec, '--json', '--allow-data-loss'], { env: { ANINFRA_DOCKER: '/nonexistent/docker', PATH: '/nonexistent', DOCKER_HOST: 'unix:///nonexistent.sock' } });
    expect(codes(json(r))).not.toContain('ERR_PLAN_DATA_LOSS');
  });
});
