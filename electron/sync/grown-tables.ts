import type Database from 'better-sqlite3';
import { columnsOf, SYNCED_TABLES } from '../../db/sync-tables';

/**
 * The columns of each synced table as this app version knows them, kept in local_meta at every
 * start. A desk on an older version stored only the columns it knew of each pulled row and moved
 * its cursor past it; the checksum round compares ids and stamps only, so after an upgrade that
 * adds columns nothing would fetch their values until someone edits the row. A table whose list
 * grew (or was never recorded on a desk that has pulled before) is read again from the server once.
 */
const KEY = 'sync.columns';

type Known = Record<string, string[]>;

function readKnown(sqlite: Database.Database): Known | null {
  const raw = sqlite.prepare('SELECT value FROM local_meta WHERE key = ?').pluck().get(KEY) as string | undefined;
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Known;
  } catch {
    return null;
  }
}

function writeKnown(sqlite: Database.Database, known: Known): void {
  sqlite.prepare('INSERT INTO local_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(KEY, JSON.stringify(known));
}

// Ledger rows are never updated (the database refuses it), so reading them again cannot help.
const mergedTables = () => Object.keys(SYNCED_TABLES).filter((t) => SYNCED_TABLES[t]!.kind === 'lww');

/**
 * The merged tables to read again because this version knows columns the stored list lacks. A desk
 * that has pulled nothing yet (cursor 0) will receive whole rows anyway: its list is just recorded.
 */
export function grownTables(sqlite: Database.Database, pullCursor: number): string[] {
  const known = readKnown(sqlite);
  if (!known && pullCursor === 0) {
    writeKnown(sqlite, Object.fromEntries(mergedTables().map((t) => [t, columnsOf(t).map((c) => c.name)])));
    return [];
  }
  return mergedTables().filter((t) => {
    const before = new Set(known?.[t] ?? []);
    return columnsOf(t).some((c) => !before.has(c.name));
  });
}

/** Records that `table` has been read again with every column this version knows. */
export function markTableWhole(sqlite: Database.Database, table: string): void {
  sqlite.transaction(() => writeKnown(sqlite, { ...(readKnown(sqlite) ?? {}), [table]: columnsOf(table).map((c) => c.name) }))();
}
