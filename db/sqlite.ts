/**
 * The one place the SQLite driver is imported from. The app runs on
 * better-sqlite3-multiple-ciphers: better-sqlite3 (same API, same version) built with SQLite3
 * Multiple Ciphers, which encrypts every page of the database file. package.json installs it
 * under the name `better-sqlite3` (an npm alias), so drizzle (`drizzle-orm/better-sqlite3`, which
 * imports that name) and every `Database.Database` annotation get this build and its own types,
 * and `npm ci` compiles SQLite once: plain better-sqlite3 is not installed at all.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export default Database;

/**
 * Where the driver lives, for code that loads it again in a worker thread (the backup worker).
 * In an installed app the package sits in app.asar and is unpacked beside it
 * (electron-builder's asarUnpack); the worker loads the unpacked copy and names the native module
 * directly, so it needs no asar support and no `bindings` lookup.
 */
export function driverLocation(): { module: string; nativeBinding: string | null } {
  const unpacked = (p: string) => {
    const alt = p.replace(/\.asar([\\/])/, '.asar.unpacked$1');
    return alt !== p && fs.existsSync(alt) ? alt : p;
  };
  const module = unpacked(createRequire(import.meta.url).resolve('better-sqlite3'));
  const binding = path.join(path.dirname(path.dirname(module)), 'build', 'Release', 'better_sqlite3.node');
  return { module, nativeBinding: fs.existsSync(binding) ? binding : null };
}

/** A database key: 32 random bytes, made once per installation (see electron/keys.ts). */
export const KEY_BYTES = 32;

/**
 * The cipher settings, SQLCipher 4 compatible: a file can be opened with SQLCipher's own tools
 * using `PRAGMA key = "x'<64 hex digits>'"`. The key is used raw (no passphrase derivation):
 * it is already 256 random bits, and opening stays fast.
 */
export function cipherPragmas(key: Buffer): string[] {
  if (key.length !== KEY_BYTES) throw new Error(`A database key must be ${KEY_BYTES} bytes, not ${key.length}.`);
  return ["cipher = 'sqlcipher'", 'legacy = 4', `key = "x'${key.toString('hex')}'"`];
}

/** Sets the cipher and key on a fresh connection; must run before anything reads the file. */
export function applyKey(sqlite: Database.Database, key: Buffer): void {
  for (const p of cipherPragmas(key)) sqlite.pragma(p);
}

export class DatabaseKeyError extends Error {
  constructor(file: string) {
    super(
      `This database is encrypted and the key is wrong or missing (${file}). ` +
        'The file has not been changed. Use the key this installation was set up with, or restore a backup.',
    );
    this.name = 'DatabaseKeyError';
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** True for an unencrypted SQLite file (it starts with SQLite's magic header). */
export function isPlainSqliteFile(file: string): boolean {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.equals(SQLITE_HEADER);
  } catch {
    return false;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

export interface ConnectOptions {
  key?: Buffer | null;
  readonly?: boolean;
  fileMustExist?: boolean;
}

/**
 * Opens a connection with the key (if any) applied first, then proves it can read the file. A
 * wrong or missing key is a DatabaseKeyError; nothing is written to the file in that case.
 */
export function connect(file: string, options: ConnectOptions = {}): Database.Database {
  const sqlite = new Database(file, {
    ...(options.readonly ? { readonly: true } : {}),
    ...(options.fileMustExist || options.readonly ? { fileMustExist: true } : {}),
  });
  try {
    if (options.key) applyKey(sqlite, options.key);
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    return sqlite;
  } catch (error) {
    sqlite.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') throw new DatabaseKeyError(file);
    throw error;
  }
}
