import { eq } from 'drizzle-orm';
import { approvalToCheck, discountApprovalProblem } from '../shared/sync-rules-billing';
import type { Db } from './open';
import { discountApprovals } from './schema';

/**
 * What the desk's Writer checks beyond the one row, as the server does (server/related-rows.ts):
 * an invoice naming its discount's approver names that approver's signed approval, covering it.
 */
export function relatedDeskProblem(db: Db, table: string, rowId: string, op: 'insert' | 'update' | 'delete', columns: Readonly<Record<string, unknown>>, before: Readonly<Record<string, unknown>> | null): string | null {
  if (table !== 'invoices') return null;
  const after = { ...(before ?? {}), ...columns };
  const named = approvalToCheck(op, Object.keys(columns), after);
  if (named === null) return null;
  const approval = named.id === null ? undefined : db.select().from(discountApprovals).where(eq(discountApprovals.id, named.id)).get();
  const row = approval ? { invoice_id: approval.invoiceId, approved_by: approval.approvedBy, discount_paise: approval.discountPaise, gross_paise: approval.grossPaise } : null;
  return discountApprovalProblem(rowId, after, row);
}
