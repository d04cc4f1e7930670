/**
 * Pulumi's stack locks in aninfra's private backend: a lock whose `pulumi` process is gone (left by
 * an apply killed with kill -9) is removed before the next run, so Pulumi does not refuse it with
 * "the stack is currently locked"; a lock of another host is never touched.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeStaleLocks } from '../../src/engine/pulumi-processes.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function lockFile(pid: number, host = hostname()): { backend: string; file: string } {
  const backend = mkdtempSync(join(tmpdir(), 'aninfra-pulumi-locks-'));
  dirs.push(backend);
  const dir = join(backend, '.pulumi', 'locks', 'organization', 'project', 'stack');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'a3c1e0b2-0000-4000-8000-000000000000.json');
  writeFileSync(file, JSON.stringify({ pid, username: 'root', hostname: host, timestamp: '2026-01-01T00:00:00Z' }));
  return { backend, file };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.on('close', r));
  return child.pid as number;
}

describe('removeStaleLocks', () => {
  it('removes a lock whose pulumi process is gone', async () => {
    const { backend, file } = lockFile(await deadPid());
    await removeStaleLocks(backend);
    expect(existsSync(file)).toBe(false);
  });

  it('leaves a lock of another host alone', async () => {
    const { backend, file } = lockFile(await deadPid(), `${hostname()}-other`);
    await removeStaleLocks(backend);
    expect(existsSync(file)).toBe(true);
  });
});
