import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TestClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';
import { auditRows, DAY, failure, openDoctorDesk, TODAY, type DoctorDesk } from './doctor-fixtures';

/**
 * The honest day-end (issue #15, item 4): the day-end PDF shows the figures the screen shows,
 * closing a day whose cash does not tally needs a reason, and that reason is on the closed report,
 * its PDF and the audit log. Real SQLite, real pdfkit PDFs read back with poppler's pdftotext.
 *
 * The day: one ₹300 consultation paid in cash. Opening cash ₹2,000, so ₹2,300 is expected; the
 * cashier counts ₹2,400 (4 × ₹500 + 4 × ₹100): an EXCESS of ₹100.
 */

const OPENING = 200_000;
const COUNT = { '500': 4, '100': 4 };

interface Counter extends DoctorDesk {
  cashier: string;
}

function openCounter(): Counter {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'kavya', fullName: 'Kavya Menon', password: 'kavya-password', roles: ['cashier'] }, d.admin);
  const cashier = d.c.login('kavya', 'kavya-password');
  const draft = d.c.ok(
    'billing.createInvoice',
    { patientId: d.anil, doctorId: d.drRao, lines: [{ kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 30_000 }] },
    cashier,
  );
  d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
  d.c.ok('billing.recordPayment', { invoiceId: draft.id, parts: [{ mode: 'cash', amountPaise: 30_000 }] }, cashier);
  return { ...d, cashier };
}

/** The day-end PDF job's document, as pdftotext -layout reads it (runs of spaces squeezed). */
async function dayEndPdfText(c: TestClinic, input: { date: string; openingCashPaise?: number; denominations?: Record<string, number> }, token: string): Promise<string> {
  const started = c.ok('billing.dayEndPdf', input, token);
  const finished = await c.app.jobs.wait(started.id);
  if (finished.status !== 'done') throw new Error(`day-end PDF failed: ${finished.message}`);
  const pdf = Buffer.from(c.ok('jobs.document', { jobId: started.id }, token).pdfBase64, 'base64');
  const file = path.join(tempDir('day-end-pdf-'), 'day-end.pdf');
  fs.writeFileSync(file, pdf);
  const out = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`pdftotext failed: ${out.stderr}`);
  return out.stdout.replace(/[ \t]+/g, ' ');
}

describe('closing the day', () => {
  it('previews the typed opening cash and count on the PDF as on the screen', async () => {
    const k = openCounter();
    const screen = k.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: OPENING, denominations: COUNT }, k.cashier);
    expect(screen.cash).toMatchObject({ openingPaise: OPENING, expectedPaise: 230_000, countedPaise: 240_000, differencePaise: 10_000 });
    const t = await dayEndPdfText(k.c, { date: TODAY, openingCashPaise: OPENING, denominations: COUNT }, k.cashier);
    expect(t).toContain('PREVIEW');
    expect(t).toMatch(/Opening cash ₹2,000\.00/);
    expect(t).toMatch(/Expected cash ₹2,300\.00/);
    expect(t).toMatch(/Counted cash 2,400\.00/);
    expect(t).toContain('EXCESS of ₹100.00');
    expect(t).not.toContain('SHORT');
  });

  it('refuses to close a day whose cash does not tally without a reason, naming the field; nothing is closed', () => {
    const k = openCounter();
    for (const differenceReason of [undefined, null, '', '   ']) {
      const refused = failure(k.c.call('billing.dayEnd', { date: TODAY, openingCashPaise: OPENING, denominations: COUNT, close: true, differenceReason }, k.cashier));
      expect(refused.code).toBe('invalid_input');
      expect(refused.fields).toEqual({ differenceReason: 'Reason for the difference is required (EXCESS of ₹100.00)' });
    }
    expect(k.c.ok('billing.dayEnd', { date: TODAY }, k.cashier)).toMatchObject({ closed: false });
    // The till still takes money: the day was not closed.
    expect(k.c.call('billing.recordPayment', { patientId: k.bhavna, parts: [{ mode: 'cash', amountPaise: 100 }] }, k.cashier).ok).toBe(true);
  });

  it('closes with the reason on the closed report, its PDF and the audit log; the screen and the PDF then show the closed figures', async () => {
    const k = openCounter();
    const reason = 'Change of ₹100 for bill 000001 was not given back';
    const closed = k.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: OPENING, denominations: COUNT, close: true, differenceReason: `  ${reason} ` }, k.cashier);
    expect(closed).toMatchObject({ closed: true, differenceReason: reason, cash: { openingPaise: OPENING, countedPaise: 240_000, differencePaise: 10_000 } });

    // Opening the screen again (its fields start empty) shows the day as it was closed.
    const screen = k.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: 0, denominations: {} }, k.cashier);
    expect(screen).toMatchObject({ closed: true, differenceReason: reason, cash: { openingPaise: OPENING, expectedPaise: 230_000, countedPaise: 240_000, differencePaise: 10_000 } });

    const t = await dayEndPdfText(k.c, { date: TODAY, openingCashPaise: 0 }, k.cashier);
    expect(t).not.toContain('PREVIEW');
    expect(t).toMatch(/Opening cash ₹2,000\.00/);
    expect(t).toMatch(/Counted cash 2,400\.00/);
    expect(t).toContain('EXCESS of ₹100.00');
    expect(t).toContain(`Reason for the difference: ${reason}`);

    const audit = auditRows(k, 'billing.dayEnd').filter((r) => r.entityType === 'day_ends' && r.outcome === 'ok');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toBe(`closed 21 Nov 2026: opening ₹2,000.00, expected ₹2,300.00, counted ₹2,400.00, EXCESS of ₹100.00; reason: ${reason}`);
    expect(audit[0]!.newValues).toMatchObject({ difference_reason: reason, difference_paise: 10_000 });
  });

  it('closes a day that tallies without asking for a reason', () => {
    const k = openCounter();
    const closed = k.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: OPENING, denominations: { '500': 4, '100': 3 }, close: true }, k.cashier);
    expect(closed).toMatchObject({ closed: true, differenceReason: null, cash: { differencePaise: 0 } });
  });

  it('refuses to issue or void a bill on the day closed here, naming the invoice; the draft is issued the next day and is on that day’s day-end', () => {
    const k = openCounter();
    const closed = k.c.ok('billing.dayEnd', { date: TODAY, openingCashPaise: OPENING, denominations: { '500': 4, '100': 3 }, close: true }, k.cashier);
    expect(closed.invoicesIssued).toMatchObject({ count: 1, numbers: ['2627/A/000001'] });
    const firstId = k.c.app.database.sqlite.prepare("SELECT id FROM invoices WHERE invoice_number = '2627/A/000001'").pluck().get() as string;

    const consult = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 30_000 } as const;
    const draft = k.c.ok('billing.createInvoice', { patientId: k.bhavna, doctorId: k.drRao, lines: [consult] }, k.cashier);
    const issue = failure(k.c.call('billing.issueInvoice', { invoiceId: draft.id }, k.cashier));
    expect(issue.code).toBe('conflict');
    expect(issue.message).toBe('The day 21 Nov 2026 has been closed on this workstation; no more bills can be issued here today.');
    expect(issue.fields).toEqual({ invoiceId: 'The day is closed on this workstation' });
    const voided = failure(k.c.call('billing.voidInvoice', { invoiceId: firstId, reason: 'Raised twice' }, k.cashier));
    expect(voided.code).toBe('conflict');
    expect(voided.message).toBe('The day 21 Nov 2026 has been closed on this workstation; no more bills can be voided here today.');
    expect(voided.fields).toEqual({ invoiceId: 'The day is closed on this workstation' });
    // Nothing was numbered or voided: the closed day still matches what is stored.
    expect(k.c.ok('billing.invoice', { invoiceId: draft.id }, k.cashier)).toMatchObject({ status: 'draft', invoiceNumber: null });
    expect(k.c.ok('billing.invoice', { invoiceId: firstId }, k.cashier)).toMatchObject({ status: 'issued' });
    // A draft has no number and is on no day-end: it can still be discarded.
    const spare = k.c.ok('billing.createInvoice', { patientId: k.chetan, lines: [consult] }, k.cashier);
    expect(k.c.ok('billing.voidInvoice', { invoiceId: spare.id, reason: 'Not needed' }, k.cashier)).toMatchObject({ status: 'void' });

    k.c.clock.now += DAY;
    expect(k.c.ok('billing.issueInvoice', { invoiceId: draft.id }, k.cashier)).toMatchObject({ invoiceNumber: '2627/A/000002', issuedOn: '2026-11-22' });
    expect(k.c.ok('billing.dayEnd', { date: '2026-11-22' }, k.cashier).invoicesIssued).toMatchObject({ count: 1, numbers: ['2627/A/000002'] });
  });
});
