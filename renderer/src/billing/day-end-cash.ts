import { countedCashPaise, expectedCashPaise } from '../../../shared/day-end-cash';

/**
 * The cash line of the day-end as the screen shows it while the cashier types: the opening cash
 * and the count typed so far against the day's cash in and out. The day-end PDF and closing are
 * sent these same typed figures, so the screen, the preview PDF and the closed day agree.
 */
export const NOTES = ['2000', '500', '200', '100', '50', '20', '10', '5', '2', '1'] as const;

export interface CashTyped {
  openingCashPaise: number;
  /** Notes and coins counted (rupees -> count), zero counts left out. */
  denominations: Record<string, number>;
}

export interface CashLine {
  openingPaise: number;
  expectedPaise: number;
  countedPaise: number;
  differencePaise: number;
}


export function typedCash(openingCashPaise: number, counts: Record<string, number>): CashTyped {
  return { openingCashPaise, denominations: Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)) };
}

/** The service's own rule (shared/day-end-cash.ts) on the figures typed so far. */
export function cashLine(day: { receivedPaise: number; refundedPaise: number }, typed: CashTyped): CashLine {
  const expectedPaise = expectedCashPaise(typed.openingCashPaise, day.receivedPaise, day.refundedPaise);
  const countedPaise = countedCashPaise(typed.denominations);
  return { openingPaise: typed.openingCashPaise, expectedPaise, countedPaise, differencePaise: countedPaise - expectedPaise };
}
