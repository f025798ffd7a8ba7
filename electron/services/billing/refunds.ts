import { eq } from 'drizzle-orm';
import { payments, refunds, type PaymentMode, type RefundLine } from '../../../db/schema';
import { receiptNumber } from './payments';
import { ApiFailure } from '../../core/context';
import { formatRupees } from '../../../shared/money';
import { displayName } from '../patient-search';
import { requirePatient } from '../patients';
import { moneyBack, reverseLine, roundOffTaken } from '../../../shared/refund-lines';
import { supplyKindOf } from '../../../shared/supply';
import { type Ctx, type InvoiceRow, requireInvoice, label, refuseIfClosed } from './common';
import { creditNoteView, issueCreditNote } from './credit-notes';
import { ledgerTotals } from './ledger';
import { advanceBalance } from './advances';
import { summary } from './views';

/* Refunds: money given back on a bill or out of an unused advance. */

/** A line of the bill to refund: some of its units, or an amount against it (tax included). */
export interface RefundLineInput {
  /** Index of the line on the invoice (0 = first). */
  line: number;
  quantity?: number | undefined;
  amountPaise?: number | undefined;
}

export interface RefundInput {
  /** The invoice the money was paid on; without it, the refund comes out of the patient's advance. */
  invoiceId?: string | undefined;
  patientId?: string | undefined;
  /** The lines taken back. Without lines, a refund on an invoice gives back only money paid beyond the bill. */
  lines?: RefundLineInput[] | undefined;
  /** For an advance, or money paid beyond the bill; with lines it is worked out from them. */
  amountPaise?: number | undefined;
  /** How the money goes back; needed only when money goes back. */
  mode?: PaymentMode | undefined;
  reason: string;
}

/**
 * Money given back (insert-only): against an invoice, by line (each line at most what is left of
 * it, with a credit note or refund voucher), or, without lines, only money paid beyond what the
 * bill comes to; or, with only a patient, at most the advance they have not used. Refused on a day
 * closed on this workstation.
 */
export function recordRefund(ctx: Ctx, input: RefundInput) {
  refuseIfClosed(ctx, 'refunds');
  if (!input.invoiceId) {
    if (!input.patientId) {
      throw new ApiFailure('invalid_input', 'invoiceId: Give the invoice, or a patient to refund their unused advance', {
        invoiceId: 'Give the invoice, or a patient to refund their unused advance',
      });
    }
    return refundAdvance(ctx, { ...input, patientId: input.patientId, mode: requireMode(input.mode), amountPaise: requireAmount(input.amountPaise) });
  }
  const invoice = requireInvoice(ctx, input.invoiceId);
  if (input.patientId && input.patientId !== invoice.patientId) {
    throw new ApiFailure('invalid_input', 'patientId: The invoice is another patient’s', { patientId: 'The invoice is another patient’s' });
  }
  if (invoice.status === 'draft') throw new ApiFailure('conflict', 'A draft has taken no money to refund.', { invoiceId: 'Still a draft' });
  if (input.lines && input.lines.length > 0) return refundLines(ctx, invoice, { ...input, lines: input.lines });
  const ledger = ledgerTotals(ctx, invoice.id);
  const held = ledger.paid - ledger.refunded;
  const amount = requireAmount(input.amountPaise);
  if (amount > held) {
    throw new ApiFailure(
      'conflict',
      held > 0
        ? `Only ${formatRupees(held)} paid on invoice ${label(invoice)} is left to refund; ${formatRupees(amount)} cannot be refunded.`
        : `Nothing paid on invoice ${label(invoice)} is left to refund.`,
      { amountPaise: `At most ${formatRupees(Math.max(0, held))}` },
    );
  }
  // Without lines the bill still comes to what it did: only money paid beyond it goes back.
  const credit = held - ((invoice.totals?.totalPaise ?? 0) - ledger.credited);
  if (invoice.status === 'issued' && amount > credit) {
    throw new ApiFailure(
      'invalid_input',
      credit > 0
        ? `lines: Only ${formatRupees(credit)} was paid beyond invoice ${label(invoice)}; to refund more, name the lines refunded`
        : `lines: Name the lines of invoice ${label(invoice)} that are refunded (a service not given, an item returned)`,
      { lines: 'Name the lines refunded' },
    );
  }
  const mode = requireMode(input.mode);
  // '[]', not null: a refund that names no lines by design, never read as one from before refunds by line (ledger.ts).
  const row = ctx.write.insert(refunds, { ...refundRow(ctx, invoice, input.reason), mode, amountPaise: amount, lines: [], creditedPaise: 0 });
  ctx.describe({ detail: `refund ${formatRupees(amount)} (${row.mode}) on ${label(invoice)}` });
  return refundResult(ctx, invoice, row, null);
}

/**
 * Lines taken off an issued bill, several in one refund, with one credit note (a taxable line among
 * them) or refund voucher. The bill comes down by what the lines come to; the money that goes back
 * is only what was paid beyond the bill's new total (moneyBack), so a line of a bill not paid for
 * gives nothing back and its balance due falls instead. A refund row records both: amount_paise
 * the money given back (0 when none: mode 'advance', as for a credit kept as advance, no money
 * moved), credited_paise what came off the bill.
 */
function refundLines(ctx: Ctx, invoice: InvoiceRow, input: RefundInput & { lines: RefundLineInput[] }) {
  const taken = takeLines(ctx, invoice, input.lines);
  const ledger = ledgerTotals(ctx, invoice.id);
  const money = moneyBack(taken.amountPaise, { netPaidPaise: ledger.paid - ledger.refunded, owedPaise: (invoice.totals?.totalPaise ?? 0) - ledger.credited });
  const mode: PaymentMode = money > 0 ? requireMode(input.mode) : 'advance';
  const row = ctx.write.insert(refunds, { ...refundRow(ctx, invoice, input.reason), mode, amountPaise: money, lines: taken.lines, creditedPaise: taken.amountPaise });
  const note = issueCreditNote(ctx, { refundId: row.id, invoice, lines: taken.lines, roundOffPaise: taken.roundOffPaise, reason: input.reason });
  const back = money > 0 ? `refund ${formatRupees(money)} (${mode})` : 'no money back';
  ctx.describe({ detail: `${back}, ${formatRupees(taken.amountPaise)} taken off ${label(invoice)}: ${note.kind.replace('-', ' ')} ${note.number}` });
  return refundResult(ctx, invoice, row, note);
}

function refundRow(ctx: Ctx, invoice: InvoiceRow, reason: string) {
  return { invoiceId: invoice.id, patientId: invoice.patientId, reason, refundedBy: ctx.session.userId, refundedOn: ctx.today() };
}

function refundResult(ctx: Ctx, invoice: InvoiceRow, row: typeof refunds.$inferSelect, note: Parameters<typeof creditNoteView>[1] | null) {
  return {
    refundId: row.id,
    refundedOn: row.refundedOn,
    /** Money given back (0 when the lines were not paid for). */
    amountPaise: row.amountPaise,
    /** What came off the bill. */
    creditedPaise: row.creditedPaise,
    mode: row.mode,
    patientId: invoice.patientId,
    creditNote: note ? creditNoteView(ctx, note) : null,
    invoice: summary(ctx, invoice),
    advanceBalancePaise: advanceBalance(ctx, invoice.patientId),
  };
}

function requireMode(mode: PaymentMode | undefined): PaymentMode {
  if (mode === undefined) throw new ApiFailure('invalid_input', 'mode: Choose how the money is given back', { mode: 'Choose how the money is given back' });
  return mode;
}

function requireAmount(amount: number | undefined): number {
  if (amount === undefined) throw new ApiFailure('invalid_input', 'amountPaise: Give the amount to refund', { amountPaise: 'Give the amount to refund' });
  return amount;
}

/**
 * What the named lines give back, each within what is left of it, with the part of the bill's
 * round-off they take (roundOffTaken): the rest of it with the last of the bill, so a bill refunded
 * in full gives back what was paid; a round-off down as soon as the lines left no longer cover it,
 * so the bill never comes to less than nothing and no note is negative.
 */
function takeLines(ctx: Ctx, invoice: InvoiceRow, asks: RefundLineInput[]) {
  if (invoice.status !== 'issued') throw new ApiFailure('conflict', `Invoice ${label(invoice)} is ${invoice.status}; it has no lines to refund.`, { invoiceId: `Already ${invoice.status}` });
  const earlier = ctx.db.select({ lines: refunds.lines, creditedPaise: refunds.creditedPaise }).from(refunds).where(eq(refunds.invoiceId, invoice.id)).all();
  const before = earlier.flatMap((r) => r.lines ?? []);
  const seen = new Set<number>();
  const lines: RefundLine[] = asks.map((ask, i) => {
    const field = `lines.${i}`;
    const l = invoice.lines[ask.line];
    if (!l) throw new ApiFailure('invalid_input', `${field}.line: Invoice ${label(invoice)} has no line ${ask.line + 1}`, { [`${field}.line`]: 'No such line' });
    if (seen.has(ask.line)) throw new ApiFailure('invalid_input', `${field}.line: Line ${ask.line + 1} is named twice`, { [`${field}.line`]: 'Named twice' });
    seen.add(ask.line);
    if ((ask.quantity === undefined) === (ask.amountPaise === undefined)) {
      throw new ApiFailure('invalid_input', `${field}.quantity: Give the quantity or the amount refunded on line ${ask.line + 1}`, { [`${field}.quantity`]: 'Give the quantity or the amount' });
    }
    const figures = { quantity: l.quantity, taxablePaise: l.taxablePaise ?? 0, cgstPaise: l.cgstPaise ?? 0, sgstPaise: l.sgstPaise ?? 0, totalPaise: l.totalPaise ?? 0 };
    const r = reverseLine(figures, before.filter((b) => b.line === ask.line), ask.quantity !== undefined ? { quantity: ask.quantity } : { amountPaise: ask.amountPaise! });
    if ('error' in r) {
      const at = `${field}.${ask.quantity !== undefined ? 'quantity' : 'amountPaise'}`;
      throw new ApiFailure('conflict', `Line ${ask.line + 1} (${l.description}): ${r.error}.`, { [at]: r.error });
    }
    return { line: ask.line, description: l.description, sacHsn: l.sacHsn, supplyKind: supplyKindOf(l), gstRateBp: l.gstRateBp, exemptionNote: l.exemptionNote ?? null, ...r };
  });
  const sum = (list: readonly { amountPaise: number }[]) => list.reduce((s, l) => s + l.amountPaise, 0);
  // Per line, never below 0: a line is left with nothing once refunds took all of it.
  const linesLeftPaise = invoice.lines.reduce((s, l, i) => s + Math.max(0, (l.totalPaise ?? 0) - sum(before.filter((r) => r.line === i))), 0);
  // What earlier refunds by line took of the round-off: credited beyond their lines (0 for rows naming none).
  const roundOffDone = earlier.reduce((s, r) => s + (r.lines && r.lines.length > 0 ? r.creditedPaise - sum(r.lines) : 0), 0);
  const taken = sum(lines);
  const roundOffPaise = roundOffTaken(taken, { linesLeftPaise, roundOffLeftPaise: (invoice.totals?.roundOffPaise ?? 0) - roundOffDone });
  return { lines, roundOffPaise, amountPaise: taken + roundOffPaise };
}

/** Gives back part or all of the advance a patient left and has not used on a bill. */
function refundAdvance(ctx: Ctx, input: RefundInput & { patientId: string; mode: PaymentMode; amountPaise: number }) {
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
    creditedPaise: 0,
    patientId: patient.id,
    invoice: null,
    creditNote: null,
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
  const { paid, refunded, credited } = ledgerTotals(ctx, invoice.id);
  const credit = invoice.status === 'issued' ? paid - refunded - ((invoice.totals?.totalPaise ?? 0) - credited) : 0;
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
    // Names no lines by design (credits nothing): '[]', not null, which is a refund from before refunds by line.
    lines: [],
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
