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
    // The units' share of the line: an MRP unit gives back its MRP.
    const amountPaise = mulDivHalfUp(line.totalPaise, ask.quantity, line.quantity);
    if (amountPaise > left.amountPaise) return { error: `At most ${formatRupees(left.amountPaise)} is left to refund on this line` };
    return { quantity: ask.quantity, ...splitAmount(line, done, left, amountPaise) };
  }
  const amount = ask.amountPaise;
  if (!Number.isSafeInteger(amount) || amount < 1) return { error: 'Amount must be whole paise, more than zero' };
  if (amount > left.amountPaise) return { error: `At most ${formatRupees(left.amountPaise)} is left to refund on this line` };
  if (amount === left.amountPaise) return rest(null);
  return { quantity: null, ...splitAmount(line, done, left, amount) };
}

type Parts = Pick<LineReversal, 'amountPaise' | 'taxablePaise' | 'cgstPaise' | 'sgstPaise'>;

/**
 * The line's taxable value, CGST and SGST in `amount` (tax included), in the line's proportion: each
 * part's exact share rounded down, the paise still missing given to the parts with the largest
 * remainders (ties in the order taxable, CGST, SGST). A unit's exact share stays exact.
 */
function shareOf(amount: number, line: IssuedLineFigures): Omit<Parts, 'amountPaise'> {
  const keys = ['taxablePaise', 'cgstPaise', 'sgstPaise'] as const;
  const total = BigInt(line.totalPaise);
  const exact = keys.map((k) => {
    const n = BigInt(amount) * BigInt(line[k]);
    return { k, floor: Number(n / total), rest: n % total };
  });
  let missing = amount - exact.reduce((s, e) => s + e.floor, 0);
  for (const e of [...exact].sort((a, b) => (b.rest > a.rest ? 1 : b.rest < a.rest ? -1 : 0))) {
    if (missing <= 0 || e.rest === 0n) break;
    e.floor += 1;
    missing -= 1;
  }
  return { taxablePaise: exact[0]!.floor, cgstPaise: exact[1]!.floor, sgstPaise: exact[2]!.floor };
}

/**
 * Splits `amount` (tax included) into taxable value, CGST and SGST in the line's own proportion.
 * Worked out on the running total (all refunds of the line so far plus this one) and taken as the
 * difference, so roundings do not pile up over many small refunds; then each part is kept within
 * what is left of it (never negative, never more than the line was charged), the odd paisa moved
 * to a part with room.
 */
function splitAmount(line: IssuedLineFigures, done: ReversedSum, left: Parts, amount: number): Parts {
  const after = shareOf(done.amountPaise + amount, line);
  const target = { taxablePaise: after.taxablePaise - done.taxablePaise, cgstPaise: after.cgstPaise - done.cgstPaise, sgstPaise: after.sgstPaise - done.sgstPaise };
  const keys = ['taxablePaise', 'cgstPaise', 'sgstPaise'] as const;
  const parts = { ...target };
  for (const k of keys) parts[k] = Math.max(0, Math.min(left[k], parts[k]));
  let diff = amount - keys.reduce((s, k) => s + parts[k], 0);
  for (const k of keys) {
    const move = diff > 0 ? Math.min(diff, left[k] - parts[k]) : Math.max(diff, -parts[k]);
    parts[k] += move;
    diff -= move;
  }
  return { amountPaise: amount, ...parts };
}

/**
 * Of what taking lines off a bill comes to (`takenPaise`), the money that goes back: only what was
 * paid beyond what the bill comes to afterwards. A line of a bill not paid for (the patient never
 * took the X-ray) comes off the balance due and gives no money back; on a bill paid in full all of
 * it goes back. Never more than is held on the bill (net paid), never less than nothing.
 * `owedPaise` is what the bill comes to before (its total less what earlier refunds took off it).
 * The cap at net paid is explicit: a bill whose lines came off past its total (a rounded-down bill
 * refunded by an older version, or old refunds by amount) must still never give back more than it holds.
 */
export function moneyBack(takenPaise: number, bill: { netPaidPaise: number; owedPaise: number }): number {
  return Math.max(0, Math.min(takenPaise, bill.netPaidPaise, bill.netPaidPaise - (bill.owedPaise - takenPaise)));
}

/**
 * The part of the bill's rupee round-off a refund takes off with its lines (its credit note's
 * round-off). `linesLeftPaise` is what the bill's lines still come to before this refund (their
 * totals less what refunds took back of them), `roundOffLeftPaise` the bill's round-off less what
 * earlier refunds took of it. The last of the bill takes the rest of it, so a bill refunded in full
 * is credited exactly its total. A round-off down is taken as soon as the lines left would no longer
 * cover it: ₹623.20 billed as ₹623.00, ₹500 then ₹123.10 taken back leave 10 paise of lines against
 * a −20 round-off, so the ₹123.10 takes −10 of it (₹123.00, all that is held) and the last 10 paise
 * the other −10 (a note of ₹0.00): the bill never comes to less than nothing, no note is negative.
 * A round-off up stays on the bill until its last line goes.
 */
export function roundOffTaken(takenLinesPaise: number, bill: { linesLeftPaise: number; roundOffLeftPaise: number }): number {
  const linesAfter = bill.linesLeftPaise - takenLinesPaise;
  if (linesAfter <= 0) return bill.roundOffLeftPaise;
  if (bill.roundOffLeftPaise >= 0) return 0;
  return Math.max(bill.roundOffLeftPaise, Math.min(0, linesAfter + bill.roundOffLeftPaise));
}

/**
 * Whether a refund row is one the app could have written, judged on the row alone (the sync rule
 * book: the desk's Writer and the server); null when it is, else why not, for a clinic
 * administrator. What the app writes (electron/services/billing/refunds.ts), and so the invariants:
 * - amount_paise (money back) is never below 0;
 * - lines NULL (an advance refund, or a refund from before refunds by line) and lines [] (money
 *   paid beyond the bill, credit kept as advance) take nothing off the bill: credited_paise 0
 *   (legacy rows got the column's default, 0);
 * - lines non-empty: each line gives back a whole number of paise above 0, and credited_paise is
 *   their sum plus the part of the bill's rupee round-off the refund takes (the whole of it at
 *   most), which is between −49 and +50 paise (roundToRupee). This version takes a round-off down in parts
 *   (roundOffTaken), each part within those bounds, so credited_paise is never below 0; an older
 *   version took it whole with the last refund, so its rows may be a few paise below 0 (the last 30
 *   paise of a bill rounded down by 40): still accepted, as they were written;
 * - with lines, the money back is moneyBack(credited, …): at least 0, at most what came off the
 *   bill (never above credited_paise), and mode 'advance' exactly when no money goes back
 *   (the cashier cannot choose 'advance' as a refund mode).
 */
export function refundRowProblem(row: Readonly<Record<string, unknown>>): string | null {
  const amount = row.amount_paise;
  const credited = row.credited_paise ?? 0;
  if (typeof amount !== 'number' || typeof credited !== 'number') return null; // the column checks say what is wrong
  if (amount < 0) return 'a refund cannot give back less than nothing (amount_paise below 0)';
  const lines = typeof row.lines === 'string' ? parseLines(row.lines) : row.lines;
  if (lines == null || (Array.isArray(lines) && lines.length === 0)) {
    if (credited !== 0) return 'a refund that names no lines of the bill cannot take anything off the bill (credited_paise must be 0)';
    return null;
  }
  if (!Array.isArray(lines)) return 'refunds.lines must be a list of the bill’s lines taken back';
  const amounts = lines.map((l: unknown) => (typeof l === 'object' && l !== null && 'amountPaise' in l ? l.amountPaise : null));
  if (amounts.some((a) => typeof a !== 'number' || !Number.isSafeInteger(a) || a < 1)) return 'each line a refund takes back gives back a whole number of paise above 0';
  const sum = amounts.reduce<number>((s, a) => s + (a as number), 0);
  const roundOff = credited - sum;
  if (roundOff < -49 || roundOff > 50) {
    return `a refund by line takes off the bill what its lines come to (${sum} paise, give or take the bill’s rupee round-off), not ${credited} paise`;
  }
  if (amount > Math.max(0, credited)) return 'a refund by line cannot give back more money than it takes off the bill';
  if (row.mode === 'advance' && amount !== 0) return 'a refund by line that gives money back says how it was given back (not mode advance)';
  if (row.mode !== 'advance' && amount === 0) return 'a refund by line that gives no money back has mode advance (no money moved)';
  return null;
}

function parseLines(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
