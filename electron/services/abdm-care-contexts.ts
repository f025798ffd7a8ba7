import { eq } from 'drizzle-orm';
import { abdmCareContexts, users, visits, type AbdmHiType } from '../../db/schema';
import type { AuthedContext } from '../core/context';
import type { InvoiceView } from './billing';
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
 * transaction: its OPConsultRecord, and its PrescriptionRecord when the doctor wrote one, built by
 * the same builders as the FHIR exports. Made for every patient, with or without an ABHA address:
 * one added later can still discover and link the visit. Nothing when the visit already has one.
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
}

/**
 * Adds the issued invoice's InvoiceRecord to its visit's care context, in the issue's own
 * transaction (the rule book lets whoever may bill add a bundle, never change one): a consent for
 * the visit's invoice then gets it. Nothing when the invoice is not for a visit, the visit has no
 * care context (not completed yet), or the care context already holds an invoice (the first stays).
 */
export function addInvoiceToCareContext(ctx: AuthedContext, inv: InvoiceView): void {
  if (!inv.visitId || inv.status !== 'issued') return;
  const cc = ctx.db.select().from(abdmCareContexts).where(eq(abdmCareContexts.visitId, inv.visitId)).get();
  if (!cc || cc.deletedAt !== null || cc.hiTypes.includes('Invoice')) return;
  const bundle = invoiceBundle({ db: ctx.db, now: ctx.now, timeZone: ctx.settings.timeZone }, inv);
  ctx.write.update(abdmCareContexts, cc.id, { hiTypes: [...cc.hiTypes, 'Invoice'], bundles: { ...cc.bundles, Invoice: bundle } });
}
