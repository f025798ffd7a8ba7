import type Database from 'better-sqlite3';
import { indexPatient } from '../services/patient-search';
import type { HybridClock } from './hlc';
import type { PulledRow } from './protocol';
import { columnsOf, SYNCED_TABLES, toStorage } from './tables';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function upsertFor(sqlite: Database.Database, table: string, columns: string[]): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map()));
  const key = `${table}:${columns.join(',')}`;
  let stmt = cache.get(key);
  if (!stmt) {
    const quoted = columns.map((c) => `"${c}"`);
    // Ledger rows are never updated (the database refuses it); everything else takes the merged version.
    const conflict =
      SYNCED_TABLES[table]!.kind === 'ledger'
        ? 'DO NOTHING'
        : `DO UPDATE SET ${quoted.filter((c) => c !== '"id"').map((c) => `${c} = excluded.${c}`).join(', ')}`;
    stmt = sqlite.prepare(`INSERT INTO "${table}" (${quoted.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT("id") ${conflict}`);
    cache.set(key, stmt);
  }
  return stmt;
}

/**
 * Applies a page of pulled rows and the new cursor in ONE local transaction, so a crash leaves
 * either both or neither. Local edits not yet acknowledged by the server are laid over the
 * server's version where their clock is newer, so nothing typed here is lost while it is in flight.
 * Applied rows do not enter the outbox. Returns the tables touched.
 */
export function applyPulled(sqlite: Database.Database, rows: PulledRow[], nextCursor: number, clock: HybridClock): string[] {
  const pending = sqlite.prepare(
    'SELECT columns, hlc FROM change_log WHERE table_name = ? AND row_id = ? AND pushed_at IS NULL AND rejected_at IS NULL ORDER BY seq',
  );
  const saveCursor = sqlite.prepare("INSERT INTO local_meta (key, value) VALUES ('sync.pullCursor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const touched = new Set<string>();
  sqlite.transaction(() => {
    for (const row of rows) {
      if (!SYNCED_TABLES[row.table]) continue; // a table this version does not have yet
      const data: Record<string, unknown> = { ...row.data };
      for (const p of pending.all(row.table, row.rowId) as { columns: string; hlc: string }[]) {
        for (const [col, value] of Object.entries(JSON.parse(p.columns) as Record<string, unknown>)) {
          const serverHlc = row.fieldHlc[col];
          if (serverHlc === undefined || p.hlc > serverHlc) data[col] = value;
        }
      }
      const codecs = columnsOf(row.table).filter((c) => c.name in data);
      upsertFor(sqlite, row.table, codecs.map((c) => c.name)).run(...codecs.map((c) => toStorage(c, data[c.name])));
      if (typeof data.hlc === 'string') clock.receive(data.hlc);
      if (row.table === 'patients') {
        indexPatient(sqlite, {
          id: row.rowId,
          givenName: String(data.given_name ?? ''),
          familyName: (data.family_name as string | null) ?? null,
          mobile: (data.mobile as string | null) ?? null,
        });
      }
      touched.add(row.table);
    }
    saveCursor.run(String(nextCursor));
  })();
  return [...touched];
}
