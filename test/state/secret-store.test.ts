import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StateError } from '../../src/state/journal.js';
import { SecretStore } from '../../src/state/secret-store.js';
import { statePaths } from '../../src/state/paths.js';

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

  function codeOf(fn: () => unknown): string | undefined {
    try {
      fn();
      return undefined;
    } catch (e) {
      if (e instanceof StateError) return e.diagnostic.code;
      throw e;
    }
  }

  it('keeps the key outside the project tree: in the config dir, keyed by the state dir', () => {
    const project = dir();
    const config = dir();
    const paths = statePaths(join(project, 'aninfra.yaml'), 'sys', undefined, { XDG_CONFIG_HOME: config });
    expect(paths.key.startsWith(config)).toBe(true);
    expect(paths.key).toContain(paths.owner);
    const store = SecretStore.open(paths, { XDG_CONFIG_HOME: config });
    store.ensure('db-password', 24);
    store.save();
    expect(existsSync(paths.key)).toBe(true);
    expect(statSync(paths.key).mode & 0o777).toBe(0o600);
    expect(existsSync(paths.legacyKey)).toBe(false);
    // Nothing under the project tree holds the key.
    const key = readFileSync(paths.key, 'utf8').trim();
    const files = readdirSync(project, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(project, f)).isFile());
    for (const f of files) expect(readFileSync(join(project, f), 'utf8')).not.toContain(key);
    expect(statSync(paths.root).mode & 0o777).toBe(0o700);
  });

  it('still reads a key left in the state dir by an older version', () => {
    const project = dir();
    const env = { XDG_CONFIG_HOME: dir() };
    const paths = statePaths(join(project, 'aninfra.yaml'), 'sys', undefined, env);
    const old = new SecretStore(paths.secrets, paths.legacyKey, undefined);
    const pw = old.ensure('x', 12);
    old.save();
    expect(SecretStore.open(paths, env).get('x')).toBe(pw);
    expect(existsSync(paths.key)).toBe(false);
  });

  it('takes the key from ANINFRA_SECRET_KEY and writes no key file', () => {
    const project = dir();
    const env = { XDG_CONFIG_HOME: dir(), ANINFRA_SECRET_KEY: 'ab'.repeat(32) };
    const paths = statePaths(join(project, 'aninfra.yaml'), 'sys', undefined, env);
    const a = SecretStore.open(paths, env);
    const pw = a.ensure('x', 12);
    a.save();
    expect(existsSync(paths.key)).toBe(false);
    expect(SecretStore.open(paths, env).get('x')).toBe(pw);
    expect(codeOf(() => SecretStore.open(paths, { ...env, ANINFRA_SECRET_KEY: 'cd'.repeat(32) }))).toBe('ERR_STATE_CORRUPT');
  });

  it('never makes a new key for an existing store: a lost key is ERR_STATE_KEY_MISSING', () => {
    const project = dir();
    const env = { XDG_CONFIG_HOME: dir() };
    const paths = statePaths(join(project, 'aninfra.yaml'), 'sys', undefined, env);
    const a = SecretStore.open(paths, env);
    a.ensure('x', 12);
    a.save();
    rmSync(paths.key);
    expect(codeOf(() => SecretStore.open(paths, env))).toBe('ERR_STATE_KEY_MISSING');
    expect(existsSync(paths.key)).toBe(false);
  });

  it('opens read-only without writing anything, with or without a key', () => {
    const project = dir();
    const env = { XDG_CONFIG_HOME: dir() };
    const paths = statePaths(join(project, 'aninfra.yaml'), 'sys', undefined, env);
    // No store, no key: an empty store, and nothing written.
    const empty = SecretStore.open(paths, env, { readOnly: true });
    expect(empty.get('x')).toBeUndefined();
    expect(existsSync(paths.key)).toBe(false);
    expect(existsSync(paths.secrets)).toBe(false);
    const a = SecretStore.open(paths, env);
    const pw = a.ensure('x', 12);
    a.save();
    expect(SecretStore.open(paths, env, { readOnly: true }).get('x')).toBe(pw);
    rmSync(paths.key);
    expect(codeOf(() => SecretStore.open(paths, env, { readOnly: true }))).toBe('ERR_STATE_KEY_MISSING');
    expect(existsSync(paths.key)).toBe(false);
  });

  it('tells whether a secret is stored', () => {
    const d = dir();
    const a = new SecretStore(join(d, 's.json'), join(d, 'k'), undefined);
    expect(a.has('x')).toBe(false);
    a.ensure('x', 8);
    expect(a.has('x')).toBe(true);
    expect(a.has('__proto__')).toBe(false);
  });
});
