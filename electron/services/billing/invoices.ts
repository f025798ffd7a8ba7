import { and, eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { creditNotes, discountApprovals, invoices, users, visits, type InvoiceLine, type InvoiceTotals } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { financialYear, formatRupees, invoiceNumber } from '../../../shared/money';
import { requirePatient } from '../patients';
import { getWorkstation, nextInSeries } from '../workstation';
import { type Ctx, type InvoiceRow, requireInvoice, label, refuseIfClosed } from './common';
import { getBillingSettings, discountLimitPaise } from './settings';
import { type LineInput, toLine, discountOf, figures } from './totals';
import { type Approval, discountApprover } from './approval';
import { ledgerTotals } from './ledger';
import { invoiceView } from './views';
import { recordIssue } from './issues';
import { refuseUnpriced } from './unpriced';
import { followVisitBills } from '../abdm-care-contexts';

/* Invoices: drafts, issuing a number and voiding. */

export interface DiscountInput {
  kind: 'amount' | 'percent';
  /** Paise for 'amount', basis points for 'percent'. */
  value: number;
  reason: string;
}

function checkVisit(ctx: Ctx, visitId: string | null | undefined, patientId: string) {
  if (!visitId) return null;
  const v = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!v || v.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  if (v.patientId !== patientId) throw new ApiFailure('invalid_input', 'visitId: That visit is another patient’s', { visitId: 'Another patient’s visit' });
  return v;
}

function checkDoctor(ctx: Ctx, doctorId: string | null | undefined): string | null {
  if (!doctorId) return null;
  const u = ctx.db.select({ roles: users.roles }).from(users).where(eq(users.id, doctorId)).get();
  if (!u || !u.roles.includes('doctor')) throw new ApiFailure('invalid_input', 'doctorId: No such doctor', { doctorId: 'No such doctor' });
  return doctorId;
}

function checkDiscountReason(discount: DiscountInput | null | undefined) {
  if (discount && discount.value > 0 && !discount.reason.trim()) {
    throw new ApiFailure('invalid_input', 'discount.reason: Say why the discount is given', { 'discount.reason': 'Say why the discount is given' });
  }
}

export interface CreateInvoiceInput {
  patientId: string;
  visitId?: string | null | undefined;
  doctorId?: string | null | undefined;
  lines: LineInput[];
  discount?: DiscountInput | null | undefined;
  approval?: Approval | null | undefined;
}

export function createInvoice(ctx: Ctx, input: CreateInvoiceInput) {
  const patient = requirePatient(ctx, input.patientId);
  const visit = checkVisit(ctx, input.visitId, patient.id);
  const doctorId = checkDoctor(ctx, input.doctorId ?? visit?.doctorId);
  checkDiscountReason(input.discount);
  const lines = input.lines.map((l, i) => toLine(l, i));
  const discount = input.discount && input.discount.value > 0 ? input.discount : null;
  const { totals } = figures(lines, discount);
  const id = uuidv7();
  const approver = discountApprover(ctx, id, totals, input.approval);
  const row = ctx.write.insert(invoices, {
    id,
    patientId: patient.id,
    visitId: visit?.id ?? null,
    doctorId,
    status: 'draft',
    lines,
    discountKind: discount?.kind ?? null,
    discountValue: discount?.value ?? null,
    discountReason: discount?.reason.trim() ?? null,
    discountApprovedBy: approver?.userId ?? null,
    discountApprovalId: approver?.approvalId ?? null,
  });
  return invoiceView(ctx, row);
}

export interface UpdateInvoiceInput {
  invoiceId: string;
  lines?: LineInput[] | undefined;
  /** null removes the discount. */
  discount?: DiscountInput | null | undefined;
  doctorId?: string | null | undefined;
  approval?: Approval | null | undefined;
}

/**
 * The draft's signed approval, kept when the discount is still over the limit and the approval
 * still covers it as the rule book judges it (no more discount, the same gross): another doctor
 * changes nothing the administrator approved, so they are not asked again. Null otherwise (a draft
 * approved before approvals were signed rows names none: it is approved again).
 */
function keptApproval(ctx: Ctx, row: InvoiceRow, totals: InvoiceTotals): { userId: string; approvalId: string } | null {
  if (!row.discountApprovalId || !row.discountApprovedBy) return null;
  const given = totals.lineDiscountPaise + totals.invoiceDiscountPaise;
  if (given <= discountLimitPaise(getBillingSettings(ctx), totals.grossPaise)) return null;
  const approval = ctx.db.select().from(discountApprovals).where(eq(discountApprovals.id, row.discountApprovalId)).get();
  if (!approval || approval.invoiceId !== row.id || approval.approvedBy !== row.discountApprovedBy) return null;
  if (given > approval.discountPaise || approval.grossPaise !== totals.grossPaise) return null;
  return { userId: approval.approvedBy, approvalId: approval.id };
}

export function updateInvoice(ctx: Ctx, input: UpdateInvoiceInput) {
  const row = requireInvoice(ctx, input.invoiceId);
  if (row.status !== 'draft') {
    throw new ApiFailure('conflict', `Invoice ${label(row)} is ${row.status}; only a draft is edited. Void it and raise a new one.`, { invoiceId: `Already ${row.status}` });
  }
  const lines = input.lines ? input.lines.map((l, i) => toLine(l, i)) : row.lines;
  let discount = discountOf(row);
  let reason = row.discountReason;
  if (input.discount !== undefined) {
    checkDiscountReason(input.discount);
    discount = input.discount && input.discount.value > 0 ? { kind: input.discount.kind, value: input.discount.value } : null;
    reason = discount ? input.discount!.reason.trim() : null;
  }
  const { totals } = figures(lines, discount);
  const approver = keptApproval(ctx, row, totals) ?? discountApprover(ctx, row.id, totals, input.approval);
  const doctorId = input.doctorId !== undefined ? checkDoctor(ctx, input.doctorId) : row.doctorId;
  const updated = ctx.write.update(invoices, row.id, {
    lines,
    doctorId,
    discountKind: discount?.kind ?? null,
    discountValue: discount?.value ?? null,
    discountReason: reason,
    discountApprovedBy: approver?.userId ?? null,
    discountApprovalId: approver?.approvalId ?? null,
  });
  return invoiceView(ctx, updated);
}

/**
 * Issues a draft: the next number of this workstation's series for the financial year, and the
 * figures fixed on each line and in the totals as they will be printed.
 */
export function issueInvoice(ctx: Ctx, input: { invoiceId: string; approval?: Approval | null | undefined }) {
  const row = requireInvoice(ctx, input.invoiceId);
  if (row.status !== 'draft') throw new ApiFailure('conflict', `Invoice ${label(row)} is already ${row.status}.`, { invoiceId: `Already ${row.status}` });
  // The number would be on no day-end: the closed day keeps the figures it was closed with.
  refuseIfClosed(ctx, 'bills', { verb: 'issued', fields: { invoiceId: 'The day is closed on this workstation' } });
  if (row.lines.length === 0) throw new ApiFailure('invalid_input', 'lines: Add at least one line before issuing', { lines: 'Add at least one line' });
  refuseUnpriced(row.lines);
  const computed = figures(row.lines, discountOf(row));
  // A draft approved before approvals were signed rows names no approval: it is approved again.
  let approvedBy = row.discountApprovalId ? row.discountApprovedBy : null;
  let approvalId = row.discountApprovalId;
  const given = computed.totals.lineDiscountPaise + computed.totals.invoiceDiscountPaise;
  if (given > discountLimitPaise(getBillingSettings(ctx), computed.totals.grossPaise) && !approvedBy) {
    const approver = discountApprover(ctx, row.id, computed.totals, input.approval)!;
    approvedBy = approver.userId;
    approvalId = approver.approvalId;
  }
  const today = ctx.today();
  const fy = financialYear(today);
  const prefix = getWorkstation(ctx.db).seriesPrefix;
  const seq = nextInSeries(ctx.db, `invoice/${fy.label}/${prefix}`);
  let number: string;
  try {
    number = invoiceNumber(fy.label, prefix, seq);
  } catch {
    throw new ApiFailure('conflict', `Invoice series ${fy.label}/${prefix} has run out of numbers; give this workstation another series prefix.`);
  }
  const lines: InvoiceLine[] = row.lines.map((l, i) => {
    const c = computed.lines[i]!;
    return { ...l, taxablePaise: c.taxablePaise, cgstPaise: c.cgstPaise, sgstPaise: c.sgstPaise, totalPaise: c.totalPaise };
  });
  const totals: InvoiceTotals = { ...computed.totals };
  const issuedAt = ctx.now();
  const updated = ctx.write.update(invoices, row.id, {
    status: 'issued',
    invoiceNumber: number,
    financialYear: fy.name,
    lines,
    totals,
    discountApprovedBy: approvedBy,
    discountApprovalId: approvalId,
    issuedAt,
    issuedBy: ctx.session.userId,
    issuedDeviceId: ctx.deviceId,
    issuedOn: today,
  });
  // The number as an event: kept on every desk even if another desk's number wins the invoice row.
  recordIssue(ctx, { invoiceId: row.id, invoiceNumber: number, financialYear: fy.name, series: prefix, issuedOn: today, issuedAt, totals });
  followVisitBills(ctx, updated.visitId);
  return invoiceView(ctx, updated);
}

export function voidInvoice(ctx: Ctx, input: { invoiceId: string; reason: string }) {
  const row = requireInvoice(ctx, input.invoiceId);
  if (row.status === 'void') throw new ApiFailure('conflict', `Invoice ${label(row)} is already void.`, { invoiceId: 'Already void' });
  // A number voided today is listed on today's day-end; a discarded draft has no number, on no day-end.
  if (row.status === 'issued') refuseIfClosed(ctx, 'bills', { verb: 'voided', fields: { invoiceId: 'The day is closed on this workstation' } });
  const { paid, refunded } = ledgerTotals(ctx, row.id);
  if (paid - refunded > 0) {
    throw new ApiFailure(
      'conflict',
      `${formatRupees(paid - refunded)} paid on invoice ${label(row)} has not been refunded. Refund it first, then void the invoice.`,
      { invoiceId: 'Money is still held on it: refund first' },
    );
  }
  // A credit note already reverses the bill's tax: voiding it too would take its GST off twice. A
  // refund voucher (exempt lines, no tax) does not block: the void takes the whole bill out, and the
  // revenue report and the GST export leave out a void bill's notes, which keep their numbers.
  const notes = ctx.db
    .select({ number: creditNotes.number })
    .from(creditNotes)
    .where(and(eq(creditNotes.invoiceId, row.id), eq(creditNotes.kind, 'credit-note')))
    .all()
    .map((n) => n.number);
  if (notes.length > 0) {
    throw new ApiFailure('conflict', `Invoice ${label(row)} is cancelled by its credit note${notes.length > 1 ? 's' : ''} ${notes.join(', ')}; it cannot be voided as well (its tax would be reversed twice).`, {
      invoiceId: 'Cancelled by credit notes',
    });
  }
  const updated = ctx.write.update(invoices, row.id, { status: 'void', voidReason: input.reason, voidedAt: ctx.now(), voidedBy: ctx.session.userId });
  // ABDM stops being sent the voided bill: the visit's other standing bill, or none (same transaction).
  followVisitBills(ctx, updated.visitId);
  return invoiceView(ctx, updated);
}
