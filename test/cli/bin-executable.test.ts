/**
 * README's first command runs `npx aninfra`, which executes dist/bin/aninfra.js itself: the build
 * must leave it executable (tsc writes it without the execute bit).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'aninfra.js');

describe('the built CLI entry point', () => {
  it('is made executable by the build step, and build and prepare both run it', () => {
    chmodSync(bin, 0o644);
    execFileSync(process.execPath, [join(root, 'scripts', 'mark-bin.mjs')]);
    expect(statSync(bin).mode & 0o111).toBe(0o111);
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/);
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const name of ['build', 'prepare']) expect(scripts[name], name).toContain('node scripts/mark-bin.mjs');
  });
});
