import { connectionOf, type Db } from './open';
import { changeLog } from './schema';
import type { SignedFields } from '../shared/change-signing';

const INSERT_CHANGE =
  'INSERT INTO change_log (id, table_name, row_id, op, columns, hlc, user_id, sig, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** A change as the outbox keeps it: the signed fields, its signature and the key that made it. */
export type OutboxEntry = SignedFields & { sig: string | null; keyId: string | null };

/**
 * One change_log row, as drizzle's insert wrote it (columns as JSON text), with a statement the
 * connection compiles once (db/statement-cache.ts): every write and every audit row adds one, and
 * building the insert through the query builder cost more than running it (issue #20).
 */
export function insertChange(db: Db, c: OutboxEntry): void {
  const sqlite = connectionOf(db);
  if (sqlite) sqlite.prepare(INSERT_CHANGE).run(c.id, c.table, c.rowId, c.op, JSON.stringify(c.columns), c.hlc, c.userId, c.sig, c.keyId);
  else db.insert(changeLog).values({ id: c.id, tableName: c.table, rowId: c.rowId, op: c.op, columns: c.columns, hlc: c.hlc, userId: c.userId, sig: c.sig, keyId: c.keyId }).run();
}
