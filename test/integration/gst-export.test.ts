import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp';
import { auditRows, failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * GST export for the accountant (issue #15 item 6): GSTR-1 for November 2026 of a clinic in
 * Maharashtra (GSTIN 27AAAPL1234C1Z5, state code 27), every figure computed by hand below. The
 * clock starts on Saturday 2026-11-21, 10:00 IST; one desk, series A, FY 2026-27.
 *
 * Sat 21 Nov
 *   2627/A/000001  Consultation (exempt, SAC 999312)            1 × ₹500.00             amount 50,000 p
 *                  Paracetamol 500 (HSN 30049099, 5%, MRP)     10 × ₹3.40 = 3,400 p incl. tax
 *                      taxable = round(3400 × 100/105) = round(3238.095) = 3,238; tax 162 → CGST 81, SGST 81
 *                  Cough syrup (HSN 30049011, 12%, MRP)         2 × ₹112.00 = 22,400 p incl. tax
 *                      taxable = 22400 × 100/112 = 20,000; tax 2,400 → CGST 1,200, SGST 1,200
 *   2627/A/000002  Knee brace (HSN 90211000, 18% on top)        2 × ₹300.00: taxable 60,000; CGST 5,400, SGST 5,400
 *                  Cosmetic laser session (SAC 999722, 18%)     1 × ₹2,500.00 less ₹250.00 line discount
 *                      taxable 225,000; tax 18% = 40,500 → CGST 20,250, SGST 20,250
 *   2627/A/000003  Consultation + Paracetamol, then VOIDED (wrong patient): no supply, one cancelled number
 * Mon 23 Nov
 *   2627/A/000004  CBC (exempt, SAC 999316)                     ₹300.00 = 30,000 p
 *                  Registration fee paid over to the council (non-GST, no code)  ₹100.00 = 10,000 p
 *                  Condoms (HSN 40141010, nil rated)            3 × ₹15.00 = 4,500 p
 *   2627/A/C00001  credit note: one of the two braces returned: taxable 30,000, CGST 2,700, SGST 2,700
 *   2627/A/V00001  refund voucher: the CBC not done (exempt only): 30,000
 * Tue 1 Dec
 *   2627/A/000005  Consultation + Paracetamol: next month, must not count in November
 *   2627/A/C00002  credit note: the other brace of November's bill 000002 returned in December:
 *                  it counts in December (a B2C credit note goes in the period it is issued)
 */

const GSTIN = '27AAAPL1234C1Z5';
const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000, supplyKind: 'exempt' } as const;
const PCM = { kind: 'medicine', description: 'PARACETAMOL 500 mg tablet', sacHsn: '30049099', quantity: 10, ratePaise: 340, gstRateBp: 500, taxInclusive: true } as const;
const SYRUP = { kind: 'medicine', description: 'Cough syrup 100 ml', sacHsn: '30049011', quantity: 2, ratePaise: 11_200, gstRateBp: 1200, taxInclusive: true } as const;
const BRACE = { kind: 'procedure', description: 'Knee brace', sacHsn: '90211000', quantity: 2, ratePaise: 30_000, gstRateBp: 1800 } as const;
const LASER = { kind: 'procedure', description: 'Cosmetic laser session', sacHsn: '999722', quantity: 1, ratePaise: 250_000, discountPaise: 25_000, gstRateBp: 1800, supplyKind: 'taxable' } as const;
const CBC = { kind: 'lab', description: 'Complete blood count (CBC)', sacHsn: '999316', quantity: 1, ratePaise: 30_000, supplyKind: 'exempt' } as const;
const COUNCIL_FEE = { kind: 'other', description: 'Registration fee paid over to the council', quantity: 1, ratePaise: 10_000, supplyKind: 'non-gst' } as const;
const CONDOMS = { kind: 'medicine', description: 'Condoms (pack of 3)', sacHsn: '40141010', quantity: 3, ratePaise: 1_500, supplyKind: 'nil' } as const;

const PNG_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'pdf');
const at = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 4, 30); // 10:00 IST

interface Month {
  d: DoctorDesk;
  cashier: string;
  accounts: string;
  numbers: string[];
}

function bill(d: DoctorDesk, cashier: string, patientId: string, lines: readonly object[], pay: boolean) {
  const draft = d.c.ok('billing.createInvoice', { patientId, doctorId: d.drRao, lines }, cashier);
  const inv = d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
  if (pay) d.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: inv.totals.totalPaise }] }, cashier);
  return inv;
}

/** The month above, played through the billing API. */
function playMonth(options: { gstin: boolean } = { gstin: true }): Month {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
  d.c.ok('staff.create', { username: 'ravi', fullName: 'Ravi Kulkarni', password: 'ravi-password', roles: ['accounts'] }, d.admin);
  if (options.gstin) d.c.ok('facility.save', { letterhead: { gstin: GSTIN } }, d.admin);
  const cashier = d.c.login('kavya', 'kavya-password');
  const accounts = d.c.login('ravi', 'ravi-password');

  const i1 = bill(d, cashier, d.anil, [CONSULT, PCM, SYRUP], true);
  const i2 = bill(d, cashier, d.bhavna, [BRACE, LASER], true);
  const i3 = bill(d, cashier, d.chetan, [CONSULT, PCM], false);
  d.c.ok('billing.voidInvoice', { invoiceId: i3.id, reason: 'Billed to the wrong patient' }, cashier);

  d.c.clock.now = at(2026, 11, 23);
  const i4 = bill(d, cashier, d.deepa, [CBC, COUNCIL_FEE, CONDOMS], true);
  const cn = d.c.ok('billing.refund', { invoiceId: i2.id, lines: [{ line: 0, quantity: 1 }], mode: 'cash', reason: 'Brace returned unused' }, cashier);
  expect(cn.creditNote).toMatchObject({ kind: 'credit-note', number: '2627/A/C00001', taxablePaise: 30_000, cgstPaise: 2_700, sgstPaise: 2_700 });
  const rv = d.c.ok('billing.refund', { invoiceId: i4.id, lines: [{ line: 0, quantity: 1 }], mode: 'cash', reason: 'CBC not done' }, cashier);
  expect(rv.creditNote).toMatchObject({ kind: 'refund-voucher', number: '2627/A/V00001', totalPaise: 30_000 });

  d.c.clock.now = at(2026, 12, 1);
  const i5 = bill(d, cashier, d.anil, [CONSULT, PCM], true);
  const late = d.c.ok('billing.refund', { invoiceId: i2.id, lines: [{ line: 0, quantity: 1 }], mode: 'cash', reason: 'Second brace returned' }, cashier);
  expect(late.creditNote).toMatchObject({ kind: 'credit-note', number: '2627/A/C00002', taxablePaise: 30_000, cgstPaise: 2_700, sgstPaise: 2_700 });
  return { d, cashier, accounts, numbers: [i1, i2, i3, i4, i5].map((i) => i.invoiceNumber ?? '') };
}

describe('GSTR-1 for a month of mixed supplies', () => {
  it('every section equals the figures computed by hand', () => {
    const { d, accounts, numbers } = playMonth();
    expect(numbers).toEqual(['2627/A/000001', '2627/A/000002', '2627/A/000003', '2627/A/000004', '2627/A/000005']);
    const r = d.c.ok('reports.gstr1', { month: '2026-11' }, accounts);
    expect(r.fileNames).toEqual({ json: `GSTR1-${GSTIN}-112026.json`, csv: `GSTR1-${GSTIN}-112026.csv` });
    expect(r.json.gstin).toBe(GSTIN);
    expect(r.json.fp).toBe('112026');
    // Table 7, by rate, net of the credit note:
    //   5%:  3,238 taxable, 81 + 81                               → 32.38, 0.81, 0.81
    //   12%: 20,000 taxable, 1,200 + 1,200                        → 200.00, 12.00, 12.00
    //   18%: 60,000 + 225,000 − 30,000 = 255,000 taxable;
    //        CGST 5,400 + 20,250 − 2,700 = 22,950 (SGST the same)  → 2550.00, 229.50, 229.50
    expect(r.json.b2cs).toEqual([
      { sply_ty: 'INTRA', pos: '27', typ: 'OE', rt: 5, txval: 32.38, iamt: 0, camt: 0.81, samt: 0.81, csamt: 0 },
      { sply_ty: 'INTRA', pos: '27', typ: 'OE', rt: 12, txval: 200, iamt: 0, camt: 12, samt: 12, csamt: 0 },
      { sply_ty: 'INTRA', pos: '27', typ: 'OE', rt: 18, txval: 2550, iamt: 0, camt: 229.5, samt: 229.5, csamt: 0 },
    ]);
    // Table 12, by code and rate. Goods count units (NOS): braces 2 − 1 returned = 1. Services
    // (SAC 99…) report UQC NA and quantity 0. The CBC (300.00 − 300.00 refunded) nets to nothing and
    // is left out; the void bill, December's bill and the non-GST fee are not in it.
    // Table 12 split (HSN Phase-III, from May 2025): a clinic's supplies are all B2C.
    expect(r.json.hsn).not.toHaveProperty('data');
    expect(r.json.hsn && 'hsn_b2c' in r.json.hsn ? r.json.hsn.hsn_b2c : null).toEqual([
      { num: 1, hsn_sc: '30049011', desc: 'Cough syrup 100 ml', uqc: 'NOS', qty: 2, rt: 12, txval: 200, iamt: 0, camt: 12, samt: 12, csamt: 0 },
      { num: 2, hsn_sc: '30049099', desc: 'PARACETAMOL 500 mg tablet', uqc: 'NOS', qty: 10, rt: 5, txval: 32.38, iamt: 0, camt: 0.81, samt: 0.81, csamt: 0 },
      { num: 3, hsn_sc: '40141010', desc: 'Condoms (pack of 3)', uqc: 'NOS', qty: 3, rt: 0, txval: 45, iamt: 0, camt: 0, samt: 0, csamt: 0 },
      // 60,000 − 30,000 = 30,000 taxable; 5,400 − 2,700 = 2,700 each of CGST and SGST
      { num: 4, hsn_sc: '90211000', desc: 'Knee brace', uqc: 'NOS', qty: 1, rt: 18, txval: 300, iamt: 0, camt: 27, samt: 27, csamt: 0 },
      { num: 5, hsn_sc: '999312', desc: 'Consultation', uqc: 'NA', qty: 0, rt: 0, txval: 500, iamt: 0, camt: 0, samt: 0, csamt: 0 },
      // ₹2,500 − ₹250 discount = 225,000 taxable; 18% = 40,500 → 20,250 + 20,250
      { num: 6, hsn_sc: '999722', desc: 'Cosmetic laser session', uqc: 'NA', qty: 0, rt: 18, txval: 2250, iamt: 0, camt: 202.5, samt: 202.5, csamt: 0 },
    ]);
    // Table 8: exempt 50,000 (consultation) + 30,000 (CBC) − 30,000 (refund voucher) = 50,000;
    // nil rated 4,500; non-GST 10,000.
    expect(r.json.nil).toEqual({ inv: [{ sply_ty: 'INTRB2C', expt_amt: 500, nil_amt: 45, ngsup_amt: 100 }] });
    // Table 13: four invoice numbers in November, 000003 voided; one credit note; one refund voucher.
    expect(r.json.doc_issue).toEqual({
      doc_det: [
        { doc_num: 1, docs: [{ num: 1, from: '2627/A/000001', to: '2627/A/000004', totnum: 4, cancel: 1, net_issue: 3 }] },
        { doc_num: 5, docs: [{ num: 1, from: '2627/A/C00001', to: '2627/A/C00001', totnum: 1, cancel: 0, net_issue: 1 }] },
        { doc_num: 8, docs: [{ num: 1, from: '2627/A/V00001', to: '2627/A/V00001', totnum: 1, cancel: 0, net_issue: 1 }] },
      ],
    });
    // Totals for the screen: taxable 3,238 + 20,000 + 255,000 = 278,238; CGST 81 + 1,200 + 22,950 = 24,231;
    // without tax 50,000 + 4,500 + 10,000 = 64,500.
    expect(r.summary.totals).toEqual({ taxablePaise: 278_238, cgstPaise: 24_231, sgstPaise: 24_231, noTaxPaise: 64_500 });
    expect(r.summary.warnings).toEqual([]);
    // The JSON text carries the amounts as written by hand (no float drift such as 32.380000000000003).
    expect(JSON.stringify(r.json)).toContain('"txval":32.38,');
  });

  it('the CSV has each section with the same figures, in rupees', () => {
    const { d, accounts } = playMonth();
    const { csv } = d.c.ok('reports.gstr1', { month: '2026-11' }, accounts);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(`GSTR-1 Sharma Clinic GSTIN ${GSTIN} period 112026 (2026-11-01 to 2026-11-30)`);
    expect(lines).toContain('B2C (others) - table 7');
    expect(lines).toContain('OE,27,Intra-state,18,2550.00,0.00,229.50,229.50,0.00');
    expect(lines).toContain('Total,,,,2782.38,0.00,242.31,242.31,0.00');
    expect(lines).toContain('999722,Cosmetic laser session,NA,0,18,2250.00,0.00,202.50,202.50,0.00');
    expect(lines).toContain('90211000,Knee brace,NOS,1,18,300.00,0.00,27.00,27.00,0.00');
    expect(lines).toContain('Intra-state supplies to unregistered persons,45.00,500.00,100.00');
    expect(lines).toContain('Invoices for outward supply,2627/A/,2627/A/000001,2627/A/000004,4,1,3');
    expect(lines).toContain('Credit Note,2627/A/C,2627/A/C00001,2627/A/C00001,1,0,1');
    expect(lines).toContain('Refund Voucher,2627/A/V,2627/A/V00001,2627/A/V00001,1,0,1');
  });

  it('a range of days counts only the documents of its days, and says it is not a whole month', () => {
    const { d, accounts } = playMonth();
    // 22–30 November: only Monday's bill and notes. 18%: −30,000 taxable, −2,700 + −2,700 (the
    // returned brace of Saturday's bill); exempt 30,000 − 30,000 = 0; nil 4,500; non-GST 10,000.
    const r = d.c.ok('reports.gstr1', { from: '2026-11-22', to: '2026-11-30' }, accounts);
    expect(r.fileNames.json).toBe(`GSTR1-${GSTIN}-2026-11-22-to-2026-11-30.json`);
    expect(r.json.b2cs).toEqual([{ sply_ty: 'INTRA', pos: '27', typ: 'OE', rt: 18, txval: -300, iamt: 0, camt: -27, samt: -27, csamt: 0 }]);
    expect(r.json.nil).toEqual({ inv: [{ sply_ty: 'INTRB2C', expt_amt: 0, nil_amt: 45, ngsup_amt: 100 }] });
    expect(r.json.doc_issue?.doc_det.map((g) => [g.doc_num, g.docs.map((x) => [x.from, x.to, x.totnum, x.cancel])])).toEqual([
      [1, [['2627/A/000004', '2627/A/000004', 1, 0]]],
      [5, [['2627/A/C00001', '2627/A/C00001', 1, 0]]],
      [8, [['2627/A/V00001', '2627/A/V00001', 1, 0]]],
    ]);
    expect(r.summary.warnings).toEqual([
      'These figures cover 2026-11-22 to 2026-11-30, not one whole month: file the return for a whole month (or quarter) only.',
      'Credit notes at 18% exceed the supplies at that rate in this period (net taxable value is negative).',
    ]);
    // One day: Saturday only (the first three bills; the credit note is Monday's).
    const sat = d.c.ok('reports.gstr1', { from: TODAY, to: TODAY }, accounts);
    expect(sat.json.b2cs?.map((b) => [b.rt, b.txval])).toEqual([[5, 32.38], [12, 200], [18, 2850]]);
    expect(sat.json.doc_issue?.doc_det).toEqual([{ doc_num: 1, docs: [{ num: 1, from: '2627/A/000001', to: '2627/A/000003', totnum: 3, cancel: 1, net_issue: 2 }] }]);
    // Across the month end: December's bill (consultation 500.00 exempt, paracetamol 5%: 3,238 + 81 + 81)
    // and December's credit note for November's second brace (−30,000, −2,700, −2,700) come in.
    const both = d.c.ok('reports.gstr1', { from: '2026-11-30', to: '2026-12-01' }, accounts);
    expect(both.json.fp).toBe('122026');
    expect(both.json.b2cs).toEqual([
      { sply_ty: 'INTRA', pos: '27', typ: 'OE', rt: 5, txval: 32.38, iamt: 0, camt: 0.81, samt: 0.81, csamt: 0 },
      { sply_ty: 'INTRA', pos: '27', typ: 'OE', rt: 18, txval: -300, iamt: 0, camt: -27, samt: -27, csamt: 0 },
    ]);
    expect((both.json.hsn && 'hsn_b2c' in both.json.hsn ? both.json.hsn.hsn_b2c : []).find((h) => h.hsn_sc === '90211000')).toMatchObject({ qty: -1, txval: -300 });
    expect(both.json.nil).toEqual({ inv: [{ sply_ty: 'INTRB2C', expt_amt: 500, nil_amt: 0, ngsup_amt: 0 }] });
    expect(both.json.doc_issue?.doc_det.map((g) => [g.doc_num, g.docs.map((x) => [x.from, x.to, x.totnum])])).toEqual([
      [1, [['2627/A/000005', '2627/A/000005', 1]]],
      [5, [['2627/A/C00002', '2627/A/C00002', 1]]],
    ]);
  });

  it('a second number of a bill issued at two desks offline is cancelled; bills stored without line figures give the same figures', () => {
    const { d, accounts } = playMonth();
    const sqlite = d.c.app.database.sqlite;
    const before = d.c.ok('reports.gstr1', { month: '2026-11' }, accounts).json;
    // Desk B numbered bill 000001 too while offline (its issue event arrives by sync); the bill keeps 2627/A/000001.
    const first = sqlite.prepare<[], { id: string; invoice_number: string; total_paise: number }>("SELECT i.id, i.invoice_number, x.total_paise FROM invoices i JOIN invoice_issues x ON x.invoice_id = i.id WHERE i.invoice_number = '2627/A/000001'").get()!;
    sqlite
      .prepare("INSERT INTO invoice_issues (id, created_at, updated_at, hlc, device_id, invoice_id, invoice_number, financial_year, series, issued_device_id, issued_on, issued_at, total_paise) VALUES ('01900000-0000-7000-8000-00000000b001', 0, 0, '0', 'desk-b', ?, '2627/B/000001', '2026-27', 'B', 'desk-b', '2026-11-21', 0, ?)")
      .run(first.id, first.total_paise);
    // An older app version kept no per-line figures on the bill: they are worked out again the same way.
    sqlite.prepare("UPDATE invoices SET lines = (SELECT json_group_array(json_remove(l.value, '$.taxablePaise', '$.cgstPaise', '$.sgstPaise', '$.totalPaise')) FROM json_each(invoices.lines) l) WHERE invoice_number = '2627/A/000001'").run();
    const after = d.c.ok('reports.gstr1', { month: '2026-11' }, accounts).json;
    expect(after.b2cs).toEqual(before.b2cs);
    expect(after.hsn).toEqual(before.hsn);
    expect(after.nil).toEqual(before.nil);
    expect(after.doc_issue?.doc_det[0]).toEqual({
      doc_num: 1,
      docs: [
        { num: 1, from: '2627/A/000001', to: '2627/A/000004', totnum: 4, cancel: 1, net_issue: 3 },
        { num: 2, from: '2627/B/000001', to: '2627/B/000001', totnum: 1, cancel: 1, net_issue: 0 },
      ],
    });
  });

  it('refuses bad periods naming the field', () => {
    const { d, accounts } = playMonth();
    expect(failure(d.c.call('reports.gstr1', { month: '2026-13' }, accounts)).fields).toEqual({ month: 'Month must be YYYY-MM' });
    expect(failure(d.c.call('reports.gstr1', { from: '2026-11-30', to: '2026-11-01' }, accounts)).fields).toEqual({ to: 'To must be on or after From' });
    expect(failure(d.c.call('reports.gstr1', { from: '2026-11-01' }, accounts)).fields).toEqual({ to: 'To is required (or give a month)' });
    expect(failure(d.c.call('reports.gstr1', { month: '2026-11', from: '2026-11-01', to: '2026-11-02' }, accounts)).fields).toEqual({ month: 'Give a month, or From and To, not both' });
  });
});

describe('who may export, and a clinic without a GSTIN', () => {
  it('the accounts role and the admin export (each export audited); a receptionist, a doctor and a cashier cannot', () => {
    const { d, accounts, cashier } = playMonth();
    d.c.ok('reports.gstr1', { month: '2026-11' }, d.admin);
    d.c.ok('reports.gstr1', { month: '2026-11' }, accounts);
    for (const token of [d.reception, d.rao, cashier]) {
      expect(failure(d.c.call('reports.gstr1', { month: '2026-11' }, token)).code).toBe('forbidden');
      expect(failure(d.c.call('reports.gstSummaryPdf', { month: '2026-11' }, token)).code).toBe('forbidden');
    }
    const audited = auditRows(d, 'reports.gstr1').filter((a) => a.outcome === 'ok');
    expect(audited.map((a) => a.detail)).toEqual([
      `GSTR-1 export (JSON and CSV) 2026-11-01 to 2026-11-30, GSTIN ${GSTIN}, period 112026`,
      `GSTR-1 export (JSON and CSV) 2026-11-01 to 2026-11-30, GSTIN ${GSTIN}, period 112026`,
    ]);
  });

  it('without a GSTIN the export is refused and says where to enter it', () => {
    const { d, accounts } = playMonth({ gstin: false });
    const e = failure(d.c.call('reports.gstr1', { month: '2026-11' }, accounts));
    expect(e.code).toBe('conflict');
    expect(e.message).toContain("The clinic has no GSTIN");
    expect(e.fields).toEqual({ 'facility.letterhead.gstin': 'The clinic has no GSTIN' });
    expect(e.message).toContain("Enter the facility's GSTIN (Facility screen, Clinic and letterhead, GSTIN)");
    expect(failure(d.c.call('reports.gstSummaryPdf', { month: '2026-11' }, accounts)).message).toContain('The clinic has no GSTIN');
  });
});

describe('the summary PDF', () => {
  it('one page with the period, the GSTIN, each section total and the check-before-filing note', async () => {
    const { d, accounts } = playMonth();
    const started = d.c.ok('reports.gstSummaryPdf', { month: '2026-11' }, accounts);
    const finished = await d.c.app.jobs.wait(started.id);
    expect(finished.status).toBe('done');
    const document = d.c.ok('jobs.document', { jobId: started.id }, accounts);
    expect(document.fileName).toBe(`GSTR1-${GSTIN}-112026-summary.pdf`);
    const file = path.join(tempDir('gst-pdf-'), document.fileName);
    fs.writeFileSync(file, Buffer.from(document.pdfBase64, 'base64'));
    // For a person to look at: test-results/pdf/gst-summary.png
    fs.mkdirSync(PNG_DIR, { recursive: true });
    spawnSync('pdftoppm', ['-png', '-r', '70', '-singlefile', file, path.join(PNG_DIR, 'gst-summary')]);
    const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' }).stdout;
    expect(info).toMatch(/Pages:\s+1\n/);
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, ' ');
    expect(text).toContain('Sharma Clinic');
    expect(text).toContain('GSTR-1 Summary');
    expect(text).toContain(`Return period 11/2026 · 01-11-2026 to 30-11-2026 · GSTIN ${GSTIN}`);
    expect(text).toContain('18% 2,550.00 229.50 229.50');
    expect(text).toContain('Total 2,782.38 242.31 242.31');
    expect(text).toContain('Intra-state B2C 45.00 500.00 100.00');
    expect(text).toContain('Invoices for outward supply 2627/A/000001 – 2627/A/000004 4 1 3');
    expect(text).toContain('Prepared by the clinic software from its own records: check before filing.');
    expect(auditRows(d, 'reports.gstSummaryPdf').filter((a) => a.outcome === 'ok').map((a) => a.detail)).toEqual([
      `GSTR-1 summary PDF 2026-11-01 to 2026-11-30, GSTIN ${GSTIN}, period 112026`,
    ]);
  });
});
