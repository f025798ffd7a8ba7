import { spawnSync } from 'node:child_process';
import { and, eq } from 'drizzle-orm';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { auditLog, drugs } from '../../db/schema';
import type { Output } from '../../electron/api';
import { renderInvoicePdf, type TaxInvoiceDoc } from '../../electron/pdf/invoice';
import { makeClinic, type TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';
import { DAY, failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * Invoices, receipts and the day-end report as PDFs, made through the API as background jobs,
 * read back with poppler (pdftotext, pdfinfo) and rendered to PNG (test-results/pdf/) for a
 * person to look at. One invoice goes to the real CUPS "PDF" printer (cups-pdf writes to ~/PDF).
 *
 * The clinic is the doctor's-desk one (Dr Meera Rao, MMC-2011-04567; Dr Arjun Iyer has no
 * registration recorded) with a cashier, the clinic's GSTIN and a logo. Clock: Saturday
 * 2026-11-21, 10:00 IST.
 */

const PNG_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'pdf');
const GSTIN = '27AAAPL1234C1Z5';
const REG = 'MMC-2011-04567';
const INSULIN = '01900000-0000-7000-8000-0000000000b1';

interface Counter extends DoctorDesk {
  cashier: string;
}

/** A small PNG logo (a teal disc), made without any library. */
function logoPng(size = 64): string {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const dx = x - size / 2 + 0.5;
      const dy = y - size / 2 + 0.5;
      const inDisc = dx * dx + dy * dy < (size / 2 - 2) ** 2;
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = inDisc ? 0 : 255;
      raw[o + 1] = inDisc ? 121 : 255;
      raw[o + 2] = inDisc ? 107 : 255;
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

let template: { file: Buffer; ids: Omit<Counter, 'c'> } | undefined;

function openCounter(): Counter {
  if (!template) {
    const d = openDoctorDesk();
    d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
    const cashier = d.c.login('kavya', 'kavya-password');
    d.c.ok('facility.save', { letterhead: { gstin: GSTIN, logo: logoPng(), timingsText: 'Mon-Sat 9 am-1 pm, 5-8 pm' } }, d.admin);
    d.c.app.database.db
      .insert(drugs)
      .values({
        id: INSULIN,
        createdAt: 0,
        updatedAt: 0,
        hlc: '0',
        deviceId: 'test',
        genericName: 'Insulin glargine',
        brandNames: [],
        form: 'pen',
        strength: '100 IU/ml',
        route: 'subcutaneous',
        classes: [],
        source: 'clinic',
        sourceCode: INSULIN,
        mrpPaise: 305_075,
        hsnCode: '30043110',
        gstRateBp: 500,
      })
      .run();
    d.c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const { c: _c, ...ids } = d;
    template = { file: fs.readFileSync(d.c.app.dbFile), ids: { ...ids, cashier } };
  }
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), template.file);
  const c = makeClinic({ setup: false, dataDir, settings: { sessionIdleMs: 60 * DAY } });
  return { c, ...template.ids };
}

const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
const CBC = { kind: 'lab', description: 'Complete blood count (CBC)', sacHsn: '999316', quantity: 1, ratePaise: 30_000 } as const;
const DRESSING = { kind: 'procedure', description: 'Wound dressing', sacHsn: '999312', quantity: 1, ratePaise: 15_000 } as const;
const PCM = { kind: 'medicine', description: 'PARACETAMOL 500 mg tablet', sacHsn: '30049099', quantity: 10, ratePaise: 340, gstRateBp: 500, taxInclusive: true } as const;
const AMOX = { kind: 'medicine', description: 'AMOXICILLIN 250 mg/5 ml suspension', sacHsn: '30049099', quantity: 2, ratePaise: 4725, gstRateBp: 500, taxInclusive: true } as const;
const GLARGINE = { kind: 'medicine', refId: INSULIN, description: 'INSULIN GLARGINE 100 IU/ml pen (3 ml)', sacHsn: '30043110', quantity: 40, ratePaise: 305_075, gstRateBp: 500, taxInclusive: true } as const;

type Invoice = Output<'billing.invoice'>;

function issued(k: Counter, patientId: string, lines: readonly object[], extra: Record<string, unknown> = {}): Invoice {
  const d = k.c.ok('billing.createInvoice', { patientId, lines, doctorId: k.drRao, ...extra }, k.cashier);
  return k.c.ok('billing.issueInvoice', { invoiceId: d.id }, k.cashier);
}

/** Starts a PDF/print method and waits for its job; returns the job's result. */
async function job(c: TestClinic, method: string, input: object, token: string): Promise<Record<string, unknown>> {
  const started = c.ok(method as 'billing.invoicePdf', input, token) as { id: string };
  const finished = await c.app.jobs.wait(started.id);
  if (finished.status !== 'done' || !finished.result) throw new Error(`${method} job failed: ${finished.message}`);
  return finished.result;
}

async function pdfOf(c: TestClinic, method: string, input: object, token: string): Promise<{ pdf: Buffer; fileName: string; result: Record<string, unknown> }> {
  const started = c.ok(method as 'billing.invoicePdf', input, token) as { id: string };
  const finished = await c.app.jobs.wait(started.id);
  if (finished.status !== 'done' || !finished.result) throw new Error(`${method} job failed: ${finished.message}`);
  const result = finished.result;
  expect(result).not.toHaveProperty('pdfBase64');
  const pdf = Buffer.from(c.ok('jobs.document', { jobId: started.id }, token).pdfBase64, 'base64');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  return { pdf, fileName: String(result.fileName), result };
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function writePdf(pdf: Buffer): string {
  const file = path.join(tempDir('bill-pdf-'), 'doc.pdf');
  fs.writeFileSync(file, pdf);
  return file;
}

/** pdftotext -layout with runs of spaces squeezed. */
function text(pdf: Buffer, pages?: { first: number; last: number }): string {
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  return run('pdftotext', ['-layout', ...range, writePdf(pdf), '-']).replace(/[ \t]+/g, ' ');
}

function info(pdf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', ['-isodates', writePdf(pdf)]).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out[m[1].trim()] = m[2].trim();
  }
  return out;
}

/** Every word's box (pdftotext -bbox): nothing may leave the page or reach into the side margins. */
function checkInsidePage(pdf: Buffer, marginPt: number): void {
  const html = run('pdftotext', ['-bbox', writePdf(pdf), '-']);
  let page = { width: 0, height: 0 };
  let count = 0;
  const re = /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of html.matchAll(re)) {
    if (m[1] && m[2]) {
      page = { width: Number(m[1]), height: Number(m[2]) };
      continue;
    }
    count += 1;
    expect(Number(m[3]), m[7]).toBeGreaterThanOrEqual(marginPt - 1);
    expect(Number(m[5]), m[7]).toBeLessThanOrEqual(page.width - marginPt + 1);
    expect(Number(m[4]), m[7]).toBeGreaterThanOrEqual(0);
    expect(Number(m[6]), m[7]).toBeLessThanOrEqual(page.height);
  }
  expect(count).toBeGreaterThan(30);
}

/** Page 1 (or another) at 60 dpi into test-results/pdf/<name>.png, with the PDF beside it. */
function png(pdf: Buffer, name: string, page = 1): string {
  fs.mkdirSync(PNG_DIR, { recursive: true });
  const prefix = path.join(PNG_DIR, name);
  fs.writeFileSync(`${prefix}.pdf`, pdf);
  run('pdftoppm', ['-png', '-r', '60', '-f', String(page), '-l', String(page), '-singlefile', `${prefix}.pdf`, prefix]);
  const file = `${prefix}.png`;
  expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  return file;
}

function copyAudits(k: Counter, entityId: string) {
  return k.c.app.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'invoices'), eq(auditLog.entityId, entityId)))
    .all()
    .filter((r) => r.action === 'billing.invoicePdf' || r.action === 'billing.printInvoice');
}

/* ---------------------------------------------------------------------------------------- */

describe('invoice PDF', () => {
  it('a bill of supply for exempt services only: no GST anywhere, the doctor’s registration, the number and the amount in words', async () => {
    const k = openCounter();
    // ₹950 less ₹50 for a senior citizen, spread 26.32 / 15.79 / 7.89 over the lines.
    const inv = issued(k, k.anil, [CONSULT, CBC, DRESSING], { discount: { kind: 'amount', value: 5000, reason: 'Senior citizen' } });
    expect(inv.documentType).toBe('Bill of Supply');
    expect(inv.lines.map((l) => l.invoiceDiscountPaise)).toEqual([2632, 1579, 789]);
    expect(inv.totals.totalPaise).toBe(90_000);
    const { pdf, fileName, result } = await pdfOf(k.c, 'billing.invoicePdf', { invoiceId: inv.id }, k.cashier);
    expect(fileName).toBe('invoice-2627-A-000001.pdf');
    expect(result.duplicate).toBe(false);
    const t = text(pdf);
    expect(t).toContain('Bill of Supply');
    expect(t).not.toContain('Tax Invoice');
    expect(t).not.toMatch(/CGST|SGST|Taxable value|Reverse charge/);
    expect(t).toContain('Sharma Clinic');
    expect(t).toContain(`GSTIN: ${GSTIN}`);
    expect(t).toContain('Dr Meera Rao');
    expect(t).toContain(`Reg. No. ${REG}`);
    expect(t).toContain('Maharashtra Medical Council');
    expect(t).toContain('Invoice No.: 2627/A/000001');
    expect(t).toContain('Date: 21-11-2026');
    expect(t).toMatch(/Billed to: Anil Joshi \(56 y \/ Male\)/);
    expect(t).toContain('MRN: A-000001 · Mobile: 9822000010');
    expect(t).toMatch(/1 Consultation 999312 1 500\.00 26\.32 473\.68/);
    expect(t).toMatch(/2 Complete blood count \(CBC\) 999316 1 300\.00 15\.79 284\.21/);
    expect(t).toMatch(/Total 50\.00 900\.00/);
    expect(t).toMatch(/Gross amount 950\.00/);
    expect(t).toMatch(/Less: discount -50\.00/);
    expect(t).toContain('Discount: Senior citizen');
    expect(t).toMatch(/Round off 0\.00/);
    expect(t).toMatch(/Total ₹900\.00/);
    expect(t).toContain('Amount in words: Rupees Nine Hundred Only');
    expect(t).toContain('Exempt: Notification 12/2017-Central Tax (Rate), entry 74');
    expect(t).toMatch(/Balance due: ₹900\.00/);
    expect(t).not.toContain('DUPLICATE');
    const i = info(pdf);
    expect(i['Title']).toBe('Bill of Supply 2627/A/000001');
    expect(i['CreationDate']).toMatch(/^2026-11-21T00:00:00/);
    expect(i['Page size']).toMatch(/^595\.2\d* x 841\.8\d* pts/);
    checkInsidePage(pdf, 30);
    png(pdf, 'billing-bill-of-supply');

    // Printing it again says DUPLICATE, with the day and the copy; both copies are audited.
    const again = await pdfOf(k.c, 'billing.invoicePdf', { invoiceId: inv.id, paper: 'A5' }, k.cashier);
    expect(again.result.duplicate).toBe(true);
    expect(text(again.pdf)).toContain('DUPLICATE — reprinted on 21-11-2026 (copy 2)');
    expect(info(again.pdf)['Page size']).toMatch(/^419\.5\d* x 595\.2\d* pts/);
    checkInsidePage(again.pdf, 20);
    expect(copyAudits(k, inv.id).map((r) => [r.action, r.outcome, r.detail])).toEqual([
      ['billing.invoicePdf', 'ok', 'PDF of Bill of Supply 2627/A/000001 (A4)'],
      ['billing.invoicePdf', 'ok', 'PDF of Bill of Supply 2627/A/000001 (A5) (DUPLICATE, copy 2)'],
    ]);
  });

  it('a tax invoice with medicines at 5%: CGST/SGST per line and in total, the round-off, a lakh in words', async () => {
    const k = openCounter();
    const inv = issued(k, k.bhavna, [CONSULT, PCM, AMOX, GLARGINE]);
    // Consultation ₹500 exempt; paracetamol 3238 + 81 + 81; amoxicillin 9000 + 225 + 225;
    // insulin 40 × ₹3,050.75 = ₹1,22,030.00 MRP incl. 5%: taxable 12203000 × 100/105 = 11621904.76
    // -> 11621905, tax 581095 = CGST 290548 + SGST 290547. Exact ₹1,22,658.50 -> ₹1,22,659, +0.50.
    // An exempt consultation beside taxed medicines, to an unregistered patient: rule 46A.
    expect(inv.documentType).toBe('Invoice-cum-Bill of Supply');
    expect(inv.lines.map((l) => [l.taxablePaise, l.cgstPaise, l.sgstPaise])).toEqual([
      [50_000, 0, 0],
      [3238, 81, 81],
      [9000, 225, 225],
      [11_621_905, 290_548, 290_547],
    ]);
    expect(inv.totals).toMatchObject({ taxablePaise: 11_684_143, cgstPaise: 290_854, sgstPaise: 290_853, exactPaise: 12_265_850, roundOffPaise: 50, totalPaise: 12_265_900 });
    k.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'card', amountPaise: 12_265_900, reference: '987654321098' }] }, k.cashier);

    const { pdf } = await pdfOf(k.c, 'billing.invoicePdf', { invoiceId: inv.id }, k.cashier);
    const t = text(pdf);
    expect(t).toContain('Invoice-cum-Bill of Supply');
    expect(t).not.toContain('Tax Invoice');
    expect(t).toContain('Invoice No.: 2627/A/000001');
    expect(t).toContain('Reverse charge: No');
    expect(t).toContain(`Reg. No. ${REG}`);
    // Lines: rate (MRP marked *), taxable value, GST rate, CGST, SGST, amount.
    expect(t).toMatch(/PARACETAMOL 500 mg tablet 30049099 10 3\.40\* 0\.00 32\.38 5% 0\.81 0\.81 34\.00/);
    expect(t).toMatch(/AMOXICILLIN 250 mg\/5 ml suspension 30049099 2 47\.25\* 0\.00 90\.00 5% 2\.25 2\.25 94\.50/);
    expect(t).toMatch(/30043110 40 3,050\.75\* 0\.00 1,16,219\.05 5% 2,905\.48 2,905\.47 1,22,030\.00/);
    // Exempt, not "0%", with the notification entry it relies on.
    expect(t).toMatch(/Consultation 999312 1 500\.00 0\.00 500\.00 Exempt 0\.00 0\.00 500\.00/);
    expect(t).toContain('Exempt: Notification 12/2017-Central Tax (Rate), entry 74');
    // Totals: the table's total row and the totals block.
    expect(t).toMatch(/Total 0\.00 1,16,841\.43 2,908\.54 2,908\.53 1,22,658\.50/);
    expect(t).toMatch(/Gross amount 1,22,658\.50/);
    expect(t).toMatch(/Taxable value 1,16,841\.43/);
    expect(t).toMatch(/CGST 2,908\.54/);
    expect(t).toMatch(/SGST 2,908\.53/);
    expect(t).toMatch(/Round off \+0\.50/);
    expect(t).toMatch(/Total ₹1,22,659\.00/);
    expect(t).toContain('Amount in words: Rupees One Lakh Twenty-Two Thousand Six Hundred Fifty-Nine Only');
    expect(t).toContain('* MRP, GST included');
    // The card payment, its RRN masked but for the last four digits; paid in full.
    expect(t).toMatch(/21-11-2026 R\/2627\/A\/000001 Card XXXXXXXX1098 1,22,659\.00/);
    expect(t).not.toContain('987654321098');
    expect(t).toContain('Paid in full');
    checkInsidePage(pdf, 30);
    png(pdf, 'billing-tax-invoice');

    // The same invoice on A5: the eleven columns still fit inside the page.
    const a5 = await pdfOf(k.c, 'billing.invoicePdf', { invoiceId: inv.id, paper: 'A5' }, k.cashier);
    expect(text(a5.pdf)).toMatch(/Total ₹1,22,659\.00/);
    checkInsidePage(a5.pdf, 20);
    png(a5.pdf, 'billing-tax-invoice-a5');
  });

  it('a long invoice flows to a second page with the letterhead, patient and table header repeated', async () => {
    const k = openCounter();
    const lines = Array.from({ length: 45 }, (_, i) => ({ ...PCM, description: `PARACETAMOL 500 mg tablet, batch B${String(i + 1).padStart(3, '0')}` }));
    const inv = issued(k, k.chetan, [CONSULT, ...lines]);
    const { pdf } = await pdfOf(k.c, 'billing.invoicePdf', { invoiceId: inv.id }, k.cashier);
    const pages = Number(info(pdf)['Pages']);
    expect(pages).toBe(2);
    const p1 = text(pdf, { first: 1, last: 1 });
    const p2 = text(pdf, { first: 2, last: 2 });
    for (const p of [p1, p2]) {
      expect(p).toContain('Sharma Clinic');
      expect(p).toContain(`Reg. No. ${REG}`);
      expect(p).toContain('Invoice-cum-Bill of Supply');
      expect(p).toContain('Invoice No.: 2627/A/000001');
      expect(p).toContain('Chetan Desai');
      expect(p).toMatch(/# Description SAC\/ HSN Qty Rate Disc\./);
    }
    expect(p1).toContain('Page 1 of 2');
    expect(p1).toContain('Continued on page 2');
    expect(p2).toContain('(continued)');
    expect(p2).toContain('Page 2 of 2');
    expect(p2).toContain('batch B045');
    // The totals and the signature are on the last page only.
    expect(p1).not.toContain('Amount in words');
    expect(p2).toContain('Amount in words');
    expect(p2).toContain('Authorised signatory');
    png(pdf, 'billing-invoice-long-p2', 2);
  });

  it('a void invoice is stamped VOID with its reason; a draft is not printed; a doctor without registration is refused', async () => {
    const k = openCounter();
    const inv = issued(k, k.deepa, [CONSULT]);
    k.c.ok('billing.voidInvoice', { invoiceId: inv.id, reason: 'Raised twice' }, k.cashier);
    const { pdf } = await pdfOf(k.c, 'billing.invoicePdf', { invoiceId: inv.id }, k.cashier);
    const t = text(pdf);
    expect(t).toContain('VOID — this bill was cancelled on 21-11-2026. Reason: Raised twice');
    expect(t).toContain('Cancelled: nothing is payable');
    png(pdf, 'billing-invoice-void');

    const d = k.c.ok('billing.createInvoice', { patientId: k.deepa, lines: [CONSULT] }, k.cashier);
    const draft = failure(k.c.call('billing.invoicePdf', { invoiceId: d.id }, k.cashier));
    expect(draft.code).toBe('conflict');
    expect(draft.message).toMatch(/Issue the invoice before printing it/);

    const iyer = issued(k, k.deepa, [CONSULT], { doctorId: k.drIyer });
    const nmc = failure(k.c.call('billing.invoicePdf', { invoiceId: iyer.id }, k.cashier));
    expect(nmc.code).toBe('conflict');
    expect(nmc.message).toMatch(/Dr Arjun Iyer's registration number is not recorded.*NMC/);
    // Refusals are audited too, and do not count as copies.
    const rows = copyAudits(k, iyer.id);
    expect(rows.map((r) => r.outcome)).toEqual(['failed']);

    // A doctor does not print bills.
    expect(failure(k.c.call('billing.invoicePdf', { invoiceId: inv.id }, k.rao)).code).toBe('forbidden');
  });

  it('is deterministic: the same invoice gives the same bytes; another date does not', async () => {
    const doc: TaxInvoiceDoc = {
      kind: 'invoice',
      clinic: { name: 'Sharma Clinic', address: '12 MG Road, Pune 411001', phone: '020 2555 1234', gstin: GSTIN },
      doctor: { name: 'Dr Meera Rao', qualifications: 'MBBS, MD', registrationCouncil: 'Maharashtra Medical Council', registrationNumber: REG },
      patient: { name: 'Anil Joshi', mrn: 'A-000001', age: 56, sex: 'M', mobile: null },
      date: '2026-11-21',
      documentType: 'Bill of Supply',
      invoiceNumber: '2627/A/000009',
      lines: [{ description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000, discountPaise: 0, taxablePaise: 50_000, gstRateBp: 0, cgstPaise: 0, sgstPaise: 0, totalPaise: 50_000, taxInclusive: false }],
      totals: { grossPaise: 50_000, lineDiscountPaise: 0, invoiceDiscountPaise: 0, taxablePaise: 50_000, cgstPaise: 0, sgstPaise: 0, exactPaise: 50_000, roundOffPaise: 0, totalPaise: 50_000 },
      payments: [],
      refunds: [],
    };
    const a = await renderInvoicePdf(doc, { paper: 'A4' });
    const b = await renderInvoicePdf(doc, { paper: 'A4' });
    expect(a.equals(b)).toBe(true);
    expect(a.equals(await renderInvoicePdf({ ...doc, date: '2026-11-22' }, { paper: 'A4' }))).toBe(false);
  });
});

describe('payment receipt PDF', () => {
  it('a split payment: one receipt with both modes, references masked, amount in words, balance after, the registration number', async () => {
    const k = openCounter();
    const inv = issued(k, k.anil, [CONSULT, PCM, AMOX]); // ₹629.00
    const first = k.c.ok(
      'billing.recordPayment',
      { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 30_000 }, { mode: 'upi', amountPaise: 20_000, reference: '4123 5678 9012' }] },
      k.cashier,
    );
    expect(first.receiptNumber).toBe('R/2627/A/000001');
    const { pdf, fileName } = await pdfOf(k.c, 'billing.receiptPdf', { receiptNumber: first.receiptNumber }, k.cashier);
    expect(fileName).toBe('receipt-R-2627-A-000001.pdf');
    const t = text(pdf);
    expect(t).toContain('Payment Receipt');
    expect(t).toContain('Receipt No.: R/2627/A/000001');
    expect(t).toContain('Invoice No.: 2627/A/000001');
    expect(t).toMatch(/Received with thanks from Anil Joshi the sum of ₹500\.00 against Invoice-cum-Bill of Supply/);
    expect(t).toMatch(/Cash — 300\.00/);
    expect(t).toMatch(/UPI XXXXXXXX9012 200\.00/);
    expect(t).not.toContain('412356789012');
    expect(t).toMatch(/Total received 500\.00/);
    expect(t).toContain('Amount received: ₹500.00');
    expect(t).toContain('Amount in words: Rupees Five Hundred Only');
    expect(t).toContain('Mode: Cash + UPI');
    expect(t).toContain('Balance after this receipt: ₹129.00');
    expect(t).toContain(`Reg. No. ${REG}`);
    expect(t).toContain('Received by: Kavya Menon');
    expect(info(pdf)['Page size']).toMatch(/^419\.5\d* x 595\.2\d* pts/);
    checkInsidePage(pdf, 20);
    png(pdf, 'billing-receipt-split');

    // The rest by card: that receipt says paid in full; the first, reprinted by one of its
    // payments, still shows the balance as it was then, and says DUPLICATE.
    const second = k.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'card', amountPaise: 12_900, reference: '987654321098' }] }, k.cashier);
    const r2 = text((await pdfOf(k.c, 'billing.receiptPdf', { receiptNumber: second.receiptNumber }, k.cashier)).pdf);
    expect(r2).toContain('Rupees One Hundred Twenty-Nine Only');
    expect(r2).toContain('Paid in full');
    expect(r2).not.toContain('DUPLICATE');
    const again = await pdfOf(k.c, 'billing.receiptPdf', { paymentId: first.parts[1]!.id }, k.cashier);
    const t3 = text(again.pdf);
    expect(t3).toContain('Receipt No.: R/2627/A/000001');
    expect(t3).toContain('Balance after this receipt: ₹129.00');
    expect(t3).toContain('DUPLICATE — reprinted on 21-11-2026 (copy 2)');

    // An advance has a receipt too, without an invoice.
    const adv = k.c.ok('billing.recordPayment', { patientId: k.chetan, parts: [{ mode: 'cash', amountPaise: 100_000 }] }, k.cashier);
    const ta = text((await pdfOf(k.c, 'billing.receiptPdf', { receiptNumber: adv.receiptNumber }, k.cashier)).pdf);
    expect(ta).toContain('Towards: Advance');
    expect(ta).toContain('as an advance');
    expect(ta).toContain('Rupees One Thousand Only');
    expect(ta).toContain('Advance held after this receipt: ₹1,000.00');

    expect(failure(k.c.call('billing.receiptPdf', { receiptNumber: 'R/2627/A/999999' }, k.cashier)).code).toBe('not_found');
    expect(failure(k.c.call('billing.receiptPdf', {}, k.cashier)).fields).toEqual({ receiptNumber: 'Give the receipt number or the payment' });
  });
});

describe('day-end PDF', () => {
  it('after several payments and a refund: by mode, doctor and service, invoices, dues and the cash count, as a preview and closed', async () => {
    const k = openCounter();
    // A: ₹629.00 in cash, ₹29 refunded in cash. B: ₹950.00 by UPI. C: ₹300 left unpaid.
    // An advance of ₹100 in cash, and a void invoice.
    const a = issued(k, k.anil, [CONSULT, PCM, AMOX]);
    k.c.ok('billing.recordPayment', { invoiceId: a.id, parts: [{ mode: 'cash', amountPaise: 62_900 }] }, k.cashier);
    k.c.ok('billing.refund', { invoiceId: a.id, lines: [{ line: 1, amountPaise: 2900 }], mode: 'cash', reason: 'Strip returned' }, k.cashier);
    const b = issued(k, k.bhavna, [CONSULT, CBC, DRESSING]);
    k.c.ok('billing.recordPayment', { invoiceId: b.id, parts: [{ mode: 'upi', amountPaise: 95_000, reference: '111122223333' }] }, k.cashier);
    issued(k, k.deepa, [CBC]);
    k.c.ok('billing.recordPayment', { patientId: k.chetan, parts: [{ mode: 'cash', amountPaise: 10_000 }] }, k.cashier);
    const v = issued(k, k.chetan, [CONSULT]);
    k.c.ok('billing.voidInvoice', { invoiceId: v.id, reason: 'Duplicate' }, k.cashier);

    // Expected cash: ₹2,000 opening + ₹729 in - ₹29 out = ₹2,700; counted ₹2,650: ₹50 short.
    const denominations = { '500': 4, '200': 2, '100': 2, '50': 1 };
    const preview = await pdfOf(k.c, 'billing.dayEndPdf', { date: TODAY, openingCashPaise: 200_000, denominations }, k.cashier);
    expect(preview.fileName).toBe('day-end-2026-11-21-A-preview.pdf');
    const t = text(preview.pdf);
    expect(t).toContain('Day-End Report');
    expect(t).toContain('Date: Saturday 21-11-2026');
    expect(t).toContain('Workstation: series A');
    expect(t).toContain('PREVIEW — the day is not closed');
    expect(t).toMatch(/Cash 729\.00 29\.00 700\.00/);
    expect(t).toMatch(/UPI 950\.00 0\.00 950\.00/);
    expect(t).toMatch(/Total 1,679\.00 29\.00 1,650\.00/);
    expect(t).toMatch(/Dr Meera Rao 1,579\.00 29\.00 1,550\.00/);
    expect(t).toMatch(/Consultations \d/);
    expect(t).toMatch(/Laboratory tests 300\.00 0\.00 300\.00/);
    expect(t).toMatch(/Medicines \d/);
    expect(t).toContain('refunds ₹29.00');
    expect(t).toContain('Issued: 4, billed ₹1,879.00');
    expect(t).toContain('2627/A/000001, 2627/A/000002, 2627/A/000003, 2627/A/000004');
    expect(t).toMatch(/Voided today: 1 \(2627\/A\/000004\)/);
    // A's refunded strip is off the bill, not owed: only C's ₹300.
    expect(t).toMatch(/Dues outstanding: 1 invoice, ₹300\.00/);
    expect(t).toMatch(/₹500 4 2,000\.00/);
    expect(t).toMatch(/₹200 2 400\.00/);
    expect(t).toMatch(/Counted cash 2,650\.00/);
    expect(t).toMatch(/Opening cash ₹2,000\.00/);
    expect(t).toMatch(/Expected cash ₹2,700\.00/);
    expect(t).toContain('Difference: -₹50.00 — SHORT by ₹50.00');
    expect(t).toContain('Cashier (closed by)');
    expect(t).toContain('Checked by');
    checkInsidePage(preview.pdf, 30);
    png(preview.pdf, 'billing-day-end-preview');

    // Closed with the cash right: the report is what was closed, by whom and when.
    k.c.clock.now += 8 * 60 * 60_000; // 18:00 IST
    k.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 200_000, denominations: { '500': 5, '100': 2 }, close: true }, k.cashier);
    const closed = await pdfOf(k.c, 'billing.dayEndPdf', { date: TODAY, openingCashPaise: 0 }, k.cashier);
    expect(closed.fileName).toBe('day-end-2026-11-21-A.pdf');
    const c = text(closed.pdf);
    expect(c).not.toContain('PREVIEW');
    expect(c).toContain('Closed by: Kavya Menon');
    expect(c).toContain('Closed at: 21-11-2026 18:00');
    expect(c).toMatch(/Counted cash 2,700\.00/);
    expect(c).toContain('Difference: ₹0.00 — cash tallies');
    expect(c).toContain('Name and date');
    png(closed.pdf, 'billing-day-end-closed');

    // Audited, and only for those who close the day.
    const audits = k.c.app.database.db.select().from(auditLog).where(eq(auditLog.action, 'billing.dayEndPdf')).all();
    expect(audits.map((r) => [r.outcome, r.entityType, r.detail])).toEqual([
      ['ok', 'workstation', 'day-end PDF 2026-11-21 (PREVIEW)'],
      ['ok', 'day_ends', 'day-end PDF 2026-11-21 (closed)'],
    ]);
    expect(failure(k.c.call('billing.dayEndPdf', { date: TODAY }, k.reception)).code).toBe('forbidden');
  });
});

describe('printing through CUPS', () => {
  it('prints an invoice on the "PDF" printer and the file lands in ~/PDF; the next copy is a DUPLICATE', async () => {
    const k = openCounter();
    const inv = issued(k, k.anil, [CONSULT, PCM, AMOX]);
    const result = await job(k.c, 'billing.printInvoice', { invoiceId: inv.id, printer: 'PDF' }, k.cashier);
    expect(result).toMatchObject({ invoiceNumber: '2627/A/000001', printer: 'PDF', duplicate: false });
    const jobId = String(result.printJob);
    expect(jobId).toMatch(/^PDF-\d+$/);
    const n = jobId.split('-').pop();
    const dir = path.join(os.homedir(), 'PDF');
    let file: string | undefined;
    for (let i = 0; i < 120 && !file; i += 1) {
      const found = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith(`-job_${n}.pdf`)) : undefined;
      if (found && fs.statSync(path.join(dir, found)).size > 1000) file = path.join(dir, found);
      else await new Promise((r) => setTimeout(r, 250));
    }
    expect(file, `cups-pdf output for ${jobId} in ${dir}`).toBeDefined();
    const printed = run('pdftotext', ['-layout', file!, '-']).replace(/[ \t]+/g, ' ');
    expect(printed).toContain('Invoice-cum-Bill of Supply');
    expect(printed).toContain('2627/A/000001');
    expect(printed).toContain(REG);

    // The print was the original; a PDF saved now is the second copy.
    const copy = await pdfOf(k.c, 'billing.invoicePdf', { invoiceId: inv.id }, k.cashier);
    expect(text(copy.pdf)).toContain('DUPLICATE — reprinted on 21-11-2026 (copy 2)');
    expect(copyAudits(k, inv.id).map((r) => [r.action, r.detail])).toEqual([
      ['billing.printInvoice', 'print Invoice-cum-Bill of Supply 2627/A/000001 (A4) on PDF'],
      ['billing.invoicePdf', 'PDF of Invoice-cum-Bill of Supply 2627/A/000001 (A4) (DUPLICATE, copy 2)'],
    ]);

    // The receipt prints the same way (A5).
    const paid = k.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 62_900 }] }, k.cashier);
    const receipt = await job(k.c, 'billing.printReceipt', { receiptNumber: paid.receiptNumber, printer: 'PDF' }, k.cashier);
    expect(receipt).toMatchObject({ receiptNumber: 'R/2627/A/000001', printer: 'PDF', duplicate: false });
    expect(String(receipt.printJob)).toMatch(/^PDF-\d+$/);

    // A printer that does not exist: the job fails and the copy is not counted.
    const started = k.c.ok('billing.printInvoice', { invoiceId: inv.id, printer: 'No-Such-Printer' }, k.cashier);
    const failed = await k.c.app.jobs.wait(started.id);
    expect(failed.status).toBe('failed');
    const next = await pdfOf(k.c, 'billing.invoicePdf', { invoiceId: inv.id }, k.cashier);
    expect(text(next.pdf)).toContain('(copy 3)');
  }, 60_000);
});
