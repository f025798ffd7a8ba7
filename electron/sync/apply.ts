import type Database from 'better-sqlite3';
import { indexPatient } from '../services/patient-search';
import type { HybridClock } from '../../shared/hlc';
import type { PulledRow } from '../../shared/sync-protocol';
import { readClockSeen } from './state';
import { columnsOf, SYNCED_TABLES, toStorage } from '../../db/sync-tables';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function upsertFor(sqlite: Database.Database, table: string, columns: string[]): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map<string, Database.Statement>()));
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

function updateFor(sqlite: Database.Database, table: string, columns: string[]): Database.Statement {
  let cache = statements.get(sqlite);
  if (!cache) statements.set(sqlite, (cache = new Map<string, Database.Statement>()));
  const key = `update ${table}:${columns.join(',')}`;
  let stmt = cache.get(key);
  if (!stmt) {
    stmt = sqlite.prepare(`UPDATE "${table}" SET ${columns.map((c) => `"${c}" = ?`).join(', ')} WHERE "id" = ?`);
    cache.set(key, stmt);
  }
  return stmt;
}

const isConstraintError = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
};

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
  const nameOf = sqlite.prepare('SELECT given_name, family_name, mobile FROM patients WHERE id = ?');
  // The newest stamp received, kept with the rows, so a restarted clock still runs after it.
  const seenBefore = readClockSeen(sqlite) ?? '';
  let seen = seenBefore;
  const saveSeen = sqlite.prepare("INSERT INTO local_meta (key, value) VALUES ('sync.clockSeen', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
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
      try {
        upsertFor(sqlite, row.table, codecs.map((c) => c.name)).run(...codecs.map((c) => toStorage(c, data[c.name])));
      } catch (error) {
        // The server may hold only some columns of a row (an edit whose insert never reached it,
        // e.g. of a reference row every device is installed with). Such a row cannot be inserted;
        // it still updates the row when this device has it. Otherwise it is skipped: one row this
        // device cannot hold must not stop every later row from arriving.
        if (!isConstraintError(error)) throw error;
        const set = codecs.filter((c) => c.name !== 'id');
        const updated =
          SYNCED_TABLES[row.table]!.kind === 'lww' && set.length > 0 &&
          updateFor(sqlite, row.table, set.map((c) => c.name)).run(...set.map((c) => toStorage(c, data[c.name])), row.rowId).changes > 0;
        if (!updated) continue;
      }
      // Only merged (lww) rows order later edits. Ledger rows keep their author's stamp (a fast clock
      // included: the server re-stamps merged changes only), so they must not drag this clock along.
      if (typeof data.hlc === 'string' && SYNCED_TABLES[row.table]!.kind === 'lww') {
        clock.receive(data.hlc);
        if (data.hlc > seen) seen = data.hlc;
      }
      if (row.table === 'patients') {
        // From the row as stored: the pulled data may hold only some of its columns.
        const p = nameOf.get(row.rowId) as { given_name: string; family_name: string | null; mobile: string | null } | undefined;
        if (p) indexPatient(sqlite, { id: row.rowId, givenName: p.given_name, familyName: p.family_name, mobile: p.mobile });
      }
      touched.add(row.table);
    }
    saveCursor.run(String(nextCursor));
    if (seen > seenBefore) saveSeen.run(seen);
  })();
  return [...touched];
}
