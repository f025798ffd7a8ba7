import { payments, type PaymentMode } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { amountInWords, financialYear, formatRupees } from '../../../shared/money';
import { requirePatient } from '../patients';
import { getWorkstation, nextInSeries } from '../workstation';
import { type Ctx, type InvoiceRow, requireInvoice, label, refuseIfClosed } from './common';
import { ledgerTotals } from './ledger';
import { advanceBalance } from './advances';
import { summary } from './views';
import { creditNotesOf } from './credit-notes';

/* Payments: money received on a bill or as an advance, one receipt per call. */

export function receiptNumber(ctx: Ctx): string {
  const fy = financialYear(ctx.today()).label;
  const prefix = getWorkstation(ctx.db).seriesPrefix;
  return `R/${fy}/${prefix}/${String(nextInSeries(ctx.db, `receipt/${fy}/${prefix}`)).padStart(6, '0')}`;
}

/** "refund voucher 2627/A/V00001", "credit notes …C00001, …C00002 and refund voucher …V00001": the documents that took lines off. */
function notesNamed(ctx: Ctx, invoiceId: string): string {
  const notes = creditNotesOf(ctx, invoiceId);
  const named = (['credit-note', 'refund-voucher'] as const)
    .map((kind) => notes.filter((n) => n.kind === kind).map((n) => n.number))
    .map((numbers, i) => (numbers.length === 0 ? null : `${i === 0 ? 'credit note' : 'refund voucher'}${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}`))
    .filter((x) => x !== null);
  // Refunds from before refunds by line took lines off with no document.
  return named.length > 0 ? named.join(' and ') : 'refunds';
}

/**
 * Why a bill takes no payment, in the words of its state: "already paid in full" is wrong for a bill
 * whose lines were all taken off unpaid (nothing is due; nobody paid it), so the documents that took
 * them off are named, as the cashier finds them on the bill.
 */
function nothingDue(ctx: Ctx, invoice: InvoiceRow, ledger: { paid: number; held: number; credited: number }): ApiFailure {
  if (ledger.credited <= 0) return new ApiFailure('conflict', `Invoice ${label(invoice)} is already paid in full.`, { invoiceId: 'Already paid' });
  const off = `${formatRupees(ledger.credited)} taken off by ${notesNamed(ctx, invoice.id)}`;
  if (ledger.held > 0) return new ApiFailure('conflict', `Invoice ${label(invoice)} is already paid in full (${off}).`, { invoiceId: 'Already paid' });
  const money = ledger.paid > 0 ? 'what was paid on it was given back' : 'nothing was paid on it';
  return new ApiFailure('conflict', `Nothing is due on invoice ${label(invoice)}: its lines (${formatRupees(ledger.credited)}) were taken off by ${notesNamed(ctx, invoice.id)}, and ${money}.`, {
    invoiceId: 'Nothing due: its lines were taken off',
  });
}

export interface PaymentPart {
  mode: PaymentMode;
  amountPaise: number;
  reference?: string | null | undefined;
}

/**
 * Money received: against an issued invoice (split across modes in one receipt, never more than
 * is due; 'advance' draws on the patient's unused advance), or, with only a patient, an advance.
 */
export function recordPayment(ctx: Ctx, input: { invoiceId?: string | undefined; patientId?: string | undefined; parts: PaymentPart[] }) {
  refuseIfClosed(ctx, 'payments');
  const sum = input.parts.reduce((s, p) => s + p.amountPaise, 0);
  let invoice: InvoiceRow | null = null;
  let patientId: string;
  if (input.invoiceId) {
    invoice = requireInvoice(ctx, input.invoiceId);
    if (input.patientId && input.patientId !== invoice.patientId) {
      throw new ApiFailure('invalid_input', 'patientId: The invoice is another patient’s', { patientId: 'The invoice is another patient’s' });
    }
    if (invoice.status === 'draft') throw new ApiFailure('conflict', 'Issue the invoice before taking payment for it.', { invoiceId: 'Still a draft' });
    if (invoice.status === 'void') throw new ApiFailure('conflict', `Invoice ${label(invoice)} is void; it takes no payments.`, { invoiceId: 'Void' });
    patientId = invoice.patientId;
    const { paid, refunded, credited } = ledgerTotals(ctx, invoice.id);
    // Refunded lines are off the bill: what is due is what it still comes to, less what is held.
    const due = invoice.totals!.totalPaise - credited - (paid - refunded);
    if (due <= 0) throw nothingDue(ctx, invoice, { paid, held: paid - refunded, credited });
    if (sum > due) {
      throw new ApiFailure(
        'conflict',
        `${formatRupees(sum)} is more than the ${formatRupees(due)} due on invoice ${label(invoice)}. Take only what is due (an advance is recorded separately).`,
        { parts: `At most ${formatRupees(due)} is due` },
      );
    }
    const fromAdvance = input.parts.reduce((s, p) => s + (p.mode === 'advance' ? p.amountPaise : 0), 0);
    if (fromAdvance > 0) {
      const available = advanceBalance(ctx, patientId);
      if (fromAdvance > available) {
        const i = input.parts.findIndex((p) => p.mode === 'advance');
        throw new ApiFailure('conflict', `The patient has ${formatRupees(available)} of advance left, not ${formatRupees(fromAdvance)}.`, {
          [`parts.${i}.amountPaise`]: `Only ${formatRupees(available)} of advance is left`,
        });
      }
    }
  } else if (input.patientId) {
    patientId = requirePatient(ctx, input.patientId).id;
    const i = input.parts.findIndex((p) => p.mode === 'advance');
    if (i >= 0) {
      throw new ApiFailure('invalid_input', `parts.${i}.mode: An advance cannot be paid from the advance`, { [`parts.${i}.mode`]: 'An advance cannot be paid from the advance' });
    }
  } else {
    throw new ApiFailure('invalid_input', 'invoiceId: Give the invoice (or a patient, for an advance)', { invoiceId: 'Give the invoice, or a patient for an advance' });
  }
  const receipt = receiptNumber(ctx);
  const today = ctx.today();
  const rows = input.parts.map((p) =>
    ctx.write.insert(payments, {
      invoiceId: invoice?.id ?? null,
      patientId,
      mode: p.mode,
      amountPaise: p.amountPaise,
      reference: p.reference ?? null,
      receivedBy: ctx.session.userId,
      receivedOn: today,
      receiptNumber: receipt,
    }),
  );
  ctx.describe({ detail: `receipt ${receipt} ${formatRupees(sum)}${invoice ? ` on ${label(invoice)}` : ' advance'}` });
  return {
    receiptNumber: receipt,
    receivedOn: today,
    patientId,
    invoiceId: invoice?.id ?? null,
    totalPaise: sum,
    amountInWords: amountInWords(sum),
    parts: rows.map((r) => ({ id: r.id, mode: r.mode, amountPaise: r.amountPaise, reference: r.reference })),
    invoice: invoice ? summary(ctx, requireInvoice(ctx, invoice.id)) : null,
    advanceBalancePaise: advanceBalance(ctx, patientId),
  };
}
