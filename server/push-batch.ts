import { sql, type SQL } from 'drizzle-orm';
import type { Change, ChangeResult, UniqueConflict } from '../shared/sync-protocol';
import type { ServerDb } from './db/open';
import type { appliedChanges } from './db/schema';
import type { ClaimBook } from './unique-claims';
import { BASE, packStamps } from './field-stamps';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/** Rows per write statement (a push holds at most PUSH_LIMIT changes, so usually one). */
const ROWS_PER_STATEMENT = 500;

export interface RowState {
  data: Record<string, unknown>;
  fieldHlc: Record<string, string>;
  hlc: string;
}

export const rowKey = (table: string, rowId: string) => `${table}\u0000${rowId}`;

/** What one push has read and decided so far (see applyPush). */
export interface PushBatch {
  /** Change ids already recorded, before or earlier in this batch, with their outcome. */
  seen: Map<string, { status: 'applied' | 'rejected'; reason: string | null; hlc: string; warning?: string | null; conflict?: UniqueConflict | null }>;
  /** Rows by table and id as they stand now (null: the server has no such row). */
  rows: Map<string, RowState | null>;
  /**
   * Rows by table and id as PostgreSQL holds them in this transaction (as read, or as this batch
   * last wrote them): writeBatch sends an existing row's changed columns only.
   */
  stored: Map<string, RowState | null>;
  /** Outcomes to record at the end of the transaction. */
  records: (typeof appliedChanges.$inferInsert)[];
  /**
   * Rows merged in memory but not written yet, in the order of their last change: that is the
   * order they take cursor values in, as when each change was written on its own.
   */
  dirty: Map<string, { table: string; rowId: string; state: RowState }>;
  hasUsers: boolean | null;
  /** The clinic's time zone, read once when a change carries a business date. */
  timeZone?: string;
  /** Who holds each unique value the batch touches (server/unique-claims.ts). */
  claims: ClaimBook;
  /**
   * The changes of the push being applied, in order: a merge record a row's move depends on may be
   * applied early (of pushes applied together, only the one whose turn it is: with its own desk).
   */
  changes: readonly Change[];
  /** Outcomes of changes applied ahead of their turn (server/patient-merges.ts), answered at their turn. */
  early: Map<string, ChangeResult>;
  /** Desks revoked by the pushes applied so far (their own pushes later in the turn are refused). */
  revoked: Set<string>;
}

/** The answer to a change id already recorded: the same outcome again. */
export function replayed(id: string, seen: PushBatch['seen'] extends Map<string, infer V> ? V : never): ChangeResult {
  return {
    id,
    status: 'duplicate',
    ...(seen.status === 'rejected' ? { reason: seen.reason ?? 'rejected' } : {}),
    ...(seen.conflict ? { conflict: seen.conflict } : {}),
    hlc: seen.hlc,
    ...(seen.warning ? { warning: seen.warning } : {}),
  };
}

/**
 * Writes the rows the batch changed, each with a fresh cursor value from the sequence, taken in
 * the order of the list under the clinic's lock (so above anything committed before). A statement
 * may name each row once only (PostgreSQL refuses to update a row twice in one command), which
 * the batch guarantees by keeping one final version per row.
 *
 * The rows travel as one JSON parameter rather than through a multi-row VALUES: building and
 * parsing a statement with six parameters per row cost more than applying the rows.
 */
export async function writeRows(tx: Tx, clinicId: string, batch: PushBatch) {
  if (batch.dirty.size === 0) return;
  const pending = [...batch.dirty.values()];
  batch.dirty.clear();
  for (let i = 0; i < pending.length; i += ROWS_PER_STATEMENT) {
    const chunk = pending.slice(i, i + ROWS_PER_STATEMENT).map(({ table, rowId, state }) => {
      batch.stored.set(rowKey(table, rowId), state);
      return { t: table, r: rowId, d: state.data, f: packStamps(state.data, state.fieldHlc), h: state.hlc };
    });
    await tx.execute(sql`
      INSERT INTO rows (clinic_id, table_name, row_id, data, field_hlc, hlc, seq)
      SELECT ${clinicId}, e->>'t', e->>'r', e->'d', e->'f', e->>'h', nextval('change_seq')
      FROM jsonb_array_elements(${JSON.stringify(chunk)}::jsonb) WITH ORDINALITY AS x(e, n)
      ORDER BY n
      ON CONFLICT (clinic_id, table_name, row_id)
      DO UPDATE SET data = excluded.data, field_hlc = excluded.field_hlc, hlc = excluded.hlc, seq = excluded.seq`);
  }
}

/**
 * The end of a push in one statement: its rows (as writeRows), the unique claims it moved
 * (server/unique-claims.ts) and its outcomes (as writeRecords), as data-modifying parts of one
 * WITH. Each table is written by one part and no part reads what another writes, so the one
 * snapshot they share changes nothing; what it saves is two or three round trips to the database
 * per push, which under a hundred desks cost the server more CPU than building the statements.
 * Answers the rows written with the seq each took (for server/row-cache.ts).
 */
export async function writeBatch(tx: Tx, clinicId: string, batch: PushBatch): Promise<WrittenRow[]> {
  const parts: SQL[] = [];
  const rowsWritten = batch.dirty.size > 0;
  if (rowsWritten) {
    const { rows: pending, merge } = changedParts(batch);
    batch.dirty.clear();
    // merge: each row is sent as the columns it changed, laid over the stored row (jsonb ||).
    const set = merge ? sql`data = rows.data || excluded.data, field_hlc = rows.field_hlc || excluded.field_hlc` : sql`data = excluded.data, field_hlc = excluded.field_hlc`;
    parts.push(sql`written_rows AS (
      INSERT INTO rows (clinic_id, table_name, row_id, data, field_hlc, hlc, seq)
      SELECT ${clinicId}, e->>'t', e->>'r', e->'d', e->'f', e->>'h', nextval('change_seq')
      FROM jsonb_array_elements(${JSON.stringify(pending)}::jsonb) WITH ORDINALITY AS x(e, n)
      ORDER BY n
      ON CONFLICT (clinic_id, table_name, row_id)
      DO UPDATE SET ${set}, hlc = excluded.hlc, seq = excluded.seq
      RETURNING table_name, row_id, seq)`);
  }
  const { taken, freed } = batch.claims.takeDirty();
  if (taken.length > 0) {
    parts.push(sql`taken_claims AS (
      INSERT INTO unique_claims (clinic_id, table_name, key_name, value, row_id)
      SELECT ${clinicId}, t, k, v, r FROM jsonb_to_recordset(${JSON.stringify(taken)}::jsonb) AS x(t text, k text, v text, r text)
      ON CONFLICT (clinic_id, table_name, key_name, value) DO UPDATE SET row_id = excluded.row_id)`);
  }
  if (freed.length > 0) {
    parts.push(sql`freed_claims AS (
      DELETE FROM unique_claims c USING jsonb_to_recordset(${JSON.stringify(freed)}::jsonb) AS x(t text, k text, v text)
      WHERE c.clinic_id = ${clinicId} AND c.table_name = x.t AND c.key_name = x.k AND c.value = x.v)`);
  }
  if (batch.records.length > 0) {
    parts.push(sql`recorded AS (
      INSERT INTO applied_changes (change_id, clinic_id, device_id, table_name, row_id, status, reason, hlc, restamped, warning, conflict)
      SELECT change_id, clinic_id, device_id, table_name, row_id, status, reason, hlc, restamped, warning, conflict
      FROM jsonb_to_recordset(${JSON.stringify(recordsJson(batch.records))}::jsonb)
        AS x(change_id text, clinic_id text, device_id text, table_name text, row_id text, status text, reason text, hlc text, restamped boolean, warning text, conflict jsonb))`);
  }
  if (parts.length === 0) return [];
  const written = rowsWritten ? sql`coalesce((SELECT json_agg(json_build_array(table_name, row_id, seq)) FROM written_rows), '[]'::json)` : sql`'[]'::json`;
  const result: unknown = await tx.execute(sql`WITH ${sql.join(parts, sql`, `)} SELECT ${written} AS written`);
  return (result as { rows: { written: WrittenRow[] }[] }).rows[0]!.written;
}

/** A row writeBatch wrote: table, id, and the seq it took. */
export type WrittenRow = [table: string, rowId: string, seq: number];

type RowOut = { t: string; r: string; d: Record<string, unknown>; f: Record<string, string>; h: string };

/**
 * The batch's dirty rows as writeBatch sends them. An edit of a patient changes a few of its forty
 * columns: sending the whole row (and its forty stamps) cost the server a JSON text several times
 * larger per change and PostgreSQL its parsing. So a row PostgreSQL holds is sent as the columns
 * that differ from its stored version (compared by reference: the merge copies a row and sets
 * columns, never edits one in place, so an untouched column is the very value read), and merged
 * there with ||. That is the whole row again only if no stored column went missing: a batch where
 * one did (no merge does that today), or whose stored version is unknown, sends whole rows instead.
 */
function changedParts(batch: PushBatch): { rows: RowOut[]; merge: boolean } {
  const whole = ({ table, rowId, state }: { table: string; rowId: string; state: RowState }): RowOut => ({ t: table, r: rowId, d: state.data, f: packStamps(state.data, state.fieldHlc), h: state.hlc });
  const parts: RowOut[] = [];
  for (const entry of batch.dirty.values()) {
    const { table, rowId, state } = entry;
    const stored = batch.stored.get(rowKey(table, rowId));
    if (stored === undefined) return { rows: [...batch.dirty.values()].map(whole), merge: false };
    if (stored === null) {
      parts.push(whole(entry));
      continue;
    }
    const d = changed(stored.data, state.data);
    const f = changed(stored.fieldHlc, state.fieldHlc);
    // Sent whole instead (no synced table or merge makes either): a stamp named BASE, which || would
    // lay over the stored shared stamp, or a column without a stamp, which would read as having it.
    if (d === null || f === null || Object.hasOwn(f, BASE) || !stamped(d, state.fieldHlc)) return { rows: [...batch.dirty.values()].map(whole), merge: false };
    parts.push({ t: table, r: rowId, d, f, h: state.hlc });
  }
  return { rows: parts, merge: true };
}

function stamped(columns: Record<string, unknown>, stamps: Record<string, string>): boolean {
  for (const k in columns) if (!Object.hasOwn(stamps, k)) return false;
  return true;
}

/** The members of `now` that are not the same as in `before`; null if one of `before`'s is gone. */
function changed<V>(before: Record<string, V>, now: Record<string, V>): Record<string, V> | null {
  for (const k in before) if (now[k] === undefined) return null;
  const out: Record<string, V> = {};
  for (const k in now) if (now[k] !== before[k]) out[k] = now[k]!;
  return out;
}

function recordsJson(records: PushBatch['records']) {
  return records.map((r) => ({
    change_id: r.changeId,
    clinic_id: r.clinicId,
    device_id: r.deviceId,
    table_name: r.tableName,
    row_id: r.rowId,
    status: r.status,
    reason: r.reason ?? null,
    hlc: r.hlc,
    restamped: r.restamped ?? false,
    warning: r.warning ?? null,
    conflict: r.conflict ?? null,
  }));
}

/** Records every outcome of the batch, so a replay of any of its changes gets the same answer. */
export async function writeRecords(tx: Tx, batch: Pick<PushBatch, 'records'>) {
  for (let i = 0; i < batch.records.length; i += ROWS_PER_STATEMENT) {
    // One JSON parameter, as in writeRows; received_at takes its default.
    const chunk = recordsJson(batch.records.slice(i, i + ROWS_PER_STATEMENT));
    await tx.execute(sql`
      INSERT INTO applied_changes (change_id, clinic_id, device_id, table_name, row_id, status, reason, hlc, restamped, warning, conflict)
      SELECT change_id, clinic_id, device_id, table_name, row_id, status, reason, hlc, restamped, warning, conflict
      FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb)
        AS x(change_id text, clinic_id text, device_id text, table_name text, row_id text, status text, reason text, hlc text, restamped boolean, warning text, conflict jsonb)`);
  }
}
