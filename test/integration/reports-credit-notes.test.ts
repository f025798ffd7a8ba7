import { describe, expect, it } from 'vitest';
import { openDoctorDesk, TODAY } from './doctor-fixtures';

/**
 * The revenue report reads credit notes as the billing service writes them (not only as
 * helpers/report-rows.ts lays them out): a bill with a consultation (exempt, ₹500) and a knee brace
 * (₹300 + 18% a unit, two units: taxable ₹600, CGST ₹54, SGST ₹54, ₹708), paid ₹1,208 cash; the
 * brace returned the same day through billing.refund, which issues credit note 2627/A/C00001.
 */

const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
const BRACE = { kind: 'procedure', description: 'Knee brace', sacHsn: '90211000', quantity: 2, ratePaise: 30_000, gstRateBp: 1800 } as const;

describe('revenue report after a refund by line through billing', () => {
  it('the 18% line is billed, credited and nets to nothing under its service and the doctor; the credit note is listed with its tax', () => {
    const d = openDoctorDesk();
    d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
    d.c.ok('facility.save', { letterhead: { gstin: '27AAAPL1234C1Z5' } }, d.admin);
    const cashier = d.c.login('kavya', 'kavya-password');
    const draft = d.c.ok('billing.createInvoice', { patientId: d.anil, doctorId: d.drRao, lines: [CONSULT, BRACE] }, cashier);
    const inv = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
    d.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 120_800 }] }, cashier);
    const refund = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 2 }], mode: 'cash', reason: 'Brace returned unused' }, cashier);
    expect(refund.creditNote).toMatchObject({ kind: 'credit-note', number: '2627/A/C00001' });

    const r = d.c.ok('reports.revenue', { from: TODAY, to: TODAY }, d.admin);
    expect(r.byService.map((s) => [s.kind, s.lines, s.billedPaise, s.creditedPaise, s.netPaise])).toEqual([
      ['consultation', 1, 50_000, 0, 50_000],
      ['procedure', 1, 70_800, 70_800, 0],
    ]);
    expect(r.byDoctor.map((d) => [d.doctorName, d.invoices, d.billedPaise, d.creditedPaise, d.netPaise])).toEqual([['Dr Meera Rao', 1, 120_800, 70_800, 50_000]]);
    expect(r.creditNotes.latest).toEqual([
      { day: TODAY, kind: 'credit-note', number: '2627/A/C00001', invoiceNumber: inv.invoiceNumber, taxablePaise: 60_000, cgstPaise: 5_400, sgstPaise: 5_400, totalPaise: 70_800 },
    ]);
    expect(r.byMode).toEqual([{ mode: 'cash', payments: 1, collectedPaise: 120_800, refundedPaise: 70_800, netPaise: 50_000 }]);
  });

  it('a credit note whose lines are not all objects (as a faulty desk could push one) is read past: the report still opens and counts the object lines', () => {
    const d = openDoctorDesk();
    const draft = d.c.ok('billing.createInvoice', { patientId: d.anil, doctorId: d.drRao, lines: [CONSULT] }, d.reception);
    const inv = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, d.reception);
    d.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, d.reception);
    d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 0, quantity: 1 }], mode: 'cash', reason: 'Seen free after all' }, d.admin);
    // As a pulled row is written: straight into the table. A text line, a number, line indexes that are not ones, then a real line.
    const sqlite = d.c.app.database.sqlite;
    sqlite
      .prepare(
        `INSERT INTO credit_notes SELECT 'cn-odd', created_at, updated_at, hlc, device_id, deleted_at, kind, number || '-odd', financial_year, series, issued_device_id,
           issued_on, issued_at, issued_by, refund_id, invoice_id, patient_id, invoice_number, invoice_date, reason,
           json('["consultation", 7, {"line": "first", "amountPaise": 1}, {"line": -1, "amountPaise": 1}, {"line": 0, "amountPaise": 2500}]'),
           taxable_paise, cgst_paise, sgst_paise, round_off_paise, total_paise FROM credit_notes LIMIT 1`,
      )
      .run();
    const r = d.c.call('reports.revenue', { from: TODAY, to: TODAY }, d.admin);
    if (!r.ok) throw new Error(`the revenue report failed: ${r.error.message}`);
    expect(r.value.byService.map((s) => [s.kind, s.creditedPaise])).toEqual([['consultation', 52_500]]);
  });

  it('a refund voucher on a bill voided afterwards is not credited off revenue: the void already took the bill out (net ₹0, not −₹300)', () => {
    const d = openDoctorDesk();
    const CBC = { kind: 'lab', description: 'Complete blood count (CBC)', sacHsn: '999316', quantity: 1, ratePaise: 30_000 } as const;
    const draft = d.c.ok('billing.createInvoice', { patientId: d.anil, doctorId: d.drRao, lines: [CONSULT, CBC] }, d.reception);
    const inv = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, d.reception);
    const voucher = d.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 1 }], reason: 'Test not done' }, d.admin);
    expect(voucher.creditNote).toMatchObject({ kind: 'refund-voucher', number: '2627/A/V00001', totalPaise: 30_000 });
    d.c.ok('billing.voidInvoice', { invoiceId: inv.id, reason: 'Patient left' }, d.admin);

    const r = d.c.ok('reports.revenue', { from: TODAY, to: TODAY }, d.admin);
    expect([r.billedPaise, r.creditedPaise, r.netBilledPaise]).toEqual([0, 0, 0]);
    expect(r.byService).toEqual([]);
    expect(r.byDoctor).toEqual([]);
    // As the GST export: the void bill's voucher is off the report's list and sums; its number stays on the day-end.
    expect(r.creditNotes).toMatchObject({ count: 0, totalPaise: 0, latest: [] });
    const day = d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, d.admin);
    expect(day.refundVouchers).toMatchObject({ count: 1, numbers: ['2627/A/V00001'] });
  });
});
