/**
 * Child processes for the engines: argv only (never a shell), output captured and bounded,
 * cancellable through an AbortSignal so Ctrl-C stops the child and the apply unwinds cleanly.
 */
import { spawn } from 'node:child_process';

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** spawn itself failed (ENOENT: the program is not installed). */
  readonly spawnError?: NodeJS.ErrnoException;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  readonly input?: string;
}

const MAX_CAPTURE = 4 * 1024 * 1024;

export function runProcess(command: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const child = spawn(command, [...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // Own process group: a terminal Ctrl-C reaches aninfra, which then stops the child itself.
      detached: true,
    });
    const finish = (r: ProcessResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const kill = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
    };
    const onAbort = (): void => kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
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
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, signal: null, stdout, stderr, spawnError: e }));
    child.on('close', (code, signal) => finish({ code, signal, stdout, stderr }));
    if (options.signal?.aborted) kill();
  });
}
