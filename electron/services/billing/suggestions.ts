import { and, asc, desc, eq, isNull, lt, lte, ne } from 'drizzle-orm';
import { doctorProfiles, drugs, invoices, labOrders, labTests, prescriptions, visits } from '../../../db/schema';
import type { Row } from '../../../db/write';
import { ApiFailure } from '../../core/context';
import { dispensableQuantity } from '../../../shared/dispensable';
import { dispensedForVisit, type BillOnRecord } from '../pharmacy/visit-bill';
import { type Ctx, userName } from './common';
import type { LineInput } from './totals';

/* Suggested lines for a visit. */

export const SAC_CONSULTATION = '999312';
export const SAC_LAB = '999316';
export const HSN_MEDICINE = '3004';
/** Most medicines carry 5% GST; used when the formulary row has no rate. */
const DEFAULT_MEDICINE_GST_BP = 500;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function shortDay(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-IN', { day: 'numeric', month: 'short', timeZone: 'UTC' });
}

/**
 * Draft lines for a visit that the cashier edits before saving: the doctor's fee (the follow-up
 * fee within the doctor's follow-up window after a completed visit), the tests ordered, and the
 * prescribed medicines (those without an MRP at ₹0, for the cashier to price).
 */
export function suggestLines(ctx: Ctx, visitId: string) {
  const visit = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!visit || visit.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  ctx.describe({ entityType: 'visits', entityId: visit.id, detail: 'billing suggestion (fee, tests, medicines)' });
  const lines: LineInput[] = [];
  const notes: string[] = [];
  const existingRows = ctx.db
    .select({ id: invoices.id, invoiceNumber: invoices.invoiceNumber, status: invoices.status, lines: invoices.lines, createdAt: invoices.createdAt })
    .from(invoices)
    .where(and(eq(invoices.visitId, visit.id), ne(invoices.status, 'void'), isNull(invoices.deletedAt)))
    .orderBy(asc(invoices.createdAt), asc(invoices.id))
    .all();
  // A second bill for the visit carries only what its earlier bills do not (fee, tests, medicines).
  const billed = existingRows.flatMap((e) => e.lines);

  if (billed.some((l) => l.kind === 'consultation' || l.kind === 'follow-up')) notes.push("The consultation is already on this visit's bill.");
  else suggestFee(ctx, visit, lines, notes);

  const tests = ctx.db
    .select({ testId: labTests.id, name: labTests.name, pricePaise: labTests.pricePaise })
    .from(labOrders)
    .innerJoin(labTests, eq(labTests.id, labOrders.testId))
    .where(and(eq(labOrders.visitId, visit.id), ne(labOrders.status, 'cancelled'), isNull(labOrders.deletedAt)))
    .orderBy(asc(labOrders.createdAt))
    .all();
  // Each test billed once per order: an order already on a bill is not offered again.
  const testsBilled = new Map<string, number>();
  for (const l of billed) if (l.kind === 'lab' && l.refId !== null) testsBilled.set(l.refId, (testsBilled.get(l.refId) ?? 0) + 1);
  for (const t of tests) {
    const left = testsBilled.get(t.testId) ?? 0;
    if (left > 0) {
      testsBilled.set(t.testId, left - 1);
      continue;
    }
    lines.push({ kind: 'lab', refId: t.testId, description: t.name, sacHsn: SAC_LAB, quantity: 1, ratePaise: t.pricePaise, discountPaise: 0, gstRateBp: 0, taxInclusive: false });
  }

  suggestMedicines(ctx, visit, existingRows.map((e) => ({ at: e.createdAt, lines: e.lines })), lines, notes);

  const existing = existingRows.map(({ id, invoiceNumber, status }) => ({ id, invoiceNumber, status }));
  for (const e of existing) notes.push(`This visit already has ${e.invoiceNumber ? `invoice ${e.invoiceNumber}` : 'a draft invoice'} (${e.status}).`);
  return { visitId: visit.id, patientId: visit.patientId, doctorId: visit.doctorId, lines, notes, existingInvoices: existing };
}

type Visit = Row<typeof visits>;

/** The consultation line: the follow-up fee within the doctor's follow-up window after a completed visit. */
function suggestFee(ctx: Ctx, visit: Visit, lines: LineInput[], notes: string[]) {
  const profile = ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, visit.doctorId)).get();
  const doctorName = userName(ctx, visit.doctorId) ?? 'The doctor';
  if (!profile) {
    notes.push(`${doctorName} has no fees set up (Doctors screen); add the consultation line by hand.`);
  } else {
    const previous = ctx.db
      .select({ date: visits.date })
      .from(visits)
      .where(
        and(
          eq(visits.patientId, visit.patientId),
          eq(visits.doctorId, visit.doctorId),
          eq(visits.status, 'done'),
          ne(visits.id, visit.id),
          lte(visits.date, visit.date),
          lt(visits.checkedInAt, visit.checkedInAt),
          isNull(visits.deletedAt),
        ),
      )
      .orderBy(desc(visits.date), desc(visits.checkedInAt))
      .get();
    const gap = previous ? daysBetween(previous.date, visit.date) : null;
    const followUp = previous && gap !== null && gap <= profile.followUpWindowDays;
    lines.push({
      kind: followUp ? 'follow-up' : 'consultation',
      refId: visit.doctorId,
      description: followUp
        ? `Follow-up consultation (within ${profile.followUpWindowDays} days of ${shortDay(previous.date)})`
        : 'Consultation',
      sacHsn: SAC_CONSULTATION,
      quantity: 1,
      ratePaise: followUp ? profile.followUpFeePaise : profile.consultationFeePaise,
      discountPaise: 0,
      gstRateBp: 0,
      taxInclusive: false,
    });
  }
}

/** The pharmacy's dispensed lines once it has given any; else a line for each prescribed medicine in the formulary (at ₹0, to be priced, when it has no MRP); a note for each that has none. */
function suggestMedicines(ctx: Ctx, visit: Visit, bills: BillOnRecord[], lines: LineInput[], notes: string[]) {
  const rx = ctx.db.select().from(prescriptions).where(and(eq(prescriptions.visitId, visit.id), isNull(prescriptions.deletedAt))).get();
  // Once the pharmacy has dispensed, the bill is what it gave (never the prescription as well).
  const dispensed = dispensedForVisit(ctx, visit.id, rx?.items ?? [], bills);
  if (dispensed) {
    lines.push(...dispensed.lines);
    notes.push(...dispensed.notes);
    return;
  }
  for (const item of rx?.items ?? []) {
    const drug = item.drugId ? ctx.db.select().from(drugs).where(eq(drugs.id, item.drugId)).get() : undefined;
    const name = [item.genericName.toUpperCase(), item.strength, item.form].filter(Boolean).join(' ') + (item.brand ? ` (${item.brand})` : '');
    if (!drug) {
      notes.push(`${name}: not in the formulary, not added.`);
      continue;
    }
    // No MRP (the starter list has none): the line comes without a price, which the cashier enters on it.
    if (drug.mrpPaise === null) notes.push(`${name}: no MRP in the formulary; enter its price on line ${lines.length + 1}.`);
    // A bill line counts packs: a quantity in ml (pack size unknown) is not a number of packs. The
    // pharmacy counts by the same rule (shared/dispensable.ts).
    const counted = dispensableQuantity(item);
    const quantity = counted !== null && counted > 0 ? counted : 1;
    if (counted === null && item.quantity) notes.push(`${name}: ${item.quantity} ${item.quantityUnit ?? ''} prescribed and the pack size is not known; 1 assumed.`);
    else if (quantity !== counted) notes.push(`${name}: the prescription gives no quantity; 1 assumed.`);
    if (drug.gstRateBp === null) notes.push(`${name}: no GST rate in the formulary; 5% assumed.`);
    lines.push({
      kind: 'medicine',
      refId: drug.id,
      description: name,
      sacHsn: drug.hsnCode ?? HSN_MEDICINE,
      quantity,
      ratePaise: drug.mrpPaise ?? 0,
      discountPaise: 0,
      gstRateBp: drug.gstRateBp ?? DEFAULT_MEDICINE_GST_BP,
      taxInclusive: true,
    });
  }
}
