import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, makeClinic, type TestClinic } from '../helpers/app';
import { ReportRows } from '../helpers/report-rows';
import { tempDir } from '../helpers/temp';

/**
 * The owner's reports over November 2026 in a clinic laid out by hand (rows written straight into
 * the encrypted database, see helpers/report-rows.ts). "Today" is 2026-12-01. Every figure below
 * was worked out on paper from this layout:
 *
 * Visits (Dr Rao = A, Dr Khan = B):
 *   P1 20 Oct A (follow-up due 3 Nov) · P1 2 Nov A · P2 2 Nov A (due 9 Nov) · P3 2 Nov B LEFT unseen
 *   P3 5 Nov B (due 12 Nov) · P4 5 Nov B (due 28 Nov) · P3 15 Nov B · P5 30 Nov A
 *   P6 10 Nov A removed · P1 1 Dec A (outside)
 * Bills:
 *   INV1 2 Nov A: consultation ₹500, lab ₹300 less ₹50 line discount            = ₹750
 *   INV2 5 Nov B: consultation ₹600 less ₹60, medicine ₹100.10 + 5% GST (₹5.01)  = ₹645.11 → ₹645 (round-off −₹0.11)
 *   INV3 15 Nov B: follow-up ₹200 less ₹20 off the bill                          = ₹180
 *   INV4 30 Nov A void ₹500 · INV5 draft · INV6 31 Oct A ₹500 (paid 1 Nov by UPI)
 *   INV7 20 Nov A: consultation ₹500 (exempt), procedure ₹1,000 + 18% GST (₹90 CGST + ₹90 SGST) = ₹1,680
 * Money: P1 advance ₹350 cash (1 Nov); INV1 ₹400 cash + ₹350 from the advance; P2 advance ₹100 cash;
 *   INV2 ₹655 card (₹10 beyond the bill, kept as advance on 20 Nov: mode advance, no money);
 *   INV3 ₹180 cash; INV7 ₹1,680 UPI; refunds ₹100 UPI of P2's advance (25 Nov).
 * Refunds by line: ₹50 cash of INV3's follow-up line (16 Nov, refund voucher 2627/A/V00001, no tax);
 *   INV7's procedure line in full by UPI (22 Nov, credit note 2627/A/C00001: ₹1,000 + ₹90 + ₹90);
 *   ₹50 cash of INV1's lab line on 1 Dec (refund voucher V00002: outside November).
 */

const NOV = { from: '2026-11-01', to: '2026-11-30' };
const TODAY_10AM = Date.UTC(2026, 11, 1, 4, 30);
let c: TestClinic;
let dataDir: string;
let admin: string;
let reception: string;
let owner: string;

// Laid out once in a directory of this file's own; each test opens a copy (helpers close clinics
// and remove temp dirs after every test).
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-reports-'));
  c = makeClinic({ dataDir });
  c.clock.now = TODAY_10AM;
  admin = c.login(ADMIN.username, ADMIN.password);
  const staff = (username: string, fullName: string, roles: ('doctor' | 'receptionist' | 'accounts')[]) =>
    c.ok('staff.create', { username, fullName, password: `${username}-password`, roles }, admin).id;
  const A = staff('dr.rao', 'Dr Meera Rao', ['doctor']);
  const B = staff('dr.khan', 'Dr Imran Khan', ['doctor']);
  staff('rita', 'Rita Dsouza', ['receptionist']);
  staff('owner', 'Owner Accounts', ['accounts']);
  const cashier = c.ok('auth.me', {}, admin).user.id;
  const rows = new ReportRows(c.app.database.sqlite, c.app.deviceId);

  const visit = (patientId: string, doctorId: string, date: string, more: { followUpDate?: string; status?: 'left'; deleted?: boolean } = {}) =>
    rows.visit({ patientId, doctorId, date, ...more });
  const consult = (visitId: string, patientId: string, doctorId: string, date: string, codes: [string | null, string][], status?: 'draft') =>
    rows.consultation({ visitId, patientId, doctorId, date, diagnoses: codes.map(([code, title]) => ({ code, title })), ...(status ? { status } : {}) });

  visit('P1', A, '2026-10-20', { followUpDate: '2026-11-03' });
  const v1 = visit('P1', A, '2026-11-02');
  const v2 = visit('P2', A, '2026-11-02', { followUpDate: '2026-11-09' });
  visit('P3', B, '2026-11-02', { status: 'left' });
  const v3 = visit('P3', B, '2026-11-05', { followUpDate: '2026-11-12' });
  const v4 = visit('P4', B, '2026-11-05', { followUpDate: '2026-11-28' });
  const v5 = visit('P3', B, '2026-11-15');
  const v6 = visit('P5', A, '2026-11-30');
  visit('P6', A, '2026-11-10', { deleted: true });
  visit('P1', A, '2026-12-01');
  consult(v1, 'P1', A, '2026-11-02', [['E11.9', 'Type 2 diabetes'], ['I10', 'Hypertension']]);
  consult(v2, 'P2', A, '2026-11-02', [['I10', 'High BP']]);
  consult(v3, 'P3', B, '2026-11-05', [['J06.9', 'URTI'], [null, 'Viral fever']]);
  consult(v4, 'P4', B, '2026-11-05', [['I10', 'Hypertension']], 'draft');
  consult(v5, 'P3', B, '2026-11-15', [['J06.9', 'URTI']]);
  consult(v6, 'P5', A, '2026-11-30', [['e11.9', 'T2DM']]);

  const line = (kind: 'consultation' | 'follow-up' | 'procedure' | 'lab' | 'medicine', ratePaise: number, discountPaise = 0, gstRateBp = 0) => ({
    kind, description: kind, quantity: 1, ratePaise, discountPaise, gstRateBp, taxInclusive: false,
  });
  const inv1 = rows.invoice({ number: '2627/A/000001', patientId: 'P1', doctorId: A, issuedOn: '2026-11-02', issuedBy: cashier, lines: [line('consultation', 50_000), line('lab', 30_000, 5_000)] });
  const inv2 = rows.invoice({ number: '2627/A/000002', patientId: 'P3', doctorId: B, issuedOn: '2026-11-05', issuedBy: cashier, lines: [line('consultation', 60_000, 6_000), line('medicine', 10_010, 0, 500)] });
  const inv3 = rows.invoice({ number: '2627/A/000003', patientId: 'P3', doctorId: B, issuedOn: '2026-11-15', issuedBy: cashier, lines: [line('follow-up', 20_000)], discount: { kind: 'amount', value: 2_000 } });
  rows.invoice({ number: '2627/A/000004', patientId: 'P5', doctorId: A, issuedOn: '2026-11-30', issuedBy: cashier, status: 'void', lines: [line('consultation', 50_000)] });
  rows.invoice({ number: null, patientId: 'P5', doctorId: A, issuedOn: '2026-11-30', issuedBy: cashier, status: 'draft', lines: [line('consultation', 50_000)] });
  const inv6 = rows.invoice({ number: '2627/A/000000', patientId: 'P9', doctorId: A, issuedOn: '2026-10-31', issuedBy: cashier, lines: [line('consultation', 50_000)] });
  const inv7 = rows.invoice({ number: '2627/A/000007', patientId: 'P7', doctorId: A, issuedOn: '2026-11-20', issuedBy: cashier, lines: [line('consultation', 50_000), line('procedure', 100_000, 0, 1_800)] });
  expect([inv1.totalPaise, inv2.totalPaise, inv3.totalPaise, inv7.totalPaise]).toEqual([75_000, 64_500, 18_000, 168_000]);

  const pay = (invoiceId: string | null, patientId: string, mode: string, amountPaise: number, receivedOn: string) =>
    rows.payment({ invoiceId, patientId, mode, amountPaise, receivedBy: cashier, receivedOn });
  const refund = (invoiceId: string | null, patientId: string, mode: string, amountPaise: number, reason: string, refundedOn: string) =>
    rows.refund({ invoiceId, patientId, mode, amountPaise, reason, refundedBy: cashier, refundedOn });
  const refundLine = (invoiceId: string, patientId: string, mode: string, ask: { line: number; amountPaise: number } | { line: number; quantity: number }, reason: string, refundedOn: string) =>
    rows.refund({ invoiceId, patientId, mode, lines: [ask], reason, refundedBy: cashier, refundedOn });
  pay(inv6.id, 'P9', 'upi', 50_000, '2026-11-01');
  pay(null, 'P1', 'cash', 35_000, '2026-11-01');
  pay(inv1.id, 'P1', 'cash', 40_000, '2026-11-02');
  pay(inv1.id, 'P1', 'advance', 35_000, '2026-11-02');
  pay(null, 'P2', 'cash', 10_000, '2026-11-02');
  pay(inv2.id, 'P3', 'card', 65_500, '2026-11-05');
  pay(inv3.id, 'P3', 'cash', 18_000, '2026-11-15');
  pay(inv7.id, 'P7', 'upi', 168_000, '2026-11-20');
  refundLine(inv3.id, 'P3', 'cash', { line: 0, amountPaise: 5_000 }, 'Follow-up fee waived in part', '2026-11-16');
  refund(inv2.id, 'P3', 'advance', 1_000, 'Credit kept as advance', '2026-11-20');
  refundLine(inv7.id, 'P7', 'upi', { line: 1, quantity: 1 }, 'Procedure not done', '2026-11-22');
  refund(null, 'P2', 'upi', 10_000, 'Advance returned', '2026-11-25');
  refundLine(inv1.id, 'P1', 'cash', { line: 1, amountPaise: 5_000 }, 'Lab repeat waived', '2026-12-01');
  c.app.close();
});

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

beforeEach(() => {
  const copy = tempDir();
  fs.cpSync(dataDir, copy, { recursive: true });
  c = makeClinic({ setup: false, dataDir: copy });
  c.clock.now = TODAY_10AM;
  admin = c.login(ADMIN.username, ADMIN.password);
  reception = c.login('rita', 'rita-password');
  owner = c.login('owner', 'owner-password');
});

describe('owner reports over a hand-laid month', () => {
  it('OPD census: per day and per doctor, without patients who left unseen or removed visits', () => {
    const r = c.ok('reports.census', NOV, owner);
    expect(r.totalVisits).toBe(6);
    expect(r.byDay).toHaveLength(30);
    expect(r.byDay.filter((d) => d.visits > 0)).toEqual([
      { day: '2026-11-02', visits: 2 },
      { day: '2026-11-05', visits: 2 },
      { day: '2026-11-15', visits: 1 },
      { day: '2026-11-30', visits: 1 },
    ]);
    expect(r.byDoctor.map((d) => [d.doctorName, d.visits])).toEqual([
      ['Dr Imran Khan', 3],
      ['Dr Meera Rao', 3],
    ]);
  });

  it('new vs follow-up: new is the first visit to the clinic (a visit left unseen does not count)', () => {
    const r = c.ok('reports.visitTypes', NOV, owner);
    expect([r.newVisits, r.followUpVisits]).toEqual([4, 2]);
    expect(r.byDay.filter((d) => d.newVisits + d.followUpVisits > 0)).toEqual([
      { day: '2026-11-02', newVisits: 1, followUpVisits: 1 },
      { day: '2026-11-05', newVisits: 2, followUpVisits: 0 },
      { day: '2026-11-15', newVisits: 0, followUpVisits: 1 },
      { day: '2026-11-30', newVisits: 1, followUpVisits: 0 },
    ]);
  });

  it('revenue: money by mode net of refunds, billed by service (with the round-off) and by doctor', () => {
    const r = c.ok('reports.revenue', NOV, owner);
    expect(r.byMode).toEqual([
      { mode: 'cash', payments: 4, collectedPaise: 103_000, refundedPaise: 5_000, netPaise: 98_000 },
      { mode: 'card', payments: 1, collectedPaise: 65_500, refundedPaise: 0, netPaise: 65_500 },
      { mode: 'upi', payments: 2, collectedPaise: 218_000, refundedPaise: 128_000, netPaise: 90_000 },
    ]);
    expect([r.collectedPaise, r.refundedPaise, r.netCollectedPaise]).toEqual([386_500, 133_000, 253_500]);
    expect(r.byService.map((s) => [s.kind, s.lines, s.billedPaise])).toEqual([
      ['consultation', 3, 154_000],
      ['follow-up', 1, 18_000],
      ['procedure', 1, 118_000],
      ['lab', 1, 25_000],
      ['medicine', 1, 10_511],
      ['round-off', 0, -11],
    ]);
    expect(r.byDoctor.map((d) => [d.doctorName, d.invoices, d.billedPaise])).toEqual([
      ['Dr Meera Rao', 2, 243_000],
      ['Dr Imran Khan', 2, 82_500],
    ]);
    expect([r.billedPaise, r.invoices]).toEqual([325_500, 4]);
  });

  it('revenue: credit notes and refund vouchers dated in the month are credited off the service and the bill’s doctor, and listed with the GST they reverse', () => {
    const r = c.ok('reports.revenue', NOV, owner);
    // INV7's 18% procedure line (₹1,180 with tax) credited in full; ₹50 of INV3's follow-up fee;
    // INV1's lab refund is dated 1 Dec, so November's lab stays at what was billed.
    expect(r.byService.map((s) => [s.kind, s.billedPaise, s.creditedPaise, s.netPaise])).toEqual([
      ['consultation', 154_000, 0, 154_000],
      ['follow-up', 18_000, 5_000, 13_000],
      ['procedure', 118_000, 118_000, 0],
      ['lab', 25_000, 0, 25_000],
      ['medicine', 10_511, 0, 10_511],
      ['round-off', -11, 0, -11],
    ]);
    expect(r.byDoctor.map((d) => [d.doctorName, d.billedPaise, d.creditedPaise, d.netPaise])).toEqual([
      ['Dr Meera Rao', 243_000, 118_000, 125_000],
      ['Dr Imran Khan', 82_500, 5_000, 77_500],
    ]);
    expect([r.billedPaise, r.creditedPaise, r.netBilledPaise]).toEqual([325_500, 123_000, 202_500]);
    expect(r.creditNotes).toEqual({
      count: 2,
      creditNotes: 1,
      refundVouchers: 1,
      taxablePaise: 105_000,
      cgstPaise: 9_000,
      sgstPaise: 9_000,
      totalPaise: 123_000,
      latest: [
        { day: '2026-11-22', kind: 'credit-note', number: '2627/A/C00001', invoiceNumber: '2627/A/000007', taxablePaise: 100_000, cgstPaise: 9_000, sgstPaise: 9_000, totalPaise: 118_000 },
        { day: '2026-11-16', kind: 'refund-voucher', number: '2627/A/V00001', invoiceNumber: '2627/A/000003', taxablePaise: 5_000, cgstPaise: 0, sgstPaise: 0, totalPaise: 5_000 },
      ],
    });
    // December: INV1's lab line credited though billed in November (by the note's date).
    const dec = c.ok('reports.revenue', { from: '2026-12-01', to: '2026-12-31' }, owner);
    expect(dec.byService.map((s) => [s.kind, s.lines, s.billedPaise, s.creditedPaise, s.netPaise])).toEqual([['lab', 0, 0, 5_000, -5_000]]);
    expect(dec.byDoctor.map((d) => [d.doctorName, d.invoices, d.creditedPaise])).toEqual([['Dr Meera Rao', 0, 5_000]]);
  });

  it('refunds and discounts: money given back (not credits kept as advance), discounts by doctor', () => {
    const r = c.ok('reports.refundsDiscounts', NOV, owner);
    expect([r.refunds.count, r.refunds.totalPaise]).toEqual([3, 133_000]);
    expect(r.refunds.byMode).toEqual([
      { mode: 'upi', count: 2, paise: 128_000 },
      { mode: 'cash', count: 1, paise: 5_000 },
    ]);
    expect(r.refunds.latest.map((x) => [x.day, x.invoiceNumber, x.doctorName, x.amountPaise, x.creditNoteNumber])).toEqual([
      ['2026-11-25', null, '(advance)', 10_000, null],
      ['2026-11-22', '2627/A/000007', 'Dr Meera Rao', 118_000, '2627/A/C00001'],
      ['2026-11-16', '2627/A/000003', 'Dr Imran Khan', 5_000, '2627/A/V00001'],
    ]);
    expect(r.discounts).toMatchObject({ invoices: 4, discountedInvoices: 3, lineDiscountPaise: 11_000, billDiscountPaise: 2_000, totalPaise: 13_000 });
    expect(r.discounts.byDoctor.map((d) => [d.doctorName, d.discountedInvoices, d.lineDiscountPaise, d.billDiscountPaise])).toEqual([
      ['Dr Imran Khan', 2, 6_000, 2_000],
      ['Dr Meera Rao', 1, 5_000, 0],
    ]);
  });

  it('top diagnoses: ICD-10 codes of completed consultations, named from the ICD-10 list', () => {
    const r = c.ok('reports.diagnoses', NOV, owner);
    expect(r.top).toEqual([
      { code: 'E11.9', title: 'Type 2 diabetes mellitus without complications', consultations: 2 },
      { code: 'I10', title: 'Essential (primary) hypertension', consultations: 2 },
      { code: 'J06.9', title: 'Acute upper respiratory infection, unspecified', consultations: 2 },
    ]);
    expect(r.uncoded).toEqual({ diagnoses: 1, consultations: 1 });
  });

  it('follow-ups due in the month: kept, missed and still pending, by doctor', () => {
    const r = c.ok('reports.followUps', NOV, owner);
    expect([r.advised, r.kept, r.missed, r.pending]).toEqual([4, 2, 1, 1]);
    expect(r.byDoctor.map((d) => [d.doctorName, d.advised, d.kept, d.missed, d.pending])).toEqual([
      ['Dr Imran Khan', 2, 1, 0, 1],
      ['Dr Meera Rao', 2, 1, 1, 0],
    ]);
    // With no grace window P3 came back after 12 Nov (on the 15th): missed.
    const strict = c.ok('reports.followUps', { ...NOV, windowDays: 0 }, owner);
    expect([strict.kept, strict.missed, strict.pending]).toEqual([1, 3, 0]);
  });

  it('CSV export: the revenue tables in rupees, quoted where needed', () => {
    const r = c.ok('reports.csv', { ...NOV, report: 'revenue' }, owner);
    expect(r.fileName).toBe('revenue-2026-11-01-to-2026-11-30.csv');
    expect(r.csv.split('\r\n').slice(0, 6)).toEqual([
      'Money by mode 2026-11-01 to 2026-11-30',
      'Mode,Payments,Collected (Rs),Refunded (Rs),Net (Rs)',
      'cash,4,1030.00,50.00,980.00',
      'card,1,655.00,0.00,655.00',
      'upi,2,2180.00,1280.00,900.00',
      '',
    ]);
    expect(r.csv).toContain('\r\nround-off,0,-0.11,0.00,-0.11\r\n');
    expect(r.csv).toContain('\r\nprocedure,1,1180.00,1180.00,0.00\r\n');
    expect(r.csv).toContain('\r\nDr Imran Khan,2,825.00,50.00,775.00\r\n');
    expect(r.csv).toContain(
      [
        'Credit notes and refund vouchers',
        'Day,Number,Kind,Invoice,Taxable (Rs),CGST (Rs),SGST (Rs),Total (Rs)',
        '2026-11-22,2627/A/C00001,credit-note,2627/A/000007,1000.00,90.00,90.00,1180.00',
        '2026-11-16,2627/A/V00001,refund-voucher,2627/A/000003,50.00,0.00,0.00,50.00',
        'Total,2,,,1050.00,90.00,90.00,1230.00',
      ].join('\r\n'),
    );
    const refunds = c.ok('reports.csv', { ...NOV, report: 'refundsDiscounts' }, owner).csv;
    expect(refunds).toContain('\r\n2026-11-16,2627/A/000003,Dr Imran Khan,cash,50.00,Follow-up fee waived in part,Asha Sharma,2627/A/V00001\r\n');
    expect(refunds).toContain('\r\n2026-11-25,,(advance),upi,100.00,Advance returned,Asha Sharma,\r\n');
  });

  it('who may read them: admin and accounts; a receptionist is refused; each reading is audited', () => {
    expect(c.call('reports.census', NOV, admin).ok).toBe(true);
    c.ok('reports.revenue', NOV, owner);
    c.ok('reports.csv', { ...NOV, report: 'revenue' }, owner);
    const refused = c.call('reports.revenue', NOV, reception);
    expect(refused.ok ? null : refused.error.code).toBe('forbidden');
    const audit = c.app.database.sqlite
      .prepare<[], { action: string; outcome: string; username: string; detail: string | null }>(
        "SELECT action, outcome, username, detail FROM audit_log WHERE action LIKE 'reports.%' ORDER BY at, rowid",
      )
      .all();
    expect(audit).toContainEqual({ action: 'reports.revenue', outcome: 'ok', username: 'owner', detail: 'revenue 2026-11-01 to 2026-11-30' });
    expect(audit).toContainEqual({ action: 'reports.csv', outcome: 'ok', username: 'owner', detail: 'CSV export of revenue 2026-11-01 to 2026-11-30' });
    expect(audit).toContainEqual(expect.objectContaining({ action: 'reports.revenue', outcome: 'forbidden', username: 'rita' }));
  });

  it('a range is checked: To before From, or longer than a year, is refused naming To', () => {
    const backwards = c.call('reports.census', { from: '2026-11-30', to: '2026-11-01' }, owner);
    expect(backwards.ok ? null : backwards.error.fields).toEqual({ to: 'To must be on or after From' });
    const long = c.call('reports.census', { from: '2025-01-01', to: '2026-11-30' }, owner);
    expect(long.ok ? null : long.error.fields).toEqual({ to: 'A report covers at most 366 days' });
  });
});
