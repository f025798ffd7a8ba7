import { and, desc, eq, getTableColumns, getTableName, isNull } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { patientMerges, patients, visits, type MergeSide } from '../../db/schema';
import { SYNCED_TABLES } from '../../db/sync-tables';
import type { SyncTable } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { displayName, indexPatient } from './patient-search';
import { requirePatient, toView, type PatientRow } from './patients';
import { KEPT_ON_MERGE, survivorOf } from '../../db/patient-merge-follow';
export { patientFamily } from '../../db/patient-merge-follow';

type Ctx = AuthedContext;

/**
 * Every table naming a patient, and what a merge does with it. Merged (`lww`) tables are found
 * from the schema: their rows MOVE to the survivor (and back on undo). Ledgers are insert-only,
 * so their rows stay where they were written and are FOLLOWED: reads of a patient's money take in
 * the records merged into them (patientFamily in db/patient-merge-follow.ts). Local tables are indexes, rebuilt by the merge.
 * test/integration/patient-merge.test.ts fails when a table with patient_id is in none of these.
 */
export const MOVED_TABLES: readonly { name: string; table: SyncTable }[] = Object.entries(SYNCED_TABLES)
  .filter(([name, spec]) => spec.kind === 'lww' && !KEPT_ON_MERGE.includes(name) && Object.values(getTableColumns(spec.table) as Record<string, SQLiteColumn>).some((c) => c.name === 'patient_id'))
  .map(([name, spec]) => ({ name, table: spec.table }));
export const FOLLOWED_TABLES: readonly string[] = ['payments', 'refunds', 'lab_results', 'credit_notes', 'dispenses', ...KEPT_ON_MERGE];
export const LOCAL_TABLES: readonly string[] = ['patient_search'];

/**
 * What the survivor may take from the merged record, one choice per field as the screen shows it,
 * each with the columns it carries. Allergies, chronic conditions and medicines are not a choice:
 * the survivor keeps both records' lists (never drop a known allergy).
 */
export const MERGE_FIELDS = {
  name: ['givenName', 'familyName'],
  gender: ['gender'],
  dob: ['dob', 'dobEstimated'],
  mobile: ['mobile'],
  alternatePhone: ['alternatePhone'],
  email: ['email'],
  address: ['addressLine1', 'addressLine2', 'city', 'district', 'state', 'pincode'],
  bloodGroup: ['bloodGroup'],
  abhaNumber: ['abhaNumber'],
  abhaAddress: ['abhaAddress'],
  maritalStatus: ['maritalStatus'],
  occupation: ['occupation'],
  preferredLanguage: ['preferredLanguage'],
  emergencyContact: ['emergencyContact'],
  insurance: ['insurance'],
} as const satisfies Record<string, readonly (keyof PatientRow)[]>;
export type MergeField = keyof typeof MERGE_FIELDS;
export const MERGE_FIELD_NAMES = Object.keys(MERGE_FIELDS) as MergeField[];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Every row of a moved table naming the patient, deleted ones too (they move and come back alike). */
function rowsOf(ctx: Ctx, table: SyncTable, patientId: string): { id: string; deletedAt: number | null }[] {
  return ctx.sqlite.prepare(`SELECT id, deleted_at AS deletedAt FROM "${getTableName(table)}" WHERE patient_id = ?`).all(patientId) as { id: string; deletedAt: number | null }[];
}

/** Two records side by side, and what a merge of `mergedId` into `survivorId` would move. */
export function mergePreview(ctx: Ctx, survivorId: string, mergedId: string) {
  const { survivor, merged } = mergeable(ctx, survivorId, mergedId, false);
  const side = (p: PatientRow) => {
    const last = ctx.db.select({ date: visits.date }).from(visits).where(and(eq(visits.patientId, p.id), isNull(visits.deletedAt))).orderBy(desc(visits.date)).limit(1).get();
    const counts = Object.fromEntries(MOVED_TABLES.map(({ name, table }) => [name, rowsOf(ctx, table, p.id).filter((r) => r.deletedAt === null).length]));
    return { patient: toView(ctx, p), lastVisit: last?.date ?? null, counts };
  };
  const differing = MERGE_FIELD_NAMES.filter((f) => MERGE_FIELDS[f].some((c) => !same(survivor[c], merged[c])));
  return { survivor: side(survivor), merged: side(merged), differing };
}

/** The two records, or why they cannot be merged (each refusal names its field). */
function mergeable(ctx: Ctx, survivorId: string, mergedId: string, strict = true) {
  if (survivorId === mergedId) throw new ApiFailure('invalid_input', 'mergedId: A record cannot be merged into itself: choose the other record', { mergedId: 'A record cannot be merged into itself' });
  const survivor = named(ctx, survivorId, 'survivorId');
  const merged = named(ctx, mergedId, 'mergedId');
  if (merged.mergedInto) {
    const into = requirePatient(ctx, merged.mergedInto);
    throw new ApiFailure('conflict', `MRN ${merged.mrn} was already merged into MRN ${into.mrn}`, { mergedId: `Already merged into MRN ${into.mrn}` });
  }
  if (survivor.mergedInto) {
    const into = requirePatient(ctx, survivorOf(ctx.db, survivor.id));
    throw new ApiFailure('conflict', `MRN ${survivor.mrn} was merged into MRN ${into.mrn}: merge into MRN ${into.mrn} instead`, { survivorId: `Merged into MRN ${into.mrn}: use that record` });
  }
  if (strict && survivor.abhaNumber && merged.abhaNumber && survivor.abhaNumber !== merged.abhaNumber) {
    const message = `The two records have different ABHA numbers (${survivor.abhaNumber} and ${merged.abhaNumber}): they are two people and cannot be merged`;
    throw new ApiFailure('conflict', message, { 'fields.abhaNumber': 'Different ABHA numbers: two people' });
  }
  return { survivor, merged };
}

function named(ctx: Ctx, id: string, field: 'survivorId' | 'mergedId'): PatientRow {
  const row = ctx.db.select().from(patients).where(eq(patients.id, id)).get();
  if (!row || row.deletedAt !== null) throw new ApiFailure('not_found', `${field}: No such patient`, { [field]: 'No such patient' });
  return row;
}

function union<T>(a: T[], b: T[], key: (t: T) => string): T[] {
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((t) => !seen.has(key(t)))];
}

/**
 * Merges `mergedId` into `survivorId` in the caller's transaction: the survivor takes the chosen
 * values, every merged-table row of the merged record moves to the survivor, the merged record
 * points at the survivor (`merged_into`, its MRN kept) and a `patient_merges` row records it all.
 * Every write is an ordinary signed change, so the merge syncs like any edit (docs/SYNC.md).
 */
export function mergePatients(ctx: Ctx, survivorId: string, mergedId: string, choices: Partial<Record<MergeField, MergeSide>>) {
  const { survivor, merged } = mergeable(ctx, survivorId, mergedId);
  const patch: Record<string, unknown> = {};
  for (const field of MERGE_FIELD_NAMES) {
    if (choices[field] !== 'merged') continue;
    for (const col of MERGE_FIELDS[field]) patch[col] = merged[col];
  }
  if ((choices.abhaNumber === 'merged' && !same(survivor.abhaNumber, merged.abhaNumber)) || (choices.abhaAddress === 'merged' && !same(survivor.abhaAddress, merged.abhaAddress))) {
    // "Verified with ABDM" was for the survivor's ABHA; a different one taken from the merged record
    // is not verified (as an edit of the ABHA clears it): verify again at reception.
    for (const col of ['abhaVerifiedAt', 'abhaVerifiedBy', 'abhaVerifyMethod'] as const) patch[col] = null;
  }
  patch.allergies = union(survivor.allergies, merged.allergies, (a) => a.substance.toLowerCase());
  patch.chronicConditions = union(survivor.chronicConditions, merged.chronicConditions, (s) => s.toLowerCase());
  patch.currentMedications = union(survivor.currentMedications, merged.currentMedications, (s) => s.toLowerCase());
  if ((patch.allergies as unknown[]).length === 0 && merged.noKnownAllergies) patch.noKnownAllergies = true;
  if ((merged.lastVisitAt ?? 0) > (survivor.lastVisitAt ?? 0)) patch.lastVisitAt = merged.lastVisitAt;
  const previous: Record<string, { before: unknown; after: unknown }> = {};
  for (const [col, value] of Object.entries(patch)) {
    const before = survivor[col as keyof PatientRow];
    if (!same(before, value)) previous[col] = { before, after: value };
  }
  const after = ctx.write.update(patients, survivor.id, Object.fromEntries(Object.entries(previous).map(([c, v]) => [c, v.after])));
  const moved: Record<string, string[]> = {};
  for (const { name, table } of MOVED_TABLES) {
    const ids = rowsOf(ctx, table, merged.id).map((r) => r.id);
    if (ids.length > 0) moved[name] = ids;
  }
  const fieldChoices = Object.fromEntries(MERGE_FIELD_NAMES.map((f) => [f, choices[f] ?? 'survivor'])) as Record<string, MergeSide>;
  // The record before the rows it moves: the server accepts a row's move only under a recorded
  // merge, and a large merge may reach it over several pushes (server/patient-merges.ts).
  const record = ctx.write.insert(patientMerges, {
    survivorId: survivor.id,
    mergedId: merged.id,
    mergedMrn: merged.mrn,
    moved,
    fieldChoices,
    previousValues: previous,
    mergedBy: ctx.session.userId,
    mergedAt: ctx.now(),
  });
  for (const { name, table } of MOVED_TABLES) for (const id of moved[name] ?? []) ctx.write.update(table, id, { patientId: survivor.id });
  ctx.write.update(patients, merged.id, { mergedInto: survivor.id });
  indexPatient(ctx.sqlite, after);
  const taken = MERGE_FIELD_NAMES.filter((f) => choices[f] === 'merged');
  ctx.describe({
    entityType: 'patients',
    entityId: survivor.id,
    detail: `merged MRN ${merged.mrn} into MRN ${survivor.mrn}; from MRN ${merged.mrn}: ${taken.length > 0 ? taken.join(', ') : 'no fields'}; moved ${describeMoved(moved)}`,
  });
  return { mergeId: record.id, survivor: toView(ctx, after), moved: countMoved(moved) };
}

const countMoved = (moved: Record<string, string[]>) => Object.fromEntries(Object.entries(moved).map(([t, ids]) => [t, ids.length]));
const describeMoved = (moved: Record<string, string[]>) =>
  Object.entries(moved)
    .map(([t, ids]) => `${ids.length} ${t.replace(/_/g, ' ')}`)
    .join(', ') || 'nothing';

/**
 * An administrator's undo of the latest merge of `mergedId`: the record stands on its own again,
 * exactly the rows the merge moved go back (rows added to the survivor since stay), and the
 * survivor's fields the merge changed get their old values back unless edited since.
 */
export function unmergePatient(ctx: Ctx, mergedId: string) {
  const merged = named(ctx, mergedId, 'mergedId');
  if (!merged.mergedInto) throw new ApiFailure('conflict', `MRN ${merged.mrn} is not merged into another record`, { mergedId: 'Not merged' });
  const record = ctx.db
    .select()
    .from(patientMerges)
    .where(and(eq(patientMerges.mergedId, merged.id), isNull(patientMerges.undoneAt), isNull(patientMerges.deletedAt)))
    .orderBy(desc(patientMerges.mergedAt))
    .get();
  if (!record) throw new ApiFailure('conflict', `No merge of MRN ${merged.mrn} is recorded on this workstation yet: sync, then try again`, { mergedId: 'No merge record' });
  // First, so the server does not send the rows moved back here on to the survivor again.
  ctx.write.update(patients, merged.id, { mergedInto: null });
  // Undone before the rows go back: the server moves a row back only under an undone merge that moved it.
  ctx.write.update(patientMerges, record.id, { undoneAt: ctx.now(), undoneBy: ctx.session.userId });
  const survivor = requirePatient(ctx, record.survivorId);
  const restore: Record<string, unknown> = {};
  for (const [col, v] of Object.entries(record.previousValues as Record<string, { before: unknown; after: unknown }>)) {
    if (same(survivor[col as keyof PatientRow], v.after)) restore[col] = v.before;
  }
  const after = ctx.write.update(patients, survivor.id, restore);
  const back: Record<string, string[]> = {};
  const byName = new Map(MOVED_TABLES.map((t) => [t.name, t.table]));
  for (const [name, ids] of Object.entries(record.moved)) {
    const table = byName.get(name);
    if (!table) continue;
    for (const id of ids) {
      const row = ctx.sqlite.prepare(`SELECT patient_id FROM "${name}" WHERE id = ?`).pluck().get(id);
      if (row !== survivor.id) continue;
      ctx.write.update(table, id, { patientId: merged.id });
      back[name] = [...(back[name] ?? []), id];
    }
  }
  indexPatient(ctx.sqlite, after);
  ctx.describe({ entityType: 'patients', entityId: merged.id, detail: `undid the merge of MRN ${merged.mrn} into MRN ${survivor.mrn}; moved back ${describeMoved(back)}` });
  return { survivor: toView(ctx, after), restored: toView(ctx, requirePatient(ctx, merged.id)), movedBack: countMoved(back) };
}

/** The merge of a merged record, for its card: into whom, by whom, and whether it can be undone. */
export function mergeOf(ctx: Pick<Ctx, 'db'>, patient: PatientRow) {
  if (!patient.mergedInto) return null;
  const into = ctx.db.select().from(patients).where(eq(patients.id, survivorOf(ctx.db, patient.id))).get();
  const record = ctx.db
    .select({ id: patientMerges.id, mergedAt: patientMerges.mergedAt, mergedBy: patientMerges.mergedBy })
    .from(patientMerges)
    .where(and(eq(patientMerges.mergedId, patient.id), isNull(patientMerges.undoneAt)))
    .orderBy(desc(patientMerges.mergedAt))
    .get();
  return { intoId: into?.id ?? patient.mergedInto, intoMrn: into?.mrn ?? null, intoName: into ? displayName(into) : null, mergeId: record?.id ?? null, mergedAt: record?.mergedAt ?? null };
}
