import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasMarker, PROGRAM_MARKER, writeProgramDir } from '../../src/plan/program-dir.js';

const marker = { system: 'shop', target: 'compose', toolVersion: '0.0.0-test', role: 'program' as const };
const files = [
  { path: 'docker-compose.yml', content: 'services: {}\n' },
  { path: 'sub/dir/extra.txt', content: 'x' },
];

function tree(dir: string): Record<string, string> {
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

function specFolder(): { parent: string; dir: string } {
  const parent = mkdtempSync(join(tmpdir(), 'aninfra-program-dir-'));
  const dir = join(parent, 'project');
  mkdirSync(join(dir, 'api', 'src'), { recursive: true });
  writeFileSync(join(dir, 'aninfra.yaml'), 'apiVersion: aninfra/v1\n');
  writeFileSync(join(dir, 'api', 'src', 'index.js'), 'console.log(1)\n');
  mkdirSync(join(dir, '.aninfra', 'shop'), { recursive: true });
  writeFileSync(join(dir, '.aninfra', 'shop', 'secrets.key'), 'KEY');
  return { parent, dir };
}

describe('writeProgramDir', () => {
  it('refuses a non-empty directory aninfra did not create and touches nothing', () => {
    const { parent, dir } = specFolder();
    const before = tree(parent);
    const d = writeProgramDir(dir, files, marker);
    expect(d?.code).toBe('ERR_PLAN_PROGRAM_DIR');
    expect(d?.severity).toBe('error');
    expect(tree(parent)).toEqual(before);
    expect(readFileSync(join(dir, 'aninfra.yaml'), 'utf8')).toBe('apiVersion: aninfra/v1\n');
  });

  it('refuses a path that is a file, and a marker that aninfra did not write', () => {
    const { parent, dir } = specFolder();
    expect(writeProgramDir(join(dir, 'aninfra.yaml'), files, marker)?.code).toBe('ERR_PLAN_PROGRAM_DIR');
    writeFileSync(join(dir, PROGRAM_MARKER), 'not json');
    const before = tree(parent);
    expect(writeProgramDir(dir, files, marker)?.code).toBe('ERR_PLAN_PROGRAM_DIR');
    expect(tree(parent)).toEqual(before);
  });

  it('refuses emitted file names that leave the directory', () => {
    const parent = mkdtempSync(join(tmpdir(), 'aninfra-program-dir-'));
    expect(writeProgramDir(join(parent, 'out'), [{ path: '../escape.txt', content: 'x' }], marker)?.code).toBe('ERR_PLAN_PROGRAM_DIR');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('writes a new directory, and an empty one, with the marker', () => {
    const parent = mkdtempSync(join(tmpdir(), 'aninfra-program-dir-'));
    expect(writeProgramDir(join(parent, 'a', 'b'), files, marker)).toBeUndefined();
    expect(readFileSync(join(parent, 'a', 'b', 'sub', 'dir', 'extra.txt'), 'utf8')).toBe('x');
    expect(hasMarker(join(parent, 'a', 'b'))).toBe(true);
    expect(JSON.parse(readFileSync(join(parent, 'a', 'b', PROGRAM_MARKER), 'utf8'))).toMatchObject(marker);
    mkdirSync(join(parent, 'empty'));
    expect(writeProgramDir(join(parent, 'empty'), files, marker)).toBeUndefined();
    expect(readdirSync(join(parent, 'empty')).sort()).toEqual([PROGRAM_MARKER, 'docker-compose.yml', 'sub']);
    expect(readdirSync(join(parent, 'a'))).toEqual(['b']);
  });

  it('swaps its own directory whole: old files gone, no temp dirs left beside it', () => {
    const parent = mkdtempSync(join(tmpdir(), 'aninfra-program-dir-'));
    const dir = join(parent, 'program');
    expect(writeProgramDir(dir, [...files, { path: 'stale.txt', content: 'old' }], marker)).toBeUndefined();
    expect(writeProgramDir(dir, [{ path: 'docker-compose.yml', content: 'services: { a: {} }\n' }], marker)).toBeUndefined();
    expect(tree(dir)).toEqual({ [PROGRAM_MARKER]: readFileSync(join(dir, PROGRAM_MARKER), 'utf8'), 'docker-compose.yml': 'services: { a: {} }\n' });
    expect(readdirSync(parent)).toEqual(['program']);
  });

  it('leaves the old program in place when writing the new one fails', () => {
    const parent = mkdtempSync(join(tmpdir(), 'aninfra-program-dir-'));
    const dir = join(parent, 'program');
    expect(writeProgramDir(dir, files, marker)).toBeUndefined();
    const before = tree(parent);
    // 'a' is written as a file, then needed as a directory: the write fails halfway.
    const d = writeProgramDir(dir, [{ path: 'a', content: '1' }, { path: 'a/b', content: '2' }], marker);
    expect(d?.code).toBe('ERR_PLAN_PROGRAM_DIR');
    expect(tree(parent)).toEqual(before);
  });

  it('adopts an unmarked directory only when asked (the reserved state layout)', () => {
    const parent = mkdtempSync(join(tmpdir(), 'aninfra-program-dir-'));
    const dir = join(parent, 'program');
    mkdirSync(dir);
    writeFileSync(join(dir, 'docker-compose.yml'), 'old');
    expect(writeProgramDir(dir, files, marker)?.code).toBe('ERR_PLAN_PROGRAM_DIR');
    expect(writeProgramDir(dir, files, marker, { adoptUnmarked: true })).toBeUndefined();
    expect(readFileSync(join(dir, 'docker-compose.yml'), 'utf8')).toBe('services: {}\n');
    expect(readdirSync(parent)).toEqual(['program']);
  });

  it('stores read-only files of the same content once (hard links), and every other file on its own', () => {
    const parent = mkdtempSync(join(tmpdir(), 'aninfra-program-dir-'));
    const dir = join(parent, 'program');
    const conf = 'server { listen 80; }\n';
    const written = [
      { path: 'docker-compose.yml', content: 'services: {}\n' },
      { path: 'files/a/default.conf', content: conf, readOnly: true as const },
      { path: 'files/b/default.conf', content: conf, readOnly: true as const },
      { path: 'files/c/other.conf', content: 'other\n', readOnly: true as const },
      { path: 'plain-1.txt', content: conf },
      { path: 'plain-2.txt', content: conf },
    ];
    expect(writeProgramDir(dir, written, marker)).toBeUndefined();
    for (const f of written) expect(readFileSync(join(dir, f.path), 'utf8')).toBe(f.content);
    const inode = (p: string) => statSync(join(dir, p)).ino;
    expect(inode('files/b/default.conf')).toBe(inode('files/a/default.conf'));
    expect(inode('files/c/other.conf')).not.toBe(inode('files/a/default.conf'));
    expect(inode('plain-1.txt')).not.toBe(inode('files/a/default.conf'));
    expect(inode('plain-2.txt')).not.toBe(inode('plain-1.txt'));
  });
});
