import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';
import { auditRows, failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * Lines taken off a bill that was not (fully) paid for (issue #15): the patient never took the
 * X-ray and has not paid for it. No cash goes out; the bill comes down by a refund voucher (exempt
 * line) or a credit note (taxable line) and its balance due falls. Money given back is only what
 * was paid beyond the bill's new total, so it never exceeds what was paid. Several lines go in one
 * refund with one document.
 */

const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
const XRAY = { kind: 'lab', description: 'X-ray chest PA', sacHsn: '999316', quantity: 1, ratePaise: 30_000 } as const;
/** ₹300 + 18% a unit, two units: taxable ₹600.00, CGST ₹54.00, SGST ₹54.00, ₹708.00. */
const BRACE = { kind: 'procedure', description: 'Knee brace', sacHsn: '90211000', quantity: 2, ratePaise: 30_000, gstRateBp: 1800 } as const;

function counter() {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
  return { d, cashier: d.c.login('kavya', 'kavya-password') };
}

function issuedBill(d: DoctorDesk, cashier: string, lines: readonly object[], parts: object[] = []) {
  const draft = d.c.ok('billing.createInvoice', { patientId: d.anil, doctorId: d.drRao, lines }, cashier);
  const inv = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
  if (parts.length > 0) d.c.ok('billing.recordPayment', { invoiceId: inv.id, parts }, cashier);
  return inv;
}

async function pdfText(c: TestClinic, method: 'billing.invoicePdf' | 'billing.creditNotePdf', input: object, token: string): Promise<string> {
  const started = c.ok(method, input, token) as { id: string };
  const finished = await c.app.jobs.wait(started.id);
  if (finished.status !== 'done') throw new Error(`${method} failed: ${finished.message}`);
  const file = path.join(tempDir('line-credit-pdf-'), 'doc.pdf');
  fs.writeFileSync(file, Buffer.from(c.ok('jobs.document', { jobId: started.id }, token).pdfBase64, 'base64'));
  return spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, ' ');
}

function day(d: DoctorDesk, cashier: string) {
  return d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, cashier);
}

describe('a line taken off a bill not paid for', () => {
  it('every line taken off a bill nobody paid reads "credited", not "refunded": no money went back', () => {
    const { d, cashier } = counter();
    const inv = issuedBill(d, cashier, [CONSULT, XRAY]);
    const r = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 0, quantity: 1 }, { line: 1, quantity: 1 }], reason: 'Patient left before the consultation' }, cashier);
    expect(r.invoice).toMatchObject({ statusLabel: 'credited', balancePaise: 0, refundedPaise: 0, creditedPaise: 80_000 });
    // The row shows what came off the bill, as the screen lists it.
    expect(d.c.ok('billing.invoice', { invoiceId: inv.id }, cashier).refunds.at(-1)).toMatchObject({ amountPaise: 0, creditedPaise: 80_000 });
  });

  it('paying a bill whose every line came off unpaid is refused as nothing due, naming the refund voucher, not as "already paid in full"', () => {
    const { d, cashier } = counter();
    const inv = issuedBill(d, cashier, [CONSULT, XRAY]);
    d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 0, quantity: 1 }, { line: 1, quantity: 1 }], reason: 'Patient left before the consultation' }, cashier);
    const refused = failure(d.c.call('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, cashier));
    expect(refused.code).toBe('conflict');
    expect(refused.message).toBe(`Nothing is due on invoice ${inv.invoiceNumber}: its lines (₹800.00) were taken off by refund voucher 2627/A/V00001, and nothing was paid on it.`);
    expect(refused.fields).toEqual({ invoiceId: 'Nothing due: its lines were taken off' });
  });

  it('₹800 unpaid, the X-ray not taken: no money back, a refund voucher, the balance due falls to ₹500; paying ₹500 makes it paid', async () => {
    const { d, cashier } = counter();
    const inv = issuedBill(d, cashier, [CONSULT, XRAY]);
    // No mode: nothing goes back, so there is no way to give it back to choose.
    const r = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 1 }], reason: 'X-ray not taken' }, cashier);
    expect(r).toMatchObject({ amountPaise: 0, creditedPaise: 30_000 });
    expect(r.creditNote).toMatchObject({ kind: 'refund-voucher', number: '2627/A/V00001', totalPaise: 30_000, invoiceNumber: inv.invoiceNumber });
    expect(r.invoice).toMatchObject({ statusLabel: 'issued', balancePaise: 50_000, creditedPaise: 30_000, refundedPaise: 0, paidPaise: 0, creditPaise: 0 });

    // Audited as what it was, and both ledger rows go to the server through the change log.
    const audit = auditRows(d, 'billing.refund').filter((a) => a.outcome === 'ok' && a.entityType === 'refunds');
    expect(audit.map((a) => a.detail)).toEqual([`no money back, ₹300.00 taken off ${inv.invoiceNumber}: refund voucher 2627/A/V00001`]);
    const sqlite = d.c.app.database.sqlite;
    expect(sqlite.prepare("SELECT table_name FROM change_log WHERE table_name IN ('refunds', 'credit_notes') ORDER BY table_name").pluck().all()).toEqual(['credit_notes', 'refunds']);
    expect(sqlite.prepare('SELECT mode, amount_paise, credited_paise FROM refunds').get()).toEqual({ mode: 'advance', amount_paise: 0, credited_paise: 30_000 });

    const view = d.c.ok('billing.invoice', { invoiceId: inv.id }, cashier);
    expect(view.lines.map((l) => [l.description, l.refundedQuantity, l.refundedPaise])).toEqual([
      ['Consultation', 0, 0],
      ['X-ray chest PA', 1, 30_000],
    ]);
    expect(d.c.ok('billing.dues', {}, cashier)).toMatchObject({ count: 1, totalDuePaise: 50_000 });
    const before = day(d, cashier);
    expect(before).toMatchObject({ refundedPaise: 0, cash: { refundedPaise: 0, expectedPaise: 0 }, dues: { count: 1, totalPaise: 50_000 } });
    expect(before.refundVouchers).toMatchObject({ count: 1, numbers: ['2627/A/V00001'], totalPaise: 30_000 });
    expect(before.byService.find((s) => s.kind === 'lab')).toBeUndefined();
    expect(before.byDoctor).toEqual([]);

    // Money still never goes back beyond what was paid: nothing was paid, so nothing without lines.
    expect(failure(d.c.call('billing.refund', { invoiceId: inv.id, amountPaise: 100, mode: 'cash', reason: 'x' }, cashier)).fields).toEqual({ amountPaise: 'At most ₹0.00' });
    // The line is gone: it cannot be taken off twice.
    expect(failure(d.c.call('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 1 }], reason: 'x' }, cashier)).fields).toEqual({
      'lines.0.quantity': 'Nothing is left to refund on this line',
    });

    // The voucher and the bill say no money went back, and what is still due.
    const voucher = await pdfText(d.c, 'billing.creditNotePdf', { creditNoteId: r.creditNote!.id }, cashier);
    expect(voucher).toContain('No money refunded: ₹300.00 taken off the balance due on the invoice.');
    const billText = await pdfText(d.c, 'billing.invoicePdf', { invoiceId: inv.id }, cashier);
    expect(billText).toContain('None (not paid)');
    expect(billText).toContain('Balance due: ₹500.00');

    d.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, cashier);
    expect(d.c.ok('billing.invoice', { invoiceId: inv.id }, cashier)).toMatchObject({ statusLabel: 'paid', balancePaise: 0, creditPaise: 0 });
    expect(d.c.ok('billing.dues', {}, cashier)).toMatchObject({ count: 0 });
  });

  it('₹1,208 paid ₹600, both braces taken back: ₹100 goes back (paid beyond the new ₹500), the credit note reverses the full tax', () => {
    const { d, cashier } = counter();
    const inv = issuedBill(d, cashier, [CONSULT, BRACE], [{ mode: 'cash', amountPaise: 60_000 }]);
    const ask = { invoiceId: inv.id, lines: [{ line: 1, quantity: 2 }], reason: 'Braces returned unused' };
    // Money goes back here, so how is asked for, against the field.
    expect(failure(d.c.call('billing.refund', ask, cashier)).fields).toEqual({ mode: 'Choose how the money is given back' });
    expect(d.c.app.database.sqlite.prepare('SELECT count(*) FROM credit_notes').pluck().get()).toBe(0);

    const r = d.c.ok('billing.refund', { ...ask, mode: 'cash' }, cashier);
    expect(r).toMatchObject({ amountPaise: 10_000, creditedPaise: 70_800, mode: 'cash' });
    expect(r.creditNote).toMatchObject({ kind: 'credit-note', number: '2627/A/C00001', taxablePaise: 60_000, cgstPaise: 5400, sgstPaise: 5400, totalPaise: 70_800 });
    expect(r.invoice).toMatchObject({ statusLabel: 'partly refunded', balancePaise: 0, creditPaise: 0, paidPaise: 50_000, creditedPaise: 70_800 });

    const today = day(d, cashier);
    expect(today.cash).toMatchObject({ receivedPaise: 60_000, refundedPaise: 10_000, expectedPaise: 50_000 });
    // The ₹100 given back is the braces' (procedure), not the consultation's.
    expect(today.byService.find((s) => s.kind === 'procedure')).toMatchObject({ refundedPaise: 10_000 });
    expect(today.byService.find((s) => s.kind === 'consultation')).toMatchObject({ refundedPaise: 0 });
    expect(today.creditNotes).toMatchObject({ count: 1, taxablePaise: 60_000, cgstPaise: 5400, sgstPaise: 5400, totalPaise: 70_800 });
  });

  it('several lines in one refund of a paid bill: one credit note listing each line, all the money back', () => {
    const { d, cashier } = counter();
    const inv = issuedBill(d, cashier, [CONSULT, XRAY, BRACE], [{ mode: 'cash', amountPaise: 150_800 }]);
    const r = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 1 }, { line: 2, quantity: 1 }], mode: 'cash', reason: 'X-ray not done, one brace returned' }, cashier);
    expect(r).toMatchObject({ amountPaise: 65_400, creditedPaise: 65_400 });
    expect(r.creditNote).toMatchObject({ kind: 'credit-note', totalPaise: 65_400, taxablePaise: 60_000, cgstPaise: 2700, sgstPaise: 2700 });
    expect(r.creditNote!.lines.map((l) => [l.line, l.quantity, l.amountPaise])).toEqual([
      [1, 1, 30_000],
      [2, 1, 35_400],
    ]);
    expect(r.invoice).toMatchObject({ statusLabel: 'partly refunded', balancePaise: 0 });
    expect(d.c.app.database.sqlite.prepare('SELECT count(*) FROM credit_notes').pluck().get()).toBe(1);
  });
});
