/**
 * State directories are private: created with mode 0700 (journal, lock, secrets, key dir), so
 * other users on the machine can read neither the spec history nor the ciphertext.
 */
import { chmodSync, mkdirSync, statSync } from 'node:fs';

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if (mode !== 0o700 && statSync(dir).uid === process.getuid?.()) chmodSync(dir, 0o700);
}
