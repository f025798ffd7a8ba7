import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_MIGRATIONS_FOLDER, openDatabase, type OpenedDatabase } from '../../db/open';
import type Database from '../../db/sqlite';
import { TEST_KEY } from './app';
import { tempDir } from './temp';

/**
 * Databases at any point of the migration history, Signal style: build the database as migration
 * N left it, put realistic rows in with raw SQL (the app's code of that time is gone), then run the
 * rest and look at the rows.
 *
 * A database "at N" is made by openDatabase itself over a copy of the migrations folder whose
 * journal stops at N. The SQL files are copied byte for byte, so the hashes and `when` stamps drizzle
 * records are the ones the real folder gives, and the later migrateRest() is exactly the upgrade a
 * workstation runs: every pending migration in one transaction, after the same pragmas and key.
 */

export interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

interface Journal {
  entries: JournalEntry[];
}

export function readJournal(folder: string = DEFAULT_MIGRATIONS_FOLDER): Journal & Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as Journal & Record<string, unknown>;
}

export function migrationTags(folder: string = DEFAULT_MIGRATIONS_FOLDER): string[] {
  return readJournal(folder).entries.map((e) => e.tag);
}

export function migrationSql(tag: string, folder: string = DEFAULT_MIGRATIONS_FOLDER): string {
  return fs.readFileSync(path.join(folder, `${tag}.sql`), 'utf8');
}

/**
 * The journal index of a migration named by its tag ('0016_refund_advance'), its number ('0016')
 * or its index. An unknown name throws, so a renamed migration breaks its test loudly.
 */
export function migrationIndex(target: string | number, folder: string = DEFAULT_MIGRATIONS_FOLDER): number {
  const tags = migrationTags(folder);
  if (typeof target === 'number') {
    if (!Number.isInteger(target) || target < 0 || target >= tags.length) throw new Error(`No migration #${target}: there are ${tags.length}.`);
    return target;
  }
  const matches = tags.flatMap((t, i) => (t === target || t.split('_')[0] === target ? [i] : []));
  if (matches.length !== 1) throw new Error(`No single migration named ${target} (have ${tags.join(', ')}).`);
  return matches[0]!;
}

/** A migrations folder holding the journal up to and including `index`. */
function prefixFolder(index: number): string {
  const journal = readJournal();
  const entries = journal.entries.slice(0, index + 1);
  const folder = path.join(tempDir('clinic-migrations-'), 'migrations');
  fs.mkdirSync(path.join(folder, 'meta'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }, null, 2));
  for (const e of entries) fs.copyFileSync(path.join(DEFAULT_MIGRATIONS_FOLDER, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
  return folder;
}

/**
 * Creates `file` (or brings an older one forward) with migrations up to and including `target`,
 * encrypted with `key` as the app keeps it (TEST_KEY by default; null for a plain file). The caller
 * closes the returned handle. A database already past `target` is refused (DatabaseTooNewError):
 * migrations only go forward.
 */
export function migrateTo(file: string, target: string | number, key: Buffer | null = TEST_KEY): OpenedDatabase {
  return openDatabase(file, { migrationsFolder: prefixFolder(migrationIndex(target)), key });
}

/** Applies every migration `file` lacks, as a workstation's upgrade does. The caller closes it. */
export function migrateRest(file: string, key: Buffer | null = TEST_KEY): OpenedDatabase {
  return openDatabase(file, { migrationsFolder: DEFAULT_MIGRATIONS_FOLDER, key });
}

// ---------------------------------------------------------------------------------------------
// The shape of a table as SQLite reports it, for comparing before and after a migration

export interface ColumnShape {
  type: string;
  notNull: boolean;
  /** The DEFAULT expression as written, or null. */
  default: string | null;
  /** Position in the primary key (0: not part of it). */
  pk: number;
}

export interface TableShape {
  columns: Record<string, ColumnShape>;
  triggers: string[];
  /** Each UNIQUE index or constraint as its sorted column list ('date,workstation_id'). */
  uniques: string[];
}

const quoteId = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The shapes of `tables` that exist in the database; missing tables are left out. */
export function readShapes(sqlite: Database.Database, tables: readonly string[]): Record<string, TableShape> {
  const out: Record<string, TableShape> = {};
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
  const triggers = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name").pluck();
  for (const table of tables) {
    if (!exists.get(table)) continue;
    const info = sqlite.pragma(`table_info(${quoteId(table)})`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
    const columns: Record<string, ColumnShape> = {};
    for (const c of info) columns[c.name] = { type: c.type.toUpperCase(), notNull: c.notnull === 1, default: c.dflt_value, pk: c.pk };
    const indexes = sqlite.pragma(`index_list(${quoteId(table)})`) as { name: string; unique: number }[];
    const uniques = indexes
      .filter((i) => i.unique === 1)
      .map((i) =>
        (sqlite.pragma(`index_info(${quoteId(i.name)})`) as { name: string | null }[])
          .map((c) => c.name ?? '<expr>')
          .sort()
          .join(','),
      )
      .sort();
    out[table] = { columns, triggers: triggers.all(table) as string[], uniques };
  }
  return out;
}

/** Inserts a row given as column → value, as the app of that time would have stored it. */
export function insertRow(sqlite: Database.Database, table: string, row: Record<string, string | number | null>): void {
  const columns = Object.keys(row);
  sqlite
    .prepare(`INSERT INTO ${quoteId(table)} (${columns.map(quoteId).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
    .run(...Object.values(row));
}
