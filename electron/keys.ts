/**
 * The database key: 32 random bytes made once per installation. Where it is kept depends on the
 * host, through a KeyProtector:
 * - desktop app: Electron's safeStorage (DPAPI on Windows, the Keychain on macOS, a keyring on
 *   Linux) encrypts it into <userData>/db.key, so the file alone is useless on another machine;
 *   on Linux without a keyring safeStorage would write plain text, so the app refuses instead;
 * - browser host and tests: CLINIC_DB_KEY (64 hex digits), or else a key file readable only by
 *   its owner in the data folder (see keyFromEnvironment and fileProtector).
 * Backups are encrypted with the same key and never contain it: keep the key (or this machine)
 * apart from the backup disk.
 */
import type { SafeStorage } from 'electron';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isPlainSqliteFile, KEY_BYTES } from '../db/sqlite';

export interface KeyProtector {
  /** Human words for where the key is kept, for messages. */
  readonly name: string;
  protect(secret: string): Buffer;
  unprotect(stored: Buffer): string;
  /** True when a stored key, though it was read, is not protected the way protect() would now do it. */
  needsReprotect?(stored: Buffer): boolean;
}

/** The part of Electron's safeStorage this needs (a type only: the browser host runs this file without Electron). */
export type SafeStorageLike = Pick<SafeStorage, 'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'>;

export class KeyUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyUnavailableError';
  }
}

type LinuxBackend = ReturnType<SafeStorage['getSelectedStorageBackend']>;
/** A real keyring; anything else (basic_text, unknown, a name Electron adds later) is refused. */
const LINUX_KEYRINGS: readonly LinuxBackend[] = ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'];

/**
 * Chromium's Linux marker for data sealed with its built-in password, used when there is no
 * keyring ("v11" is a keyring's key). Only meaningful on Linux: Windows and macOS use "v10" too.
 */
const LINUX_NO_KEYRING_PREFIX = 'v10';

function sealedWithoutKeyring(stored: Buffer): boolean {
  return stored.subarray(0, LINUX_NO_KEYRING_PREFIX.length).toString('latin1') === LINUX_NO_KEYRING_PREFIX;
}

const KEYRING_ADVICE =
  'Install and unlock a keyring (GNOME Keyring, or KWallet on KDE) and start the app again. If one is installed but ' +
  'not found (a desktop Electron does not recognise), start the app with --password-store=gnome-libsecret ' +
  '(or --password-store=kwallet5, kwallet6).';

/**
 * Why safeStorage must not keep (or read) the database key here, or null when it may. On Linux
 * without a keyring safeStorage still "encrypts", with a password built into Chromium: the key
 * file would be as good as plain text, so that is refused rather than written (or trusted).
 * `existing` is the key file as stored, when there is one.
 */
export function keyStoreRefusal(
  safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend'>,
  platform: NodeJS.Platform,
  existing: Buffer | null,
): string | null {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- key loading is synchronous at startup; the async safeStorage API is a change of its own, not a lint fix
  if (!safeStorage.isEncryptionAvailable()) {
    return existing === null
      ? "This computer's key store is not available, so the database key cannot be kept safely. " +
          'On Linux, install and unlock a keyring (gnome-keyring or KWallet), then start the app again.'
      : "This computer's key store is not available, so the database key cannot be read. " +
          'On Linux, unlock your keyring (gnome-keyring or KWallet), then start the app again.';
  }
  // getSelectedStorageBackend is Linux-only; DPAPI and the Keychain need no such check.
  if (platform !== 'linux') return null;
  const backend = safeStorage.getSelectedStorageBackend();
  if (LINUX_KEYRINGS.includes(backend)) return null;
  const why =
    `No keyring is in use (Electron's safeStorage reports "${backend}"), so the database key would be kept as plain text ` +
    'that anyone who copies the file can read. ';
  if (existing === null) return `${why}The app did not make a key and changed nothing. ${KEYRING_ADVICE}`;
  // Refusing to read a key that is already plain text would protect nothing and lock the clinic
  // out of its own records: it is read, with the warning below.
  if (sealedWithoutKeyring(existing)) return null;
  return `${why}The existing key file (db.key in the app's data folder) was made with a keyring this session does not reach. ${KEYRING_ADVICE}`;
}

/**
 * What to tell the person when the key is read from a file written without a keyring (Linux): it
 * works, but the file protects nothing until a keyring is in use.
 */
export function keyStoreWarning(
  safeStorage: Pick<SafeStorage, 'getSelectedStorageBackend'>,
  platform: NodeJS.Platform,
  existing: Buffer,
): string | null {
  if (platform !== 'linux' || !sealedWithoutKeyring(existing)) return null;
  const backend = safeStorage.getSelectedStorageBackend();
  if (LINUX_KEYRINGS.includes(backend)) return null;
  return (
    `The database key file (db.key in the app's data folder) was written without a keyring (Electron's safeStorage reports "${backend}"), ` +
    'so it is as good as plain text: keep it, and any copy of it (e.g. in a backup of the home folder), away from others. ' +
    `${KEYRING_ADVICE} Once a keyring is in use the app moves the key into it by itself.`
  );
}

export function safeStorageProtector(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
  warn: (message: string) => void = () => {},
): KeyProtector {
  const refuseUnless = (existing: Buffer | null) => {
    const refusal = keyStoreRefusal(safeStorage, platform, existing);
    if (refusal !== null) throw new KeyUnavailableError(refusal);
  };
  return {
    name: "the operating system's key store",
    protect: (secret) => {
      refuseUnless(null);
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- key loading is synchronous at startup; the async safeStorage API is a change of its own, not a lint fix
      return safeStorage.encryptString(secret);
    },
    unprotect: (stored) => {
      refuseUnless(stored);
      const warning = keyStoreWarning(safeStorage, platform, stored);
      if (warning !== null) warn(warning);
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- key loading is synchronous at startup; the async safeStorage API is a change of its own, not a lint fix
      return safeStorage.decryptString(stored);
    },
    // Written while there was no keyring; read now that there is one, so it can be sealed properly.
    needsReprotect: (stored) => platform === 'linux' && sealedWithoutKeyring(stored) && LINUX_KEYRINGS.includes(safeStorage.getSelectedStorageBackend()),
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
  /** True when the key file was written again because it was kept more weakly than protect() keeps it now. */
  reprotected?: boolean;
}

/**
 * Reads this installation's key, or makes and stores one on first run. Refuses to make a new key
 * for an existing encrypted database whose key file is gone: that database needs its own key (or
 * a restore), and a new key would only hide the problem.
 */
export function loadOrCreateKey(options: LoadKeyOptions): LoadedKey {
  if (fs.existsSync(options.keyFile)) {
    const stored = fs.readFileSync(options.keyFile);
    const key = parseKey(options.protector.unprotect(stored), options.keyFile);
    if (!options.protector.needsReprotect?.(stored)) return { key, created: false };
    writePrivateFile(options.keyFile, options.protector.protect(key.toString('hex')));
    return { key, created: false, reprotected: true };
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
