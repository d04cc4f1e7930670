/**
 * Builds dist/ once before the suite, so every test that spawns the CLI runs the current code.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  // For a quick rerun of a single file when dist/ is known to be current.
  if (process.env.ANINFRA_TEST_BUILD === 'skip') return;
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'build-validators.mjs')], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'mark-bin.mjs')], { cwd: root, stdio: 'inherit' });
}
