/**
 * `aninfra --version` answers before commander, the diagnostics catalog and the target registry
 * load (issue 14: under 120 ms whole-process; bench/run.mjs times it). Other command lines that
 * carry --version still go through commander and print the same.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT, traceLoads } from '../../bench/lib/trace.mjs';
import { VERSION } from '../../src/state/version.js';

beforeAll(() => {
  if (!existsSync(CLI)) spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'ignore' });
});

describe('aninfra --version', () => {
  it.each(['--version', '-V'])('%s loads neither commander nor the compiler nor the targets', (flag) => {
    const t = traceLoads([CLI, flag]);
    expect(t.status, t.stderr).toBe(0);
    expect(t.exited).toBe(true);
    const ours = t.entries.filter((e) => e.includes('/dist/'));
    expect(ours.some((e) => e.endsWith('/dist/bin/aninfra.js'))).toBe(true);
    expect(ours.filter((e) => !e.endsWith('/dist/bin/aninfra.js') && !e.endsWith('/dist/src/state/version.js'))).toEqual([]);
    expect(t.entries.filter((e) => e.includes('commander'))).toEqual([]);
  });

  it.each([['--version'], ['-V'], ['--no-color', '--version'], ['--version', '--json']])('%s prints the version and exits 0', (...args) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  it('the tracer sees commander and the targets for any other command (control)', () => {
    const t = traceLoads([CLI, '--no-color', '--version']);
    expect(t.status, t.stderr).toBe(0);
    expect(t.entries.some((e) => e.includes('commander'))).toBe(true);
    expect(t.entries.some((e) => e.includes('/dist/src/targets/'))).toBe(true);
  });
});
