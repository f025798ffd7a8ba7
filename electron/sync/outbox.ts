import type Database from 'better-sqlite3';
import { PUSH_LIMIT, PUSH_MAX_BYTES, type Change, type ChangeResult } from '../../shared/sync-protocol';

interface OutboxRow {
  seq: number;
  id: string;
  table_name: string;
  row_id: string;
  op: Change['op'];
  columns: string;
  hlc: string;
  user_id: string | null;
  sig: string | null;
  key_id: string | null;
}

/** The next batch of unsent changes, oldest first, within the push limits. */
export function pendingBatch(sqlite: Database.Database, limit = PUSH_LIMIT, maxBytes = PUSH_MAX_BYTES): Change[] {
  const rows = sqlite
    .prepare(
      `SELECT seq, id, table_name, row_id, op, columns, hlc, user_id, sig, key_id FROM change_log
       WHERE pushed_at IS NULL AND rejected_at IS NULL ORDER BY seq LIMIT ?`,
    )
    .all(limit) as OutboxRow[];
  const out: Change[] = [];
  let bytes = 0;
  for (const r of rows) {
    bytes += r.columns.length + 200;
    if (out.length > 0 && bytes > maxBytes) break;
    out.push({ id: r.id, seq: r.seq, table: r.table_name, rowId: r.row_id, op: r.op, columns: JSON.parse(r.columns) as Record<string, unknown>, hlc: r.hlc, userId: r.user_id, sig: r.sig, keyId: r.key_id });
  }
  return out;
}

/** Records the server's answers: sent changes leave the outbox, refused ones stay visible but are not re-sent. */
export function recordAcks(sqlite: Database.Database, results: ChangeResult[], now: number): void {
  const sent = sqlite.prepare('UPDATE change_log SET pushed_at = ? WHERE id = ? AND pushed_at IS NULL');
  // Applied but flagged by the server (a date after its own: this computer's clock runs ahead).
  const flagged = sqlite.prepare('UPDATE change_log SET warning = ? WHERE id = ?');
  const refused = sqlite.prepare('UPDATE change_log SET rejected_at = ?, rejected_reason = ? WHERE id = ?');
  sqlite.transaction(() => {
    for (const r of results) {
      if (r.retry) continue; // stays in the outbox, sent again later
      if (r.status === 'rejected' || (r.status === 'duplicate' && r.reason)) refused.run(now, r.reason ?? 'rejected', r.id);
      else sent.run(now, r.id);
      if (r.warning) flagged.run(r.warning, r.id);
    }
  })();
}

export function outboxCounts(sqlite: Database.Database): { pending: number; rejected: number } {
  const row = sqlite
    .prepare(
      // Refused changes are never marked pushed, so both counts lie in the (small) unpushed part of
      // the log, read through change_log_pending_idx instead of scanning a year of history.
      `SELECT sum(CASE WHEN rejected_at IS NULL THEN 1 ELSE 0 END) AS pending,
              sum(CASE WHEN rejected_at IS NOT NULL THEN 1 ELSE 0 END) AS rejected FROM change_log WHERE pushed_at IS NULL`,
    )
    .get() as { pending: number | null; rejected: number | null };
  return { pending: row.pending ?? 0, rejected: row.rejected ?? 0 };
}

/** Changes waiting to be sent, those the server refused, and those it flagged, for the sync page. */
export function outboxList(sqlite: Database.Database, kind: 'pending' | 'rejected' | 'flagged', limit: number) {
  // Refused changes are never marked pushed: both lists lie in the unpushed part (change_log_pending_idx);
  // flagged ones are few and found through change_log_warning_idx (partial, on warning IS NOT NULL).
  const where =
    kind === 'pending' ? 'pushed_at IS NULL AND rejected_at IS NULL' : kind === 'rejected' ? 'pushed_at IS NULL AND rejected_at IS NOT NULL' : 'warning IS NOT NULL';
  const reason = kind === 'flagged' ? 'warning' : 'rejected_reason';
  return sqlite
    .prepare(`SELECT seq, id, table_name AS tableName, row_id AS rowId, op, hlc, ${reason} AS reason FROM change_log WHERE ${where} ORDER BY seq DESC LIMIT ?`)
    .all(limit) as { seq: number; id: string; tableName: string; rowId: string; op: string; hlc: string; reason: string | null }[];
}
