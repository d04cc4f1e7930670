#!/usr/bin/env node
/**
 * Links this checkout's own CLI into node_modules/.bin, so `npx aninfra` runs it right after
 * `npm ci` (npm links the bins of dependencies there, never the project's own).
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'bin', 'aninfra.js');
if (!existsSync(target)) {
  process.stderr.write('link-bin: dist/bin/aninfra.js is missing; run npm run build first\n');
  process.exit(1);
}
chmodSync(target, 0o755);
const binDir = join(root, 'node_modules', '.bin');
mkdirSync(binDir, { recursive: true });
const link = join(binDir, 'aninfra');
if (existsSync(link) || (() => { try { return lstatSync(link).isSymbolicLink(); } catch { return false; } })()) rmSync(link, { force: true });
symlinkSync('../../dist/bin/aninfra.js', link);
