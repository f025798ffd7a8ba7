import type { InvoiceLine } from '../../../db/schema';
import { ApiFailure } from '../../core/context';

/*
 * Medicines whose price the formulary does not know (the starter list carries no MRPs: brands and
 * packs differ from clinic to clinic) still go on the bill: the line comes with no price, and the
 * cashier types it in on the line before the bill is issued.
 */

/** A medicine line at ₹0: a price still to be entered, not a free medicine. */
export function isUnpriced(line: Pick<InvoiceLine, 'kind' | 'ratePaise'>): boolean {
  return line.kind === 'medicine' && line.ratePaise === 0;
}

export function unpricedMessage(index: number, description: string): string {
  return `Enter the price of line ${index + 1} (${description}): it has no MRP in the formulary`;
}

/** Refuses to issue a bill with a medicine line whose price was not entered, each under its line's rate field. */
export function refuseUnpriced(lines: readonly Pick<InvoiceLine, 'kind' | 'ratePaise' | 'description'>[]): void {
  const fields: Record<string, string> = {};
  lines.forEach((l, i) => {
    if (isUnpriced(l)) fields[`lines.${i}.ratePaise`] = unpricedMessage(i, l.description);
  });
  const [first] = Object.entries(fields);
  if (first) throw new ApiFailure('invalid_input', `${first[0]}: ${first[1]}`, fields);
}
