import { and, eq, sql } from 'drizzle-orm';
import type { Signer } from '../shared/sync-rules';
import { approvalToCheck, discountApprovalProblem } from '../shared/sync-rules-billing';
import { heldInvoiceId, heldInvoiceProblem, invoiceRecordChange, invoiceRecordProblem } from '../shared/abdm-invoice-record';
import { amendmentProblem, amendsVerified, reopensVerified } from '../shared/lab-amendment';
import type { ServerDb } from './db/open';
import { rows } from './db/schema';
import { chainFrom, patientMoveProblem, type MergeDeps } from './patient-merges';

/** A change as the server judges it, with the row as it stands there. */
export interface JudgedChange {
  table: string;
  rowId: string;
  op: 'insert' | 'update' | 'delete';
  columns: Readonly<Record<string, unknown>>;
  before: Readonly<Record<string, unknown>> | null;
  signer: Signer | null;
}

/** Rows made at a visit in the doctor's name: they must name a visit the server holds, of the same patient. */
const OF_A_VISIT: Readonly<Record<string, string>> = { certificates: 'a certificate', abdm_care_contexts: 'an ABDM care context' };

/**
 * What the rule book (shared/sync-rules.ts) cannot judge from the one row: rules that read other
 * rows the server holds. A patient move needs its merge (server/patient-merges.ts); a certificate
 * or ABDM care context needs its visit, of the same patient, signed by that visit's doctor (or,
 * for a care context, an administrator).
 */
export async function relatedRowsProblem(deps: MergeDeps, change: JudgedChange): Promise<string | null> {
  const other = (await labRowsProblem(deps, change)) ?? (await discountApprovalRowProblem(deps, change)) ?? (await careContextBillProblem(deps, change));
  if (other) return other;
  if (change.op === 'update') return patientMoveProblem(deps, change.table, change.before, change.columns, change.rowId);
  const what = OF_A_VISIT[change.table];
  if (change.op !== 'insert' || !what) return null;
  const { columns, signer } = change;
  const visitId = columns.visit_id;
  const visit = typeof visitId === 'string' ? (await deps.row('visits', visitId))?.data : undefined;
  if (!visit) return `${what} is made for a visit the server holds: visit ${String(visitId)} is not there`;
  // Through merges: a desk that had not pulled a merge yet names the merged record, the server the survivor.
  const ofVisit = await chainFrom(deps, String(visit.patient_id));
  const ofRow = await chainFrom(deps, String(columns.patient_id));
  if (ofVisit.end !== ofRow.end) return `${what} is for the patient of its visit: ${change.table}.patient_id is another patient`;
  if (columns.doctor_id !== visit.doctor_id) return `${what} names the visit's own doctor: ${change.table}.doctor_id is another doctor`;
  const admin = signer?.roles.includes('admin') === true;
  if (signer && !admin && signer.id !== visit.doctor_id) return `${what} is made by the doctor of the visit (or an administrator), not by another doctor`;
  return null;
}

/**
 * A care context's Invoice record stands for an issued, non-void bill of its visit and patient, and
 * the one it holds is replaced or removed only once that bill is void (shared/abdm-invoice-record.ts).
 * The bill's changes may come in the same push, before or after: a later one made before this
 * change (by its clock stamp) is applied first; one made after it (the bill voided once the record
 * was written) is not, so the record is judged against the bill as the desk saw it.
 */
export async function careContextBillProblem(deps: MergeDeps, change: JudgedChange): Promise<string | null> {
  if (change.table !== 'abdm_care_contexts' || change.op === 'delete') return null;
  const touched = invoiceRecordChange(change.before, change.columns);
  if (!touched) return null;
  const madeAt = typeof change.columns.hlc === 'string' ? change.columns.hlc : '';
  if (touched.held !== undefined) {
    const problem = heldInvoiceProblem(touched.held, await billRow(deps, heldInvoiceId(touched.held), madeAt));
    if (problem) return problem;
  }
  if (touched.written === undefined) return null;
  const after = { ...(change.before ?? {}), ...change.columns };
  const bill = await billRow(deps, heldInvoiceId(touched.written), madeAt);
  const samePatient = bill !== null && (await chainFrom(deps, String(bill.patient_id))).end === (await chainFrom(deps, String(after.patient_id))).end;
  return invoiceRecordProblem(after.visit_id, touched.written, bill, samePatient);
}

/** A bill row as it stands once this push's own changes to it made before `madeAt` are in. */
async function billRow(deps: MergeDeps, invoiceId: string | null, madeAt: string): Promise<Readonly<Record<string, unknown>> | null> {
  if (!invoiceId) return null;
  for (const c of deps.batch.changes) {
    if (c.table === 'invoices' && c.rowId === invoiceId && c.hlc < madeAt && !deps.batch.seen.has(c.id) && !deps.batch.early.has(c.id)) await deps.applyEarly(c);
  }
  return (await deps.row('invoices', invoiceId))?.data ?? null;
}

/**
 * The lab's rules that read other rows (docs/LAB.md): a result is entered on an order the server
 * holds that has its sample (or, once verified, only as an amendment); verifying names a result of
 * that order that someone other than the verifier entered.
 */
export async function labRowsProblem(deps: MergeDeps, change: JudgedChange): Promise<string | null> {
  const { table, op, columns, before } = change;
  if (table === 'lab_results' && op === 'insert') {
    const order = (await deps.row('lab_orders', String(columns.order_id)))?.data;
    if (!order) return `a lab result is entered on an order the server holds: order ${String(columns.order_id)} is not there`;
    const status = String(order.status);
    if (status === 'verified' && (columns.amends === null || columns.amends === undefined)) return 'a verified lab result changes only by an amendment that names it and says why';
    if (status !== 'collected' && status !== 'resulted' && status !== 'verified') return `a lab result is entered against a collected sample: the order is ${status}`;
    return outsideReportProblem(deps, order, columns.attachment_id);
  }
  if (table !== 'lab_orders' || op !== 'update' || !before) return null;
  if (reopensVerified(before, columns)) return amendmentProblem(change.rowId, before, columns, await amendingRows(deps, change.rowId, before));
  const after = { ...before, ...columns };
  if (after.status !== 'verified' || before.status === 'verified') return null;
  const result = (await deps.row('lab_results', String(after.verified_result_id)))?.data;
  if (!result || result.order_id !== change.rowId) return 'a lab order is verified with a result of that order the server holds (verified_result_id)';
  if (result.resulted_by === after.verified_by) return 'a lab result is verified by someone other than the person who entered it';
  return null;
}

/**
 * An invoice naming its discount's approver names the approval that person signed, covering the
 * bill's discount (shared/sync-rules-billing.ts). The approval may come later in the same push (a
 * desk's outbox is in order, but nothing obliges a push to be): it is then applied first, so its
 * own signature and rules are judged before the invoice leans on it.
 */
export async function discountApprovalRowProblem(deps: MergeDeps, change: JudgedChange): Promise<string | null> {
  if (change.table !== 'invoices') return null;
  const after = { ...(change.before ?? {}), ...change.columns };
  const named = approvalToCheck(change.op, Object.keys(change.columns), after);
  if (named === null) return null;
  const approvalId = named.id;
  if (approvalId === null) return discountApprovalProblem(change.rowId, after, null);
  let approval = await deps.row('discount_approvals', approvalId);
  if (!approval) {
    const later = deps.batch.changes.find((c) => c.table === 'discount_approvals' && c.rowId === approvalId && c.op === 'insert' && !deps.batch.seen.has(c.id) && !deps.batch.early.has(c.id));
    if (later) {
      await deps.applyEarly(later);
      approval = await deps.row('discount_approvals', approvalId);
    }
  }
  return discountApprovalProblem(change.rowId, after, approval?.data ?? null);
}

/**
 * The result rows of an order that could amend its verified result: stored, written earlier in this
 * push, or later in it (applied now, so the order of a push's changes does not matter; the result is
 * judged on its own first, against the order still verified).
 */
async function amendingRows(deps: MergeDeps, orderId: string, before: Readonly<Record<string, unknown>>): Promise<Readonly<Record<string, unknown>>[]> {
  for (const change of deps.batch.changes) {
    if (change.table !== 'lab_results' || change.op !== 'insert' || deps.batch.seen.has(change.id) || deps.batch.early.has(change.id)) continue;
    if (amendsVerified(orderId, before, change.columns)) await deps.applyEarly(change);
  }
  const stored = await resultsOfOrder(deps.tx, deps.clinicId, orderId);
  const ids = new Set(stored.map((r) => r.rowId));
  for (const d of deps.batch.dirty.values()) if (d.table === 'lab_results') ids.add(d.rowId);
  const found: Readonly<Record<string, unknown>>[] = [];
  for (const id of ids) {
    const data = (await deps.row('lab_results', id))?.data;
    if (data) found.push(data);
  }
  return found;
}

/** The stored result rows of a lab order (exported for the plan test: it must use rows_lab_result_order_idx). */
export function resultsOfOrder(db: Pick<ServerDb, 'select'>, clinicId: string, orderId: string) {
  return (
    db
      .select({ rowId: rows.rowId })
      .from(rows)
      // table_name as a literal: the partial index is then usable in a generic plan too.
      .where(and(eq(rows.clinicId, clinicId), sql`${rows.tableName} = 'lab_results'`, sql`${rows.data}->>'order_id' = ${orderId}`))
  );
}

/**
 * An outside lab's report given as a result: a lab report the server holds (from this push too, in
 * any order), of the order's patient (through merges) and, when it names a visit, of the order's visit.
 */
async function outsideReportProblem(deps: MergeDeps, order: Readonly<Record<string, unknown>>, attachmentId: unknown): Promise<string | null> {
  if (attachmentId === null || attachmentId === undefined) return null;
  const id = typeof attachmentId === 'string' ? attachmentId : JSON.stringify(attachmentId);
  for (const change of deps.batch.changes) {
    if (change.table === 'attachments' && change.rowId === id && !deps.batch.seen.has(change.id) && !deps.batch.early.has(change.id)) await deps.applyEarly(change);
  }
  const a = (await deps.row('attachments', id))?.data;
  if (!a || a.deleted_at != null) return `a lab result names an outside lab report the server holds: attachment ${id} is not there`;
  if ((await chainFrom(deps, String(a.patient_id))).end !== (await chainFrom(deps, String(order.patient_id))).end) return 'a lab result’s outside lab report is of the same patient: this attachment is another patient’s';
  if (a.visit_id != null && a.visit_id !== order.visit_id) return 'a lab result’s outside lab report is of the order’s visit: this attachment is of another visit';
  if (a.kind !== 'lab_report' || a.withdrawn_at != null) return 'a lab result’s outside lab report is an attachment filed as a lab report, not withdrawn';
  return null;
}
