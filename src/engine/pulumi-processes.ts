/**
 * Processes and locks a killed aninfra leaves behind in a Pulumi deploy dir: Pulumi's stack locks
 * of dead or orphaned runs, and plugins whose `pulumi` is gone. Shared by every Pulumi target.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { descendants } from './run-process.js';

/**
 * Pulumi's own stack locks (`.pulumi/locks/…/<id>.json`, with the pid and host of the `pulumi`
 * process) left by a run whose aninfra was killed (kill -9): Pulumi would refuse every later run of
 * the stack ("the stack is currently locked"). A lock of this host whose process is gone, or whose
 * `pulumi` process was orphaned (its parent is no aninfra process any more, so nobody waits for its
 * result), is removed, the orphan stopped first with its plugins; a live run keeps its lock.
 */
export async function removeStaleLocks(backend: string): Promise<void> {
  const root = join(backend, '.pulumi', 'locks');
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const file = join(entry.parentPath, entry.name);
    let lock: { pid?: unknown; hostname?: unknown };
    try {
      lock = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; hostname?: unknown };
    } catch {
      continue;
    }
    if (typeof lock.pid !== 'number' || lock.hostname !== hostname()) continue;
    if (processAlive(lock.pid)) {
      if (!orphaned(lock.pid)) continue;
      await stopTree(lock.pid);
    }
    rmSync(file, { force: true });
  }
}

/**
 * Pulumi processes (the CLI, its language host and resource plugins) running in this deploy dir
 * whose aninfra is gone: a plugin whose `pulumi` exited or was orphaned keeps running otherwise.
 * A plugin of a live run (its `pulumi` still has an aninfra parent) is left alone.
 */
export async function stopOrphanedPlugins(programDir: string): Promise<void> {
  // The deploy dir holding the program: a program replaced since keeps its old, deleted dir as cwd.
  const root = dirname(resolve(programDir));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid || !readText(`/proc/${pid}/comm`).startsWith('pulumi')) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`).replace(/ \(deleted\)$/, '');
    } catch {
      continue;
    }
    if (cwd !== root && !cwd.startsWith(`${root}/`)) continue;
    const parent = parentPid(pid);
    const parentIsPulumi = readText(`/proc/${parent}/comm`).startsWith('pulumi');
    if (parentIsPulumi && processAlive(parent) && !orphaned(parent)) continue;
    if (!parentIsPulumi && !orphaned(pid)) continue;
    if (processAlive(pid)) await stopTree(pid);
  }
}

function parentPid(pid: number): number {
  const stat = readText(`/proc/${pid}/stat`);
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie has exited already.
  return !/^\d+ \(.*\) Z/.test(readText(`/proc/${pid}/stat`));
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The process's parent is no aninfra command (the Automation API's `pulumi` outlived it). */
function orphaned(pid: number): boolean {
  if (!readText(`/proc/${pid}/stat`)) return false;
  return !readText(`/proc/${parentPid(pid)}/cmdline`).includes('aninfra');
}

/** SIGTERM the process and its descendants, wait up to 5 s, then SIGKILL what is left. */
async function stopTree(pid: number): Promise<void> {
  const tree = [pid, ...descendants(pid)];
  const send = (p: number, sig: NodeJS.Signals): void => {
    try {
      process.kill(p, sig);
    } catch {
      // already gone
    }
  };
  for (const p of tree) send(p, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (tree.some(processAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const p of tree) if (processAlive(p)) send(p, 'SIGKILL');
}
