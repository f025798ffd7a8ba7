import { payments, refunds, type PaymentMode } from '../../../db/schema';
import { receiptNumber } from './payments';
import { ApiFailure } from '../../core/context';
import { formatRupees } from '../../../shared/money';
import { displayName } from '../patient-search';
import { requirePatient } from '../patients';
import { type Ctx, requireInvoice, label, refuseIfClosed } from './common';
import { ledgerTotals } from './ledger';
import { advanceBalance } from './advances';
import { summary } from './views';

/* Refunds: money given back on a bill or out of an unused advance. */

export interface RefundInput {
  /** The invoice the money was paid on; without it, the refund comes out of the patient's advance. */
  invoiceId?: string | undefined;
  patientId?: string | undefined;
  amountPaise: number;
  mode: PaymentMode;
  reason: string;
}

/**
 * Money given back (insert-only): against an invoice, at most what was paid on it; or, with only a
 * patient, at most the advance they have not used. Refused on a day closed on this workstation.
 */
export function recordRefund(ctx: Ctx, input: RefundInput) {
  refuseIfClosed(ctx, 'refunds');
  if (!input.invoiceId) {
    if (!input.patientId) {
      throw new ApiFailure('invalid_input', 'invoiceId: Give the invoice, or a patient to refund their unused advance', {
        invoiceId: 'Give the invoice, or a patient to refund their unused advance',
      });
    }
    return refundAdvance(ctx, { ...input, patientId: input.patientId });
  }
  const invoice = requireInvoice(ctx, input.invoiceId);
  if (input.patientId && input.patientId !== invoice.patientId) {
    throw new ApiFailure('invalid_input', 'patientId: The invoice is another patient’s', { patientId: 'The invoice is another patient’s' });
  }
  if (invoice.status === 'draft') throw new ApiFailure('conflict', 'A draft has taken no money to refund.', { invoiceId: 'Still a draft' });
  const { paid, refunded } = ledgerTotals(ctx, invoice.id);
  const held = paid - refunded;
  if (input.amountPaise > held) {
    throw new ApiFailure(
      'conflict',
      held > 0
        ? `Only ${formatRupees(held)} paid on invoice ${label(invoice)} is left to refund; ${formatRupees(input.amountPaise)} cannot be refunded.`
        : `Nothing paid on invoice ${label(invoice)} is left to refund.`,
      { amountPaise: `At most ${formatRupees(Math.max(0, held))}` },
    );
  }
  const row = ctx.write.insert(refunds, {
    invoiceId: invoice.id,
    patientId: invoice.patientId,
    mode: input.mode,
    amountPaise: input.amountPaise,
    reason: input.reason,
    refundedBy: ctx.session.userId,
    refundedOn: ctx.today(),
  });
  return {
    refundId: row.id,
    refundedOn: row.refundedOn,
    amountPaise: row.amountPaise,
    mode: row.mode,
    patientId: invoice.patientId,
    invoice: summary(ctx, invoice),
    advanceBalancePaise: advanceBalance(ctx, invoice.patientId),
  };
}

/** Gives back part or all of the advance a patient left and has not used on a bill. */
function refundAdvance(ctx: Ctx, input: RefundInput & { patientId: string }) {
  const patient = requirePatient(ctx, input.patientId);
  const left = advanceBalance(ctx, patient.id);
  if (input.amountPaise > left) {
    const name = displayName(patient);
    throw new ApiFailure(
      'conflict',
      left > 0
        ? `Only ${formatRupees(left)} of ${name}’s advance is unused; ${formatRupees(input.amountPaise)} cannot be refunded.`
        : `${name} has no unused advance to refund.`,
      { amountPaise: `At most ${formatRupees(Math.max(0, left))}` },
    );
  }
  const row = ctx.write.insert(refunds, {
    invoiceId: null,
    patientId: patient.id,
    mode: input.mode,
    amountPaise: input.amountPaise,
    reason: input.reason,
    refundedBy: ctx.session.userId,
    refundedOn: ctx.today(),
  });
  ctx.describe({ detail: `advance refund ${formatRupees(row.amountPaise)} (${row.mode}) to ${patient.mrn}` });
  return {
    refundId: row.id,
    refundedOn: row.refundedOn,
    amountPaise: row.amountPaise,
    mode: row.mode,
    patientId: patient.id,
    invoice: null,
    advanceBalancePaise: left - row.amountPaise,
  };
}

/**
 * A bill paid beyond its total (two desks took full payment offline): the excess, or part of it,
 * moves to the patient's advance. Two ledger rows in the caller's transaction: a refund on the
 * invoice in mode 'advance' (no money leaves the drawer) and an advance received in mode 'advance'
 * with no invoice (no money comes in); advanceBalance counts the latter as received, not used.
 */
export function keepCreditAsAdvance(ctx: Ctx, input: { invoiceId: string; amountPaise?: number | undefined }) {
  refuseIfClosed(ctx, 'refunds');
  const invoice = requireInvoice(ctx, input.invoiceId);
  const { paid, refunded } = ledgerTotals(ctx, invoice.id);
  const credit = invoice.status === 'issued' ? paid - refunded - (invoice.totals?.totalPaise ?? 0) : 0;
  if (credit <= 0) throw new ApiFailure('conflict', `Invoice ${label(invoice)} has no credit to keep as advance.`, { invoiceId: 'No credit on it' });
  const amount = input.amountPaise ?? credit;
  if (amount > credit) {
    throw new ApiFailure('conflict', `Only ${formatRupees(credit)} was paid beyond the total of invoice ${label(invoice)}.`, { amountPaise: `At most ${formatRupees(credit)}` });
  }
  const today = ctx.today();
  const reason = `Credit kept as advance`;
  const refund = ctx.write.insert(refunds, {
    invoiceId: invoice.id,
    patientId: invoice.patientId,
    mode: 'advance',
    amountPaise: amount,
    reason,
    refundedBy: ctx.session.userId,
    refundedOn: today,
  });
  const receipt = receiptNumber(ctx);
  ctx.write.insert(payments, {
    invoiceId: null,
    patientId: invoice.patientId,
    mode: 'advance',
    amountPaise: amount,
    reference: invoice.invoiceNumber,
    receivedBy: ctx.session.userId,
    receivedOn: today,
    receiptNumber: receipt,
  });
  ctx.describe({ detail: `credit ${formatRupees(amount)} on ${label(invoice)} kept as advance (receipt ${receipt})` });
  return {
    refundId: refund.id,
    receiptNumber: receipt,
    amountPaise: amount,
    patientId: invoice.patientId,
    invoice: summary(ctx, requireInvoice(ctx, invoice.id)),
    advanceBalancePaise: advanceBalance(ctx, invoice.patientId),
  };
}
