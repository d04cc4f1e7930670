#!/usr/bin/env node
// Build step: make the CLI's entry point executable. tsc writes dist/bin/aninfra.js without the
// execute bit, and `npx aninfra` (README's first command) runs the file itself, so without it a
// fresh clone fails with "aninfra: Permission denied".
import { chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '..', 'dist', 'bin', 'aninfra.js');
chmodSync(bin, statSync(bin).mode | 0o111);
