/**
 * The state lock: a file created exclusively (O_EXCL) naming its holder. A lock whose process is
 * gone is reported as stale and is broken only when asked (--break-lock).
 * Codes: ERR_STATE_LOCKED.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { StateError } from './journal.js';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly startedAt: string;
}

export class StateLock {
  private held = false;

  constructor(private readonly path: string) {}

  acquire(command: string, options: { breakLock?: boolean } = {}): void {
    mkdirSync(dirname(this.path), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(this.path, 'wx', 0o600);
        const holder: LockHolder = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
        writeSync(fd, JSON.stringify(holder) + '\n');
        closeSync(fd);
        this.held = true;
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = readHolder(this.path);
      const stale = holder === undefined || (holder.host === hostname() && !alive(holder.pid));
      if (options.breakLock && attempt === 0) {
        rmSync(this.path, { force: true });
        continue;
      }
      const who = holder ? `pid ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.startedAt})` : 'an unreadable lock file';
      throw new StateError(
        diagnostic('ERR_STATE_LOCKED', { holder: stale ? `${who}, which is no longer running (stale lock)` : who }, {
          hint: stale ? 'the holder is gone: rerun with --break-lock' : 'wait for it to finish; --break-lock only if you are sure it is gone',
        }),
      );
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    const holder = readHolder(this.path);
    if (holder && holder.pid !== process.pid) return;
    rmSync(this.path, { force: true });
  }

  static holder(path: string): LockHolder | undefined {
    return existsSync(path) ? readHolder(path) : undefined;
  }
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' ? h : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
