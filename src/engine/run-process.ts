/**
 * Child processes for the engines: argv only (never a shell), output captured and bounded,
 * cancellable through an AbortSignal so Ctrl-C, SIGTERM and SIGHUP stop the child and the apply
 * unwinds cleanly.
 *
 * Children stay in aninfra's process group (never detached): a terminal's Ctrl-C or hang-up
 * reaches them together with aninfra, so nothing keeps changing the system after aninfra is gone.
 * Stopping a child stops its descendants too (`docker compose` runs a plugin process), with
 * SIGTERM first and SIGKILL after a grace period. Each child's pid (and its descendants') is
 * reported through `onChild` while it runs, so the state lock can record it and a later command can stop the leftovers of
 * a holder that was killed with SIGKILL (which no handler sees).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** spawn itself failed (ENOENT: the program is not installed). */
  readonly spawnError?: NodeJS.ErrnoException;
}

/**
 * Told when a child, or a descendant of it (`docker compose` runs a plugin process), starts and
 * when it has ended: StateLock.trackChild / untrackChild. Descendants are found by polling /proc.
 */
export type ChildObserver = (pid: number, state: 'started' | 'ended') => void;

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  readonly input?: string;
  readonly onChild?: ChildObserver;
  /** Milliseconds between SIGTERM and SIGKILL when a child is stopped (default 10 s). */
  readonly killGraceMs?: number;
}

const MAX_CAPTURE = 4 * 1024 * 1024;
const KILL_GRACE_MS = 10_000;
const DESCENDANT_POLL_MS = 500;

export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    let escalation: NodeJS.Timeout | undefined;
    const child = spawn(command, [...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    // The child and, while it runs, its descendants are reported.
    const watch = options.onChild && pid !== undefined ? watchProcesses(pid, true, options.onChild) : undefined;
    const finish = (r: ProcessResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(escalation);
      options.signal?.removeEventListener('abort', onAbort);
      process.removeListener('exit', onExit);
      watch?.stop();
      resolve(r);
    };
    const kill = (): void => {
      if (pid === undefined || settled || escalation) return;
      signalTree(pid, 'SIGTERM');
      escalation = setTimeout(() => signalTree(pid, 'SIGKILL'), options.killGraceMs ?? KILL_GRACE_MS);
    };
    // aninfra ending for any reason (an exception, process.exit) takes its children with it.
    const onExit = (): void => {
      if (pid !== undefined && !settled) signalTree(pid, 'SIGTERM');
    };
    const onAbort = (): void => kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    process.once('exit', onExit);
    const timer = options.timeoutMs ? setTimeout(kill, options.timeoutMs) : undefined;
    const lines = (stream: 'stdout' | 'stderr') => {
      let pending = '';
      return (chunk: Buffer): void => {
        const text = chunk.toString('utf8');
        if (stream === 'stdout' && stdout.length < MAX_CAPTURE) stdout += text;
        if (stream === 'stderr' && stderr.length < MAX_CAPTURE) stderr += text;
        if (!options.onLine) return;
        pending += text;
        const parts = pending.split(/\r?\n/);
        pending = parts.pop() ?? '';
        for (const line of parts) if (line.trim()) options.onLine(line, stream);
      };
    };
    child.stdout?.on('data', lines('stdout'));
    child.stderr?.on('data', lines('stderr'));
    if (options.input !== undefined) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input);
    }
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, signal: null, stdout, stderr, spawnError: e }));
    child.on('close', (code, signal) => finish({ code, signal, stdout, stderr }));
    if (options.signal?.aborted) kill();
  });
}

/**
 * Reports every descendant of this process while `work` runs: for children a library spawns
 * itself (Pulumi's Automation API runs the `pulumi` CLI), which runProcess never sees.
 */
export async function trackDescendants<T>(onChild: ChildObserver | undefined, work: () => Promise<T>): Promise<T> {
  const watch = onChild ? watchProcesses(process.pid, false, onChild) : undefined;
  try {
    return await work();
  } finally {
    watch?.stop();
  }
}

/** Polls /proc for the descendants of `root` (and reports root itself when asked) until stopped. */
function watchProcesses(root: number, includeRoot: boolean, onChild: ChildObserver): { stop(): void } {
  const observed = new Set<number>();
  const observe = (p: number, state: 'started' | 'ended'): void => {
    if ((state === 'started') === observed.has(p)) return;
    if (state === 'started') observed.add(p);
    else observed.delete(p);
    try {
      onChild(p, state);
    } catch {
      // Recording a pid is best effort: it never fails the command it records.
    }
  };
  const scan = (): void => {
    const now = new Set(descendants(root));
    for (const p of [...observed]) if (p !== root && !now.has(p)) observe(p, 'ended');
    for (const p of now) observe(p, 'started');
  };
  if (includeRoot) observe(root, 'started');
  else scan();
  const poll = setInterval(scan, DESCENDANT_POLL_MS);
  return {
    stop: () => {
      clearInterval(poll);
      for (const p of [...observed].reverse()) observe(p, 'ended');
    },
  };
}

/** Sends a signal to a process and every descendant of it (found in /proc where there is one). */
function signalTree(root: number, signal: NodeJS.Signals): void {
  for (const pid of [root, ...descendants(root)]) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** Descendants of a process, children before grandchildren; empty where /proc is not available. */
export function descendants(root: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    for (const child of children.get(queue[i] as number) ?? []) {
      if (found.includes(child) || child === root) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}
