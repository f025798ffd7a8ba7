/**
 * The database key: 32 random bytes made once per installation. Where it is kept depends on the
 * host, through a KeyProtector:
 * - desktop app: Electron's safeStorage (DPAPI on Windows, the Keychain on macOS, libsecret on
 *   Linux) encrypts it into <userData>/db.key, so the file alone is useless on another machine;
 * - browser host and tests: CLINIC_DB_KEY (64 hex digits), or else a key file readable only by
 *   its owner in the data folder (see keyFromEnvironment and fileProtector).
 * Backups are encrypted with the same key and never contain it: keep the key (or this machine)
 * apart from the backup disk.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isPlainSqliteFile, KEY_BYTES } from '../db/sqlite';

export interface KeyProtector {
  /** Human words for where the key is kept, for messages. */
  readonly name: string;
  protect(secret: string): Buffer;
  unprotect(stored: Buffer): string;
}

/** The part of Electron's safeStorage this needs (kept structural so this file has no Electron import). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export class KeyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyUnavailableError';
  }
}

export function safeStorageProtector(safeStorage: SafeStorageLike): KeyProtector {
  return {
    name: "the operating system's key store",
    protect: (secret) => {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new KeyUnavailableError(
          "This computer's key store is not available, so the database key cannot be kept safely. " +
            'On Linux, install and unlock a keyring (gnome-keyring or KWallet), then start the app again.',
        );
      }
      return safeStorage.encryptString(secret);
    },
    unprotect: (stored) => {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new KeyUnavailableError(
          "This computer's key store is not available, so the database key cannot be read. " +
            'On Linux, unlock your keyring (gnome-keyring or KWallet), then start the app again.',
        );
      }
      return safeStorage.decryptString(stored);
    },
  };
}

/** Keeps the key as plain hex in a file only its owner may read (the browser host). */
export const fileProtector: KeyProtector = {
  name: 'a key file readable only by its owner',
  protect: (secret) => Buffer.from(`${secret}\n`, 'utf8'),
  unprotect: (stored) => stored.toString('utf8').trim(),
};

export function parseKey(hex: string, where: string): Buffer {
  const clean = hex.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) {
    throw new KeyUnavailableError(`The database key in ${where} must be ${KEY_BYTES * 2} hexadecimal digits (${KEY_BYTES} bytes).`);
  }
  return Buffer.from(clean, 'hex');
}

export interface LoadKeyOptions {
  /** Where the protected key is stored, e.g. <userData>/db.key. */
  keyFile: string;
  protector: KeyProtector;
  /** The database the key is for: a key is never made up for a database that is already encrypted. */
  dbFile: string;
  random?: (n: number) => Buffer;
}

export interface LoadedKey {
  key: Buffer;
  /** True when this call made the key (first run, or first run since encryption came in). */
  created: boolean;
}

/**
 * Reads this installation's key, or makes and stores one on first run. Refuses to make a new key
 * for an existing encrypted database whose key file is gone: that database needs its own key (or
 * a restore), and a new key would only hide the problem.
 */
export function loadOrCreateKey(options: LoadKeyOptions): LoadedKey {
  if (fs.existsSync(options.keyFile)) {
    const stored = fs.readFileSync(options.keyFile);
    return { key: parseKey(options.protector.unprotect(stored), options.keyFile), created: false };
  }
  if (fs.existsSync(options.dbFile) && fs.statSync(options.dbFile).size > 0 && !isPlainSqliteFile(options.dbFile)) {
    throw new KeyUnavailableError(
      `The database ${options.dbFile} is encrypted but its key (${options.keyFile}) is missing. ` +
        'Put the key file back, or restore from a backup made with a key you have. Nothing was changed.',
    );
  }
  const key = (options.random ?? randomBytes)(KEY_BYTES);
  writePrivateFile(options.keyFile, options.protector.protect(key.toString('hex')));
  return { key, created: true };
}

/** Writes a file only its owner can read, atomically (a half-written key file would be a lost key). */
function writePrivateFile(file: string, data: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}

export const KEY_ENV = 'CLINIC_DB_KEY';

/** The key given in CLINIC_DB_KEY, if any. */
export function keyFromEnvironment(env: NodeJS.ProcessEnv = process.env): Buffer | null {
  const hex = env[KEY_ENV];
  if (hex === undefined || hex.trim() === '') return null;
  return parseKey(hex, KEY_ENV);
}

// ---------------------------------------------------------------------------------------------
// The recovery code: the key written down, for when this computer is lost

const RECOVERY_GROUP = 4;
/**
 * Labels the checksum's hash, so the printed check digits are not the start of the key's plain
 * SHA-256, which other tools show as a key's fingerprint.
 */
const RECOVERY_CHECK_LABEL = 'clinic-workstation recovery key v1';
/** Letters people type for digits they read on paper; none of them is a hex digit, so mapping is safe. */
const LOOKALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

function recoveryChecksum(key: Buffer): string {
  return createHash('sha256').update(RECOVERY_CHECK_LABEL).update(key).digest('hex').slice(0, RECOVERY_GROUP).toUpperCase();
}

/**
 * The key as a code a person can copy onto paper: 64 hex digits in 16 groups of 4, then a group
 * of 4 checksum digits, so a mistyped digit (or two groups swapped) is caught before a restore
 * tries the wrong key against a backup and gets only "wrong key or damaged".
 */
export function formatRecoveryCode(key: Buffer): string {
  if (key.length !== KEY_BYTES) throw new Error(`A database key must be ${KEY_BYTES} bytes, not ${key.length}.`);
  const digits = key.toString('hex').toUpperCase() + recoveryChecksum(key);
  const groups: string[] = [];
  for (let i = 0; i < digits.length; i += RECOVERY_GROUP) groups.push(digits.slice(i, i + RECOVERY_GROUP));
  return groups.join('-');
}

export type ParsedRecoveryCode = { ok: true; key: Buffer } | { ok: false; message: string };

/** Reads a recovery code as typed: spaces, dashes and case do not matter; the checksum must match. */
export function parseRecoveryCode(code: string): ParsedRecoveryCode {
  const digits = code
    .toUpperCase()
    .replace(/[\s\-–—_.]/g, '')
    .replace(/[OIL]/g, (c) => LOOKALIKES[c] ?? c);
  const want = KEY_BYTES * 2 + RECOVERY_GROUP;
  const bad = /[^0-9A-F]/.exec(digits);
  if (bad) return { ok: false, message: `A recovery key has only the digits 0-9 and the letters A-F (not “${bad[0]}”)` };
  if (digits.length !== want) {
    return { ok: false, message: `A recovery key has ${want / RECOVERY_GROUP} groups of 4 (${want} characters); this one has ${digits.length}` };
  }
  const key = Buffer.from(digits.slice(0, KEY_BYTES * 2), 'hex');
  if (recoveryChecksum(key) !== digits.slice(KEY_BYTES * 2)) {
    return { ok: false, message: 'This recovery key does not check out: a character is mistyped. Compare it group by group with the paper' };
  }
  return { ok: true, key };
}
