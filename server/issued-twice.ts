import type { Change } from '../shared/sync-protocol';

/**
 * The same draft issued at two desks while offline (docs/SYNC.md "Numbers are events"). Both issue
 * events are kept (invoice_issues) and every desk derives which number the bill keeps; the second
 * desk's edit of the invoice row itself cannot win (an issued invoice's number never changes).
 * Refusing it would leave a red "refused" on a billing desk for an outcome the bill already
 * explains, so the server answers it as applied, writes nothing, and flags it with the numbers.
 *
 * Only an edit that issues (number, status 'issued' and time together, over a row the server holds
 * as issued or void under another number) qualifies; anything else meets the rule book as before.
 * Nothing is written either way, so calling a forged renumbering this gains its sender nothing.
 */
export function issuedTwiceNotice(change: Change, before: Record<string, unknown> | null): string | null {
  if (change.table !== 'invoices' || !before) return null;
  const mine = change.columns.invoice_number;
  const kept = before.invoice_number;
  if (typeof mine !== 'string' || typeof kept !== 'string' || mine === kept) return null;
  if (change.columns.status !== 'issued' || typeof change.columns.issued_at !== 'number') return null;
  if (before.status !== 'issued' && before.status !== 'void') return null;
  return `Issued twice while offline: ${mine} is void and the bill keeps ${kept} (issued first at another desk).`;
}
