import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { invoices, patients } from '../../../db/schema';
import { localDate } from '../../../shared/clinic-time';
import { documentType } from '../../../shared/money';
import { displayName } from '../patient-search';
import { type Ctx, requireInvoice, userName } from './common';
import { ledgerMap, refundSums } from './ledger';
import { type StatusLabel, summary } from './views';

/* Lists of invoices: the day's bills and the money still due. */

export function listInvoices(
  ctx: Ctx,
  input: { date?: string | undefined; patientId?: string | undefined; status?: StatusLabel | undefined; limit?: number | undefined },
) {
  const where = [isNull(invoices.deletedAt)];
  if (input.patientId) where.push(eq(invoices.patientId, input.patientId));
  if (input.date) where.push(or(eq(invoices.issuedOn, input.date), isNull(invoices.issuedOn))!);
  if (input.status === 'draft' || input.status === 'void') where.push(eq(invoices.status, input.status));
  else if (input.status) where.push(eq(invoices.status, 'issued'));
  const limit = input.limit ?? 200;
  const rows = ctx.db
    .select({ i: invoices, p: { givenName: patients.givenName, familyName: patients.familyName, mrn: patients.mrn } })
    .from(invoices)
    .innerJoin(patients, eq(patients.id, invoices.patientId))
    .where(and(...where))
    .orderBy(desc(invoices.createdAt), desc(invoices.id))
    .all()
    // A draft has no issue day: it belongs to the day it was raised.
    .filter(({ i }) => !input.date || i.issuedOn === input.date || localDate(i.createdAt, ctx.settings.timeZone) === input.date);
  const ledgers = ledgerMap(ctx, rows.map((r) => r.i.id));
  const doctors = new Map<string, string>();
  const out = [];
  for (const { i, p } of rows) {
    const s = summary(ctx, i, ledgers.get(i.id));
    if (input.status && s.statusLabel !== input.status) continue;
    if (i.doctorId && !doctors.has(i.doctorId)) doctors.set(i.doctorId, userName(ctx, i.doctorId) ?? '');
    out.push({
      ...s,
      documentType: documentType(i.lines),
      patientId: i.patientId,
      patientName: displayName(p),
      mrn: p.mrn,
      visitId: i.visitId,
      doctorId: i.doctorId,
      doctorName: i.doctorId ? doctors.get(i.doctorId)! : null,
      createdAt: i.createdAt,
      issuedOn: i.issuedOn,
    });
    if (out.length >= limit) break;
  }
  return out;
}

/** Issued invoices with money still due, oldest first. */
export function listDues(ctx: Ctx) {
  // A line refund takes the line off the bill (credited) as it gives the money back: never a due.
  // What each refund credits, old refunds included, is read in one place (ledger.ts, refundCredits).
  const rows = ctx.db.all<{ id: string; paid: number; refunded: number; credited: number }>(sql`
    SELECT i.id AS id, coalesce(p.s, 0) AS paid, coalesce(r.s, 0) AS refunded, coalesce(r.c, 0) AS credited
    FROM invoices i
    LEFT JOIN (SELECT invoice_id, sum(amount_paise) AS s FROM payments WHERE invoice_id IS NOT NULL GROUP BY invoice_id) p ON p.invoice_id = i.id
    LEFT JOIN (${refundSums()}) r ON r.invoice_id = i.id
    WHERE i.status = 'issued' AND i.deleted_at IS NULL
      AND json_extract(i.totals, '$.totalPaise') - coalesce(r.c, 0) > coalesce(p.s, 0) - coalesce(r.s, 0)
    ORDER BY i.issued_at, i.id`);
  const invoicesDue = rows.map((r) => {
    const i = requireInvoice(ctx, r.id);
    const p = ctx.db.select().from(patients).where(eq(patients.id, i.patientId)).get()!;
    const s = summary(ctx, i, r);
    return {
      ...s,
      patientId: p.id,
      patientName: displayName(p),
      mrn: p.mrn,
      mobile: p.mobile,
      doctorName: userName(ctx, i.doctorId),
      issuedOn: i.issuedOn,
    };
  });
  return { invoices: invoicesDue, count: invoicesDue.length, totalDuePaise: invoicesDue.reduce((s, i) => s + i.balancePaise, 0) };
}

/** Issued invoices paid beyond their total (a credit to refund or keep as advance), oldest first. */
export function listCredits(ctx: Ctx, patientId?: string) {
  const rows = ctx.db.all<{ id: string; paid: number; refunded: number; credited: number }>(sql`
    SELECT i.id AS id, coalesce(p.s, 0) AS paid, coalesce(r.s, 0) AS refunded, coalesce(r.c, 0) AS credited
    FROM invoices i
    JOIN (SELECT invoice_id, sum(amount_paise) AS s FROM payments WHERE invoice_id IS NOT NULL GROUP BY invoice_id) p ON p.invoice_id = i.id
    LEFT JOIN (${refundSums()}) r ON r.invoice_id = i.id
    WHERE i.status = 'issued' AND i.deleted_at IS NULL AND (${patientId ?? null} IS NULL OR i.patient_id = ${patientId ?? null})
      AND p.s - coalesce(r.s, 0) > json_extract(i.totals, '$.totalPaise') - coalesce(r.c, 0)
    ORDER BY i.issued_at, i.id`);
  const invoicesWithCredit = rows.map((r) => {
    const i = requireInvoice(ctx, r.id);
    const p = ctx.db.select().from(patients).where(eq(patients.id, i.patientId)).get()!;
    return { ...summary(ctx, i, r), patientId: p.id, patientName: displayName(p), mrn: p.mrn, issuedOn: i.issuedOn };
  });
  return { invoices: invoicesWithCredit, count: invoicesWithCredit.length, totalCreditPaise: invoicesWithCredit.reduce((s, i) => s + i.creditPaise, 0) };
}
