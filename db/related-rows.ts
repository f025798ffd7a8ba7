import { eq } from 'drizzle-orm';
import { heldInvoiceId, heldInvoiceProblem, invoiceRecordChange, invoiceRecordProblem, type BillRow } from '../shared/abdm-invoice-record';
import { approvalToCheck, discountApprovalProblem } from '../shared/sync-rules-billing';
import type { Db } from './open';
import { discountApprovals, invoices, patients } from './schema';

/**
 * What the desk's Writer checks beyond the one row, as the server does (server/related-rows.ts):
 * an invoice naming its discount's approver names that approver's signed approval, covering it; a
 * care context's Invoice record stands for an issued bill of its visit, replaced only once void.
 */
export function relatedDeskProblem(db: Db, table: string, rowId: string, op: 'insert' | 'update' | 'delete', columns: Readonly<Record<string, unknown>>, before: Readonly<Record<string, unknown>> | null): string | null {
  if (table === 'abdm_care_contexts' && op !== 'delete') return careContextBillProblem(db, columns, before);
  if (table !== 'invoices') return null;
  const after = { ...(before ?? {}), ...columns };
  const named = approvalToCheck(op, Object.keys(columns), after);
  if (named === null) return null;
  const approval = named.id === null ? undefined : db.select().from(discountApprovals).where(eq(discountApprovals.id, named.id)).get();
  const row = approval ? { invoice_id: approval.invoiceId, approved_by: approval.approvedBy, discount_paise: approval.discountPaise, gross_paise: approval.grossPaise } : null;
  return discountApprovalProblem(rowId, after, row);
}

function careContextBillProblem(db: Db, columns: Readonly<Record<string, unknown>>, before: Readonly<Record<string, unknown>> | null): string | null {
  const touched = invoiceRecordChange(before, columns);
  if (!touched) return null;
  if (touched.held !== undefined) {
    const problem = heldInvoiceProblem(touched.held, billRow(db, heldInvoiceId(touched.held)));
    if (problem) return problem;
  }
  if (touched.written === undefined) return null;
  const after = { ...(before ?? {}), ...columns };
  const id = heldInvoiceId(touched.written);
  const bill = billRow(db, id);
  const patientId = id ? db.select({ patientId: invoices.patientId }).from(invoices).where(eq(invoices.id, id)).get()?.patientId : undefined;
  const samePatient = patientId !== undefined && survivor(db, patientId) === survivor(db, String(after.patient_id));
  return invoiceRecordProblem(after.visit_id, touched.written, bill, samePatient);
}

function billRow(db: Db, invoiceId: string | null): BillRow | null {
  if (!invoiceId) return null;
  const r = db.select().from(invoices).where(eq(invoices.id, invoiceId)).get();
  return r ? { visit_id: r.visitId, status: r.status, invoice_number: r.invoiceNumber, totals: r.totals, deleted_at: r.deletedAt } : null;
}

/** Where a patient's chain of merges ends (a care context keeps the merged record's id; its bills move). */
function survivor(db: Db, patientId: string): string {
  let id = patientId;
  const seen = new Set([id]);
  for (;;) {
    const next = db.select({ mergedInto: patients.mergedInto }).from(patients).where(eq(patients.id, id)).get()?.mergedInto;
    if (!next || seen.has(next)) return id;
    seen.add(next);
    id = next;
  }
}
