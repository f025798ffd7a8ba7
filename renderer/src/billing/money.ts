/**
 * Rupees typed at the counter to integer paise, by string arithmetic (never a float), and back.
 * Returns null for anything that is not an amount with at most two decimals.
 */
export function paiseOf(text: string): number | null {
  const m = /^\s*(\d{1,9})(?:\.(\d{0,2}))?\s*$/.exec(text.replace(/,/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export { formatRupees, rupees } from '../../../shared/money';
