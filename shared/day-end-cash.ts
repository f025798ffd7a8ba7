/**
 * The day-end's cash line, one rule for the billing service (the report, its PDF, closing) and the
 * screen (while the cashier types): expected = opening cash + cash received - cash refunded;
 * counted from the notes and coins.
 */

/** Rupees of the note or coin -> how many were counted. */
export type Denominations = Record<string, number>;

export function countedCashPaise(denominations: Denominations): number {
  return Object.entries(denominations).reduce((s, [note, n]) => s + Number(note) * 100 * n, 0);
}

export function expectedCashPaise(openingCashPaise: number, cashReceivedPaise: number, cashRefundedPaise: number): number {
  return openingCashPaise + cashReceivedPaise - cashRefundedPaise;
}
