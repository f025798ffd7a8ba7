import { LAB_FLAGS, LAB_ORDER_STATUSES, type Role } from './enums';
import type { Judged, TableRules } from './sync-rules';

/**
 * The lab's part of the rule book (spread into SYNC_RULES; docs/LAB.md). The visit's doctor (or an
 * administrator) orders; the lab (labs.work: admin, doctor, labtech) collects the sample, enters
 * results and prints; a doctor or administrator other than the person who entered the result
 * verifies it. The same checks run on the server, so a desk cannot skip a step or verify its own work.
 */
const ORDERING: readonly Role[] = ['admin', 'doctor'];
const LAB_WORK: readonly Role[] = ['admin', 'doctor', 'labtech'];
const VERIFIERS: readonly Role[] = ['admin', 'doctor'];

/** What the lab's own steps write on an order; a lab technician changes nothing else (and sets no verifier). */
const LAB_COLUMNS = ['status', 'sample_id', 'sample_collected_by', 'sample_collected_at', 'resulted_by', 'verified_by', 'verified_at', 'verified_result_id', 'cancelled_by', 'cancelled_at', 'cancel_reason', 'report_printed_at', 'report_print_count'];
const PRINT_COLUMNS = ['report_printed_at', 'report_print_count'];

const NEXT: Readonly<Record<string, readonly string[]>> = {
  ordered: ['ordered', 'collected', 'cancelled'],
  collected: ['collected', 'resulted', 'cancelled'],
  resulted: ['resulted', 'verified', 'cancelled'],
  // Back to resulted only by an amendment (a new result row keeps the old value), which is verified again.
  verified: ['verified', 'resulted'],
  cancelled: ['cancelled'],
};

const filled = (v: unknown) => v !== null && v !== undefined && !(typeof v === 'string' && v.trim() === '');

/**
 * An order resulted (or verified) before the sample step existed: it has no sample and never will,
 * so it may still be verified, printed or amended without one.
 */
const legacy = (before: Readonly<Record<string, unknown>> | null | undefined) => !!before && ['resulted', 'verified'].includes(String(before.status)) && !filled(before.sample_id);

/** What each state needs on the row itself. */
function stateShape(a: Readonly<Record<string, unknown>>, noSample = false): string | null {
  const status = String(a.status);
  if (status === 'ordered' && filled(a.sample_id)) return 'a lab order with a sample is no longer just ordered';
  if (!noSample && status !== 'ordered' && status !== 'cancelled' && !(filled(a.sample_id) && filled(a.sample_collected_by) && filled(a.sample_collected_at))) {
    return 'a lab result needs its sample first: the sample id, who collected it and when';
  }
  if (!noSample && (status === 'resulted' || status === 'verified') && !filled(a.resulted_by)) return 'a resulted lab order names who entered the result';
  if (status === 'verified') {
    if (!filled(a.verified_by) || !filled(a.verified_at)) return 'a verified lab order names who verified it and when';
    if (a.verified_by === a.resulted_by) return 'a lab result is verified by someone other than the person who entered it';
  } else if (filled(a.verified_by) || filled(a.verified_at) || filled(a.verified_result_id)) return 'only a verified lab order names a verifier';
  if (status === 'cancelled' && !(filled(a.cancelled_by) && filled(a.cancel_reason))) return 'a lab order is cancelled only with a reason, by the person cancelling it';
  return null;
}

/** Ordered -> collected -> resulted -> verified (or cancelled before verification); never back, except an amendment. */
export function labOrderStates(j: Judged): string | null {
  const { facts, after, changed } = j;
  const before = facts.before;
  if (facts.op === 'insert' || !before) {
    if (after.status !== 'ordered') return 'a new lab order starts as ordered';
    return stateShape(after);
  }
  if (changed.length === 0) return null;
  const roles = facts.signer?.roles ?? [];
  if (!roles.some((r) => ORDERING.includes(r))) {
    const other = changed.filter((c) => !LAB_COLUMNS.includes(c));
    if (other.length > 0) return `a lab technician may not change a lab order's ${other.join(', ')}`;
  }
  if (changed.includes('verified_by') && filled(after.verified_by) && !roles.some((r) => VERIFIERS.includes(r))) return 'only a doctor or an administrator verifies a lab result';
  const from = String(before.status);
  const to = String(after.status);
  if (from === 'cancelled') return 'a cancelled lab order stays cancelled';
  if (!(NEXT[from] ?? []).includes(to)) return `a lab order cannot go from ${from} to ${to}`;
  if (filled(before.sample_id) && changed.includes('sample_id')) return `sample ${String(before.sample_id)} keeps its id`;
  if (from === 'verified' && to === 'verified') {
    const locked = changed.filter((c) => !PRINT_COLUMNS.includes(c));
    if (locked.length > 0) return `a verified lab result is locked: its ${locked.join(', ')} change only by an amendment`;
  }
  // Verifying names the result verified (the report prints exactly it; server/related-rows.ts checks it).
  if (to === 'verified' && from !== 'verified' && !filled(after.verified_result_id)) return 'a verified lab order names the result that was verified (verified_result_id)';
  return stateShape(after, legacy(before));
}

export const LAB_SYNC_RULES: Readonly<Record<string, TableRules>> = {
  lab_orders: {
    kind: 'lww',
    insert: ORDERING,
    update: LAB_WORK,
    delete: ORDERING,
    signedBy: ['ordered_by', 'sample_collected_by', 'resulted_by', 'verified_by', 'cancelled_by'],
    values: { status: LAB_ORDER_STATUSES },
    states: labOrderStates,
    // The sample id is in the collecting desk's own series ("S/A/000001"), so it is never handed out twice.
    pushingDevice: { sample_id: 'invoiceNumber' },
  },
  // A correction is a new row naming the one it amends, with a reason; the old value stays.
  lab_results: {
    kind: 'ledger',
    insert: LAB_WORK,
    update: [],
    delete: [],
    signedBy: ['resulted_by'],
    values: { flag: LAB_FLAGS },
    states: (j) => (filled(j.after.amends) && !filled(j.after.amend_reason) ? 'an amended lab result says why it was corrected' : null),
  },
};
