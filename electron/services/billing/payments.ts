import { payments, type PaymentMode } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { amountInWords, financialYear, formatRupees } from '../../../shared/money';
import { requirePatient } from '../patients';
import { getWorkstation, nextInSeries } from '../workstation';
import { type Ctx, type InvoiceRow, requireInvoice, label, refuseIfClosed } from './common';
import { ledgerTotals } from './ledger';
import { advanceBalance } from './advances';
import { summary } from './views';

/* Payments: money received on a bill or as an advance, one receipt per call. */

export function receiptNumber(ctx: Ctx): string {
  const fy = financialYear(ctx.today()).label;
  const prefix = getWorkstation(ctx.db).seriesPrefix;
  return `R/${fy}/${prefix}/${String(nextInSeries(ctx.db, `receipt/${fy}/${prefix}`)).padStart(6, '0')}`;
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
    if (due <= 0) throw new ApiFailure('conflict', `Invoice ${label(invoice)} is already paid in full.`, { invoiceId: 'Already paid' });
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
