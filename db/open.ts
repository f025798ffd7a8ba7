import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';
import Database, { connect, isPlainSqliteFile } from './sqlite';
import { withStatementCache } from './statement-cache';

export { DatabaseKeyError, isPlainSqliteFile } from './sqlite';

export type Db = BetterSQLite3Database<typeof schema>;
export interface OpenedDatabase {
  /** Raw handle: transactions, pragmas, backups. */
  sqlite: Database.Database;
  /** Typed query builder over the same connection. */
  db: Db;
  /** Set when a staged restore replaced the database while opening it. */
  restored?: { replacedFile: string | null };
  /** Set when a plain database was encrypted while opening it. */
  encrypted?: true;
}

export class DatabaseTooNewError extends Error {
  constructor(file: string) {
    super(
      `The database at ${file} was written by a newer version of Clinic Workstation. ` +
        'Update this application before opening it; the file has not been changed.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

/** Where the committed migrations live when running from source (tests, browser host). */
export const DEFAULT_MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface OpenOptions {
  migrationsFolder?: string;
  /**
   * The database key (32 bytes). With a key the file is encrypted (a plain one is encrypted once,
   * in place); without one it is plain, as benchmarks and a few low-level tests use it.
   */
  key?: Buffer | null;
  now?: () => number;
}

/**
 * Opens (creating if needed) a clinic database, sets the pragmas the app relies on and brings the
 * schema up to date in one transaction. Before that it finishes a staged restore and encrypts a
 * plain database once. A database migrated by a newer build, or one whose key is wrong, is refused
 * untouched.
 */
const connections = new WeakMap<Db, Database.Database>();
/** The connection (its statement-caching view) behind a Db opened here, for the few raw hot-path writes. */
export function connectionOf(db: Db): Database.Database | undefined {
  return connections.get(db);
}

export function openDatabase(file: string, options: OpenOptions = {}): OpenedDatabase {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  const key = options.key ?? null;
  const restored = applyPendingRestore(file, key, options.now ?? Date.now);
  let encrypted = false;
  if (key && isPlainSqliteFile(file)) {
    encryptPlainDatabase(file, key);
    encrypted = true;
  }
  // The key goes on before anything else touches the file (connect() proves it reads).
  const sqlite = connect(file, { key });
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    // Checkpoints normally run when the desk is idle (see electron/app.ts); this is only the
    // backstop under sustained writing, so a click rarely pays for an fsync.
    sqlite.pragma('wal_autocheckpoint = 10000');
    if (appliedNewest(sqlite) > newestKnownMigration(migrationsFolder)) throw new DatabaseTooNewError(file);
    migrate(drizzle(sqlite, { schema }), { migrationsFolder });
    // After the migrations: the app's queries compile once per connection (db/statement-cache.ts).
    const db = drizzle(withStatementCache(sqlite), { schema });
    connections.set(db, db.$client);
    return { sqlite, db, ...(restored ? { restored } : {}), ...(encrypted ? { encrypted: true as const } : {}) };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

/** The newest migration this build knows (its `when`), to compare with a database's. */
export function newestKnownMigration(migrationsFolder: string = DEFAULT_MIGRATIONS_FOLDER): number {
  return Math.max(0, ...readMigrationFiles({ migrationsFolder }).map((m) => m.folderMillis));
}

/** The newest migration applied to a database (0 for an empty one). */
export function appliedNewest(sqlite: Database.Database): number {
  return appliedMigrations(sqlite).newest;
}

export function appliedMigrations(sqlite: Database.Database): { count: number; newest: number } {
  const exists = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!exists) return { count: 0, newest: 0 };
  const row = sqlite.prepare('SELECT count(*) AS count, MAX(created_at) AS newest FROM __drizzle_migrations').get() as {
    count: number;
    newest: number | null;
  };
  return { count: row.count, newest: Number(row.newest ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// Encrypting a plain database once

/**
 * Encrypts a plain database in place, atomically: the plain file is settled (its WAL folded in),
 * copied, the copy encrypted and checked (integrity, same row counts), and only then renamed over
 * the original. A crash at any point leaves either the plain or the encrypted database, whole.
 */
export function encryptPlainDatabase(file: string, key: Buffer): void {
  const tmp = `${file}.encrypting`;
  removeWithSidecars(tmp);

  const plain = connect(file);
  let counts: Record<string, number>;
  try {
    plain.pragma('wal_checkpoint(TRUNCATE)');
    counts = tableCounts(plain);
  } finally {
    plain.close();
  }
  if (nonEmpty(`${file}-wal`)) throw new Error(`Cannot encrypt ${file}: its write-ahead log could not be folded in (is another program using it?).`);

  fs.copyFileSync(file, tmp);
  const copy = new Database(tmp);
  try {
    copy.pragma("cipher = 'sqlcipher'");
    copy.pragma('legacy = 4');
    // Rekeying needs a rollback journal; the live database goes back to WAL when opened.
    copy.pragma('journal_mode = DELETE');
    copy.pragma(`rekey = "x'${key.toString('hex')}'"`);
  } finally {
    copy.close();
  }

  const check = connect(tmp, { key });
  try {
    const integrity = check.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(`The encrypted copy of ${file} failed its integrity check (${String(integrity)}); the plain database was kept.`);
    const after = tableCounts(check);
    for (const [table, n] of Object.entries(counts)) {
      if (after[table] !== n) throw new Error(`The encrypted copy of ${file} lost rows of ${table}; the plain database was kept.`);
    }
  } finally {
    check.close();
  }
  if (isPlainSqliteFile(tmp)) throw new Error(`Encrypting ${file} did not take; the plain database was kept.`);

  fsyncFile(tmp);
  fs.rmSync(`${file}-wal`, { force: true });
  fs.rmSync(`${file}-shm`, { force: true });
  fs.renameSync(tmp, file);
  fsyncDir(path.dirname(file));
}

function tableCounts(sqlite: Database.Database): Record<string, number> {
  const tables = sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'")
    .pluck()
    .all() as string[];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = sqlite.prepare(`SELECT count(*) FROM "${t.replaceAll('"', '""')}"`).pluck().get() as number;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Restores staged by the backups screen

/** Where a restore waits for the next start: beside the database, already checked and complete. */
export function pendingRestorePath(file: string): string {
  return path.join(path.dirname(file), `${stem(file)}.restore-pending.db`);
}

/** Where the database that a restore replaced is kept: clinic.replaced-20261121-043000.db. */
export function replacedPath(file: string, at: number): string {
  const d = new Date(at);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  let candidate = path.join(path.dirname(file), `${stem(file)}.replaced-${stamp}.db`);
  for (let i = 2; fs.existsSync(candidate); i++) candidate = path.join(path.dirname(file), `${stem(file)}.replaced-${stamp}-${i}.db`);
  return candidate;
}

/**
 * Puts a staged restore in place, keeping the database it replaces (with its WAL, if it could not
 * be folded in). Each step is a rename, so a crash part-way is finished by the next start.
 */
export function applyPendingRestore(file: string, key: Buffer | null, now: () => number = Date.now): { replacedFile: string | null } | null {
  const pending = pendingRestorePath(file);
  fs.rmSync(`${pending}.tmp`, { force: true });
  if (!fs.existsSync(pending)) return null;
  let replacedFile: string | null = null;
  if (fs.existsSync(file)) {
    // Fold the live WAL in so the kept database is one file. If the live database cannot be
    // opened (perhaps why it is being replaced), it is kept as it is, WAL and all.
    try {
      const live = connect(file, { key: isPlainSqliteFile(file) ? null : key });
      try {
        live.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        live.close();
      }
    } catch {
      // kept as is
    }
    replacedFile = replacedPath(file, now());
    for (const suffix of ['-wal', '-shm', '-journal']) {
      if (fs.existsSync(file + suffix)) fs.renameSync(file + suffix, replacedFile + suffix);
    }
    fs.renameSync(file, replacedFile);
  }
  fs.renameSync(pending, file);
  fsyncDir(path.dirname(file));
  return { replacedFile };
}

// ---------------------------------------------------------------------------------------------

function stem(file: string): string {
  return path.basename(file).replace(/\.db$/i, '');
}

function nonEmpty(file: string): boolean {
  try {
    return fs.statSync(file).size > 0;
  } catch {
    return false;
  }
}

function removeWithSidecars(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  // Makes a rename durable; not possible on Windows, where a rename is already durable enough.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } catch {
    // some file systems (FAT on a USB disk) refuse; nothing more to do
  } finally {
    fs.closeSync(fd);
  }
}

