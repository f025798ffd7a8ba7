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

export function countedOf(denominations: Record<string, number>): number {
  return Object.entries(denominations).reduce((s, [note, n]) => s + Number(note) * 100 * n, 0);
}

export function typedCash(openingCashPaise: number, counts: Record<string, number>): CashTyped {
  return { openingCashPaise, denominations: Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)) };
}

/** Expected = opening + cash received - cash refunded (the server's rule); counted from the notes. */
export function cashLine(day: { receivedPaise: number; refundedPaise: number }, typed: CashTyped): CashLine {
  const expectedPaise = typed.openingCashPaise + day.receivedPaise - day.refundedPaise;
  const countedPaise = countedOf(typed.denominations);
  return { openingPaise: typed.openingCashPaise, expectedPaise, countedPaise, differencePaise: countedPaise - expectedPaise };
}
