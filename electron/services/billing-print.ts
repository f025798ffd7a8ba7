import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { auditLog, dayEnds, doctorProfiles, facility, localMeta, patients, payments, users } from '../../db/schema';
import { ApiFailure, type AuthedContext } from '../core/context';
import { renderDayEndPdf, type DayEndSummary } from '../pdf/day-end';
import { renderInvoicePdf, type InvoiceClinic, type InvoiceDoctor, type InvoicePatient, type ReceiptDoc, type TaxInvoiceDoc } from '../pdf/invoice';
import { advanceBalance, dayEnd, getInvoice, ledgerTotals } from './billing';
import { ageOn, localDate, localTime } from '../../shared/clinic-time';
import type { Paper } from '../../shared/paper';
import { formatRupees } from '../../shared/money';
import { displayName } from './patient-search';
import { getPrintSettings } from './printing';

/**
 * Invoices, receipts and the day-end report as PDFs ("Save as PDF") and on paper (the app's spooler),
 * each as a background job, like prescriptions. Every export and print is audited by the router
 * (the call names the invoice or payment it was about).
 *
 * Reprints say DUPLICATE. The copies already made are counted from the audit log (which is
 * synced, so another workstation's copies count too): earlier successful `billing.invoicePdf` /
 * `billing.printInvoice` calls for the invoice (`billing.receiptPdf` / `billing.printReceipt`
 * for a receipt). A copy the printer refused is taken off again (this workstation keeps that
 * count in local_meta); a copy that reached the spooler counts even if the paper jammed, so a
 * second "original" is never printed.
 */

type Ctx = AuthedContext;

const SEX = { male: 'M', female: 'F', other: 'O' } as const;
export const INVOICE_COPY_ACTIONS = ['billing.invoicePdf', 'billing.printInvoice'] as const;
export const RECEIPT_COPY_ACTIONS = ['billing.receiptPdf', 'billing.printReceipt'] as const;

/* ------------------------------------------------------------------------------------------ */
/* Copies and DUPLICATE                                                                       */
/* ------------------------------------------------------------------------------------------ */

const failedKey = (entityType: string, entityId: string) => `billing.failedCopies.${entityType}.${entityId}`;

/** Copies of an invoice (or receipt) already made: successful export/print calls less refused prints here. */
export function copiesMade(ctx: Pick<Ctx, 'db'>, actions: readonly string[], entityType: string, entityId: string): number {
  const made =
    ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId), inArray(auditLog.action, [...actions]), eq(auditLog.outcome, 'ok')))
      .get()?.n ?? 0;
  const failed = Number(ctx.db.select({ v: localMeta.value }).from(localMeta).where(eq(localMeta.key, failedKey(entityType, entityId))).get()?.v ?? 0);
  return Math.max(0, made - (Number.isSafeInteger(failed) ? failed : 0));
}

/** A copy that never came out (the printer refused it) is not counted: the next one is still the original. */
export function uncount(ctx: Ctx, entityType: string, entityId: string, detail: string): void {
  ctx.afterwards('billing.printFailed', () => {
    ctx.describe({ entityType, entityId, detail });
    const key = failedKey(entityType, entityId);
    const now = Number(ctx.db.select({ v: localMeta.value }).from(localMeta).where(eq(localMeta.key, key)).get()?.v ?? 0);
    const next = String((Number.isSafeInteger(now) ? now : 0) + 1);
    ctx.db.insert(localMeta).values({ key, value: next }).onConflictDoUpdate({ target: localMeta.key, set: { value: next } }).run();
  });
}

/* ------------------------------------------------------------------------------------------ */
/* What the documents show, from the records                                                  */
/* ------------------------------------------------------------------------------------------ */

export function clinicOf(ctx: Pick<Ctx, 'db'>): InvoiceClinic {
  const f = ctx.db.select().from(facility).where(isNull(facility.deletedAt)).get();
  return {
    name: f?.name ?? '',
    address: f?.address ?? '',
    phone: f?.phone ?? '',
    timings: f?.letterhead.timingsText ?? null,
    tagline: f?.letterhead.tagline ?? null,
    logo: f?.letterhead.logo ?? null,
    gstin: f?.letterhead.gstin?.trim() || null,
  };
}

/** The doctor's block; NMC wants the registration number on receipts, so a doctor without one is refused. */
export function doctorOf(ctx: Pick<Ctx, 'db'>, doctorId: string | null): InvoiceDoctor | null {
  if (!doctorId) return null;
  const user = ctx.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, doctorId)).get();
  const profile = ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, doctorId)).get();
  const name = user?.fullName ?? 'The doctor';
  if (!profile || !profile.registrationNumber.trim()) {
    throw new ApiFailure(
      'conflict',
      `${name}'s registration number is not recorded; a bill or receipt must show it (NMC). Ask the administrator to fill it in under Doctors.`,
      { doctorId: 'No registration number' },
    );
  }
  return {
    name,
    qualifications: profile.qualifications,
    registrationCouncil: profile.registrationCouncil,
    registrationNumber: profile.registrationNumber,
    specialization: profile.specialization,
  };
}

export function patientOf(ctx: Pick<Ctx, 'db'>, patientId: string, date: string): InvoicePatient {
  const p = ctx.db.select().from(patients).where(eq(patients.id, patientId)).get();
  if (!p) throw new ApiFailure('not_found', 'No such patient.');
  return { name: displayName(p), mrn: p.mrn, age: ageOn(p.dob, date), sex: SEX[p.gender], mobile: p.mobile };
}

function userName(ctx: Pick<Ctx, 'db'>, id: string | null): string | null {
  if (!id) return null;
  return ctx.db.select({ n: users.fullName }).from(users).where(eq(users.id, id)).get()?.n ?? null;
}

export function fileSafe(number: string): string {
  return number.replace(/[^A-Za-z0-9-]+/g, '-');
}

/** The invoice as printed; a draft has no number and is not printed. */
export function invoiceDoc(ctx: Ctx, invoiceId: string): TaxInvoiceDoc {
  const inv = getInvoice(ctx, invoiceId);
  if (inv.status === 'draft' || !inv.invoiceNumber || !inv.issuedOn) {
    throw new ApiFailure('conflict', 'Issue the invoice before printing it: a draft has no number yet.', { invoiceId: 'Still a draft' });
  }
  const copies = copiesMade(ctx, INVOICE_COPY_ACTIONS, 'invoices', inv.id);
  return {
    kind: 'invoice',
    clinic: clinicOf(ctx),
    doctor: doctorOf(ctx, inv.doctor?.id ?? null),
    patient: patientOf(ctx, inv.patient.id, inv.issuedOn),
    date: inv.issuedOn,
    documentType: inv.documentType,
    invoiceNumber: inv.invoiceNumber,
    lines: inv.lines.map((l) => ({
      description: l.description,
      sacHsn: l.sacHsn,
      quantity: l.quantity,
      ratePaise: l.ratePaise,
      discountPaise: l.discountPaise + l.invoiceDiscountPaise,
      taxablePaise: l.taxablePaise,
      gstRateBp: l.gstRateBp,
      cgstPaise: l.cgstPaise,
      sgstPaise: l.sgstPaise,
      totalPaise: l.totalPaise,
      taxInclusive: l.taxInclusive,
      supplyKind: l.supplyKind,
      exemptionNote: l.exemptionNote,
    })),
    totals: inv.totals,
    discountReason: inv.discount?.reason ?? null,
    payments: inv.payments.map((p) => ({ date: p.receivedOn, receiptNumber: p.receiptNumber, mode: p.mode, reference: p.reference, amountPaise: p.amountPaise })),
    refunds: inv.refunds.map((r) => ({
      date: r.refundedOn,
      mode: r.mode,
      reason: r.reason,
      amountPaise: r.amountPaise,
      lines: r.lines.map((l) => `#${l.line + 1} ${l.description}${l.quantity !== null ? ` × ${l.quantity}` : ''}`),
      document: r.creditNote ? `${r.creditNote.title} ${r.creditNote.number}` : null,
    })),
    creditedPaise: inv.creditedPaise,
    void: inv.status === 'void' ? { reason: inv.voidReason ?? '', on: inv.voidedAt ? localDate(inv.voidedAt, ctx.settings.timeZone) : null } : null,
    issuedTwice: inv.issues.notice,
    duplicate: copies > 0 ? { printedOn: ctx.today(), copy: copies + 1 } : null,
  };
}

export interface ReceiptRef {
  receiptNumber?: string | undefined;
  paymentId?: string | undefined;
}

/** One receipt (all its parts), with what was paid and still due on the invoice right after it. */
export function receiptDoc(ctx: Ctx, ref: ReceiptRef): { doc: ReceiptDoc; firstPaymentId: string } {
  let number = ref.receiptNumber?.trim();
  if (ref.paymentId) {
    const p = ctx.db.select({ receiptNumber: payments.receiptNumber }).from(payments).where(eq(payments.id, ref.paymentId)).get();
    if (!p) throw new ApiFailure('not_found', 'No such payment.', { paymentId: 'No such payment' });
    if (number && number !== p.receiptNumber) throw new ApiFailure('invalid_input', 'paymentId: That payment is on another receipt', { paymentId: 'On another receipt' });
    number = p.receiptNumber;
  }
  if (!number) throw new ApiFailure('invalid_input', 'receiptNumber: Give the receipt number or the payment', { receiptNumber: 'Give the receipt number or the payment' });
  const parts = ctx.db.select().from(payments).where(eq(payments.receiptNumber, number)).orderBy(asc(payments.hlc), asc(payments.id)).all();
  const first = parts[0];
  if (!first) throw new ApiFailure('not_found', `No receipt ${number}.`, { receiptNumber: 'No such receipt' });
  // Everything recorded up to this receipt (HLC order: the order the ledger was written in).
  const upTo = parts[parts.length - 1]!.hlc;
  const inv = first.invoiceId ? getInvoice(ctx, first.invoiceId) : null;
  let paidAfterPaise: number;
  let balanceAfterPaise = 0;
  if (inv) {
    const { paid, refunded, credited } = ledgerTotals(ctx, inv.id, upTo);
    paidAfterPaise = paid - refunded;
    balanceAfterPaise = Math.max(0, inv.totals.totalPaise - credited - paidAfterPaise);
  } else {
    // An advance receipt shows the advance left right after it (refunds of advance included).
    paidAfterPaise = advanceBalance(ctx, first.patientId, upTo);
  }
  const copies = copiesMade(ctx, RECEIPT_COPY_ACTIONS, 'payments', first.id);
  const doc: ReceiptDoc = {
    kind: 'receipt',
    clinic: clinicOf(ctx),
    doctor: doctorOf(ctx, inv?.doctor?.id ?? null),
    patient: patientOf(ctx, first.patientId, first.receivedOn),
    date: first.receivedOn,
    receiptNumber: number,
    invoice:
      inv && inv.invoiceNumber
        ? { number: inv.invoiceNumber, date: inv.issuedOn ?? first.receivedOn, documentType: inv.documentType, totalPaise: inv.totals.totalPaise, void: inv.status === 'void' }
        : null,
    parts: parts.map((p) => ({ mode: p.mode, reference: p.reference, amountPaise: p.amountPaise })),
    paidAfterPaise,
    balanceAfterPaise,
    receivedBy: userName(ctx, first.receivedBy),
    duplicate: copies > 0 ? { printedOn: ctx.today(), copy: copies + 1 } : null,
  };
  return { doc, firstPaymentId: first.id };
}

/** The day's report on this workstation: as closed (the figures it was closed with), or a preview. */
export function dayEndSummary(ctx: Ctx, input: { date: string; openingCashPaise?: number | undefined; denominations?: Record<string, number> | undefined }): { summary: DayEndSummary; dayEndId: string | null } {
  const closed = ctx.db
    .select()
    .from(dayEnds)
    .where(and(eq(dayEnds.date, input.date), eq(dayEnds.workstationId, ctx.deviceId), isNull(dayEnds.deletedAt)))
    .get();
  const live = dayEnd(ctx, {
    date: input.date,
    openingCashPaise: closed?.openingCashPaise ?? input.openingCashPaise ?? 0,
    denominations: closed?.denominations ?? input.denominations ?? {},
    close: false,
  });
  // A closed day prints what was counted and signed for; later figures (dues) come from today only when missing.
  const report = closed ? { ...live, ...(closed.summary as Partial<typeof live>) } : live;
  const tz = ctx.settings.timeZone;
  const f = clinicOf(ctx);
  return {
    dayEndId: closed?.id ?? null,
    summary: {
      clinic: { name: f.name, address: f.address, phone: f.phone, logo: f.logo ?? null, gstin: f.gstin ?? null },
      date: input.date,
      workstation: { id: ctx.deviceId, seriesPrefix: report.seriesPrefix },
      closed: closed !== undefined,
      closedBy: closed ? userName(ctx, closed.closedBy) : null,
      closedAt: closed ? `${localDate(closed.createdAt, tz)} ${localTime(closed.createdAt, tz)}` : null,
      byMode: report.byMode,
      refundsByMode: report.refundsByMode,
      receivedPaise: report.receivedPaise,
      advancesReceivedPaise: report.advancesReceivedPaise,
      advanceUsedPaise: report.advanceUsedPaise,
      advancesRefundedPaise: report.advancesRefundedPaise,
      paymentCount: report.paymentCount,
      receipts: report.receipts,
      refundedPaise: report.refundedPaise,
      byDoctor: report.byDoctor,
      byService: report.byService,
      invoicesIssued: report.invoicesIssued,
      invoicesVoided: report.invoicesVoided,
      issuedTwice: report.issuedTwice,
      credits: report.credits,
      dues: report.dues,
      creditNotes: report.creditNotes,
      refundVouchers: report.refundVouchers,
      cash: report.cash,
      differenceReason: closed?.differenceReason ?? null,
    },
  };
}

/* ------------------------------------------------------------------------------------------ */
/* Jobs                                                                                       */
/* ------------------------------------------------------------------------------------------ */

export function copyNote(duplicate: { copy?: number } | null | undefined): string {
  return duplicate ? ` (DUPLICATE, copy ${duplicate.copy ?? 2})` : '';
}

export function invoicePdf(ctx: Ctx, input: { invoiceId: string; paper?: Paper | undefined }) {
  // Named first, so a refusal (a draft, a doctor without registration) is audited against the invoice.
  ctx.describe({ entityType: 'invoices', entityId: input.invoiceId });
  const doc = invoiceDoc(ctx, input.invoiceId);
  const paper = input.paper ?? 'A4';
  ctx.describe({ entityType: 'invoices', entityId: input.invoiceId, detail: `PDF of ${doc.documentType} ${doc.invoiceNumber} (${paper})${copyNote(doc.duplicate)}` });
  return ctx.jobs.start('billing.invoicePdf', async (control) => {
    control.progress(0, 1, 'Preparing the PDF…');
    const pdf = await renderInvoicePdf(doc, { paper });
    return {
      invoiceNumber: doc.invoiceNumber,
      documentType: doc.documentType,
      fileName: `invoice-${fileSafe(doc.invoiceNumber)}.pdf`,
      pdfBase64: pdf.toString('base64'),
      duplicate: doc.duplicate != null,
    };
  });
}

export function printInvoice(ctx: Ctx, input: { invoiceId: string; paper?: Paper | undefined; printer?: string | null | undefined }) {
  // Named first, so a refusal (a draft, a doctor without registration) is audited against the invoice.
  ctx.describe({ entityType: 'invoices', entityId: input.invoiceId });
  const doc = invoiceDoc(ctx, input.invoiceId);
  const paper = input.paper ?? 'A4';
  const printer = input.printer ?? getPrintSettings(ctx.sqlite).printer;
  ctx.describe({
    entityType: 'invoices',
    entityId: input.invoiceId,
    detail: `print ${doc.documentType} ${doc.invoiceNumber} (${paper}) on ${printer ?? 'the default printer'}${copyNote(doc.duplicate)}`,
  });
  const spooler = ctx.spooler;
  return ctx.jobs.start('billing.printInvoice', async (control) => {
    control.progress(0, 2, 'Preparing the invoice…');
    const pdf = await renderInvoicePdf(doc, { paper });
    control.progress(1, 2, 'Sending to the printer…');
    try {
      const sent = await spooler.print(pdf, printer, `${doc.documentType} ${doc.invoiceNumber}`, paper);
      return { invoiceNumber: doc.invoiceNumber, printer: sent.printer, printJob: sent.jobId, duplicate: doc.duplicate != null };
    } catch (error) {
      uncount(ctx, 'invoices', input.invoiceId, `${doc.invoiceNumber} not printed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  });
}

export function receiptPdf(ctx: Ctx, input: ReceiptRef & { paper?: Paper | undefined }) {
  const { doc, firstPaymentId } = receiptDoc(ctx, input);
  const paper = input.paper ?? 'A5';
  ctx.describe({ entityType: 'payments', entityId: firstPaymentId, detail: `PDF of receipt ${doc.receiptNumber} ${formatRupees(doc.parts.reduce((s, p) => s + p.amountPaise, 0))}${copyNote(doc.duplicate)}` });
  return ctx.jobs.start('billing.receiptPdf', async (control) => {
    control.progress(0, 1, 'Preparing the PDF…');
    const pdf = await renderInvoicePdf(doc, { paper });
    return { receiptNumber: doc.receiptNumber, fileName: `receipt-${fileSafe(doc.receiptNumber)}.pdf`, pdfBase64: pdf.toString('base64'), duplicate: doc.duplicate != null };
  });
}

export function printReceipt(ctx: Ctx, input: ReceiptRef & { paper?: Paper | undefined; printer?: string | null | undefined }) {
  const { doc, firstPaymentId } = receiptDoc(ctx, input);
  const paper = input.paper ?? 'A5';
  const printer = input.printer ?? getPrintSettings(ctx.sqlite).printer;
  ctx.describe({ entityType: 'payments', entityId: firstPaymentId, detail: `print receipt ${doc.receiptNumber} on ${printer ?? 'the default printer'}${copyNote(doc.duplicate)}` });
  const spooler = ctx.spooler;
  return ctx.jobs.start('billing.printReceipt', async (control) => {
    control.progress(0, 2, 'Preparing the receipt…');
    const pdf = await renderInvoicePdf(doc, { paper });
    control.progress(1, 2, 'Sending to the printer…');
    try {
      const sent = await spooler.print(pdf, printer, `Receipt ${doc.receiptNumber}`, paper);
      return { receiptNumber: doc.receiptNumber, printer: sent.printer, printJob: sent.jobId, duplicate: doc.duplicate != null };
    } catch (error) {
      uncount(ctx, 'payments', firstPaymentId, `receipt ${doc.receiptNumber} not printed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  });
}

export function dayEndPdf(
  ctx: Ctx,
  input: { date: string; openingCashPaise?: number | undefined; denominations?: Record<string, number> | undefined; paper?: Paper | undefined },
) {
  const { summary, dayEndId } = dayEndSummary(ctx, input);
  const paper = input.paper ?? 'A4';
  ctx.describe({
    entityType: dayEndId ? 'day_ends' : 'workstation',
    entityId: dayEndId ?? ctx.deviceId,
    detail: `day-end PDF ${input.date}${summary.closed ? ' (closed)' : ' (PREVIEW)'}`,
  });
  return ctx.jobs.start('billing.dayEndPdf', async (control) => {
    control.progress(0, 1, 'Preparing the PDF…');
    const pdf = await renderDayEndPdf(summary, { paper });
    return {
      date: input.date,
      closed: summary.closed,
      fileName: `day-end-${input.date}-${fileSafe(summary.workstation.seriesPrefix)}${summary.closed ? '' : '-preview'}.pdf`,
      pdfBase64: pdf.toString('base64'),
    };
  });
}
