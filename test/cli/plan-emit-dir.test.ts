/**
 * Issue 9, item 1: `plan --emit-dir DIR` never deletes what aninfra did not create. A spec folder
 * given as the emit dir is refused with ERR_PLAN_PROGRAM_DIR (exit 1) and left exactly as it was;
 * a new dir is written with the marker, and a second plan replaces it.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aninfra, ensureBuilt, json } from './cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'aninfra-cli-emit-dir-'));
beforeAll(() => ensureBuilt());
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SPEC = `apiVersion: aninfra/v1
kind: System
metadata: { name: emitdir }
target: compose
modules:
  db: { type: postgres }
  api:
    type: service
    with: { runtime: node, build: ./api, port: 8080 }
    uses: [db]
`;

function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    try {
      out[f] = readFileSync(join(dir, f), 'utf8');
    } catch {
      out[f] = '<dir>';
    }
  }
  return out;
}

function specFolder(name: string): string {
  const dir = join(tmp, name);
  mkdirSync(join(dir, 'api'), { recursive: true });
  writeFileSync(join(dir, 'aninfra.yaml'), SPEC);
  writeFileSync(join(dir, 'api', 'server.js'), 'require("http").createServer().listen(8080)\n');
  writeFileSync(join(dir, 'api', 'Dockerfile'), 'FROM node:20\n');
  return dir;
}

describe('plan --emit-dir', () => {
  it('refuses the spec folder itself (exit 1) and leaves every file in place', () => {
    const dir = specFolder('spec-folder');
    // A state dir inside the folder, as `apply` leaves it.
    mkdirSync(join(dir, '.aninfra', 'emitdir'), { recursive: true });
    writeFileSync(join(dir, '.aninfra', 'emitdir', 'secrets.key'), 'KEY');
    const before = listing(dir);
    const r = aninfra(['plan', 'aninfra.yaml', '--emit-dir', '.', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect((json(r).diagnostics as { code: string }[]).map((d) => d.code)).toContain('ERR_PLAN_PROGRAM_DIR');
    expect(listing(dir)).toEqual(before);
    const human = aninfra(['plan', 'aninfra.yaml', '--emit-dir', '.'], { cwd: dir });
    expect(human.code).toBe(1);
    expect(listing(dir)).toEqual(before);
  });

  it('writes a new directory with its marker, and replaces it on the next plan', () => {
    const dir = specFolder('fresh');
    const out = join(tmp, 'fresh-out');
    expect(aninfra(['plan', join(dir, 'aninfra.yaml'), '--emit-dir', out, '--json']).code).toBe(0);
    expect(existsSync(join(out, '.aninfra-program'))).toBe(true);
    expect(existsSync(join(out, 'docker-compose.yml'))).toBe(true);
    writeFileSync(join(out, 'leftover.txt'), 'x');
    expect(aninfra(['plan', join(dir, 'aninfra.yaml'), '--emit-dir', out, '--json']).code).toBe(0);
    expect(existsSync(join(out, 'leftover.txt'))).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('.fresh-out'))).toEqual([]);
  });
});
