import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import { drugs, patients, prescriptionFavourites, prescriptions, visits, type PrescriptionItem } from '../../db/schema';
import type { Row } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { addDays } from '../../shared/clinic-time';
import { dispensedByItem } from './pharmacy/dispense';
import { requireClinicalAccess } from './consultations';
import { prepareItem } from '../../shared/rx-item';
import { allergyWarnings, duplicateWarnings, type SafetyWarning } from './drug-safety';
import { getWorkstation, nextInSeries } from './workstation';
import { forgetPersonalCodes } from './icd10-personal';

type Ctx = AuthedContext;
type PrescriptionRow = Row<typeof prescriptions>;

export interface PrescriptionFields {
  items: PrescriptionItem[];
  advice?: string | null | undefined;
  adviceHi?: string | null | undefined;
  diet?: string | null | undefined;
  investigations?: string | null | undefined;
  followUpDate?: string | null | undefined;
}

function requireVisit(ctx: Ctx, visitId: string) {
  const v = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!v || v.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  return v;
}

/** The visit, if the caller is its doctor (the only one who writes, prints or exports its prescription as a PDF). */
export function requireOwnVisit(ctx: Ctx, visitId: string) {
  const v = requireVisit(ctx, visitId);
  if (v.doctorId !== ctx.session?.userId) throw new ApiFailure('forbidden', 'Only the doctor the patient is checked in with writes this prescription.');
  return v;
}

export function prescriptionOf(ctx: Pick<Ctx, 'db'>, visitId: string): PrescriptionRow | undefined {
  return ctx.db.select().from(prescriptions).where(and(eq(prescriptions.visitId, visitId), isNull(prescriptions.deletedAt))).get();
}

/** Items of this patient's earlier prescriptions whose course has not run out yet. */
function activeElsewhere(ctx: Ctx, patientId: string, visitId: string, today: string) {
  const rows = ctx.db
    .select({ items: prescriptions.items, createdAt: prescriptions.createdAt, visitDate: visits.date })
    .from(prescriptions)
    .innerJoin(visits, eq(visits.id, prescriptions.visitId))
    .where(and(eq(prescriptions.patientId, patientId), ne(prescriptions.visitId, visitId), isNull(prescriptions.deletedAt)))
    .orderBy(desc(prescriptions.createdAt))
    .limit(20)
    .all();
  return rows.flatMap((r) =>
    r.items
      .filter((i) => i.durationDays !== null && addDays(r.visitDate, i.durationDays) > today)
      .map((i) => ({ genericName: i.genericName, until: addDays(r.visitDate, i.durationDays!) })),
  );
}

function classesOf(ctx: Pick<Ctx, 'db'>, item: Pick<PrescriptionItem, 'drugId'>): string[] {
  if (!item.drugId) return [];
  return ctx.db.select({ classes: drugs.classes }).from(drugs).where(eq(drugs.id, item.drugId)).get()?.classes ?? [];
}

/** Every warning for one item, given the rest of the prescription. Checked offline, on this device. */
export function itemWarnings(ctx: Ctx, visit: { id: string; patientId: string; date: string }, item: Pick<PrescriptionItem, 'drugId' | 'genericName'>, others: PrescriptionItem[]): SafetyWarning[] {
  const patient = ctx.db.select({ allergies: patients.allergies }).from(patients).where(eq(patients.id, visit.patientId)).get();
  const drug = { genericName: item.genericName, classes: classesOf(ctx, item) };
  return [
    ...allergyWarnings(drug, patient?.allergies ?? []),
    ...duplicateWarnings(drug, others, activeElsewhere(ctx, visit.patientId, visit.id, visit.date)),
  ];
}

/** What the doctor is told before adding a drug (the save refuses it until acknowledged). */
export function checkItem(ctx: Ctx, input: { visitId: string; item: Pick<PrescriptionItem, 'drugId' | 'genericName'>; others: PrescriptionItem[] }) {
  const visit = requireOwnVisit(ctx, input.visitId);
  return itemWarnings(ctx, visit, input.item, input.others);
}

export function getPrescription(ctx: Ctx, visitId: string) {
  const visit = requireVisit(ctx, visitId);
  requireClinicalAccess(ctx, visit.patientId);
  const row = prescriptionOf(ctx, visitId);
  ctx.describe({ entityType: 'prescriptions', entityId: row?.id ?? visitId });
  return {
    visitId,
    patientId: visit.patientId,
    prescription: row
      ? {
          id: row.id,
          rxNumber: row.rxNumber,
          status: row.status,
          items: row.items,
          advice: row.advice,
          adviceHi: row.adviceHi,
          diet: row.diet,
          investigations: row.investigations,
          followUpDate: row.followUpDate,
          printedAt: row.printedAt,
          printCount: row.printCount,
        }
      : null,
  };
}

/** The jobs that lock the prescription when they finish (a preview locks nothing). */
export const PRINT_JOB_KINDS = { print: 'prescriptions.print', pdf: 'prescriptions.pdf' } as const;

/**
 * A first print of this prescription still running on this workstation. The job owns the
 * prescription's id (ctx.describe before jobs.start), and it locks what it put on paper.
 */
function printPending(ctx: Ctx, rxId: string): boolean {
  const kinds: string[] = Object.values(PRINT_JOB_KINDS);
  return ctx.jobRunner.list().some((j) => j.view.status === 'running' && kinds.includes(j.view.kind) && j.owner.entityId === rxId);
}

/** The same drug on the line: what the pharmacy gave against it stays given against it. */
const sameDrug = (a: PrescriptionItem, b: PrescriptionItem) =>
  a.drugId === b.drugId && [a.genericName, a.strength, a.form].join('|').toLowerCase() === [b.genericName, b.strength, b.form].join('|').toLowerCase();

/**
 * The pharmacy counts what it gave by the item's position (dispense_lines.item_index), so an item
 * dispensed from keeps its place and its drug: removed, moved or swapped, what was given would
 * count against another drug. Its dose or course may change, and new items go below.
 */
function requireDispensedKept(ctx: Ctx, existing: PrescriptionRow, items: PrescriptionItem[]) {
  // Only what the patient still has: an item whose units all came back is the doctor's to change
  // again (an allergy found after the pharmacy gave it), as the pharmacy counts it as never given.
  const kept = [...dispensedByItem(ctx, existing.id).keys()].sort((a, b) => a - b);
  for (const i of kept) {
    const before = existing.items[i];
    const now = items[i];
    if (before && !(now && sameDrug(before, now))) {
      throw new ApiFailure('conflict', `${before.genericName} has been dispensed: it cannot be removed or changed; add new items below it.`, {
        [`items.${i}`]: `${before.genericName} dispensed: keep it here`,
      });
    }
  }
}

/**
 * Saves the whole prescription (autosave). Every item is checked again here; an item whose
 * warnings were not all acknowledged is refused, naming the item and the warning.
 */
export function savePrescription(ctx: Ctx, input: { visitId: string } & PrescriptionFields) {
  const visit = requireOwnVisit(ctx, input.visitId);
  const existing = prescriptionOf(ctx, input.visitId);
  if (existing?.status === 'printed') {
    throw new ApiFailure('conflict', `Prescription ${existing.rxNumber} has been printed and is locked. Write a new one at the next visit.`, {
      visitId: 'Printed: locked',
    });
  }
  // A save now would lock a record that differs from the paper coming out of the printer.
  if (existing && printPending(ctx, existing.id)) {
    throw new ApiFailure('conflict', `Prescription ${existing.rxNumber} is being printed; it is locked once the print finishes. If the print fails, change it then.`, {
      visitId: 'Printing: not saved',
    });
  }
  if (existing) requireDispensedKept(ctx, existing, input.items);
  const fields: Record<string, string> = {};
  const acknowledgements: string[] = [];
  const items = preparedItems(ctx, input.items, fields);
  input.items.forEach((item, i) => {
    const others = input.items.filter((_, j) => j !== i);
    for (const w of itemWarnings(ctx, visit, item, others)) {
      if (!item.acknowledged.includes(w.code)) fields[`items.${i}`] ??= `Not acknowledged: ${w.message}`;
      else acknowledgements.push(`${item.genericName}: ${w.message}`);
    }
  });
  if (Object.keys(fields).length > 0) {
    const [k, v] = Object.entries(fields)[0]!;
    throw new ApiFailure('invalid_input', `${k}: ${v}`, fields);
  }
  const values = {
    items,
    advice: input.advice ?? null,
    adviceHi: input.adviceHi ?? null,
    diet: input.diet ?? null,
    investigations: input.investigations ?? null,
    followUpDate: input.followUpDate ?? null,
  };
  const row = existing
    ? ctx.write.update(prescriptions, existing.id, values)
    : ctx.write.insert(prescriptions, {
        ...values,
        visitId: visit.id,
        patientId: visit.patientId,
        doctorId: visit.doctorId,
        rxNumber: `${getWorkstation(ctx.db).seriesPrefix}/RX/${String(nextInSeries(ctx.db, 'prescription')).padStart(6, '0')}`,
        status: 'draft',
      });
  // Acknowledged warnings are part of the clinical record of this decision: name them in the audit.
  if (acknowledgements.length > 0) ctx.describe({ detail: `warnings acknowledged: ${acknowledgements.join(' | ')}` });
  return { prescriptionId: row.id, rxNumber: row.rxNumber, status: row.status, savedAt: row.updatedAt };
}

/**
 * The items as they are kept (shared/rx-item.ts): steps checked and written out, the quantity worked
 * out wherever it can be (from the formulary's pack size for liquids and insulin), so every client
 * prints the same. A problem is put in `fields` under the item.
 */
function preparedItems(ctx: Ctx, items: PrescriptionItem[], fields: Record<string, string>): PrescriptionItem[] {
  return items.map((item, i) => {
    const packSize = item.packSize ?? (item.drugId ? ctx.db.select({ packSize: drugs.packSize }).from(drugs).where(eq(drugs.id, item.drugId)).get()?.packSize : null);
    const prepared = prepareItem(packSize ? { ...item, packSize } : item);
    if (prepared.ok) return prepared.item;
    fields[`items.${i}`] ??= prepared.error;
    return item;
  });
}

/** The items of the patient's most recent earlier prescription, to start from ("repeat last"). */
export function lastPrescription(ctx: Ctx, visitId: string) {
  const visit = requireOwnVisit(ctx, visitId);
  const found = ctx.db
    .select({ last: prescriptions, visitDate: visits.date })
    .from(prescriptions)
    .innerJoin(visits, eq(visits.id, prescriptions.visitId))
    .where(and(eq(prescriptions.patientId, visit.patientId), ne(prescriptions.visitId, visitId), isNull(prescriptions.deletedAt)))
    .orderBy(desc(prescriptions.createdAt))
    .get();
  if (!found) return null;
  const { last, visitDate } = found;
  // Dated by its visit (the clinic's day), as it was printed: the UTC date of createdAt is the day
  // before for anything written between midnight and 05:30 in India.
  return { rxNumber: last.rxNumber, date: visitDate, items: last.items.map((i) => ({ ...i, acknowledged: [] })), advice: last.advice };
}

export function saveFavourite(ctx: Ctx, input: { kind: 'drug' | 'diagnosis'; key: string; name: string; items: PrescriptionItem[] }) {
  const doctorId = ctx.session.userId;
  const items = input.items.map((i) => ({ ...i, acknowledged: [] }));
  const existing = ctx.db
    .select()
    .from(prescriptionFavourites)
    .where(and(eq(prescriptionFavourites.doctorId, doctorId), eq(prescriptionFavourites.kind, input.kind), eq(prescriptionFavourites.key, input.key), isNull(prescriptionFavourites.deletedAt)))
    .get();
  const row = existing
    ? ctx.write.update(prescriptionFavourites, existing.id, { name: input.name, items })
    : ctx.write.insert(prescriptionFavourites, { doctorId, kind: input.kind, key: input.key, name: input.name, items });
  // A favourite diagnosis set comes first in the doctor's ICD-10 search: read it again next time.
  forgetPersonalCodes(ctx.sqlite, doctorId);
  return { id: row.id, kind: row.kind, key: row.key, name: row.name };
}

export function listFavourites(ctx: Ctx, kind?: 'drug' | 'diagnosis') {
  const where = [eq(prescriptionFavourites.doctorId, ctx.session.userId), isNull(prescriptionFavourites.deletedAt)];
  if (kind) where.push(eq(prescriptionFavourites.kind, kind));
  return ctx.db
    .select({ id: prescriptionFavourites.id, kind: prescriptionFavourites.kind, key: prescriptionFavourites.key, name: prescriptionFavourites.name, items: prescriptionFavourites.items })
    .from(prescriptionFavourites)
    .where(and(...where))
    .orderBy(prescriptionFavourites.name)
    .all();
}

export function deleteFavourite(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(prescriptionFavourites).where(eq(prescriptionFavourites.id, id)).get();
  if (!row || row.deletedAt !== null || row.doctorId !== ctx.session.userId) throw new ApiFailure('not_found', 'No such favourite.', { id: 'No such favourite' });
  ctx.write.remove(prescriptionFavourites, id);
  forgetPersonalCodes(ctx.sqlite, row.doctorId);
  return { removed: true };
}
