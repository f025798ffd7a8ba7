import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { changeLog, payments, refunds } from '../../db/schema';
import { applyPulled } from '../../electron/sync/apply';
import { HybridClock } from '../../shared/hlc';
import { auditRows, failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * A bill paid beyond its total: the same ₹500 bill paid in full here and at another desk (its
 * payment arrives by sync). The ₹500 too much is a credit, shown, and either refunded on the bill
 * or kept as the patient's advance; the numbers agree with the dues and the day-end.
 */

const DRESSING = { kind: 'procedure', description: 'Wound dressing', sacHsn: '999319', quantity: 1, ratePaise: 50_000 } as const;
const NOTICE = 'Credit ₹500.00: refund it or keep it as advance';

function paidTwice(d: DoctorDesk, cashier: string) {
  const draft = d.c.ok('billing.createInvoice', { patientId: d.anil, lines: [DRESSING] }, cashier);
  const inv = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
  d.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, cashier);
  // Desk B took the same ₹500 while offline; its payment arrives by sync.
  const at = Date.parse(`${TODAY}T05:00:00Z`);
  const row = {
    id: '01937a1c-0000-7000-8000-0000000b0001',
    created_at: at,
    updated_at: at,
    hlc: `${String(at).padStart(15, '0')}-0000-desk-b`,
    device_id: 'desk-b',
    deleted_at: null,
    invoice_id: inv.id,
    patient_id: d.anil,
    mode: 'upi',
    amount_paise: 50_000,
    reference: '123456789012',
    received_by: d.c.ok('auth.me', {}, cashier).user.id,
    received_on: TODAY,
    receipt_number: 'R/2627/B/000001',
  };
  applyPulled(d.c.app.database.sqlite, [{ table: 'payments', rowId: row.id, data: row, fieldHlc: {}, seq: 1 }], 1, new HybridClock('test', () => at));
  return inv;
}

function withCashier() {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
  return { d, cashier: d.c.login('kavya', 'kavya-password') };
}

describe('a bill paid beyond its total', () => {
  it('shows a credit (never a negative due) on the bill, in the patient’s billing summary and in the day-end', () => {
    const { d, cashier } = withCashier();
    const inv = paidTwice(d, cashier);
    expect(d.c.ok('billing.invoice', { invoiceId: inv.id }, cashier)).toMatchObject({ paidPaise: 100_000, balancePaise: 0, creditPaise: 50_000, creditNotice: NOTICE, statusLabel: 'paid' });
    expect(d.c.ok('billing.advance', { patientId: d.anil }, cashier).credits).toEqual([{ invoiceId: inv.id, invoiceNumber: inv.invoiceNumber, creditPaise: 50_000, notice: NOTICE }]);
    expect(d.c.ok('billing.credits', {}, cashier)).toMatchObject({ count: 1, totalCreditPaise: 50_000 });
    expect(d.c.ok('billing.dues', {}, cashier).count).toBe(0);
    const day = d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, cashier);
    expect(day.credits).toEqual({ count: 1, totalPaise: 50_000, invoices: [{ invoiceNumber: inv.invoiceNumber, patientName: expect.any(String), creditPaise: 50_000 }] });
  });

  it('refunded on the bill: the credit is gone, the bill stays paid with nothing due, the cash drawer is short by the refund', () => {
    const { d, cashier } = withCashier();
    const inv = paidTwice(d, cashier);
    d.c.ok('billing.refund', { invoiceId: inv.id, amountPaise: 50_000, mode: 'cash', reason: 'Paid twice at two counters' }, cashier);
    expect(d.c.ok('billing.invoice', { invoiceId: inv.id }, cashier)).toMatchObject({ paidPaise: 50_000, balancePaise: 0, creditPaise: 0, creditNotice: null, statusLabel: 'paid' });
    expect(d.c.ok('billing.advance', { patientId: d.anil }, cashier).credits).toEqual([]);
    expect(d.c.ok('billing.dues', {}, cashier).count).toBe(0);
    const day = d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, cashier);
    expect(day).toMatchObject({ credits: { count: 0 }, refundedPaise: 50_000, cash: { expectedPaise: 0 } });
    expect(failure(d.c.call('billing.keepCreditAsAdvance', { invoiceId: inv.id }, cashier))).toMatchObject({ code: 'conflict', fields: { invoiceId: 'No credit on it' } });
  });

  it('kept as advance: a refund on the bill and an advance received, in one call, audited; no cash moves; the advance pays the next bill', () => {
    const { d, cashier } = withCashier();
    const inv = paidTwice(d, cashier);
    // Only a cashier or administrator; never more than the credit.
    expect(failure(d.c.call('billing.keepCreditAsAdvance', { invoiceId: inv.id }, d.reception)).code).toBe('forbidden');
    expect(failure(d.c.call('billing.keepCreditAsAdvance', { invoiceId: inv.id, amountPaise: 50_001 }, cashier))).toMatchObject({ code: 'conflict', fields: { amountPaise: 'At most ₹500.00' } });
    const kept = d.c.ok('billing.keepCreditAsAdvance', { invoiceId: inv.id }, cashier);
    expect(kept).toMatchObject({ amountPaise: 50_000, advanceBalancePaise: 50_000, invoice: { paidPaise: 50_000, balancePaise: 0, creditPaise: 0, statusLabel: 'paid' } });

    const db = d.c.app.database.db;
    expect(db.select().from(refunds).where(eq(refunds.id, kept.refundId)).get()).toMatchObject({ invoiceId: inv.id, mode: 'advance', amountPaise: 50_000, reason: 'Credit kept as advance' });
    const moved = db.select().from(payments).where(eq(payments.receiptNumber, kept.receiptNumber)).all();
    expect(moved).toEqual([expect.objectContaining({ invoiceId: null, patientId: d.anil, mode: 'advance', amountPaise: 50_000, reference: inv.invoiceNumber })]);
    // Both ledger rows go to the outbox, and the call is audited with what it did.
    const logged = db.select({ table: changeLog.tableName, row: changeLog.rowId }).from(changeLog).all();
    expect(logged).toEqual(expect.arrayContaining([{ table: 'refunds', row: kept.refundId }, { table: 'payments', row: moved[0]!.id }]));
    expect(auditRows(d, 'billing.keepCreditAsAdvance').at(-1)?.detail).toMatch(/credit ₹500\.00 on .* kept as advance/);

    const statement = d.c.ok('billing.advance', { patientId: d.anil }, cashier);
    expect(statement).toMatchObject({ receivedPaise: 50_000, usedPaise: 0, balancePaise: 50_000, credits: [] });
    expect(statement.entries[0]).toMatchObject({ kind: 'received', mode: 'advance', amountPaise: 50_000, note: `credit kept from ${inv.invoiceNumber} (receipt ${kept.receiptNumber})` });

    // The day-end: no cash moved; the credit moved is shown as such.
    const day = d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, cashier);
    expect(day).toMatchObject({ creditsKeptAsAdvancePaise: 50_000, advanceUsedPaise: 0, receivedPaise: 50_000, credits: { count: 0 }, cash: { expectedPaise: 50_000 } });
    // Nothing came in or went out for it: not an advance received, not a refund.
    expect(day).toMatchObject({ advancesReceivedPaise: 0, refundedPaise: 0 });

    // The advance pays the patient's next bill.
    const next = d.c.ok('billing.createInvoice', { patientId: d.anil, lines: [{ ...DRESSING, ratePaise: 20_000 }] }, cashier);
    d.c.ok('billing.issueInvoice', { invoiceId: next.id }, cashier);
    const paid = d.c.ok('billing.recordPayment', { invoiceId: next.id, parts: [{ mode: 'advance', amountPaise: 20_000 }] }, cashier);
    expect(paid).toMatchObject({ advanceBalancePaise: 30_000, invoice: { statusLabel: 'paid' } });
  });
});
