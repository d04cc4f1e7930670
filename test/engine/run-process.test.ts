/**
 * runProcess: children stay in aninfra's process group (a terminal's Ctrl-C or hang-up reaches
 * them), stopping one stops its descendants and escalates to SIGKILL, and every child's pid is
 * reported while it runs so the state lock can record it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { descendants, runProcess, trackDescendants } from '../../src/engine/run-process.js';

const pgrp = (pid: number | string): number => Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[2]);
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const waitFor = async (check: () => boolean, ms = 5_000): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return check();
};

describe('runProcess', () => {
  it('runs the child in the caller’s process group, not a group of its own', async () => {
    const r = await runProcess('sh', ['-c', 'cat /proc/$$/stat']);
    const childGroup = Number(r.stdout.split(') ')[1]?.split(' ')[2]);
    expect(childGroup).toBe(pgrp(process.pid));
  });

  it('reports the child pid when it starts and when it has ended', async () => {
    const seen: string[] = [];
    const r = await runProcess('sh', ['-c', 'echo $$'], { onChild: (pid, state) => seen.push(`${state}:${pid}`) });
    const pid = r.stdout.trim();
    expect(seen).toEqual([`started:${pid}`, `ended:${pid}`]);
  });

  it('reports descendants of the child while they run, and ends them when the child ends', async () => {
    const seen: string[] = [];
    const r = await runProcess('sh', ['-c', 'sleep 1.5 & echo $!; wait'], { onChild: (pid, state) => seen.push(`${state}:${pid}`) });
    const sleeper = r.stdout.trim();
    expect(seen).toContain(`started:${sleeper}`);
    expect(seen).toContain(`ended:${sleeper}`);
    expect(seen.indexOf(`started:${sleeper}`)).toBeLessThan(seen.indexOf(`ended:${sleeper}`));
    expect(seen.filter((s) => s.startsWith('started')).length).toBe(seen.filter((s) => s.startsWith('ended')).length);
  });

  it('trackDescendants reports the processes a library spawns while the work runs', async () => {
    const seen: string[] = [];
    let pid = 0;
    await trackDescendants(
      (p, state) => seen.push(`${state}:${p}`),
      () =>
        new Promise<void>((resolve) => {
          const child = spawn('sleep', ['1.2'], { stdio: 'ignore' });
          pid = child.pid ?? 0;
          child.on('close', () => resolve());
        }),
    );
    expect(seen).toContain(`started:${pid}`);
    expect(seen).toContain(`ended:${pid}`);
  });

  it('an observer that throws does not fail the command', async () => {
    const r = await runProcess('sh', ['-c', 'exit 0'], {
      onChild: () => {
        throw new Error('lock file unwritable');
      },
    });
    expect(r.code).toBe(0);
  });

  it('an abort stops the child and its descendants', async () => {
    const controller = new AbortController();
    let grandchild = 0;
    const running = runProcess('sh', ['-c', 'sleep 300 & echo $!; wait'], {
      signal: controller.signal,
      onLine: (line) => {
        grandchild = Number(line);
        controller.abort('SIGTERM');
      },
    });
    const r = await running;
    expect(r.code === null ? r.signal : r.code).not.toBe(0);
    expect(grandchild).toBeGreaterThan(0);
    expect(await waitFor(() => !alive(grandchild))).toBe(true);
  });

  it('a child that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const running = runProcess(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"], {
      signal: controller.signal,
      killGraceMs: 300,
      onLine: () => controller.abort('SIGTERM'),
    });
    const r = await running;
    expect(r.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a timeout stops the child like an abort', async () => {
    const r = await runProcess('sleep', ['300'], { timeoutMs: 200 });
    expect(r.signal).toBe('SIGTERM');
  });

  it('descendants lists children and grandchildren of a process', async () => {
    const printed: number[] = [];
    let found: number[] = [];
    const controller = new AbortController();
    await runProcess('sh', ['-c', 'echo $$; sh -c "sleep 300 & echo \\$!; wait" & wait'], {
      signal: controller.signal,
      onLine: (line) => {
        printed.push(Number(line));
        if (printed.length < 2) return;
        found = descendants(printed[0] as number);
        controller.abort('SIGTERM');
      },
    });
    const [shell, sleeper] = printed as [number, number];
    expect(found).toContain(sleeper);
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(found).not.toContain(shell);
  });
});
