import { PERMISSIONS } from './permissions';
import type { Judged, TableRules } from './sync-rules';

/**
 * A discount above the counter's limit and the administrator's approval of it (docs/SYNC.md
 * "Discount approvals"). The approval is a row signed by the approver themselves; the invoice
 * names it. What one row shows is checked here in the rule book; that the named approval exists,
 * is for this bill, by the person the bill names and covers its discount is
 * `discountApprovalProblem`, which the desk's Writer (db/related-rows.ts) and the server
 * (server/related-rows.ts) call with the approval row they hold.
 *
 * The counter's limit is a setting of each workstation (local_meta), which the server does not
 * receive: it cannot tell a discount above the limit that names no approver. What it can and does
 * refuse is a bill that names an approver without that approver's signed approval covering it.
 */

const int = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function approvalRow(j: Judged): string | null {
  const a = j.after;
  if (!int(a.discount_paise) || !int(a.gross_paise)) return 'a discount approval names the discount and the bill it covers in whole paise';
  if ((a.discount_paise as number) > (a.gross_paise as number)) return 'a discount approval cannot cover more than the bill';
  return null;
}

export const BILLING_SYNC_RULES: Readonly<Record<string, TableRules>> = {
  discount_approvals: { kind: 'ledger', insert: PERMISSIONS['billing.approveDiscount'], update: [], delete: [], signedBy: ['approved_by'], states: approvalRow },
};

/** Invoice columns whose change makes the approval be looked at again. */
const APPROVAL_COLUMNS = ['discount_approved_by', 'discount_approval_id', 'status', 'totals', 'lines', 'discount_kind', 'discount_value'];

/**
 * The discount_approvals row an invoice change must be checked against (`id` null: it names none),
 * or null when the change names no approver (or touches nothing the approval covers).
 */
export function approvalToCheck(op: 'insert' | 'update' | 'delete', changed: readonly string[], after: Readonly<Record<string, unknown>>): { id: string | null } | null {
  if (op === 'delete' || after.discount_approved_by == null) return null;
  if (op === 'update' && !changed.some((c) => APPROVAL_COLUMNS.includes(c))) return null;
  // Voiding claims no discount: it is never refused for the approval (a bill approved before
  // approvals were signed rows names its approver and no approval, and must still be voidable).
  if (op === 'update' && after.status === 'void' && !changed.some((c) => c !== 'status' && APPROVAL_COLUMNS.includes(c))) return null;
  return { id: typeof after.discount_approval_id === 'string' && after.discount_approval_id !== '' ? after.discount_approval_id : null };
}

interface Totals {
  grossPaise: number;
  lineDiscountPaise: number;
  invoiceDiscountPaise: number;
}

function totalsOf(v: unknown): Totals | null {
  if (!v || typeof v !== 'object') return null;
  const t = v as Record<string, unknown>;
  return int(t.grossPaise) && int(t.lineDiscountPaise) && int(t.invoiceDiscountPaise) ? (t as unknown as Totals) : null;
}

const rupees = (paise: number) => `₹${(paise / 100).toFixed(2)}`;

/**
 * Why an invoice (after the change) may not name its discount's approver with this approval row
 * (null: the approval as the desk or server holds it, or none), or null when it may.
 */
export function discountApprovalProblem(invoiceId: string, after: Readonly<Record<string, unknown>>, approval: Readonly<Record<string, unknown>> | null): string | null {
  const approver = after.discount_approved_by;
  if (approver == null) return null;
  if (!approval) return 'the bill names an administrator as approving its discount, but no approval signed by them is there';
  if (approval.invoice_id !== invoiceId) return 'the discount approval the bill names is for another bill';
  if (approval.approved_by !== approver) return 'the discount approval the bill names was given by someone else than the approver it names';
  const totals = totalsOf(after.totals);
  if (!totals) return null;
  const given = totals.lineDiscountPaise + totals.invoiceDiscountPaise;
  const covered = Number(approval.discount_paise);
  if (given > covered || Number(approval.gross_paise) !== totals.grossPaise) {
    return `the discount approval covers ${rupees(covered)} on a bill of ${rupees(Number(approval.gross_paise))}, not ${rupees(given)} on ${rupees(totals.grossPaise)}`;
  }
  return null;
}
