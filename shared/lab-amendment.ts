/**
 * Verified -> resulted only by an amendment (docs/LAB.md). The rule book sees one row, so it cannot
 * tell an amendment from a lab technician quietly unlocking a verified result; this reads the
 * order's result rows. The desk's Writer and the server ask it with the rows each holds (the server
 * also with the rows of the same push, in any order).
 */

type Row = Readonly<Record<string, unknown>>;

const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** Whether this lab_orders change sends a verified order back to resulted (the case to check). */
export function reopensVerified(before: Row | null, columns: Row): boolean {
  return !!before && before.status === 'verified' && columns.status !== undefined && columns.status !== 'verified';
}

/** A result row that amends the verified one (or, for an order verified before verified_result_id, any amendment), with a reason. */
export function amendsVerified(orderId: string, before: Row, result: Row): boolean {
  if (result.order_id !== orderId || !filled(result.amend_reason) || !filled(result.amends)) return false;
  const verified = before.verified_result_id;
  return filled(verified) ? result.amends === verified : true;
}

export const NO_AMENDMENT = 'a verified lab result goes back to be verified only with an amendment: a new result naming the verified one, with a reason';

/** Why this order change is refused, given the order's result rows, or null. */
export function amendmentProblem(orderId: string, before: Row | null, columns: Row, results: readonly Row[]): string | null {
  if (!reopensVerified(before, columns)) return null;
  return results.some((r) => amendsVerified(orderId, before!, r)) ? null : NO_AMENDMENT;
}
