import { eq } from 'drizzle-orm';
import { refunds } from '../../db/schema';
import { ApiFailure, type AuthedContext } from '../core/context';
import { renderInvoicePdf, type CreditNoteDoc } from '../pdf/invoice';
import type { Paper } from '../../shared/paper';
import { formatRupees } from '../../shared/money';
import { getInvoice, requireCreditNote } from './billing';
import { clinicOf, copiesMade, copyNote, doctorOf, fileSafe, patientOf, uncount } from './billing-print';
import { getPrintSettings } from './printing';

/*
 * Credit notes and refund vouchers as PDFs and on paper, like the invoice they are issued against
 * (same letterhead, DUPLICATE on every copy after the first, every copy audited).
 */

type Ctx = AuthedContext;

export const CREDIT_NOTE_COPY_ACTIONS = ['billing.creditNotePdf', 'billing.printCreditNote'] as const;

export function creditNoteDoc(ctx: Ctx, creditNoteId: string): CreditNoteDoc {
  const note = requireCreditNote(ctx, creditNoteId);
  const inv = getInvoice(ctx, note.invoiceId);
  const refund = ctx.db.select().from(refunds).where(eq(refunds.id, note.refundId)).get();
  if (!refund) throw new ApiFailure('not_found', `The refund of ${note.title.toLowerCase()} ${note.number} is not on this workstation yet.`);
  const copies = copiesMade(ctx, CREDIT_NOTE_COPY_ACTIONS, 'credit_notes', note.id);
  return {
    kind: 'credit-note',
    title: note.title,
    number: note.number,
    clinic: clinicOf(ctx),
    doctor: doctorOf(ctx, inv.doctor?.id ?? null),
    patient: patientOf(ctx, inv.patient.id, note.issuedOn),
    date: note.issuedOn,
    invoice: { number: note.invoiceNumber, date: note.invoiceDate, documentType: inv.documentType },
    reason: note.reason,
    lines: note.lines.map((l) => ({
      description: l.description,
      sacHsn: l.sacHsn,
      supplyKind: l.supplyKind,
      gstRateBp: l.gstRateBp,
      exemptionNote: l.exemptionNote ?? null,
      quantity: l.quantity,
      taxablePaise: l.taxablePaise,
      cgstPaise: l.cgstPaise,
      sgstPaise: l.sgstPaise,
      amountPaise: l.amountPaise,
    })),
    taxablePaise: note.taxablePaise,
    cgstPaise: note.cgstPaise,
    sgstPaise: note.sgstPaise,
    roundOffPaise: note.roundOffPaise,
    totalPaise: note.totalPaise,
    refund: { mode: refund.mode, amountPaise: refund.amountPaise },
    duplicate: copies > 0 ? { printedOn: ctx.today(), copy: copies + 1 } : null,
  };
}

export function creditNotePdf(ctx: Ctx, input: { creditNoteId: string; paper?: Paper | undefined }) {
  ctx.describe({ entityType: 'credit_notes', entityId: input.creditNoteId });
  const doc = creditNoteDoc(ctx, input.creditNoteId);
  const paper = input.paper ?? 'A4';
  ctx.describe({ entityType: 'credit_notes', entityId: input.creditNoteId, detail: `PDF of ${doc.title} ${doc.number} ${formatRupees(doc.totalPaise)} (${paper})${copyNote(doc.duplicate)}` });
  return ctx.jobs.start('billing.creditNotePdf', async (control) => {
    control.progress(0, 1, 'Preparing the PDF…');
    const pdf = await renderInvoicePdf(doc, { paper });
    return { number: doc.number, title: doc.title, fileName: `${doc.title === 'Credit Note' ? 'credit-note' : 'refund-voucher'}-${fileSafe(doc.number)}.pdf`, pdfBase64: pdf.toString('base64'), duplicate: doc.duplicate != null };
  });
}

export function printCreditNote(ctx: Ctx, input: { creditNoteId: string; paper?: Paper | undefined; printer?: string | null | undefined }) {
  ctx.describe({ entityType: 'credit_notes', entityId: input.creditNoteId });
  const doc = creditNoteDoc(ctx, input.creditNoteId);
  const paper = input.paper ?? 'A4';
  const printer = input.printer ?? getPrintSettings(ctx.sqlite).printer;
  ctx.describe({ entityType: 'credit_notes', entityId: input.creditNoteId, detail: `print ${doc.title} ${doc.number} (${paper}) on ${printer ?? 'the default printer'}${copyNote(doc.duplicate)}` });
  const spooler = ctx.spooler;
  return ctx.jobs.start('billing.printCreditNote', async (control) => {
    control.progress(0, 2, `Preparing the ${doc.title.toLowerCase()}…`);
    const pdf = await renderInvoicePdf(doc, { paper });
    control.progress(1, 2, 'Sending to the printer…');
    try {
      const sent = await spooler.print(pdf, printer, `${doc.title} ${doc.number}`, paper);
      return { number: doc.number, printer: sent.printer, printJob: sent.jobId, duplicate: doc.duplicate != null };
    } catch (error) {
      uncount(ctx, 'credit_notes', input.creditNoteId, `${doc.number} not printed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }
  });
}
