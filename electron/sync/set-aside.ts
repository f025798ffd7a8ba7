import type Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import * as schema from '../../db/schema';
import type { Db } from '../../db/open';
import type { HybridClock } from '../../shared/hlc';
import type { ChangeResult, UniqueConflict } from '../../shared/sync-protocol';
import { UNIQUE_KEYS, claimValue } from '../../db/sync-unique';
import { columnsOf, fromStorage } from '../../db/sync-tables';
import { appendAudit } from '../services/audit';

/*
 * A row this desk inserted that lost a race for a unique value it cannot rename (db/sync-unique.ts
 * `setAside`: two desks offline each wrote the consultation of one visit) cannot stay in its live
 * table: the winner's row, when pulled, would collide with it and hold the pull for good. It is set
 * aside: kept whole in `set_aside_rows` (nothing typed is lost), removed from the live table in the
 * same transaction, its unsent changes withheld, and an audit row written. The Sync screen shows it,
 * with its text to view or copy (electron/services/set-aside.ts).
 */

/**
 * Rows pointing at a row that is set aside, and what becomes of them. Consultation amendments are
 * ledger rows (insert-only: never moved or deleted): they stay, still naming the set-aside
 * consultation's id (which set_aside_rows keeps, so they stay readable with it); their inserts not
 * yet sent are withheld like the row's own changes, so no desk receives amendments of a
 * consultation it will never hold. They are not repointed at the winner: they amend what this desk
 * wrote, not what the other desk wrote. Nothing else points at these tables (prescriptions,
 * orders and bills point at the visit, which both desks share).
 */
const DEPENDANTS: Readonly<Record<string, readonly { table: string; column: string }[]>> = {
  consultations: [{ table: 'consultation_amendments', column: 'consultation_id' }],
};

const drizzles = new WeakMap<Database.Database, Db>();
function dbOf(sqlite: Database.Database): Db {
  let db = drizzles.get(sqlite);
  if (!db) drizzles.set(sqlite, (db = drizzle(sqlite, { schema })));
  return db;
}

export function isSetAside(sqlite: Database.Database, changeId: string): boolean {
  return sqlite.prepare('SELECT 1 FROM set_aside_rows WHERE change_id = ?').pluck().get(changeId) !== undefined;
}

export interface SetAsideDeps {
  deviceId: string;
  clock: HybridClock;
  now: number;
}

/** After an ack: sets aside this desk's rows that lost on a key of kind `setAside` (see above). */
export function setAsideLosses(sqlite: Database.Database, results: ChangeResult[], deps: SetAsideDeps): void {
  const lost = results.filter((r): r is ChangeResult & { conflict: UniqueConflict } => r.conflict !== undefined && r.status !== 'applied');
  if (lost.length === 0) return;
  const changeOf = sqlite.prepare('SELECT table_name, row_id, op FROM change_log WHERE id = ?');
  sqlite.transaction(() => {
    for (const r of lost) {
      const change = changeOf.get(r.id) as { table_name: string; row_id: string; op: string } | undefined;
      if (!change || change.op !== 'insert' || isSetAside(sqlite, r.id)) continue;
      const key = UNIQUE_KEYS[change.table_name]?.find((k) => k.name === r.conflict.key);
      if (key?.onLoss !== 'setAside') continue;
      const stored = sqlite.prepare(`SELECT * FROM "${change.table_name}" WHERE id = ?`).get(change.row_id) as Record<string, unknown> | undefined;
      // Gone already, or no longer holding the value (nothing collides with the winner): nothing to do.
      if (!stored || claimValue(key, stored) !== r.conflict.value) continue;
      setAside(sqlite, change.table_name, change.row_id, stored, r, deps);
    }
  })();
}

function setAside(sqlite: Database.Database, table: string, rowId: string, stored: Record<string, unknown>, r: ChangeResult & { conflict: UniqueConflict }, deps: SetAsideDeps) {
  const data = Object.fromEntries(columnsOf(table).map((c) => [c.name, fromStorage(c, stored[c.name])]));
  const reason = r.reason ?? `${r.conflict.columns.join(' and ')} already taken`;
  sqlite
    .prepare(
      `INSERT INTO set_aside_rows (id, table_name, row_id, data, change_id, key_name, value, held_by, device_name, reason, set_aside_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(uuidv7(), table, rowId, JSON.stringify(data), r.id, r.conflict.key, r.conflict.value, r.conflict.rowId, r.conflict.deviceName ?? null, reason, deps.now);
  sqlite.prepare(`DELETE FROM "${table}" WHERE id = ?`).run(rowId);
  const withheld = `kept on this desk with the ${table.replace(/_/g, ' ')} row set aside (${reason})`;
  const withhold = sqlite.prepare('UPDATE change_log SET rejected_at = ?, rejected_reason = ? WHERE table_name = ? AND row_id = ? AND pushed_at IS NULL AND rejected_at IS NULL');
  withhold.run(deps.now, withheld, table, rowId);
  for (const d of DEPENDANTS[table] ?? []) {
    for (const id of sqlite.prepare(`SELECT id FROM "${d.table}" WHERE "${d.column}" = ?`).pluck().all(rowId) as string[]) withhold.run(deps.now, withheld, d.table, id);
  }
  const where = r.conflict.deviceName ?? 'another desk';
  appendAudit(
    { db: dbOf(sqlite), deviceId: deps.deviceId, tick: () => deps.clock.tick() },
    {
      at: deps.now,
      userId: null,
      username: null,
      action: 'sync.setAside',
      outcome: 'ok',
      entityType: 'sync',
      entityId: rowId,
      detail: `${table} row ${rowId} set aside on this desk: ${reason}; the row from ${where} (${r.conflict.rowId}) is kept`,
    },
  );
}
