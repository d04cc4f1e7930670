/**
 * Generated secrets, encrypted at rest (AES-256-GCM). The key comes from ANINFRA_PASSPHRASE
 * (scrypt) when set, else from a generated key file with mode 0600 beside the journal. Values are
 * generated once and reused, so a second apply changes nothing.
 * Codes: ERR_STATE_CORRUPT.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomInt, scryptSync } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { diagnostic } from '../compiler/diagnostics/diagnostic.js';
import { writeFileAtomic } from './atomic-write.js';
import { StateError } from './journal.js';

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

export class SecretStore {
  private readonly key: Buffer;
  private readonly file: StoreFile;

  constructor(
    private readonly path: string,
    keyPath: string,
    passphrase: string | undefined,
  ) {
    const existing = existsSync(path) ? readStore(path) : undefined;
    const kdf = existing?.kdf ?? (passphrase ? 'scrypt' : 'keyfile');
    const salt = existing?.salt ?? randomBytes(16).toString('hex');
    if (kdf === 'scrypt') {
      if (!passphrase) throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: 'the secrets were encrypted with ANINFRA_PASSPHRASE, which is not set' }));
      this.key = scryptSync(passphrase, Buffer.from(salt, 'hex'), 32);
    } else {
      this.key = keyFile(keyPath);
    }
    this.file = existing ?? { version: 1, kdf, salt, check: seal(this.key, CHECK), secrets: {} };
    if (existing && open(this.key, existing.check, path) !== CHECK) {
      throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: 'the key does not decrypt the secrets (wrong ANINFRA_PASSPHRASE or key file)' }));
    }
  }

  /** The store of a system's state directory, keyed by ANINFRA_PASSPHRASE when set. */
  static open(paths: { readonly secrets: string; readonly key: string }, env: NodeJS.ProcessEnv = process.env): SecretStore {
    return new SecretStore(paths.secrets, paths.key, env.ANINFRA_PASSPHRASE);
  }

  /** The secret named `name`, generated with `length` characters the first time it is asked for. */
  ensure(name: string, length: number): string {
    const sealed = this.file.secrets[name];
    if (sealed) return open(this.key, sealed, this.path);
    let value = '';
    for (let i = 0; i < length; i++) value += ALPHABET[randomInt(ALPHABET.length)];
    (this.file.secrets as Record<string, Sealed>)[name] = seal(this.key, value);
    return value;
  }

  get(name: string): string | undefined {
    const sealed = this.file.secrets[name];
    return sealed ? open(this.key, sealed, this.path) : undefined;
  }

  save(): void {
    writeFileAtomic(this.path, JSON.stringify(this.file, null, 2) + '\n', 0o600);
  }

  /** The key as a passphrase for tools that want one (Pulumi's passphrase provider). */
  passphrase(): string {
    return this.key.toString('hex');
  }
}

function keyFile(path: string): Buffer {
  if (existsSync(path)) {
    const hex = readFileSync(path, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new StateError(diagnostic('ERR_STATE_CORRUPT', { file: path, reason: 'not a 32-byte hex key' }));
    return Buffer.from(hex, 'hex');
  }
  const key = randomBytes(32);
  writeFileAtomic(path, key.toString('hex') + '\n', 0o600);
  chmodSync(path, 0o600);
  return key;
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
