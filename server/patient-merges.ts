import { and, eq, inArray, sql } from 'drizzle-orm';
import { KEPT_ON_MERGE } from '../db/patient-merge-follow';
import { columnsOf, SYNCED_TABLES } from '../db/sync-tables';
import type { ServerDb } from './db/open';
import { rows } from './db/schema';
import type { Change } from '../shared/sync-protocol';
import type { PushBatch, RowState } from './push-batch';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];

/**
 * Merged patients on the server (docs/SYNC.md "Merged patients"). A merge travels as ordinary
 * changes: the rows a desk moved, and the merged record's `merged_into`. What the merging desk
 * could not move — a visit, booking or bill another desk made offline for the merged record — is
 * moved here, when it arrives or when the merge does, by a change of the server's own stamped
 * just above the one it follows (`<stamp>+merge`), which every desk then pulls. Two desks merging
 * one pair in opposite directions would make a loop: the merge that closes it (the later to reach
 * the server) is turned back the same way, and the rows it moved follow the first merge. Nothing
 * is deleted either way. Ledger rows (payments, refunds, lab results) are insert-only and stay
 * where they were written; the desks read them through `merged_into`.
 */

/** Merged (lww) tables with a patient_id: their rows follow a merge. Ledgers cannot move. */
export const PATIENT_TABLES: readonly string[] = Object.entries(SYNCED_TABLES)
  .filter(([name, spec]) => spec.kind === 'lww' && !KEPT_ON_MERGE.includes(name) && columnsOf(name).some((c) => c.name === 'patient_id'))
  .map(([name]) => name);

const key = (table: string, rowId: string) => `${table}\u0000${rowId}`;

export interface MergeDeps {
  tx: Tx;
  clinicId: string;
  batch: PushBatch;
  row: (table: string, rowId: string) => Promise<RowState | null>;
  set: (table: string, rowId: string, state: RowState) => void;
  now: () => number;
  /** Applies a later change of this push now (its outcome is answered at its own turn). */
  applyEarly: (change: Change) => Promise<void>;
}

/** Where a patient's chain of merges ends, and whether it loops back to where it started. */
export async function chainFrom(deps: MergeDeps, start: string): Promise<{ end: string; loops: boolean }> {
  let id = start;
  const seen = new Set([id]);
  for (;;) {
    const next = (await deps.row('patients', id))?.data.merged_into;
    if (typeof next !== 'string' || next === '') return { end: id, loops: false };
    if (next === start) return { end: id, loops: true };
    if (seen.has(next)) return { end: id, loops: false };
    seen.add(next);
    id = next;
  }
}

/** The row with `values` laid over it, stamped just above the field stamp it overrides. */
function overridden(state: RowState, column: string, values: Record<string, unknown>, now: number): RowState {
  const stamp = `${state.fieldHlc[column] ?? state.hlc}+merge`;
  const rowHlc = state.hlc > stamp ? state.hlc : stamp;
  const data = { ...state.data };
  const fieldHlc = { ...state.fieldHlc };
  for (const [col, value] of Object.entries({ ...values, updated_at: now })) {
    data[col] = value;
    fieldHlc[col] = stamp;
  }
  // The row's own stamp column is what the checksums compare: the same on the server and the desks.
  data.hlc = rowHlc;
  fieldHlc.hlc = rowHlc;
  return { data, fieldHlc, hlc: rowHlc };
}

/**
 * Called after each applied change (`fresh`: it made the row): follows merges for the row it wrote,
 * and keeps of a new merge record only what it really moved. Returns a note for the
 * change's ack (shown on the desk's Sync screen), or null when nothing moved.
 */
export async function followMerges(deps: MergeDeps, table: string, rowId: string, columns: Readonly<Record<string, unknown>>, fresh = false): Promise<string | null> {
  const state = await deps.row(table, rowId);
  if (!state) return null;
  if (PATIENT_TABLES.includes(table) && 'patient_id' in columns) {
    const patientId = state.data.patient_id;
    if (typeof patientId !== 'string') return null;
    const { end } = await chainFrom(deps, patientId);
    if (end === patientId) return null;
    deps.set(table, rowId, overridden(state, 'patient_id', { patient_id: end }, deps.now()));
    return `this ${table.replace(/_/g, ' ').replace(/s$/, '')} was for a patient record merged into ${await mrnOf(deps, end)}: moved there`;
  }
  if (table === 'patient_merges') return fresh ? verifyMoved(deps, rowId) : null;
  if (table !== 'patients' || typeof columns.merged_into !== 'string' || state.data.merged_into !== columns.merged_into) return null;
  const { end, loops } = await chainFrom(deps, rowId);
  if (loops) {
    deps.set('patients', rowId, overridden(state, 'merged_into', { merged_into: null }, deps.now()));
    return `${await mrnOf(deps, String(columns.merged_into))} had already been merged into ${await mrnOf(deps, rowId)} at another workstation: that merge stands and this one was turned back`;
  }
  const moved = await moveRowsOf(deps, rowId, end);
  return moved > 0 ? `${moved} more record(s) of ${await mrnOf(deps, rowId)} from other workstations moved to ${await mrnOf(deps, end)}` : null;
}

async function mrnOf(deps: MergeDeps, patientId: string): Promise<string> {
  const mrn = (await deps.row('patients', patientId))?.data.mrn;
  return typeof mrn === 'string' ? `MRN ${mrn}` : 'another record';
}

/** Moves every merged-table row still naming `from` (on the server or earlier in this push) to `to`. */
async function moveRowsOf(deps: MergeDeps, from: string, to: string): Promise<number> {
  const found = await deps.tx
    .select({ table: rows.tableName, rowId: rows.rowId })
    .from(rows)
    .where(and(eq(rows.clinicId, deps.clinicId), inArray(rows.tableName, [...PATIENT_TABLES]), sql`${rows.data}->>'patient_id' = ${from}`));
  const candidates = new Map(found.map((r) => [key(r.table, r.rowId), r]));
  for (const d of deps.batch.dirty.values()) if (PATIENT_TABLES.includes(d.table)) candidates.set(key(d.table, d.rowId), { table: d.table, rowId: d.rowId });
  let moved = 0;
  for (const { table, rowId } of candidates.values()) {
    const state = await deps.row(table, rowId);
    if (!state || state.data.patient_id !== from) continue;
    deps.set(table, rowId, overridden(state, 'patient_id', { patient_id: to }, deps.now()));
    moved++;
  }
  return moved;
}

type MergeRecord = Readonly<Record<string, unknown>>;

/** Every merge record naming one of `patientIds` as the merged record: stored, or written earlier in this push. */
async function mergeRecordsOf(deps: MergeDeps, patientIds: readonly string[]): Promise<MergeRecord[]> {
  const found = await deps.tx
    .select({ rowId: rows.rowId })
    .from(rows)
    .where(and(eq(rows.clinicId, deps.clinicId), eq(rows.tableName, 'patient_merges'), inArray(sql`${rows.data}->>'merged_id'`, [...patientIds])));
  const ids = new Set(found.map((r) => r.rowId));
  for (const d of deps.batch.dirty.values()) if (d.table === 'patient_merges') ids.add(d.rowId);
  const records: MergeRecord[] = [];
  for (const id of ids) {
    const data = (await deps.row('patient_merges', id))?.data;
    if (data && patientIds.includes(String(data.merged_id)) && data.deleted_at == null) records.push(data);
  }
  return records;
}

/**
 * The push's merge records about the pair `a`/`b` not applied yet are applied now: a desk writes
 * the rows it moves before (older builds) or after its merge record, and a push may hold both.
 */
async function applyPairAhead(deps: MergeDeps, a: string, b: string): Promise<void> {
  const pair = [a, b].sort().join('\u0000');
  for (const change of deps.batch.changes) {
    if (change.table !== 'patient_merges' || deps.batch.seen.has(change.id) || deps.batch.early.has(change.id)) continue;
    const data = { ...((await deps.row('patient_merges', change.rowId))?.data ?? {}), ...change.columns };
    if ([String(data.merged_id), String(data.survivor_id)].sort().join('\u0000') === pair) await deps.applyEarly(change);
  }
}

const listed = (moved: unknown, table: string, rowId: string) => {
  const ids = moved && typeof moved === 'object' ? (moved as Record<string, unknown>)[table] : undefined;
  return Array.isArray(ids) && ids.includes(rowId);
};

/**
 * A row of a merged table changes patient only as part of a merge: to the survivor of a merge of
 * its patient that stands, or back to the merged record after that merge was undone, and then
 * only if the merge (as the server verified it) moved that row. A receptionist's signed push
 * cannot file one patient's visit or bill under another otherwise.
 */
export async function patientMoveProblem(deps: MergeDeps, table: string, before: MergeRecord | null, columns: MergeRecord, rowId: string): Promise<string | null> {
  if (!PATIENT_TABLES.includes(table) || !before || !('patient_id' in columns)) return null;
  const from = before.patient_id;
  const to = columns.patient_id;
  if (typeof from !== 'string' || typeof to !== 'string' || from === to) return null;
  await applyPairAhead(deps, from, to);
  const records = await mergeRecordsOf(deps, [from, to]);
  if (records.some((r) => r.merged_id === from && r.survivor_id === to && r.undone_at == null)) return null;
  const undone = records.filter((r) => r.merged_id === to && r.survivor_id === from);
  if (undone.length > 0 && undone.every((r) => r.undone_at != null) && undone.some((r) => listed(r.moved, table, rowId))) return null;
  const what = `this ${table.replace(/_/g, ' ').replace(/s$/, '')} moves from ${await mrnOf(deps, from)} to ${await mrnOf(deps, to)}`;
  if (undone.length > 0 && undone.every((r) => r.undone_at != null)) return `${what}, but the undone merge of ${await mrnOf(deps, to)} did not move it: only what a merge moved goes back`;
  if (undone.length > 0) return `${what}, but the merge of ${await mrnOf(deps, to)} into ${await mrnOf(deps, from)} has not been undone`;
  return `${what}, but no merge of ${await mrnOf(deps, from)} into ${await mrnOf(deps, to)} is recorded: a record changes patient only by merging the two`;
}

/**
 * A merge record as it arrives lists the rows its desk moved; the server keeps only those that
 * really were the merged record's (they still name it: the record is applied before its moves),
 * so an undo can never move another patient's row to the merged record.
 */
async function verifyMoved(deps: MergeDeps, rowId: string): Promise<string | null> {
  const state = await deps.row('patient_merges', rowId);
  const moved = state?.data.moved;
  if (!state || !moved || typeof moved !== 'object') return null;
  const mergedId = state.data.merged_id;
  const kept: Record<string, string[]> = {};
  let dropped = 0;
  for (const [table, ids] of Object.entries(moved as Record<string, unknown>)) {
    for (const id of Array.isArray(ids) ? ids : []) {
      const ok = typeof id === 'string' && PATIENT_TABLES.includes(table) && (await deps.row(table, id))?.data.patient_id === mergedId;
      if (ok) kept[table] = [...(kept[table] ?? []), id];
      else dropped++;
    }
  }
  if (dropped === 0) return null;
  deps.set('patient_merges', rowId, overridden(state, 'moved', { moved: kept }, deps.now()));
  return `${dropped} record(s) this merge lists as moved were not ${await mrnOf(deps, String(mergedId))}'s on the server: left out of it (an undo does not move them)`;
}
