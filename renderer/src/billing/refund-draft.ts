import { PAYMENT_MODES, type PaymentMode } from '../../../shared/enums';
import { moneyBack, reverseLine, roundOffTaken } from '../../../shared/refund-lines';
import type { Output } from '../../../electron/api';
import { paiseOf } from './money';

/*
 * The refund dialog's arithmetic, the service's own (shared/refund-lines.ts): what each ticked line
 * takes back, what comes off the bill, and the money that goes back (only what was paid beyond the
 * bill's new total), so the cashier sees before confirming what the service will record.
 */

type Invoice = Output<'billing.invoice'>;

// Every payment mode but 'advance' (a credit kept as advance is its own action), as the contract says.
export type RefundMode = Exclude<PaymentMode, 'advance'>;
export const REFUND_MODES = PAYMENT_MODES.filter((m): m is RefundMode => m !== 'advance');

/** One line of the bill in the dialog: ticked or not, and how much of it (units, or an amount in rupees when given). */
export interface LineDraft {
  ticked: boolean;
  quantity: string;
  amount: string;
}

export interface RefundableLine {
  index: number;
  description: string;
  quantity: number;
  /** Units not yet refunded (a line refunded by amount keeps its units). */
  quantityLeft: number;
  leftPaise: number;
}

/** The bill's lines with something left to take back. */
export function refundableLines(invoice: Invoice): RefundableLine[] {
  return invoice.lines
    .map((l, index) => ({ index, description: l.description, quantity: l.quantity, quantityLeft: l.quantity - l.refundedQuantity, leftPaise: l.totalPaise - l.refundedPaise }))
    .filter((l) => l.leftPaise > 0);
}

export function emptyDrafts(lines: RefundableLine[]): Record<number, LineDraft> {
  return Object.fromEntries(lines.map((l) => [l.index, { ticked: false, quantity: String(Math.max(1, l.quantityLeft)), amount: '' }]));
}

type Ask = { line: number; quantity: number } | { line: number; amountPaise: number };

export interface RefundPreview {
  asks: Ask[];
  /** By line index: what the line gives back, or why not (against the field the server would name). */
  perLine: Record<number, { amountPaise: number } | { field: string; error: string }>;
  errors: Record<string, string>;
  /** What comes off the bill, with the part of the round-off the service takes with these lines. */
  takenPaise: number;
  moneyBackPaise: number;
  balanceAfterPaise: number;
}

/** One pass over the ticked lines: the call's lines, the figures, and each line's error under the field the server would name. */
export function previewRefund(invoice: Invoice, drafts: Record<number, LineDraft>): RefundPreview {
  const asks: Ask[] = [];
  const perLine: RefundPreview['perLine'] = {};
  const errors: Record<string, string> = {};
  let sum = 0;
  const ticked = Object.entries(drafts)
    .map(([i, d]) => ({ i: Number(i), d }))
    .filter((x) => x.d.ticked)
    .sort((a, b) => a.i - b.i);
  ticked.forEach(({ i, d }, position) => {
    const l = invoice.lines[i]!;
    const byAmount = d.amount.trim() !== '';
    const field = `lines.${position}.${byAmount ? 'amountPaise' : 'quantity'}`;
    const amountPaise = byAmount ? paiseOf(d.amount) : null;
    const quantity = Number(d.quantity);
    if (byAmount && (amountPaise === null || amountPaise === 0)) {
      perLine[i] = { field, error: 'Enter the amount in rupees, e.g. 100 or 99.50' };
    } else if (!byAmount && (!Number.isInteger(quantity) || quantity < 1)) {
      perLine[i] = { field, error: 'Enter the units taken back (a whole number)' };
    } else {
      const ask = byAmount ? { amountPaise: amountPaise! } : { quantity };
      // What earlier refunds took: only its sums matter for the amount (the tax split is the service's).
      const before = [{ quantity: l.refundedQuantity, amountPaise: l.refundedPaise, taxablePaise: 0, cgstPaise: 0, sgstPaise: 0 }];
      const r = reverseLine({ quantity: l.quantity, taxablePaise: l.taxablePaise, cgstPaise: l.cgstPaise, sgstPaise: l.sgstPaise, totalPaise: l.totalPaise }, before, ask);
      if ('error' in r) perLine[i] = { field, error: r.error };
      else {
        perLine[i] = { amountPaise: r.amountPaise };
        sum += r.amountPaise;
        asks.push({ line: i, ...ask });
      }
    }
    const bad = perLine[i];
    if (bad && 'error' in bad) errors[bad.field] = bad.error;
  });
  if (ticked.length === 0) errors.lines = 'Tick the lines taken back';
  // The round-off the service takes with these lines (roundOffTaken): the rest of it with the last of
  // the bill, a round-off down as soon as the lines left no longer cover it. Earlier refunds took
  // what they credited beyond their lines.
  const linesLeftPaise = invoice.lines.reduce((s, l) => s + l.totalPaise - l.refundedPaise, 0);
  const roundOffDone = invoice.creditedPaise - invoice.lines.reduce((s, l) => s + l.refundedPaise, 0);
  const takenPaise = sum + (asks.length > 0 ? roundOffTaken(sum, { linesLeftPaise, roundOffLeftPaise: invoice.totals.roundOffPaise - roundOffDone }) : 0);
  const owedPaise = invoice.totals.totalPaise - invoice.creditedPaise;
  const moneyBackPaise = moneyBack(takenPaise, { netPaidPaise: invoice.paidPaise, owedPaise });
  return { asks, perLine, errors, takenPaise, moneyBackPaise, balanceAfterPaise: Math.max(0, owedPaise - takenPaise - (invoice.paidPaise - moneyBackPaise)) };
}
