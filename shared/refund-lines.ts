import { formatRupees, mulDivHalfUp } from './money';

/**
 * What a refund takes back from one line of an issued bill: a quantity (its share of the line's
 * taxable value and tax) or an amount (tax included, split in the line's own proportion). The last
 * of a line takes exactly what is left, so a line refunded in parts reverses exactly its figures.
 * Pure arithmetic in integer paise; the caller says which line and what was refunded on it before.
 */

export interface IssuedLineFigures {
  quantity: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  /** taxable + CGST + SGST. */
  totalPaise: number;
}

export interface LineReversal {
  /** Units given back (null for an amount refund). */
  quantity: number | null;
  /** What is given back for the line, tax included. */
  amountPaise: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
}

export type LineRefundAsk = { quantity: number; amountPaise?: undefined } | { amountPaise: number; quantity?: undefined };

type ReversedSum = { quantity: number; amountPaise: number; taxablePaise: number; cgstPaise: number; sgstPaise: number };

/** Sum of what earlier refunds took back from one line. */
export function reversedSoFar(list: readonly LineReversal[]): ReversedSum {
  return list.reduce<ReversedSum>(
    (s, r) => ({
      quantity: s.quantity + (r.quantity ?? 0),
      amountPaise: s.amountPaise + r.amountPaise,
      taxablePaise: s.taxablePaise + r.taxablePaise,
      cgstPaise: s.cgstPaise + r.cgstPaise,
      sgstPaise: s.sgstPaise + r.sgstPaise,
    }),
    { quantity: 0, amountPaise: 0, taxablePaise: 0, cgstPaise: 0, sgstPaise: 0 },
  );
}

/** The reversal of one line, or why it cannot be (in words for the cashier). */
export function reverseLine(line: IssuedLineFigures, before: readonly LineReversal[], ask: LineRefundAsk): LineReversal | { error: string } {
  const done = reversedSoFar(before);
  const left = {
    amountPaise: line.totalPaise - done.amountPaise,
    taxablePaise: line.taxablePaise - done.taxablePaise,
    cgstPaise: line.cgstPaise - done.cgstPaise,
    sgstPaise: line.sgstPaise - done.sgstPaise,
  };
  if (left.amountPaise <= 0) return { error: 'Nothing is left to refund on this line' };
  const rest = (quantity: number | null): LineReversal => ({ quantity, ...left });
  if (ask.quantity !== undefined) {
    const qLeft = line.quantity - done.quantity;
    if (!Number.isSafeInteger(ask.quantity) || ask.quantity < 1) return { error: 'Quantity must be a whole number of at least 1' };
    if (ask.quantity > qLeft) return { error: qLeft > 0 ? `Only ${qLeft} of ${line.quantity} can still be refunded` : 'Every unit of this line has been refunded' };
    if (ask.quantity === qLeft) return rest(ask.quantity);
    // The units' share of the line (an MRP unit gives back its MRP), then of its taxable value and CGST; SGST is the rest.
    const part = (v: number) => mulDivHalfUp(v, ask.quantity, line.quantity);
    const amountPaise = part(line.totalPaise);
    if (amountPaise > left.amountPaise) return { error: `At most ${formatRupees(left.amountPaise)} is left to refund on this line` };
    const taxablePaise = Math.min(left.taxablePaise, part(line.taxablePaise));
    const cgstPaise = Math.min(left.cgstPaise, part(line.cgstPaise), amountPaise - taxablePaise);
    return { quantity: ask.quantity, amountPaise, taxablePaise, cgstPaise, sgstPaise: amountPaise - taxablePaise - cgstPaise };
  }
  const amount = ask.amountPaise;
  if (!Number.isSafeInteger(amount) || amount < 1) return { error: 'Amount must be whole paise, more than zero' };
  if (amount > left.amountPaise) return { error: `At most ${formatRupees(left.amountPaise)} is left to refund on this line` };
  if (amount === left.amountPaise) return rest(null);
  // The line's own proportion of taxable value to tax, never past what is left of either.
  const taxablePaise = Math.min(left.taxablePaise, mulDivHalfUp(amount, line.taxablePaise, line.totalPaise));
  const tax = amount - taxablePaise;
  const lineTax = line.cgstPaise + line.sgstPaise;
  const cgstPaise = lineTax === 0 ? 0 : Math.min(left.cgstPaise, mulDivHalfUp(tax, line.cgstPaise, lineTax));
  return { quantity: null, amountPaise: amount, taxablePaise, cgstPaise, sgstPaise: tax - cgstPaise };
}
