import { BP, mulDivHalfUp } from './money';

/*
 * A purchase line's money, in one place for the service that records the purchase and the Stock
 * screen that shows running totals while it is typed: the screen's figures are the backend's.
 */

export interface PurchaseLineFigures {
  packs: number;
  /** Per pack, before GST. */
  ratePaise: number;
  /** Trade discount in basis points. */
  discountBp: number;
  gstRateBp: number;
}

export interface LineMoney {
  grossPaise: number;
  discountPaise: number;
  taxablePaise: number;
  gstPaise: number;
  totalPaise: number;
}

/** packs × rate, less the trade discount (half-up to the paisa), plus GST on what is left (half-up); free packs cost nothing. */
export function purchaseLineMoney(l: PurchaseLineFigures): LineMoney {
  const grossPaise = l.packs * l.ratePaise;
  const discountPaise = mulDivHalfUp(grossPaise, l.discountBp, BP);
  const taxablePaise = grossPaise - discountPaise;
  const gstPaise = mulDivHalfUp(taxablePaise, l.gstRateBp, BP);
  return { grossPaise, discountPaise, taxablePaise, gstPaise, totalPaise: taxablePaise + gstPaise };
}

/** The purchase's figures: the sums of its lines'. */
export function purchaseTotals(lines: readonly LineMoney[]): LineMoney {
  const sum = (k: keyof LineMoney) => lines.reduce((s, m) => s + m[k], 0);
  return { grossPaise: sum('grossPaise'), discountPaise: sum('discountPaise'), taxablePaise: sum('taxablePaise'), gstPaise: sum('gstPaise'), totalPaise: sum('totalPaise') };
}
