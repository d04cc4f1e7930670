/**
 * The state lock: a file created exclusively (O_EXCL) naming its holder (pid, the pid's start time,
 * host) and the child processes it runs (engines' CLIs). A holder on this host whose process is
 * gone is taken over automatically: its recorded children that still run are stopped first, so
 * nothing keeps changing the system behind the new holder. A live holder is never broken, not even
 * with --break-lock; a holder on another host can be broken with --break-lock only after
 * STALE_REMOTE_HOURS, and an unreadable lock file with --break-lock at any time.
 * Codes: ERR_STATE_LOCKED.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, rmdirSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { diagnostic, type Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { writeFileAtomic } from './atomic-write.js';
import { StateError } from './journal.js';
import { ensurePrivateDir } from './private-dir.js';

/** A lock held from another host is presumed dead only after this long (its pid cannot be checked). */
export const STALE_REMOTE_HOURS = 24;

export interface TrackedProcess {
  readonly pid: number;
  /** Start time of the process (/proc/<pid>/stat field 22), so a reused pid is never mistaken for it. */
  readonly start?: string;
}

export interface LockHolder {
  readonly pid: number;
  readonly pidStart?: string;
  readonly host: string;
  readonly command: string;
  readonly startedAt: string;
  readonly children?: readonly TrackedProcess[];
}

export interface Acquired {
  /** The dead holder whose lock was taken over, and the children of it that were stopped. */
  readonly recovered?: LockHolder;
  readonly stopped?: readonly number[];
  /** WARN_STATE_LOCK_RECOVERED when a dead holder's lock was taken over: report it. */
  readonly warning?: Diagnostic;
}

export class StateLock {
  private held = false;

  constructor(private readonly path: string) {}

  acquire(command: string, options: { breakLock?: boolean } = {}): Acquired {
    ensurePrivateDir(dirname(this.path));
    let recovered: LockHolder | undefined;
    let stopped: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.create(command)) return recovered ? { recovered, stopped, warning: recoveredWarning(recovered, stopped) } : {};
      const holder = readHolder(this.path);
      const local = holder !== undefined && holder.host === hostname();
      if (local && !isRunning(holder)) {
        // Recover under a mutex so two recovering commands never both remove and re-create.
        const took = withMutex(`${this.path}.recover`, () => {
          const again = readHolder(this.path);
          if (!again || again.pid !== holder.pid || isRunning(again)) return false;
          stopped = stopChildren(again.children ?? []);
          rmSync(this.path, { force: true });
          return true;
        });
        if (took) recovered = holder;
        continue;
      }
      const remoteStale = holder !== undefined && !local && ageHours(holder) > STALE_REMOTE_HOURS;
      if (options.breakLock && (holder === undefined || remoteStale) && attempt === 0) {
        rmSync(this.path, { force: true });
        continue;
      }
      const who = holder ? `pid ${holder.pid} on ${holder.host} (${holder.command}, since ${holder.startedAt})` : 'an unreadable lock file';
      throw new StateError(
        diagnostic('ERR_STATE_LOCKED', { holder: who }, {
          hint:
            holder === undefined
              ? 'the lock file is unreadable: if no aninfra command runs, rerun with --break-lock'
              : local
                ? 'the holder is running: wait for it to finish (--break-lock never breaks a live lock)'
                : `the holder runs on another host: wait for it; --break-lock breaks it only after ${STALE_REMOTE_HOURS} h`,
        }),
      );
    }
    throw new StateError(diagnostic('ERR_STATE_LOCKED', { holder: 'another command that keeps taking it' }, { hint: 'retry in a moment' }));
  }

  /** Records a child process (an engine CLI) so a command recovering this lock can stop it. */
  trackChild(pid: number): void {
    this.updateChildren((list) => [...list.filter((c) => c.pid !== pid), { pid, ...startOf(pid) }]);
  }

  untrackChild(pid: number): void {
    this.updateChildren((list) => list.filter((c) => c.pid !== pid));
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

  /** Whether the holder named in a lock file still runs (false when it is on this host and gone). */
  static holderAlive(holder: LockHolder): boolean {
    return holder.host !== hostname() || isRunning(holder);
  }

  private create(command: string): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      return false;
    }
    const holder: LockHolder = { pid: process.pid, ...pidStart(process.pid), host: hostname(), command, startedAt: new Date().toISOString(), children: [] };
    try {
      writeSync(fd, JSON.stringify(holder) + '\n');
    } finally {
      closeSync(fd);
    }
    this.held = true;
    return true;
  }

  private updateChildren(change: (list: readonly TrackedProcess[]) => TrackedProcess[]): void {
    if (!this.held) return;
    const holder = readHolder(this.path);
    if (!holder || holder.pid !== process.pid) return;
    writeFileAtomic(this.path, JSON.stringify({ ...holder, children: change(holder.children ?? []) }) + '\n', 0o600);
  }
}

function recoveredWarning(holder: LockHolder, stopped: readonly number[]): Diagnostic {
  return diagnostic('WARN_STATE_LOCK_RECOVERED', {
    holder: `pid ${holder.pid} (${holder.command}, since ${holder.startedAt})`,
    children: stopped.length > 0 ? `stopped its leftover child process(es) ${stopped.join(', ')}` : 'none of its child processes was still running',
  });
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as LockHolder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

function ageHours(holder: LockHolder): number {
  const t = Date.parse(holder.startedAt);
  return Number.isFinite(t) ? (Date.now() - t) / 3_600_000 : Number.POSITIVE_INFINITY;
}

/** Fields 3… of /proc/<pid>/stat (Linux); undefined elsewhere or when the process is gone. */
function procFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name, which may hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Start time of a process (field 22), so a reused pid is told apart. */
function procStart(pid: number): string | undefined {
  return procFields(pid)?.[19];
}

function pidStart(pid: number): { pidStart?: string } {
  const start = procStart(pid);
  return start ? { pidStart: start } : {};
}

function startOf(pid: number): { start?: string } {
  const start = procStart(pid);
  return start ? { start } : {};
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process is alive and is the same one (its start time matches, where it was recorded). */
function running(p: TrackedProcess): boolean {
  if (!alive(p.pid)) return false;
  // A zombie has exited; only its parent has not collected it yet.
  if (procFields(p.pid)?.[0] === 'Z') return false;
  if (p.start === undefined) return true;
  return procStart(p.pid) === p.start;
}

function isRunning(holder: LockHolder): boolean {
  return running({ pid: holder.pid, ...(holder.pidStart ? { start: holder.pidStart } : {}) });
}

/** SIGTERM the children that still run, wait up to 5 s, then SIGKILL what is left. */
function stopChildren(children: readonly TrackedProcess[]): number[] {
  const live = children.filter(running);
  for (const c of live) signal(c.pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (live.some(running) && Date.now() < deadline) sleep(100);
  for (const c of live) if (running(c)) signal(c.pid, 'SIGKILL');
  return live.map((c) => c.pid);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `fn` holding a directory mutex; a mutex left by a crash is removed after 30 s. */
function withMutex(dir: string, fn: () => boolean): boolean {
  try {
    mkdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    try {
      if (Date.now() - statSync(dir).mtimeMs > 30_000) rmdirSync(dir);
    } catch {
      // another command removed it
    }
    return false;
  }
  try {
    return fn();
  } finally {
    rmdirSync(dir);
  }
}
