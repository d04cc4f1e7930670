/**
 * The bearer token of the HTTP API: read from the token file, or created there (32 random bytes,
 * hex, mode 0600 in a 0700 directory) on the first start. Compared in constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from '../state/private-dir.js';
import { writeFileAtomic } from '../state/atomic-write.js';

export function ensureToken(file: string): string {
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 16) return token;
  }
  ensurePrivateDir(dirname(file));
  const token = randomBytes(32).toString('hex');
  writeFileAtomic(file, token + '\n', 0o600);
  chmodSync(file, 0o600);
  return token;
}

/** The token of an `Authorization: Bearer …` header equals `token` (undefined header: no). */
export function bearerMatches(header: string | undefined, token: string): 'ok' | 'missing' | 'wrong' {
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return 'missing';
  const given = Buffer.from(m[1] as string);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want) ? 'ok' : 'wrong';
}
