import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema>;
export interface OpenedDatabase {
  /** Raw handle: transactions, pragmas, backups. */
  sqlite: Database.Database;
  /** Typed query builder over the same connection. */
  db: Db;
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
}

/**
 * Opens (creating if needed) a clinic database, sets the pragmas the app relies on and brings the
 * schema up to date in one transaction. A database migrated by a newer build is refused untouched.
 */
export function openDatabase(file: string, options: OpenOptions = {}): OpenedDatabase {
  const migrationsFolder = options.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  const sqlite = new Database(file);
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    // Checkpoints normally run when the desk is idle (see electron/app.ts); this is only the
    // backstop under sustained writing, so a click rarely pays for an fsync.
    sqlite.pragma('wal_autocheckpoint = 10000');
    const db = drizzle(sqlite, { schema });
    const migrations = readMigrationFiles({ migrationsFolder });
    const newestKnown = Math.max(0, ...migrations.map((m) => m.folderMillis));
    if (appliedNewest(sqlite) > newestKnown) throw new DatabaseTooNewError(file);
    migrate(db, { migrationsFolder });
    return { sqlite, db };
  } catch (error) {
    sqlite.close();
    throw error;
  }
}

function appliedNewest(sqlite: Database.Database): number {
  const exists = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!exists) return 0;
  const row = sqlite.prepare('SELECT MAX(created_at) AS newest FROM __drizzle_migrations').get() as {
    newest: number | null;
  };
  return Number(row.newest ?? 0);
}
