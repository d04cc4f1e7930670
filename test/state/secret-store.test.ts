import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateError } from '../../src/state/journal.js';
import { SecretStore } from '../../src/state/secret-store.js';

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'aninfra-secrets-'));
}

describe('secret store', () => {
  it('generates once, stores encrypted, reuses on the next run', () => {
    const d = dir();
    const a = new SecretStore(join(d, 's.json'), join(d, 'k'), undefined);
    const pw = a.ensure('db-password', 24);
    expect(pw).toMatch(/^[A-Za-z0-9]{24}$/);
    a.save();
    const onDisk = readFileSync(join(d, 's.json'), 'utf8');
    expect(onDisk).not.toContain(pw);
    expect(statSync(join(d, 'k')).mode & 0o777).toBe(0o600);
    expect(statSync(join(d, 's.json')).mode & 0o777).toBe(0o600);
    const b = new SecretStore(join(d, 's.json'), join(d, 'k'), undefined);
    expect(b.ensure('db-password', 24)).toBe(pw);
  });

  it('uses a passphrase when given and refuses a wrong one', () => {
    const d = dir();
    const a = new SecretStore(join(d, 's.json'), join(d, 'k'), 'correct horse');
    const pw = a.ensure('x', 16);
    a.save();
    expect(new SecretStore(join(d, 's.json'), join(d, 'k'), 'correct horse').get('x')).toBe(pw);
    let code: string | undefined;
    try {
      new SecretStore(join(d, 's.json'), join(d, 'k'), 'wrong');
    } catch (e) {
      code = (e as StateError).diagnostic.code;
    }
    expect(code).toBe('ERR_STATE_CORRUPT');
  });
});
