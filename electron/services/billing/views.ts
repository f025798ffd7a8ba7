import { asc, eq, isNull } from 'drizzle-orm';
import { doctorProfiles, facility, patients, payments, refunds, users, type InvoiceTotals } from '../../../db/schema';
import { amountInWords, computeInvoice, documentType, formatRupees } from '../../../shared/money';
import { displayName } from '../patient-search';
import { type Ctx, type InvoiceRow, requireInvoice, userName } from './common';
import { discountOf } from './totals';
import { ledgerTotals, type InvoiceLedger } from './ledger';
import { issuesView } from './issues';
import { creditNotesOf, type CreditNoteView } from './credit-notes';
import { supplyKindOf } from '../../../shared/supply';

/* What the screens and printouts see of an invoice. */

export type StatusLabel = 'draft' | 'issued' | 'partially paid' | 'paid' | 'partly refunded' | 'refunded' | 'credited' | 'void';

/**
 * What the bill reads: a line refund takes the line off what the bill comes to (credited) as it
 * gives the money back, so a paid bill stays paid ("partly refunded", "refunded"), never due. Lines
 * taken off a bill not paid for give no money back: once the rest is paid, the bill reads paid;
 * every line taken off a bill nobody paid reads "credited" (nothing was refunded).
 */
export function statusLabel(status: InvoiceRow['status'], totalPaise: number, netPaidPaise: number, creditedPaise = 0, refundedPaise = creditedPaise): StatusLabel {
  if (status !== 'issued') return status;
  if (netPaidPaise >= totalPaise - creditedPaise) {
    if (creditedPaise <= 0) return 'paid';
    if (creditedPaise >= totalPaise) return refundedPaise > 0 ? 'refunded' : 'credited';
    return refundedPaise > 0 ? 'partly refunded' : 'paid';
  }
  return netPaidPaise > 0 ? 'partially paid' : 'issued';
}

export function summary(ctx: Pick<Ctx, 'db'>, row: InvoiceRow, ledger?: InvoiceLedger) {
  const { paid, refunded, credited } = ledger ?? ledgerTotals(ctx, row.id);
  const totalPaise = row.totals?.totalPaise ?? (row.status === 'draft' ? computeInvoice(row.lines, discountOf(row)).totals.totalPaise : 0);
  const net = paid - refunded;
  return {
    id: row.id,
    invoiceNumber: row.invoiceNumber,
    status: row.status,
    statusLabel: statusLabel(row.status, totalPaise, net, credited, refunded),
    totalPaise,
    paidPaise: net,
    grossPaidPaise: paid,
    refundedPaise: refunded,
    /** What refunded lines took off the bill. */
    creditedPaise: credited,
    ...dueAndCredit(row.status, totalPaise - credited, net),
  };
}

/**
 * What is still due on an issued bill, and what was paid beyond its total (a credit: two desks
 * took full payment offline). A credit is never shown as a negative balance: it is refunded or kept
 * as the patient's advance. Refunds count against what was paid, so a refund of the credit leaves
 * the bill paid with nothing due.
 */
export function dueAndCredit(status: InvoiceRow['status'], totalPaise: number, netPaidPaise: number) {
  if (status !== 'issued') return { balancePaise: 0, creditPaise: 0 };
  return { balancePaise: Math.max(0, totalPaise - netPaidPaise), creditPaise: Math.max(0, netPaidPaise - totalPaise) };
}

export function creditNotice(creditPaise: number): string | null {
  return creditPaise > 0 ? `Credit ${formatRupees(creditPaise)}: refund it or keep it as advance` : null;
}

function doctorCard(ctx: Pick<Ctx, 'db'>, doctorId: string | null) {
  if (!doctorId) return null;
  const u = ctx.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, doctorId)).get();
  const p = ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, doctorId)).get();
  return {
    id: doctorId,
    name: u?.fullName ?? '',
    qualifications: p?.qualifications ?? null,
    registrationCouncil: p?.registrationCouncil ?? null,
    /** NMC: receipts show the registration number. */
    registrationNumber: p?.registrationNumber ?? null,
    hprId: p?.hprId ?? null,
  };
}

function clinicCard(ctx: Pick<Ctx, 'db'>) {
  const f = ctx.db.select().from(facility).where(isNull(facility.deletedAt)).get();
  return {
    name: f?.name ?? '',
    address: f?.address ?? '',
    phone: f?.phone ?? '',
    gstin: f?.letterhead.gstin?.trim() || null,
    hfrId: f?.hfrId ?? null,
  };
}

/** The lines as shown: figures fixed at issue (or as a draft would come to), supply kind, and what refunds took back. */
function linesView(row: InvoiceRow, computed: ReturnType<typeof computeInvoice> | null, refs: (typeof refunds.$inferSelect)[]) {
  return row.lines.map((l, i) => {
    const back = refs.flatMap((r) => (r.lines ?? []).filter((x) => x.line === i));
    const c = computed?.lines[i];
    const taxablePaise = c?.taxablePaise ?? l.taxablePaise ?? 0;
    const cgstPaise = c?.cgstPaise ?? l.cgstPaise ?? 0;
    const sgstPaise = c?.sgstPaise ?? l.sgstPaise ?? 0;
    const grossPaise = l.quantity * l.ratePaise;
    // What the line came to after both discounts: tax included for MRP lines, before tax otherwise.
    const amountPaise = c?.amountPaise ?? (l.taxInclusive ? taxablePaise + cgstPaise + sgstPaise : taxablePaise);
    return {
      ...l,
      grossPaise,
      invoiceDiscountPaise: c?.invoiceDiscountPaise ?? grossPaise - l.discountPaise - amountPaise,
      amountPaise,
      taxablePaise,
      cgstPaise,
      sgstPaise,
      totalPaise: c?.totalPaise ?? l.totalPaise ?? taxablePaise + cgstPaise + sgstPaise,
      supplyKind: supplyKindOf(l),
      exemptionNote: l.exemptionNote ?? null,
      /** What refunds took back from this line: units (quantity refunds) and money, tax included. */
      refundedQuantity: back.reduce((s, r) => s + (r.quantity ?? 0), 0),
      refundedPaise: back.reduce((s, r) => s + r.amountPaise, 0),
    };
  });
}

export function invoiceView(ctx: Pick<Ctx, 'db'>, row: InvoiceRow) {
  const patient = ctx.db.select().from(patients).where(eq(patients.id, row.patientId)).get()!;
  const discount = discountOf(row);
  // A draft shows what it would come to; an issued invoice shows the figures fixed when issued.
  const computed = row.status === 'issued' || (row.status === 'void' && row.totals) ? null : computeInvoice(row.lines, discount);
  const refs = ctx.db.select().from(refunds).where(eq(refunds.invoiceId, row.id)).orderBy(asc(refunds.createdAt), asc(refunds.id)).all();
  const notes = creditNotesOf(ctx, row.id);
  const lines = linesView(row, computed, refs);
  const totals: InvoiceTotals = computed?.totals ?? row.totals!;
  const pays = ctx.db.select().from(payments).where(eq(payments.invoiceId, row.id)).orderBy(asc(payments.createdAt), asc(payments.id)).all();
  const paid = pays.reduce((s, p) => s + p.amountPaise, 0);
  const refunded = refs.reduce((s, r) => s + r.amountPaise, 0);
  // What the refunds took off the bill, refunds from before refunds by line included (ledger.ts).
  const { credited } = ledgerTotals(ctx, row.id);
  const net = paid - refunded;
  const owed = dueAndCredit(row.status, totals.totalPaise - credited, net);
  return {
    id: row.id,
    invoiceNumber: row.invoiceNumber,
    financialYear: row.financialYear,
    status: row.status,
    statusLabel: statusLabel(row.status, totals.totalPaise, net, credited, refunded),
    documentType: documentType(row.lines),
    patient: {
      id: patient.id,
      name: displayName(patient),
      mrn: patient.mrn,
      mobile: patient.mobile,
      abhaNumber: patient.abhaNumber,
      abhaAddress: patient.abhaAddress,
    },
    visitId: row.visitId,
    doctor: doctorCard(ctx, row.doctorId),
    clinic: clinicCard(ctx),
    lines,
    discount: discount
      ? { ...discount, reason: row.discountReason, approvedBy: row.discountApprovedBy, approvedByName: userName(ctx, row.discountApprovedBy) }
      : null,
    totals,
    amountInWords: amountInWords(totals.totalPaise),
    payments: pays.map((p) => ({
      id: p.id,
      mode: p.mode,
      amountPaise: p.amountPaise,
      reference: p.reference,
      receiptNumber: p.receiptNumber,
      receivedOn: p.receivedOn,
      receivedBy: userName(ctx, p.receivedBy),
    })),
    refunds: refundsView(ctx, refs, notes),
    /** Credit notes and refund vouchers issued against this bill. */
    creditNotes: notes,
    paidPaise: net,
    grossPaidPaise: paid,
    refundedPaise: refunded,
    creditedPaise: credited,
    ...owed,
    creditNotice: creditNotice(owed.creditPaise),
    /** Every number this bill was given; more than one when it was issued at two desks offline. */
    issues: issuesView(ctx, row),
    createdAt: row.createdAt,
    issuedAt: row.issuedAt,
    issuedOn: row.issuedOn,
    issuedBy: userName(ctx, row.issuedBy),
    voidReason: row.voidReason,
    voidedAt: row.voidedAt,
    voidedBy: userName(ctx, row.voidedBy),
  };
}

/** The bill's refunds: the lines each took back and the credit note or refund voucher it was issued with. */
function refundsView(ctx: Pick<Ctx, 'db'>, refs: (typeof refunds.$inferSelect)[], notes: CreditNoteView[]) {
  return refs.map((r) => {
    const note = notes.find((n) => n.refundId === r.id);
    return {
      id: r.id,
      mode: r.mode,
      amountPaise: r.amountPaise,
      /** What came off the bill (a line taken off an unpaid bill gives no money back but credits it). */
      creditedPaise: r.creditedPaise,
      reason: r.reason,
      refundedOn: r.refundedOn,
      refundedBy: userName(ctx, r.refundedBy),
      lines: r.lines ?? [],
      creditNote: note ? { id: note.id, kind: note.kind, title: note.title, number: note.number } : null,
    };
  });
}

export function getInvoice(ctx: Pick<Ctx, 'db'>, invoiceId: string) {
  return invoiceView(ctx, requireInvoice(ctx, invoiceId));
}

export type InvoiceView = ReturnType<typeof invoiceView>;
