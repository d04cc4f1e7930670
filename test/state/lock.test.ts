import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateError } from '../../src/state/journal.js';
import { STALE_REMOTE_HOURS, StateLock } from '../../src/state/lock.js';

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

  it('never breaks a live holder, not even with --break-lock', () => {
    const path = lockPath();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path, JSON.stringify({ pid: child.pid, host: hostname(), command: 'aninfra apply', startedAt: '2020-01-01T00:00:00Z' }));
      expect(codeOf(() => new StateLock(path).acquire('aninfra apply', { breakLock: true }))).toBe('ERR_STATE_LOCKED');
      expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(child.pid);
    } finally {
      child.kill();
    }
  });

  it('takes over the lock of a dead holder on this host and stops the children it left running', async () => {
    const path = lockPath();
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => dead.on('exit', r));
    const orphan = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const exited = new Promise((r) => orphan.on('exit', r));
    try {
      const start = readFileSync(`/proc/${orphan.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19];
      writeFileSync(path, JSON.stringify({ pid: dead.pid, host: hostname(), command: 'aninfra apply', startedAt: '2026-01-01T00:00:00Z', children: [{ pid: orphan.pid, start }] }));
      const lock = new StateLock(path);
      const got = lock.acquire('aninfra apply');
      expect(got.recovered?.pid).toBe(dead.pid);
      expect(got.stopped).toEqual([orphan.pid]);
      expect(got.warning?.code).toBe('WARN_STATE_LOCK_RECOVERED');
      await exited;
      expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
      lock.release();
    } finally {
      orphan.kill('SIGKILL');
    }
  });

  it('does not take a reused pid for the holder (start time recorded)', () => {
    const path = lockPath();
    // Our own pid is alive, but with another start time it is not the process that took the lock.
    writeFileSync(path, JSON.stringify({ pid: process.pid, pidStart: '1', host: hostname(), command: 'aninfra apply', startedAt: '2026-01-01T00:00:00Z' }));
    const lock = new StateLock(path);
    expect(lock.acquire('aninfra apply').recovered?.pidStart).toBe('1');
    lock.release();
  });

  it('does not stop a recorded child whose pid now belongs to another process', async () => {
    const path = lockPath();
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((r) => dead.on('exit', r));
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      writeFileSync(path, JSON.stringify({ pid: dead.pid, host: hostname(), command: 'aninfra apply', startedAt: '2026-01-01T00:00:00Z', children: [{ pid: other.pid, start: '1' }] }));
      const lock = new StateLock(path);
      expect(lock.acquire('aninfra apply').stopped).toEqual([]);
      expect(other.exitCode).toBeNull();
      lock.release();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('breaks a lock from another host only with --break-lock and only when it is old', () => {
    const path = lockPath();
    const recent = { pid: 1, host: 'elsewhere.invalid', command: 'aninfra apply', startedAt: new Date().toISOString() };
    writeFileSync(path, JSON.stringify(recent));
    expect(codeOf(() => new StateLock(path).acquire('x', { breakLock: true }))).toBe('ERR_STATE_LOCKED');
    writeFileSync(path, JSON.stringify({ ...recent, startedAt: new Date(Date.now() - (STALE_REMOTE_HOURS + 1) * 3_600_000).toISOString() }));
    expect(codeOf(() => new StateLock(path).acquire('x'))).toBe('ERR_STATE_LOCKED');
    const lock = new StateLock(path);
    lock.acquire('x', { breakLock: true });
    expect(JSON.parse(readFileSync(path, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('breaks an unreadable lock file only when asked', () => {
    const path = lockPath();
    writeFileSync(path, 'garbage');
    expect(codeOf(() => new StateLock(path).acquire('x'))).toBe('ERR_STATE_LOCKED');
    const lock = new StateLock(path);
    lock.acquire('x', { breakLock: true });
    lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('records child processes in the lock file while it holds the lock', () => {
    const path = lockPath();
    const lock = new StateLock(path);
    lock.acquire('aninfra apply');
    lock.trackChild(process.pid);
    expect(StateLock.holder(path)?.children?.map((c) => c.pid)).toEqual([process.pid]);
    lock.untrackChild(process.pid);
    expect(StateLock.holder(path)?.children).toEqual([]);
    lock.release();
  });
});
