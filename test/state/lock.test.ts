import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateError } from '../../src/state/journal.js';
import { StateLock } from '../../src/state/lock.js';

function lockPath(): string {
  return join(mkdtempSync(join(tmpdir(), 'aninfra-lock-')), 'lock.json');
}

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof StateError) return e.diagnostic.code;
    throw e;
  }
}

describe('state lock', () => {
  it('names its holder and releases', () => {
    const path = lockPath();
    const lock = new StateLock(path);
    lock.acquire('aninfra apply');
    const holder = StateLock.holder(path);
    expect(holder?.pid).toBe(process.pid);
    expect(holder?.command).toBe('aninfra apply');
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a second holder while the first process lives (ERR_STATE_LOCKED)', async () => {
    const path = lockPath();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path, JSON.stringify({ pid: child.pid, host: hostname(), command: 'aninfra apply', startedAt: new Date().toISOString() }));
      expect(codeOf(() => new StateLock(path).acquire('aninfra apply'))).toBe('ERR_STATE_LOCKED');
      const message = (() => {
        try {
          new StateLock(path).acquire('x');
        } catch (e) {
          return (e as StateError).diagnostic.message;
        }
        return '';
      })();
      expect(message).toContain(String(child.pid));
      expect(message).not.toContain('stale');
    } finally {
      child.kill();
    }
  });

  it('detects a stale lock of a dead process and breaks it only when asked', async () => {
    const path = lockPath();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => child.on('exit', r));
    writeFileSync(path, JSON.stringify({ pid: child.pid, host: hostname(), command: 'aninfra apply', startedAt: '2026-01-01T00:00:00Z' }));
    let diag: StateError | undefined;
    try {
      new StateLock(path).acquire('aninfra apply');
    } catch (e) {
      diag = e as StateError;
    }
    expect(diag?.diagnostic.code).toBe('ERR_STATE_LOCKED');
    expect(diag?.diagnostic.message).toContain('stale');
    expect(diag?.diagnostic.hint).toContain('--break-lock');
    const lock = new StateLock(path);
    lock.acquire('aninfra apply', { breakLock: true });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
});
