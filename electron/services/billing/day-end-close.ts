import { ApiFailure } from '../../core/context';
import { formatDay } from '../../../shared/clinic-time';
import { formatRupees } from '../../../shared/money';
import type { dayEnds } from '../../../db/schema';
import type { Row } from '../../../db/write';
import type { Ctx } from './common';

/*
 * Closing a day honestly: a cash difference is explained before the day is locked, and what was
 * closed (not what is typed afterwards) is what the screen and the PDF show from then on.
 */

type Cash = { openingPaise: number; expectedPaise: number; countedPaise: number; differencePaise: number };

/** "SHORT by ₹300.00" / "EXCESS of ₹50.00" / "tallies": the words the screen and the PDF use. */
export function differenceWords(differencePaise: number): string {
  if (differencePaise === 0) return 'cash tallies';
  return differencePaise < 0 ? `SHORT by ${formatRupees(-differencePaise)}` : `EXCESS of ${formatRupees(differencePaise)}`;
}

/**
 * The reason for a cash difference, required when the count differs from the expected cash (a
 * closed day is locked: nobody can explain it later). Also names the closing in the audit log with
 * its figures and the reason. Null when the cash tallies.
 */
export function closingReason(ctx: Ctx, date: string, cash: Cash, given: string | null | undefined): string | null {
  const reason = (given ?? '').trim();
  if (cash.differencePaise !== 0 && reason === '') {
    const what = differenceWords(cash.differencePaise);
    throw new ApiFailure('invalid_input', `differenceReason: The cash is ${what}: say why before closing the day.`, {
      differenceReason: `Reason for the difference is required (${what})`,
    });
  }
  ctx.describe({
    entityType: 'day_ends',
    detail:
      `closed ${formatDay(date)}: opening ${formatRupees(cash.openingPaise)}, expected ${formatRupees(cash.expectedPaise)}, ` +
      `counted ${formatRupees(cash.countedPaise)}, ${differenceWords(cash.differencePaise)}${reason ? `; reason: ${reason}` : ''}`,
  });
  return cash.differencePaise === 0 ? null : reason;
}

/**
 * A closed day as the screen shows it: the figures it was closed with (the cash counted then, not
 * what is typed now), so the screen and the closed day's PDF agree. Figures added to the report
 * since the day was closed come from today only when the stored summary lacks them.
 */
export function asClosed<T extends { cash: object }>(live: T, closed: Row<typeof dayEnds>): T & { differenceReason: string | null } {
  const stored = closed.summary as Partial<T>;
  return { ...live, ...stored, differenceReason: closed.differenceReason ?? null };
}
