import { randomUUID } from 'node:crypto';
import type Database from '../../db/sqlite';
import type { InvoiceLine, RefundLine } from '../../db/schema';
import { creditNoteKind } from '../../electron/services/billing/credit-notes';
import type { ConsultationNote, Diagnosis } from '../../shared/clinical';
import { formatHlc } from '../../shared/hlc';
import { computeInvoice, financialYear, type InvoiceDiscount, type InvoiceTotals } from '../../shared/money';
import { reverseLine, type LineRefundAsk } from '../../shared/refund-lines';
import { supplyKindOf } from '../../shared/supply';

/**
 * Rows for the reports, written straight into a clinic's (encrypted) database with the columns and
 * JSON shapes the services write (invoice lines and totals from shared/money's computeInvoice), so a
 * test can lay out a month with figures worked out by hand and the benchmark a year of a busy
 * clinic in seconds. Not through the Writer: these rows never sync and leave no change_log.
 */
export class ReportRows {
  private tick = 0;
  private readonly noteSeq = { 'credit-note': 0, 'refund-voucher': 0 };
  private readonly stmts;
  constructor(
    readonly sqlite: Database.Database,
    readonly deviceId: string,
  ) {
    const prep = (table: string, cols: string[]) =>
      sqlite.prepare(`INSERT INTO ${table} (id, created_at, updated_at, hlc, device_id, deleted_at, ${cols.join(', ')}) VALUES (${Array(cols.length + 6).fill('?').join(', ')})`);
    this.stmts = {
      visit: prep('visits', ['patient_id', 'doctor_id', 'date', 'token_no', 'token_label', 'priority', 'status', 'checked_in_at', 'follow_up_date']),
      consultation: prep('consultations', ['visit_id', 'patient_id', 'doctor_id', 'status', 'note', 'completed_at']),
      invoice: prep('invoices', ['invoice_number', 'financial_year', 'patient_id', 'visit_id', 'doctor_id', 'status', 'lines', 'discount_kind', 'discount_value', 'totals', 'issued_at', 'issued_by', 'issued_on']),
      payment: prep('payments', ['invoice_id', 'patient_id', 'mode', 'amount_paise', 'reference', 'received_by', 'received_on', 'receipt_number']),
      refund: prep('refunds', ['invoice_id', 'patient_id', 'mode', 'amount_paise', 'reason', 'refunded_by', 'refunded_on', 'lines', 'credited_paise']),
      creditNote: prep('credit_notes', [
        'kind', 'number', 'financial_year', 'series', 'issued_device_id', 'issued_on', 'issued_at', 'issued_by', 'refund_id', 'invoice_id', 'patient_id',
        'invoice_number', 'invoice_date', 'reason', 'lines', 'taxable_paise', 'cgst_paise', 'sgst_paise', 'round_off_paise', 'total_paise',
      ]),
      invoiceOf: sqlite.prepare<[string], { lines: string; totals: string | null; number: string | null; issuedOn: string | null; status: string }>(
        'SELECT lines, totals, invoice_number AS number, issued_on AS issuedOn, status FROM invoices WHERE id = ?',
      ),
      linesTaken: sqlite.prepare<[string], { lines: string }>('SELECT lines FROM refunds WHERE invoice_id = ? AND lines IS NOT NULL'),
    };
  }

  /** The sync columns of a row made at noon (UTC) of `day`. */
  private stamp(day: string, deleted = false): [string, number, number, string, string, number | null] {
    const at = Date.parse(`${day}T06:30:00Z`) + this.tick++;
    return [randomUUID(), at, at, formatHlc({ wallMs: at, counter: 0, deviceId: this.deviceId }), this.deviceId, deleted ? at : null];
  }

  visit(v: { patientId: string; doctorId: string; date: string; status?: 'waiting' | 'with-doctor' | 'done' | 'left'; followUpDate?: string | null; deleted?: boolean }): string {
    const s = this.stamp(v.date, v.deleted);
    const token = 1 + (this.tick % 9000);
    this.stmts.visit.run(...s, v.patientId, v.doctorId, v.date, token, String(token), 'regular', v.status ?? 'done', s[1], v.followUpDate ?? null);
    return s[0];
  }

  consultation(c: { visitId: string; patientId: string; doctorId: string; date: string; diagnoses: Diagnosis[]; followUpDate?: string | null; status?: 'draft' | 'completed' }): string {
    const s = this.stamp(c.date);
    const note: ConsultationNote = {
      vitals: {},
      chiefComplaints: [],
      historyOfPresentIllness: '',
      pastHistory: '',
      examination: '',
      diagnoses: c.diagnoses,
      investigations: '',
      treatmentPlan: '',
      advice: '',
      referral: '',
      followUpDate: c.followUpDate ?? null,
    };
    const status = c.status ?? 'completed';
    this.stmts.consultation.run(...s, c.visitId, c.patientId, c.doctorId, status, JSON.stringify(note), status === 'completed' ? s[1] : null);
    return s[0];
  }

  /** An invoice with its figures computed as issuing computes them; a draft has no number. */
  invoice(i: {
    number: string | null;
    patientId: string;
    doctorId: string | null;
    issuedOn: string;
    issuedBy: string;
    status?: 'draft' | 'issued' | 'void';
    lines: Omit<InvoiceLine, 'taxablePaise' | 'cgstPaise' | 'sgstPaise' | 'totalPaise' | 'refId' | 'sacHsn'>[];
    discount?: InvoiceDiscount | null;
    visitId?: string | null;
  }): { id: string; totalPaise: number } {
    const s = this.stamp(i.issuedOn);
    const { lines, totals } = computeInvoice(i.lines, i.discount ?? null);
    const full: InvoiceLine[] = i.lines.map((l, k) => ({
      ...l,
      refId: null,
      sacHsn: null,
      taxablePaise: lines[k]!.taxablePaise,
      cgstPaise: lines[k]!.cgstPaise,
      sgstPaise: lines[k]!.sgstPaise,
      totalPaise: lines[k]!.totalPaise,
    }));
    const status = i.status ?? 'issued';
    const issued = status !== 'draft';
    this.stmts.invoice.run(
      ...s,
      issued ? i.number : null,
      issued ? '2627' : null,
      i.patientId,
      i.visitId ?? null,
      i.doctorId,
      status,
      JSON.stringify(full),
      i.discount?.kind ?? null,
      i.discount?.value ?? null,
      issued ? JSON.stringify(totals) : null,
      issued ? s[1] : null,
      issued ? i.issuedBy : null,
      issued ? i.issuedOn : null,
    );
    return { id: s[0], totalPaise: totals.totalPaise };
  }

  payment(p: { invoiceId: string | null; patientId: string; mode: string; amountPaise: number; receivedBy: string; receivedOn: string }): string {
    const s = this.stamp(p.receivedOn);
    this.stmts.payment.run(...s, p.invoiceId, p.patientId, p.mode, p.amountPaise, null, p.receivedBy, p.receivedOn, `R/2627/A/${String(this.tick).padStart(6, '0')}`);
    return s[0];
  }

  /**
   * A refund. With `lines`, a refund by line as recordRefund writes it: each line's reversal from
   * shared/refund-lines (within what earlier refunds left of it), the bill's round-off with the last
   * of it, credited_paise, and its credit note (a taxable line) or refund voucher, numbered
   * 2627/A/C00001 or 2627/A/V00001 in this helper's own series. Without lines: a row with lines
   * NULL and nothing credited, as refunds of an advance, of money paid beyond the bill and refunds
   * from before refunds by line were written.
   */
  refund(r: {
    invoiceId: string | null;
    patientId: string;
    mode: string;
    amountPaise?: number;
    lines?: ({ line: number } & LineRefundAsk)[];
    reason: string;
    refundedBy: string;
    refundedOn: string;
  }): string {
    const s = this.stamp(r.refundedOn);
    if (!r.lines) {
      if (r.amountPaise === undefined) throw new Error('a refund without lines needs its amount');
      this.stmts.refund.run(...s, r.invoiceId, r.patientId, r.mode, r.amountPaise, r.reason, r.refundedBy, r.refundedOn, null, 0);
      return s[0];
    }
    const inv = r.invoiceId === null ? undefined : this.stmts.invoiceOf.get(r.invoiceId);
    if (!inv || inv.status !== 'issued' || inv.totals === null) throw new Error('a refund by line needs an issued invoice');
    const billLines = JSON.parse(inv.lines) as InvoiceLine[];
    const totals = JSON.parse(inv.totals) as InvoiceTotals;
    const before = this.stmts.linesTaken.all(r.invoiceId!).flatMap((x) => JSON.parse(x.lines) as RefundLine[]);
    const lines: RefundLine[] = r.lines.map((ask) => {
      const l = billLines[ask.line]!;
      const figures = { quantity: l.quantity, taxablePaise: l.taxablePaise ?? 0, cgstPaise: l.cgstPaise ?? 0, sgstPaise: l.sgstPaise ?? 0, totalPaise: l.totalPaise ?? 0 };
      const rev = reverseLine(figures, before.filter((b) => b.line === ask.line), ask);
      if ('error' in rev) throw new Error(`line ${ask.line}: ${rev.error}`);
      return { line: ask.line, description: l.description, sacHsn: l.sacHsn, supplyKind: supplyKindOf(l), gstRateBp: l.gstRateBp, exemptionNote: l.exemptionNote ?? null, ...rev };
    });
    const all = [...before, ...lines];
    const allTaken = billLines.every((l, i) => all.filter((x) => x.line === i).reduce((sum, x) => sum + x.amountPaise, 0) >= (l.totalPaise ?? 0));
    const roundOffPaise = allTaken ? totals.roundOffPaise : 0;
    const sum = (k: 'taxablePaise' | 'cgstPaise' | 'sgstPaise' | 'amountPaise') => lines.reduce((t, l) => t + l[k], 0);
    const amount = sum('amountPaise') + roundOffPaise;
    this.stmts.refund.run(...s, r.invoiceId, r.patientId, r.mode, amount, r.reason, r.refundedBy, r.refundedOn, JSON.stringify(lines), amount);
    const kind = creditNoteKind(lines);
    const seq = (this.noteSeq[kind] += 1);
    const number = `2627/A/${kind === 'credit-note' ? 'C' : 'V'}${String(seq).padStart(5, '0')}`;
    const n = this.stamp(r.refundedOn);
    this.stmts.creditNote.run(
      ...n, kind, number, financialYear(r.refundedOn).name, 'A', this.deviceId, r.refundedOn, n[1], r.refundedBy, s[0], r.invoiceId, r.patientId,
      inv.number ?? '', inv.issuedOn ?? '', r.reason, JSON.stringify(lines), sum('taxablePaise'), sum('cgstPaise'), sum('sgstPaise'), roundOffPaise, amount,
    );
    return s[0];
  }
}
