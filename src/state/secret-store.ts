/**
 * Generated secrets, encrypted at rest (AES-256-GCM) in `secrets.enc.json` under the state dir.
 * The key never sits beside the ciphertext: it comes from ANINFRA_PASSPHRASE (scrypt), or
 * ANINFRA_SECRET_KEY (64 hex digits), or a key file outside the project tree (StatePaths.key: the
 * user's config dir, or ANINFRA_SECRET_KEY_FILE), created 0600 in a 0700 dir on first use. A key
 * file left in the state dir by an older version is still read. Values are generated once and
 * reused, so a second apply changes nothing.
 * Read-only opens (status, outputs) never write: no key, no store file.
 * Codes: ERR_STATE_CORRUPT, ERR_STATE_KEY_MISSING.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomInt, scryptSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { writeFileAtomic } from './atomic-write.js';
import { StateError } from './journal.js';
import { ensurePrivateDir } from './private-dir.js';
interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

interface StoreFile {
  readonly version: 1;
  readonly kdf: 'keyfile' | 'scrypt';
  readonly salt: string;
  /** Encrypts a fixed text, so a wrong passphrase is reported as such instead of as garbage. */
  readonly check: Sealed;
  readonly secrets: Readonly<Record<string, Sealed>>;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CHECK = 'aninfra-secret-store';

/** Where the key comes from, in order: a passphrase, a hex key, the key file, the legacy key file. */
export interface KeySource {
  readonly passphrase?: string;
  /** 64 hex digits (ANINFRA_SECRET_KEY). */
  readonly hexKey?: string;
  readonly keyPath: string;
  readonly legacyKeyPath?: string;
}

export interface OpenOptions {
  /** Never write anything; a key that cannot be found is ERR_STATE_KEY_MISSING. */
  readonly readOnly?: boolean;
}

export class SecretStore {
  private readonly key: Buffer;
  private readonly file: StoreFile;

  /**
   * `source` is a KeySource, or (older form) the key file path with the passphrase as the third
   * argument.
   */
  constructor(
    private readonly path: string,
    source: KeySource | string,
    passphrase?: string,
    options: OpenOptions = {},
  ) {
    const from: KeySource = typeof source === 'string' ? { keyPath: source, ...(passphrase !== undefined ? { passphrase } : {}) } : source;
    const existing = existsSync(path) ? readStore(path) : undefined;
    const kdf = existing?.kdf ?? (from.passphrase ? 'scrypt' : 'keyfile');
    const salt = existing?.salt ?? randomBytes(16).toString('hex');
    if (kdf === 'scrypt') {
      if (!from.passphrase) throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: 'the secrets were encrypted with ANINFRA_PASSPHRASE, which is not set' }));
      this.key = scryptSync(from.passphrase, Buffer.from(salt, 'hex'), 32);
    } else if (options.readOnly && !existing) {
      // Nothing to decrypt: no key is needed, and none may be created.
      this.key = Buffer.alloc(32);
      this.file = { version: 1, kdf, salt, check: { iv: '', tag: '', data: '' }, secrets: {} };
      return;
    } else {
      this.key = findKey(from, path, { create: !existing && !options.readOnly });
    }
    this.file = existing ?? { version: 1, kdf, salt, check: seal(this.key, CHECK), secrets: {} };
    if (existing && open(this.key, existing.check, path) !== CHECK) {
      throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: 'the key does not decrypt the secrets (wrong ANINFRA_PASSPHRASE, ANINFRA_SECRET_KEY or key file)' }));
    }
  }

  /** The store of a system's state directory, keyed by ANINFRA_PASSPHRASE / ANINFRA_SECRET_KEY when set. */
  static open(paths: { readonly secrets: string; readonly key: string; readonly legacyKey?: string }, env: NodeJS.ProcessEnv = process.env, options: OpenOptions = {}): SecretStore {
    const source: KeySource = {
      keyPath: paths.key,
      ...(paths.legacyKey ? { legacyKeyPath: paths.legacyKey } : {}),
      ...(env.ANINFRA_PASSPHRASE ? { passphrase: env.ANINFRA_PASSPHRASE } : {}),
      ...(env.ANINFRA_SECRET_KEY ? { hexKey: env.ANINFRA_SECRET_KEY } : {}),
    };
    return new SecretStore(paths.secrets, source, undefined, options);
  }

  /** Whether a value named `name` is stored (without decrypting it). */
  has(name: string): boolean {
    return Object.hasOwn(this.file.secrets, name);
  }

  /** The secret named `name`, generated with `length` characters the first time it is asked for. */
  ensure(name: string, length: number): string {
    const sealed = Object.hasOwn(this.file.secrets, name) ? this.file.secrets[name] : undefined;
    if (sealed) return open(this.key, sealed, this.path);
    let value = '';
    for (let i = 0; i < length; i++) value += ALPHABET[randomInt(ALPHABET.length)];
    (this.file.secrets as Record<string, Sealed>)[name] = seal(this.key, value);
    return value;
  }

  get(name: string): string | undefined {
    const sealed = Object.hasOwn(this.file.secrets, name) ? this.file.secrets[name] : undefined;
    return sealed ? open(this.key, sealed, this.path) : undefined;
  }

  save(): void {
    ensurePrivateDir(dirname(this.path));
    writeFileAtomic(this.path, JSON.stringify(this.file, null, 2) + '\n', 0o600);
  }

  /** The key as a passphrase for tools that want one (Pulumi's passphrase provider). */
  passphrase(): string {
    return this.key.toString('hex');
  }
}

function findKey(from: KeySource, storePath: string, options: { create: boolean }): Buffer {
  if (from.hexKey !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(from.hexKey.trim())) throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: 'ANINFRA_SECRET_KEY', reason: 'not 64 hex digits (a 32-byte key)' }));
    return Buffer.from(from.hexKey.trim(), 'hex');
  }
  for (const path of [from.keyPath, from.legacyKeyPath]) if (path && existsSync(path)) return readKey(path);
  if (!options.create) {
    throw new StateError(
      diagnostic('ERR_STATE_KEY_MISSING', { file: from.keyPath, store: storePath }, {
        hint: 'restore the key file from a backup, or set ANINFRA_SECRET_KEY / ANINFRA_SECRET_KEY_FILE to it; without the key the stored secrets cannot be read (destroy works without it)',
      }),
    );
  }
  const key = randomBytes(32);
  ensurePrivateDir(dirname(from.keyPath));
  writeFileAtomic(from.keyPath, key.toString('hex') + '\n', 0o600);
  return key;
}

function readKey(path: string): Buffer {
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: 'not a 32-byte hex key' }));
  return Buffer.from(hex, 'hex');
}

function seal(key: Buffer, plain: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { iv: iv.toString('hex'), tag: cipher.getAuthTag().toString('hex'), data: data.toString('base64') };
}

function open(key: Buffer, sealed: Sealed, path: string): string {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'hex'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'hex'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: 'a secret does not decrypt (wrong key, or the file was modified)' }));
  }
}

function readStore(path: string): StoreFile {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as StoreFile;
    if (parsed.version !== 1 || !parsed.check || typeof parsed.secrets !== 'object') throw new Error('unknown format');
    return parsed;
  } catch (e) {
    throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: (e as Error).message }));
  }
}
