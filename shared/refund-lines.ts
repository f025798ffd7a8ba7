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
 */
export function moneyBack(takenPaise: number, bill: { netPaidPaise: number; owedPaise: number }): number {
  return Math.max(0, Math.min(takenPaise, bill.netPaidPaise - (bill.owedPaise - takenPaise)));
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
 *   their sum plus, on the refund taking the last of the bill, the bill's rupee round-off, which
 *   is between −49 and +50 paise (roundToRupee); so credited_paise may even be a few paise below
 *   0 (the last 30 paise of a bill whose total was rounded down by 40), never more than that;
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
