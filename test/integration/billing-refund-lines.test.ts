import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';
import { previewRefund } from '../../renderer/src/billing/refund-draft';
import { failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * Refunds by line (issue #15): a refund names the lines it takes back, the bill stays paid
 * ("partly refunded", never due), the day-end puts the refund on the services refunded, and each
 * refund issues a credit note (taxable lines: the tax reversed) or a refund voucher (exempt lines),
 * numbered in the workstation's own series. PDFs are real pdfkit output read back with pdftotext.
 */

const GSTIN = '27AAAPL1234C1Z5';
const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
const CBC = { kind: 'lab', description: 'Complete blood count (CBC)', sacHsn: '999316', quantity: 1, ratePaise: 30_000 } as const;
/** ₹300 + 18% a unit, two units: taxable ₹600.00, CGST ₹54.00, SGST ₹54.00, ₹708.00. */
const BRACE = { kind: 'procedure', description: 'Knee brace', sacHsn: '90211000', quantity: 2, ratePaise: 30_000, gstRateBp: 1800 } as const;

function counter() {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
  d.c.ok('facility.save', { letterhead: { gstin: GSTIN } }, d.admin);
  return { d, cashier: d.c.login('kavya', 'kavya-password') };
}

function paidBill(d: DoctorDesk, cashier: string, lines: readonly object[], parts: object[]) {
  const draft = d.c.ok('billing.createInvoice', { patientId: d.anil, doctorId: d.drRao, lines }, cashier);
  const inv = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
  d.c.ok('billing.recordPayment', { invoiceId: inv.id, parts }, cashier);
  return inv;
}

async function pdfText(c: TestClinic, method: 'billing.invoicePdf' | 'billing.creditNotePdf', input: object, token: string): Promise<string> {
  const started = c.ok(method, input, token) as { id: string };
  const finished = await c.app.jobs.wait(started.id);
  if (finished.status !== 'done') throw new Error(`${method} failed: ${finished.message}`);
  const pdf = Buffer.from(c.ok('jobs.document', { jobId: started.id }, token).pdfBase64, 'base64');
  const file = path.join(tempDir('refund-pdf-'), 'doc.pdf');
  fs.writeFileSync(file, pdf);
  const out = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout.replace(/[ \t]+/g, ' ');
}

describe('a line refund on a paid bill', () => {
  it('₹800 paid ₹400 cash + ₹400 UPI, ₹100 of the test refunded: refunded in part, not due, not in dues or the day-end outstanding', async () => {
    const { d, cashier } = counter();
    const inv = paidBill(d, cashier, [CONSULT, CBC], [
      { mode: 'cash', amountPaise: 40_000 },
      { mode: 'upi', amountPaise: 40_000, reference: '123456789012' },
    ]);
    expect(inv.documentType).toBe('Bill of Supply');
    const r = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, amountPaise: 10_000 }], mode: 'cash', reason: 'Lab test not done' }, cashier);
    expect(r.invoice).toMatchObject({ statusLabel: 'partly refunded', balancePaise: 0, creditPaise: 0, refundedPaise: 10_000, creditedPaise: 10_000 });
    // Exempt lines only: a refund voucher, numbered in its own series.
    expect(r.creditNote).toMatchObject({ kind: 'refund-voucher', title: 'Refund Voucher', number: '2627/A/V00001', invoiceNumber: inv.invoiceNumber, invoiceDate: TODAY, totalPaise: 10_000, cgstPaise: 0, sgstPaise: 0 });

    const view = d.c.ok('billing.invoice', { invoiceId: inv.id }, cashier);
    expect(view.lines.map((l) => [l.description, l.refundedPaise])).toEqual([['Consultation', 0], ['Complete blood count (CBC)', 10_000]]);
    expect(view.refunds[0]).toMatchObject({ amountPaise: 10_000, creditNote: { number: '2627/A/V00001' }, lines: [{ line: 1, amountPaise: 10_000 }] });
    expect(d.c.ok('billing.dues', {}, cashier)).toMatchObject({ count: 0, totalDuePaise: 0 });
    const day = d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, cashier);
    expect(day.dues).toEqual({ count: 0, totalPaise: 0 });
    expect(day.credits.count).toBe(0);
    // The refund is the lab's, not spread over the consultation.
    expect(day.byService.find((s) => s.kind === 'lab')).toMatchObject({ collectedPaise: 30_000, refundedPaise: 10_000 });
    expect(day.byService.find((s) => s.kind === 'consultation')).toMatchObject({ collectedPaise: 50_000, refundedPaise: 0 });
    expect(day.refundVouchers).toMatchObject({ count: 1, numbers: ['2627/A/V00001'], totalPaise: 10_000 });
    expect(day.cash.expectedPaise).toBe(30_000);

    // Never more than is left on the line.
    const tooMuch = failure(d.c.call('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, amountPaise: 20_001 }], mode: 'cash', reason: 'x' }, cashier));
    expect(tooMuch.fields).toEqual({ 'lines.0.amountPaise': 'At most ₹200.00 is left to refund on this line' });
    // Without lines, nothing was paid beyond the bill.
    expect(failure(d.c.call('billing.refund', { invoiceId: inv.id, amountPaise: 100, mode: 'cash', reason: 'x' }, cashier)).fields).toEqual({ lines: 'Name the lines refunded' });

    const text = await pdfText(d.c, 'billing.invoicePdf', { invoiceId: inv.id }, cashier);
    expect(text).toContain('Paid in full, refunded in part');
    expect(text).not.toContain('Balance due');
    expect(text).toMatch(/Refund Voucher\s+2627\/A\/V00001/);
    expect(text).toContain('#2 Complete blood count (CBC)');
    expect(text).toContain('Exempt: Notification 12/2017-Central Tax (Rate), entry 74');
  });
});

describe('credit notes', () => {
  it('a refund of an 18% item gives a credit note whose tax is the tax reversed, against the invoice, in the day-end and as a PDF', async () => {
    const { d, cashier } = counter();
    // ₹500 consultation (exempt) + ₹708 brace: ₹1,208.00.
    const inv = paidBill(d, cashier, [CONSULT, BRACE], [{ mode: 'cash', amountPaise: 120_800 }]);
    // Mixed supplies to an unregistered patient: one invoice-cum-bill of supply (rule 46A).
    expect(inv.documentType).toBe('Invoice-cum-Bill of Supply');
    expect(inv.lines.map((l) => [l.supplyKind, l.exemptionNote])).toEqual([
      ['exempt', 'Notification 12/2017-Central Tax (Rate), entry 74'],
      ['taxable', null],
    ]);
    const r = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 1 }], mode: 'cash', reason: 'Brace returned unused' }, cashier);
    // One of two units: taxable 30000 paise, CGST 9% = 2700, SGST 9% = 2700, 35400 in all.
    expect(r.creditNote).toMatchObject({
      kind: 'credit-note',
      number: '2627/A/C00001',
      invoiceNumber: inv.invoiceNumber,
      taxablePaise: 30_000,
      cgstPaise: 2700,
      sgstPaise: 2700,
      roundOffPaise: 0,
      totalPaise: 35_400,
      lines: [{ line: 1, quantity: 1, taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700, amountPaise: 35_400, supplyKind: 'taxable', gstRateBp: 1800 }],
    });
    expect(r.amountPaise).toBe(35_400);
    expect(r.invoice).toMatchObject({ statusLabel: 'partly refunded', balancePaise: 0 });

    const day = d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, cashier);
    expect(day.creditNotes).toMatchObject({ count: 1, numbers: ['2627/A/C00001'], taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700, totalPaise: 35_400 });
    expect(day.byService.find((s) => s.kind === 'procedure')).toMatchObject({ refundedPaise: 35_400 });

    const note = await pdfText(d.c, 'billing.creditNotePdf', { creditNoteId: r.creditNote!.id }, cashier);
    expect(note).toContain('Credit Note');
    expect(note).toContain('Credit Note No.: 2627/A/C00001');
    expect(note).toContain(`Against invoice: ${inv.invoiceNumber}`);
    expect(note).toContain('Invoice date: 21-11-2026');
    expect(note).toContain(`GSTIN: ${GSTIN}`);
    expect(note).toMatch(/Knee brace 90211000 1 300\.00 18% 27\.00 27\.00 354\.00/);
    expect(note).toContain('CGST reversed: 27.00');
    expect(note).toContain('Total credited: ₹354.00');

    const bill = await pdfText(d.c, 'billing.invoicePdf', { invoiceId: inv.id }, cashier);
    expect(bill).toContain('Invoice-cum-Bill of Supply');
    expect(bill).toMatch(/Consultation 999312 1 500\.00 0\.00 500\.00 Exempt 0\.00 0\.00 500\.00/);
    expect(bill).not.toMatch(/ 0% /);

    // The other unit, then the consultation: the bill is refunded in full and every paisa went back.
    const second = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 1 }], mode: 'cash', reason: 'Brace returned unused' }, cashier);
    expect(second.creditNote).toMatchObject({ number: '2627/A/C00002', taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700 });
    expect(failure(d.c.call('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 1 }], mode: 'cash', reason: 'x' }, cashier)).fields).toEqual({
      'lines.0.quantity': 'Nothing is left to refund on this line',
    });
    const last = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 0, quantity: 1 }], mode: 'cash', reason: 'Doctor not available' }, cashier);
    expect(last.creditNote).toMatchObject({ kind: 'refund-voucher', number: '2627/A/V00001' });
    expect(last.invoice).toMatchObject({ statusLabel: 'refunded', balancePaise: 0, creditPaise: 0, paidPaise: 0 });
  });

  it('numbers a series without gaps or reuse: a refused refund takes no number, and notes are insert-only', () => {
    const { d, cashier } = counter();
    const a = paidBill(d, cashier, [BRACE], [{ mode: 'cash', amountPaise: 70_800 }]);
    const draft = d.c.ok('billing.createInvoice', { patientId: d.bhavna, lines: [BRACE] }, cashier);
    const b = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
    d.c.ok('billing.recordPayment', { invoiceId: b.id, parts: [{ mode: 'cash', amountPaise: 10_000 }] }, cashier);
    const n1 = d.c.ok('billing.refund', { invoiceId: a.id, lines: [{ line: 0, quantity: 1 }], mode: 'cash', reason: 'Returned' }, cashier).creditNote!.number;
    // Refused: more units than are left, and a line bill b does not have.
    expect(failure(d.c.call('billing.refund', { invoiceId: a.id, lines: [{ line: 0, quantity: 2 }], mode: 'cash', reason: 'x' }, cashier)).fields).toEqual({
      'lines.0.quantity': 'Only 1 of 2 can still be refunded',
    });
    expect(failure(d.c.call('billing.refund', { invoiceId: b.id, lines: [{ line: 1, quantity: 1 }], mode: 'cash', reason: 'x' }, cashier)).fields).toEqual({ 'lines.0.line': 'No such line' });
    const n2 = d.c.ok('billing.refund', { invoiceId: b.id, lines: [{ line: 0, amountPaise: 5000 }], mode: 'cash', reason: 'Returned' }, cashier).creditNote!.number;
    const n3 = d.c.ok('billing.refund', { invoiceId: a.id, lines: [{ line: 0, quantity: 1 }], mode: 'cash', reason: 'Returned' }, cashier).creditNote!.number;
    expect([n1, n2, n3]).toEqual(['2627/A/C00001', '2627/A/C00002', '2627/A/C00003']);
    for (const n of [n1, n2, n3]) expect(n.length).toBeLessThanOrEqual(16);
    const sqlite = d.c.app.database.sqlite;
    expect(sqlite.prepare('SELECT count(DISTINCT number) FROM credit_notes').pluck().get()).toBe(3);
    expect(() => sqlite.prepare("UPDATE credit_notes SET number = '2627/A/C00009'").run()).toThrow(/insert-only/);
    expect(() => sqlite.prepare('DELETE FROM credit_notes').run()).toThrow(/insert-only/);
    // Synced: each note goes to the server in the change log with its refund.
    expect(sqlite.prepare("SELECT count(*) FROM change_log WHERE table_name = 'credit_notes'").pluck().get()).toBe(3);
  });

  it('a bill rounded down (₹623.20 → ₹623.00) refunded in parts by amount never gives back more than was paid, and no note is below nothing', () => {
    const { d, cashier } = counter();
    /** ₹110 + 12%: taxable ₹110.00, CGST ₹6.60, SGST ₹6.60, ₹123.20. */
    const SPLINT = { kind: 'procedure', description: 'Finger splint', sacHsn: '90211000', quantity: 1, ratePaise: 11_000, gstRateBp: 1200 } as const;
    const inv = paidBill(d, cashier, [CONSULT, SPLINT], [{ mode: 'cash', amountPaise: 62_300 }]);
    expect(inv.totals).toMatchObject({ totalPaise: 62_300, roundOffPaise: -20 });
    // The refund dialog's preview shows what each refund then does: the part of the round-off included.
    const refund = (line: number, amountPaise: number, reason: string) => {
      const shown = previewRefund(d.c.ok('billing.invoice', { invoiceId: inv.id }, cashier), { [line]: { ticked: true, quantity: '1', amount: (amountPaise / 100).toFixed(2) } });
      const done = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line, amountPaise }], mode: 'cash', reason }, cashier);
      expect([shown.takenPaise, shown.moneyBackPaise]).toEqual([done.creditedPaise, done.amountPaise]);
      return done;
    };
    const refunds = [
      refund(0, 50_000, 'Doctor not available'),
      // Only ₹123.00 is held, though ₹123.10 of the splint's ₹123.20 is taken: the round-off down comes off with it.
      refund(1, 12_310, 'Splint returned'),
      refund(1, 10, 'Splint returned'),
    ];
    expect(refunds.map((r) => [r.amountPaise, r.creditedPaise, r.creditNote!.totalPaise, r.creditNote!.roundOffPaise])).toEqual([
      [50_000, 50_000, 50_000, 0],
      [12_300, 12_300, 12_300, -10],
      [0, 0, 0, -10],
    ]);
    expect(refunds.reduce((s, r) => s + r.amountPaise, 0)).toBeLessThanOrEqual(62_300);
    for (const r of refunds) expect(r.creditNote!.totalPaise).toBeGreaterThanOrEqual(0);
    // The whole bill came off, its round-off with it; every paisa paid went back, no more.
    expect(refunds.at(-1)!.invoice).toMatchObject({ statusLabel: 'refunded', balancePaise: 0, creditPaise: 0, paidPaise: 0, creditedPaise: 62_300 });
    const notes = d.c.app.database.sqlite.prepare<[], { sum: number; min: number }>('SELECT sum(total_paise) AS sum, min(total_paise) AS min FROM credit_notes').get()!;
    expect(notes).toEqual({ sum: 62_300, min: 0 });
  });
});
