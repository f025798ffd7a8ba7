import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { refunds } from '../../db/schema';
import { applyPulled } from '../../electron/sync/apply';
import { HybridClock } from '../../shared/hlc';
import { openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * Refunds recorded before refunds by line (issue #15): the old app took an amount only, and such a
 * refund really did take money off the bill unless it gave back money paid beyond it. Those rows
 * have no lines and credit nothing in their credited_paise column (it did not exist), whether this
 * desk wrote them before the upgrade or an old desk's arrive later by sync. The bill must still
 * read as it did: refunded in part, nothing due; a refund of an overpayment leaves it paid.
 */

const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
const CBC = { kind: 'lab', description: 'Complete blood count (CBC)', sacHsn: '999316', quantity: 1, ratePaise: 30_000 } as const;
const AT = Date.parse(`${TODAY}T05:00:00Z`);

function counter() {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
  const cashier = d.c.login('kavya', 'kavya-password');
  return { d, cashier, cashierId: d.c.ok('auth.me', {}, cashier).user.id };
}

/** A ₹800 bill (consultation ₹500 + CBC ₹300) paid ₹800 in cash here. */
function paidBill(d: DoctorDesk, cashier: string) {
  const draft = d.c.ok('billing.createInvoice', { patientId: d.anil, doctorId: d.drRao, lines: [CONSULT, CBC] }, cashier);
  const inv = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
  d.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 80_000 }] }, cashier);
  return inv;
}

function pull(d: DoctorDesk, table: 'payments' | 'refunds', row: Record<string, unknown> & { id: string }, seq: number) {
  applyPulled(d.c.app.database.sqlite, [{ table, rowId: row.id, data: row, fieldHlc: {}, seq }], seq, new HybridClock('test', () => AT));
}

function syncColumns(n: number, minutes: number) {
  const at = AT + minutes * 60_000;
  return { id: `01937a1c-0000-7000-8000-0000000b000${n}`, created_at: at, updated_at: at, hlc: `${String(at).padStart(15, '0')}-0000-desk-b`, device_id: 'desk-b', deleted_at: null };
}

/** Desk B (not yet upgraded) took ₹200 more on the bill while offline; its payment arrives by sync. */
function paidTwoHundredMoreAtDeskB(d: DoctorDesk, invoiceId: string, cashierId: string) {
  pull(d, 'payments', {
    ...syncColumns(1, 0),
    invoice_id: invoiceId,
    patient_id: d.anil,
    mode: 'upi',
    amount_paise: 20_000,
    reference: '123456789012',
    received_by: cashierId,
    received_on: TODAY,
    receipt_number: 'R/2627/B/000001',
  }, 1);
}

/** A refund as the old app's Writer wrote it: amount only, none of the columns refunds by line added. */
function oldRefundWrittenHere(d: DoctorDesk, invoiceId: string, cashierId: string, amountPaise: number) {
  const at = d.c.clock.now;
  d.c.app.database.sqlite
    .prepare(
      `INSERT INTO refunds (id, created_at, updated_at, hlc, device_id, deleted_at, invoice_id, patient_id, mode, amount_paise, reason, refunded_by, refunded_on)
       VALUES (?, ?, ?, ?, ?, NULL, ?, ?, 'cash', ?, 'Refunded (old app)', ?, ?)`,
    )
    .run(`01937a1c-0000-7000-8000-00000000a${String(amountPaise).slice(0, 3)}`, at, at, `${String(at).padStart(15, '0')}-0000-desk-a`, 'desk-a', invoiceId, d.anil, amountPaise, cashierId, TODAY);
}

function reads(d: DoctorDesk, cashier: string, invoiceId: string) {
  const view = d.c.ok('billing.invoice', { invoiceId }, cashier);
  const listed = d.c.ok('billing.list', {}, cashier).find((i) => i.id === invoiceId);
  const dues = d.c.ok('billing.dues', {}, cashier);
  const credits = d.c.ok('billing.credits', {}, cashier);
  return { view, listed, dues, credits };
}

describe('a refund recorded before refunds by line', () => {
  it('an old desk’s ₹100 refund on a ₹800 bill paid in full, pulled after the upgrade: refunded in part, nothing due, not in dues', () => {
    const { d, cashier, cashierId } = counter();
    const inv = paidBill(d, cashier);
    pull(d, 'refunds', {
      ...syncColumns(2, 10),
      invoice_id: inv.id,
      patient_id: d.anil,
      mode: 'cash',
      amount_paise: 10_000,
      reason: 'Lab test not done',
      refunded_by: cashierId,
      refunded_on: TODAY,
    }, 2);
    const { view, listed, dues, credits } = reads(d, cashier, inv.id);
    expect(view).toMatchObject({ statusLabel: 'partly refunded', paidPaise: 70_000, refundedPaise: 10_000, creditedPaise: 10_000, balancePaise: 0, creditPaise: 0 });
    expect(listed).toMatchObject({ statusLabel: 'partly refunded', balancePaise: 0 });
    expect(dues).toMatchObject({ count: 0, totalDuePaise: 0 });
    expect(credits.count).toBe(0);
    const day = d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, cashier);
    expect(day.dues).toEqual({ count: 0, totalPaise: 0 });
  });

  it('an old refund written here before the upgrade, of the whole ₹800: refunded, nothing due', () => {
    const { d, cashier, cashierId } = counter();
    const inv = paidBill(d, cashier);
    oldRefundWrittenHere(d, inv.id, cashierId, 80_000);
    const { view, dues } = reads(d, cashier, inv.id);
    expect(view).toMatchObject({ statusLabel: 'refunded', paidPaise: 0, creditedPaise: 80_000, balancePaise: 0, creditPaise: 0 });
    expect(dues.count).toBe(0);
  });

  it('an old refund of an overpayment (₹1,000 paid on ₹800, ₹200 refunded): paid, nothing due; a later old ₹100 refund comes off the bill', () => {
    const { d, cashier, cashierId } = counter();
    const inv = paidBill(d, cashier);
    paidTwoHundredMoreAtDeskB(d, inv.id, cashierId);
    expect(reads(d, cashier, inv.id).view).toMatchObject({ statusLabel: 'paid', creditPaise: 20_000 });
    oldRefundWrittenHere(d, inv.id, cashierId, 20_000);
    const { view, listed, dues, credits } = reads(d, cashier, inv.id);
    expect(view).toMatchObject({ statusLabel: 'paid', paidPaise: 80_000, creditedPaise: 0, balancePaise: 0, creditPaise: 0 });
    expect(listed).toMatchObject({ statusLabel: 'paid', balancePaise: 0 });
    expect(dues.count).toBe(0);
    expect(credits.count).toBe(0);
    // A later old refund (an old desk's, pulled) finds no overpayment left: all of it came off the bill.
    pull(d, 'refunds', { ...syncColumns(2, 20), invoice_id: inv.id, patient_id: d.anil, mode: 'cash', amount_paise: 10_000, reason: 'Lab test not done', refunded_by: cashierId, refunded_on: TODAY }, 2);
    expect(reads(d, cashier, inv.id).view).toMatchObject({ statusLabel: 'partly refunded', paidPaise: 70_000, creditedPaise: 10_000, balancePaise: 0, creditPaise: 0 });
    expect(reads(d, cashier, inv.id).dues.count).toBe(0);
  });

  it('an old ₹300 refund on ₹1,000 paid on ₹800: the first ₹200 gave back the overpayment, ₹100 came off the bill', () => {
    const { d, cashier, cashierId } = counter();
    const inv = paidBill(d, cashier);
    paidTwoHundredMoreAtDeskB(d, inv.id, cashierId);
    oldRefundWrittenHere(d, inv.id, cashierId, 30_000);
    const { view, dues, credits } = reads(d, cashier, inv.id);
    expect(view).toMatchObject({ statusLabel: 'partly refunded', paidPaise: 70_000, creditedPaise: 10_000, balancePaise: 0, creditPaise: 0 });
    expect(dues.count).toBe(0);
    expect(credits.count).toBe(0);
  });
});

describe('refunds without lines written by this version', () => {
  it('a refund beyond the bill credits nothing, even when two desks gave the same ₹200 back: the ₹200 given twice is due again', () => {
    const { d, cashier, cashierId } = counter();
    const inv = paidBill(d, cashier);
    paidTwoHundredMoreAtDeskB(d, inv.id, cashierId);
    d.c.clock.now = AT + 40 * 60_000;
    const back = d.c.ok('billing.refund', { invoiceId: inv.id, amountPaise: 20_000, mode: 'cash', reason: 'Paid twice' }, cashier);
    expect(back.invoice).toMatchObject({ statusLabel: 'paid', creditedPaise: 0, balancePaise: 0, creditPaise: 0 });
    // Marked as a refund that names no lines by design, not one from before refunds by line.
    const db = d.c.app.database.db;
    expect(db.select({ lines: refunds.lines, credited: refunds.creditedPaise }).from(refunds).where(eq(refunds.id, back.refundId)).get()).toEqual({ lines: [], credited: 0 });
    // Desk B, offline, gave the same credit back too, ten minutes earlier (this version: no lines named).
    pull(d, 'refunds', {
      ...syncColumns(3, 30),
      invoice_id: inv.id,
      patient_id: d.anil,
      mode: 'upi',
      amount_paise: 20_000,
      reason: 'Paid twice',
      refunded_by: cashierId,
      refunded_on: TODAY,
      lines: [],
      credited_paise: 0,
    }, 3);
    const { view, dues } = reads(d, cashier, inv.id);
    expect(view).toMatchObject({ statusLabel: 'partially paid', paidPaise: 60_000, creditedPaise: 0, balancePaise: 20_000 });
    expect(dues).toMatchObject({ count: 1, totalDuePaise: 20_000 });
  });

  it('a credit kept as advance is marked as naming no lines by design, and the bill stays paid', () => {
    const { d, cashier, cashierId } = counter();
    const inv = paidBill(d, cashier);
    paidTwoHundredMoreAtDeskB(d, inv.id, cashierId);
    const kept = d.c.ok('billing.keepCreditAsAdvance', { invoiceId: inv.id }, cashier);
    expect(kept.invoice).toMatchObject({ statusLabel: 'paid', creditedPaise: 0, balancePaise: 0, creditPaise: 0 });
    const db = d.c.app.database.db;
    expect(db.select({ lines: refunds.lines, credited: refunds.creditedPaise }).from(refunds).where(eq(refunds.id, kept.refundId)).get()).toEqual({ lines: [], credited: 0 });
  });
});
