/**
 * `aninfra fix` keeps the file as it was (issue 9 item 24): mode, owner, symlinks (written through
 * to the target) and hard links survive; only the text changes.
 */
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixCommand } from '../../src/cli/commands/fix.js';
import { writeSpecFile } from '../../src/fix/write-spec-file.js';
import { captureIo } from './io.js';

const BROKEN = `apiVersion: aninfra/v1
kind: System
metadata: { name: keep }
target: compose
modules:
  db: { type: postgress }
`;

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'aninfra-fix-keep-'));
}

function fix(path: string): string {
  expect(fixCommand(captureIo(), path, {})).toBe(0);
  return readFileSync(path, 'utf8');
}

describe('fix keeps the file as it was', () => {
  it('keeps a 0600 mode (and 0640, 0755)', () => {
    for (const mode of [0o600, 0o640, 0o755]) {
      const path = join(dir(), 'aninfra.yaml');
      writeFileSync(path, BROKEN);
      chmodSync(path, mode);
      expect(fix(path)).toContain('type: postgres }');
      expect(statSync(path).mode & 0o7777).toBe(mode);
    }
  });

  it('writes through a symlink to its target: the link stays a link', () => {
    const d = dir();
    mkdirSync(join(d, 'real'));
    const target = join(d, 'real', 'spec.yaml');
    writeFileSync(target, BROKEN);
    chmodSync(target, 0o600);
    const link = join(d, 'aninfra.yaml');
    symlinkSync('real/spec.yaml', link);
    const chain = join(d, 'chain.yaml');
    symlinkSync(link, chain);

    expect(fix(chain)).toContain('type: postgres }');
    expect(lstatSync(chain).isSymbolicLink()).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('real/spec.yaml');
    expect(readFileSync(target, 'utf8')).toContain('type: postgres }');
    expect(statSync(target).mode & 0o7777).toBe(0o600);
  });

  it.runIf(process.getuid?.() === 0)('keeps the owner and group', () => {
    const path = join(dir(), 'aninfra.yaml');
    writeFileSync(path, BROKEN);
    chownSync(path, 4321, 4322);
    chmodSync(path, 0o640);
    expect(fix(path)).toContain('type: postgres }');
    const st = statSync(path);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([4321, 4322, 0o640]);
  });

  it('keeps hard links: every name sees the fixed text', () => {
    const d = dir();
    const path = join(d, 'aninfra.yaml');
    writeFileSync(path, BROKEN);
    linkSync(path, join(d, 'other.yaml'));
    const inode = statSync(path).ino;
    expect(fix(path)).toContain('type: postgres }');
    expect(readFileSync(join(d, 'other.yaml'), 'utf8')).toContain('type: postgres }');
    expect(statSync(path).ino).toBe(inode);
  });

  it('writeSpecFile replaces the whole text, shorter or longer', () => {
    const path = join(dir(), 'x.yaml');
    writeFileSync(path, 'a much longer original text\n');
    linkSync(path, `${path}.link`);
    writeSpecFile(path, 'short\n');
    expect(readFileSync(path, 'utf8')).toBe('short\n');
    writeSpecFile(path, 'a longer text than before\n');
    expect(readFileSync(`${path}.link`, 'utf8')).toBe('a longer text than before\n');
  });
});
