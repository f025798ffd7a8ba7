import { decimalString, rupees } from '../../../shared/money';

/* The return period asked for, and the conversions the GSTN layout needs. */

/** Days as YYYY-MM-DD in the clinic's zone, both ends included. */
export interface GstRange {
  from: string;
  to: string;
}

/** "2026-11" -> the first and last day of November 2026. */
export function monthRange(month: string): GstRange {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/**
 * The return period "MMYYYY": the month of the last day. A month is its own period; a quarterly
 * (QRMP) filer's quarter is filed under its last month, so a range across months takes the last.
 */
export function returnPeriod(range: GstRange): string {
  return `${range.to.slice(5, 7)}${range.to.slice(0, 4)}`;
}

/** True when the range is exactly one calendar month (what a monthly GSTR-1 covers). */
export function isWholeMonth(range: GstRange): boolean {
  const m = monthRange(range.from.slice(0, 7));
  return m.from === range.from && m.to === range.to;
}

/** The GST state code: the first two digits of the GSTIN ("27" Maharashtra). */
export function stateCodeOf(gstin: string): string {
  return gstin.slice(0, 2);
}

/** Paise as the JSON number of rupees with two places: 12345 -> 123.45, made from the decimal string so no float arithmetic drifts. */
export function rupeeNumber(paise: number): number {
  return Number(rupees(paise));
}

/** Basis points as the rate in percent the layout's `rt` carries: 1800 -> 18, 25 -> 0.25. */
export function ratePercent(bp: number): number {
  return Number(decimalString(bp, 2));
}
