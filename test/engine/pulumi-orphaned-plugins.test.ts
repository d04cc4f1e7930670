/**
 * Pulumi plugins left running in the program dir after a kill -9 of aninfra (their `pulumi` is
 * gone or orphaned) are stopped before the next run; a plugin elsewhere is never touched.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stopOrphanedPlugins } from '../../src/engine/pulumi-processes.js';

const dirs: string[] = [];
const pids: number[] = [];
afterEach(() => {
  for (const p of pids.splice(0)) if (alive(p)) process.kill(p, 'SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A long-running process named like a Pulumi resource plugin, started in `cwd`, whose parent (a shell) is gone. */
function fakePlugin(bin: string, cwd: string): number {
  const pid = Number(execFileSync('/bin/sh', ['-c', `"${bin}" 60 >/dev/null 2>&1 & echo $!`], { cwd, encoding: 'utf8' }).trim());
  pids.push(pid);
  return pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

describe('stopOrphanedPlugins', () => {
  it('stops plugins without aninfra in the program dir or a replaced one and leaves one elsewhere running', async () => {
    const base = mkdtempSync(join(tmpdir(), 'aninfra-pulumi-plugins-'));
    dirs.push(base);
    const program = join(base, 'deploy', 'docker');
    const replaced = join(base, 'deploy', '.docker.old-0');
    const other = join(base, 'other');
    for (const d of [program, replaced, other]) mkdirSync(d, { recursive: true });
    const bin = join(base, 'pulumi-resource-fake');
    copyFileSync('/bin/sleep', bin);
    const stray = fakePlugin(bin, program);
    // A program rewritten since: the plugin's cwd is the old program dir, now deleted.
    const inReplaced = fakePlugin(bin, replaced);
    const elsewhere = fakePlugin(bin, other);
    rmSync(replaced, { recursive: true });
    await new Promise((r) => setTimeout(r, 200));
    await stopOrphanedPlugins(program);
    for (let i = 0; i < 50 && (alive(stray) || alive(inReplaced)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive(stray)).toBe(false);
    expect(alive(inReplaced)).toBe(false);
    expect(alive(elsewhere)).toBe(true);
  });
});
