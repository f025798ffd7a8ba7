import { and, desc, eq, isNull } from 'drizzle-orm';
import { abdmCareContexts, invoices, users, visits, type AbdmHiType } from '../../db/schema';
import { heldInvoiceId } from '../../shared/abdm-invoice-record';
import type { AuthedContext } from '../core/context';
import { invoiceView } from './billing/views';
import { invoiceBundle } from './billing-fhir';
import { opConsultBundle } from './fhir/op-consult';
import { prescriptionBundle } from './prescription-fhir';
import { prescriptionOf } from './prescriptions';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "OPD 06 Dec 2026, Dr Meera Rao": what the patient sees for this visit in their PHR app. */
export function careContextDisplay(date: string, doctorName: string): string {
  const [y, m, d] = date.split('-');
  const when = y && m && d ? `${d} ${MONTHS[Number(m) - 1] ?? m} ${y}` : date;
  return `OPD ${when}, ${doctorName}`;
}

/**
 * The visit's ABDM care context (docs/ABDM.md "Care contexts"), made in the completion's own
 * transaction: its OPConsultRecord, its PrescriptionRecord when the doctor wrote one (built by
 * the same builders as the FHIR exports), then the InvoiceRecord of a bill already issued. Made for
 * every patient, with or without an ABHA address: one added later can still discover and link the
 * visit. Nothing when the visit already has one.
 */
export function recordCareContext(ctx: AuthedContext, visitId: string): void {
  const visit = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!visit) return;
  if (ctx.db.select({ id: abdmCareContexts.id }).from(abdmCareContexts).where(eq(abdmCareContexts.visitId, visitId)).get()) return;
  const deps = { db: ctx.db, timeZone: ctx.settings.timeZone };
  const bundles: Partial<Record<AbdmHiType, unknown>> = { OPConsultation: opConsultBundle(deps, visitId) };
  const hiTypes: AbdmHiType[] = ['OPConsultation'];
  const rx = prescriptionOf(ctx, visitId);
  if (rx && rx.items.length > 0) {
    bundles.Prescription = prescriptionBundle(deps, visitId);
    hiTypes.push('Prescription');
  }
  const doctor = ctx.db.select({ name: users.fullName }).from(users).where(eq(users.id, visit.doctorId)).get();
  ctx.write.insert(abdmCareContexts, {
    patientId: visit.patientId,
    visitId,
    doctorId: visit.doctorId,
    reference: visitId,
    display: careContextDisplay(visit.date, doctor?.name ?? 'doctor'),
    hiTypes,
    bundles,
  });
  // A bill issued before completion (paid at the front desk first) joins the record as a change of
  // its own: the server judges it against the bill as it stands there, and refusing it (the bill was
  // voided meanwhile at another desk) must not refuse the visit's clinical record with it.
  followVisitBills(ctx, visitId);
}

/**
 * The InvoiceRecord a visit's care context should hold: 'keep' while the bill it holds is still
 * issued; else that of the visit's latest issued, non-void bill; else null (no Invoice record).
 * One bill per care context: the profile's section takes one Invoice and `bundles` one bundle per
 * hiType, and the one held is not swapped for a later bill while it stands (docs/ABDM.md).
 */
function invoiceRecordFor(ctx: AuthedContext, visitId: string, held: unknown): 'keep' | { bundle: unknown } | null {
  const heldId = heldInvoiceId(held);
  if (heldId && ctx.db.select({ status: invoices.status }).from(invoices).where(eq(invoices.id, heldId)).get()?.status === 'issued') return 'keep';
  const current = ctx.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.visitId, visitId), eq(invoices.status, 'issued'), isNull(invoices.deletedAt)))
    .orderBy(desc(invoices.issuedAt), desc(invoices.id))
    .get();
  if (!current) return null;
  // The bill as issued: credit notes are documents of their own, and this record never has to
  // change with a refund (the server checks its totals against the bill's).
  const view = { ...invoiceView(ctx, current), creditNotes: [], creditedPaise: 0 };
  return { bundle: invoiceBundle({ db: ctx.db, now: ctx.now, timeZone: ctx.settings.timeZone }, view) };
}

/**
 * Keeps the visit's care context's Invoice record on the visit's current bill, in the or
 * void's own transaction (after the bill's own change, which the rule book's check reads): a
 * consent for the visit's invoice then gets the bill that stands, never a voided one. A void with
 * no other bill standing removes the record (docs/ABDM.md says why not a cancelled Invoice).
 * Nothing when the visit has no care context yet (not completed: completion adds the bill then).
 */
export function followVisitBills(ctx: AuthedContext, visitId: string | null): void {
  if (!visitId) return;
  const cc = ctx.db.select().from(abdmCareContexts).where(eq(abdmCareContexts.visitId, visitId)).get();
  if (!cc || cc.deletedAt !== null) return;
  const bundles: Partial<Record<AbdmHiType, unknown>> = { ...cc.bundles };
  const next = invoiceRecordFor(ctx, visitId, bundles.Invoice);
  if (next === 'keep' || (next === null && bundles.Invoice === undefined)) return;
  if (next === null) delete bundles.Invoice;
  else bundles.Invoice = next.bundle;
  const hiTypes: AbdmHiType[] = cc.hiTypes.filter((t) => t !== 'Invoice');
  if (next !== null) hiTypes.push('Invoice');
  ctx.write.update(abdmCareContexts, cc.id, { hiTypes, bundles });
}
