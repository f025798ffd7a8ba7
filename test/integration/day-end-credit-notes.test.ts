import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestClinic } from '../helpers/app';
import { formatRupees } from '../../shared/money';
import { tempDir } from '../helpers/temp';
import { openDoctorDesk, TODAY } from './doctor-fixtures';

/**
 * Credit notes on the day-end (issue #15): the day-end lists the credit notes and refund vouchers
 * issued that day on the workstation (number, invoice, taxable value and tax reversed, total) and
 * their totals, and the day-end PDF (preview and closed) shows exactly the screen's figures. Real
 * pdfkit output read back with poppler's pdftotext.
 */

const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
const XRAY = { kind: 'lab', description: 'X-ray chest PA', sacHsn: '999316', quantity: 1, ratePaise: 30_000 } as const;
const BRACE = { kind: 'procedure', description: 'Knee brace', sacHsn: '90211000', quantity: 2, ratePaise: 30_000, gstRateBp: 1800 } as const;

async function dayEndPdfText(c: TestClinic, input: { date: string; openingCashPaise?: number }, token: string): Promise<string> {
  const started = c.ok('billing.dayEndPdf', input, token);
  const finished = await c.app.jobs.wait(started.id);
  if (finished.status !== 'done') throw new Error(`day-end PDF failed: ${finished.message}`);
  const pdf = Buffer.from(c.ok('jobs.document', { jobId: started.id }, token).pdfBase64, 'base64');
  const file = path.join(tempDir('day-end-notes-'), 'day-end.pdf');
  fs.writeFileSync(file, pdf);
  const out = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr}`);
  return out.stdout.replace(/[ \t]+/g, ' ');
}

const figure = (paise: number) => formatRupees(paise).replace('₹', '');

/** The screen's notes, each as the PDF row that must show it. */
function rowsOf(list: { notes: { number: string; invoiceNumber: string; taxablePaise: number; cgstPaise: number; sgstPaise: number; totalPaise: number }[] }, taxed: boolean): string[] {
  return list.notes.map((n) => [n.number, n.invoiceNumber, ...(taxed ? [n.taxablePaise, n.cgstPaise, n.sgstPaise] : []).map(figure), figure(n.totalPaise)].join(' '));
}

describe('credit notes and refund vouchers on the day-end', () => {
  it('are listed on the screen with the tax reversed and totals, and the preview and closed PDFs show the same rows', async () => {
    const d = openDoctorDesk();
    d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
    const cashier = d.c.login('kavya', 'kavya-password');
    const bill = (lines: readonly object[]) => d.c.ok('billing.issueInvoice', { invoiceId: d.c.ok('billing.createInvoice', { patientId: d.anil, doctorId: d.drRao, lines }, cashier).id }, cashier);
    // Paid ₹1,208; one brace returned (₹354, tax ₹27 + ₹27 reversed), then the other (₹354).
    const a = bill([CONSULT, BRACE]);
    d.c.ok('billing.recordPayment', { invoiceId: a.id, parts: [{ mode: 'cash', amountPaise: 120_800 }] }, cashier);
    d.c.ok('billing.refund', { invoiceId: a.id, lines: [{ line: 1, quantity: 1 }], mode: 'cash', reason: 'Brace returned' }, cashier);
    d.c.ok('billing.refund', { invoiceId: a.id, lines: [{ line: 1, quantity: 1 }], mode: 'cash', reason: 'Other brace returned' }, cashier);
    // Not paid: the X-ray is taken off (₹300, exempt): a refund voucher, no money back.
    const b = bill([CONSULT, XRAY]);
    d.c.ok('billing.refund', { invoiceId: b.id, lines: [{ line: 1, quantity: 1 }], reason: 'X-ray not taken' }, cashier);

    const screen = d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, cashier);
    expect(screen.creditNotes).toEqual({
      count: 2,
      numbers: ['2627/A/C00001', '2627/A/C00002'],
      notes: [
        { number: '2627/A/C00001', invoiceNumber: a.invoiceNumber, taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700, totalPaise: 35_400 },
        { number: '2627/A/C00002', invoiceNumber: a.invoiceNumber, taxablePaise: 30_000, cgstPaise: 2700, sgstPaise: 2700, totalPaise: 35_400 },
      ],
      taxablePaise: 60_000,
      cgstPaise: 5400,
      sgstPaise: 5400,
      totalPaise: 70_800,
    });
    expect(screen.refundVouchers).toMatchObject({ count: 1, notes: [{ number: '2627/A/V00001', invoiceNumber: b.invoiceNumber, totalPaise: 30_000 }], totalPaise: 30_000 });
    // ₹708 went back in cash; the voucher gave none.
    expect(screen.refundedPaise).toBe(70_800);

    const check = (t: string) => {
      expect(t).toContain('Credit notes issued (tax reversed)');
      for (const row of rowsOf(screen.creditNotes, true)) expect(t).toContain(row);
      expect(t).toContain(`Total (2) ${[60_000, 5400, 5400, 70_800].map(figure).join(' ')}`);
      expect(t).toContain('Refund vouchers issued');
      for (const row of rowsOf(screen.refundVouchers, false)) expect(t).toContain(row);
      expect(t).toContain(`Total (1) ${figure(30_000)}`);
    };
    check(await dayEndPdfText(d.c, { date: TODAY }, cashier));

    d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: { '500': 1 }, close: true }, cashier);
    const closed = d.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {}, close: false }, cashier);
    expect(closed).toMatchObject({ closed: true, creditNotes: screen.creditNotes, refundVouchers: screen.refundVouchers });
    const t = await dayEndPdfText(d.c, { date: TODAY }, cashier);
    expect(t).not.toContain('PREVIEW');
    check(t);
  });
});
