import { and, eq, inArray, sql } from 'drizzle-orm';
import { KEPT_ON_MERGE } from '../db/patient-merge-follow';
import { columnsOf, SYNCED_TABLES } from '../db/sync-tables';
import type { ServerDb } from './db/open';
import { rows } from './db/schema';
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
}

/** Where a patient's chain of merges ends, and whether it loops back to where it started. */
async function chainFrom(deps: MergeDeps, start: string): Promise<{ end: string; loops: boolean }> {
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
 * Called after each applied change: follows merges for the row it wrote. Returns a note for the
 * change's ack (shown on the desk's Sync screen), or null when nothing moved.
 */
export async function followMerges(deps: MergeDeps, table: string, rowId: string, columns: Readonly<Record<string, unknown>>): Promise<string | null> {
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
