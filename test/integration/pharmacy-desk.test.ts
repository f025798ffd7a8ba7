import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../shared/clinical';
import { handOffTarget } from '../../renderer/src/billing/hand-off-target';
import { tempDir } from '../helpers/temp';
import { auditRows, checkIn, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/*
 * What the Pharmacy screen reads and hands on, through the router on a real clinic database:
 * today's prescriptions waiting, one visit's choices (substitutes with batches), the sales to return
 * from, the billing counter's suggestion once the pharmacy has dispensed (what was given, never the
 * prescription as well), and the Schedule H1 register printed as a PDF. The day is 2026-11-21.
 */

const AZITHROMYCIN_500_STARTER = '00000000-0000-7000-9000-000000000044';
const LAB_CBC = '00000000-0000-7000-8000-000000000001'; // seeded: Complete blood count, ₹300

interface Desk {
  d: DoctorDesk;
  ph: string;
  cashier: string;
  pcm: string;
  azithral: string;
}

function drug(d: DoctorDesk, genericName: string, brand: string, strength: string, schedule: string | null): string {
  return d.c.ok('formulary.upsert', { genericName, brandNames: [brand], form: 'tablet', strength, route: 'oral', schedule, hsnCode: '3004', gstRateBp: 1200, mrpPaise: 9900 }, d.admin).id;
}

function item(drugId: string, genericName: string, frequency: string, durationDays: number): PrescriptionItem {
  return { drugId, genericName, brand: null, form: 'tablet', strength: '500 mg', route: 'oral', dose: '1', frequency, timing: 'after-food', durationDays, quantity: null, instructions: null, instructionsHi: null, acknowledged: [] };
}

function open(): Desk {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, d.admin);
  d.c.ok('staff.create', { username: 'kiran', fullName: 'Kiran Desai', password: 'kiran-password', roles: ['cashier'] }, d.admin);
  const ph = d.c.login('pooja', 'pooja-password');
  const cashier = d.c.login('kiran', 'kiran-password');
  const pcm = drug(d, 'Paracetamol', 'Calpol', '500 mg', null);
  const azithral = drug(d, 'Azithromycin', 'Azithral', '500 mg', 'H1');
  const supplier = d.c.ok('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', gstin: '27AAACP1234A1Z5', drugLicences: [] }, ph);
  d.c.ok(
    'pharmacy.purchase',
    {
      supplierId: supplier.id,
      supplierInvoice: 'PPD/1',
      invoiceDate: '2026-11-20',
      lines: [
        { drugId: pcm, batchNumber: 'P1', expiry: '2027-01-31', mrpPaise: 2500, ratePaise: 1500, packSize: 10, packs: 5, gstRateBp: 1200, hsnCode: '30049099' },
        { drugId: azithral, batchNumber: 'A1', expiry: '2027-06-30', mrpPaise: 11950, ratePaise: 9000, packSize: 3, packs: 3, gstRateBp: 1200, hsnCode: '30042019' },
      ],
    },
    ph,
  );
  return { d, ph, cashier, pcm, azithral };
}

function farida(d: DoctorDesk): string {
  const reg = d.c.ok(
    'patients.register',
    { patient: { givenName: 'Farida', familyName: 'Khan', gender: 'female', dob: '1979-05-05', mobile: '9822000099', addressLine1: '4 Camp Road', city: 'Pune', pincode: '411001' }, acknowledgeDuplicates: [] },
    d.reception,
  );
  if (reg.status !== 'registered') throw new Error('not registered');
  return reg.patient.id;
}

/** Dr Rao prescribes 30 paracetamol (1-1-1 × 10 days) and 3 azithromycin (the starter list's row, 1-0-0 × 3 days). */
function prescribed(p: Desk, patientId: string): string {
  const visitId = checkIn(p.d, patientId, p.d.drRao).visitId;
  p.d.c.ok('queue.callNext', {}, p.d.rao);
  p.d.c.ok('prescriptions.save', { visitId, items: [item(p.pcm, 'Paracetamol', '1-1-1', 10), item(AZITHROMYCIN_500_STARTER, 'Azithromycin', '1-0-0', 3)] }, p.d.rao);
  return visitId;
}

describe('the pharmacy desk', () => {
  it("lists today's prescriptions with something open, offers same-generic substitutes with their batches, and lists the sales", () => {
    const p = open();
    const { d, ph } = p;
    const visitId = prescribed(p, farida(d));
    const waiting = d.c.ok('pharmacy.waiting', {}, ph);
    expect(waiting.map((w) => [w.patientName, w.doctorName, w.items, w.open])).toEqual([['Farida Khan', 'Dr Meera Rao', 2, 2]]);
    expect(waiting[0]!.drugs).toBe('Paracetamol 500 mg tablet, Azithromycin 500 mg tablet');

    const v = d.c.ok('pharmacy.visit', { visitId }, ph);
    expect(v.address).toBe('4 Camp Road, Pune, 411001');
    // The starter row prescribed is not stocked; Azithral (same generic, strength, form) is, and is H1.
    expect(v.items[1]!.choices.map((c) => [c.prescribed, c.schedule, c.batches.map((b) => `${b.batchNumber}:${b.onHand}`)])).toEqual([
      [true, 'H', []],
      [false, 'H1', ['A1:9']],
    ]);

    d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: p.pcm, quantity: 30 }, { itemIndex: 1, drugId: p.azithral, quantity: 2 }] }, ph);
    expect(d.c.ok('pharmacy.waiting', {}, ph).map((w) => w.open)).toEqual([1]);
    d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 1, drugId: p.azithral, quantity: 1 }] }, ph);
    // Everything given: off the list.
    expect(d.c.ok('pharmacy.waiting', {}, ph)).toEqual([]);

    const sales = d.c.ok('pharmacy.sales', { visitId }, ph);
    expect(sales.map((s) => s.lines.map((l) => [l.qty, l.returned, l.substituted, l.h1]))).toEqual([
      [[30, 0, false, false], [2, 0, true, true]],
      [[1, 0, true, true]],
    ]);
    d.c.ok('pharmacy.saleReturn', { dispenseLineId: sales[0]!.lines[0]!.lineId, quantity: 10, reason: 'course changed' }, ph);
    expect(d.c.ok('pharmacy.sales', {}, ph)[0]!.lines[0]).toMatchObject({ qty: 30, returned: 10 });
    // A receptionist cannot read the pharmacy's desk.
    expect(failure(d.c.call('pharmacy.waiting', {}, d.reception)).code).toBe('forbidden');
  });

  it('once dispensed, the billing counter bills what was given (batch MRP, GST, HSN), not the prescription, and never both', () => {
    const p = open();
    const { d, ph, cashier } = p;
    const visitId = prescribed(p, farida(d));
    // Before the pharmacy gives anything the counter suggests the prescription (formulary MRP ₹99).
    const before = d.c.ok('billing.suggest', { visitId }, cashier).lines.filter((l) => l.kind === 'medicine');
    expect(before.map((l) => [l.quantity, l.ratePaise])).toEqual([[30, 9900], [3, 0]]);

    // 25 paracetamol (2 strips and 5 loose) and 3 Azithral (one pack); 5 paracetamol come back.
    const given = d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: p.pcm, quantity: 20 }, { itemIndex: 1, drugId: p.azithral, quantity: 3 }] }, ph);
    d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: p.pcm, quantity: 5 }] }, ph);
    d.c.ok('pharmacy.saleReturn', { dispenseLineId: given.lines[0]!.id, quantity: 10, reason: 'has some at home' }, ph);

    const s = d.c.ok('billing.suggest', { visitId }, cashier);
    const medicines = s.lines.filter((l) => l.kind === 'medicine');
    expect(medicines.map((l) => [l.description, l.sacHsn, l.quantity, l.ratePaise, l.gstRateBp, l.taxInclusive])).toEqual([
      ['Calpol 500 mg (P1, exp 2027-01-31)', '30049099', 1, 2500, 1200, true],
      ['Azithral 500 mg (A1, exp 2027-06-30)', '30042019', 1, 11950, 1200, true],
      ['Calpol 500 mg (P1, exp 2027-01-31)', '30049099', 5, 250, 1200, true],
    ]);
    expect(s.notes).toContain('Medicines as dispensed by the pharmacy (batch MRP, GST and HSN), not as prescribed.');
    // 30 prescribed, 25 given, 10 of them brought back: 15 still to give (units brought back count as not given).
    expect(s.notes).toContain('Paracetamol 500 mg tablet: 15 units not dispensed yet, not billed.');

    // Billed once: the invoice's medicines are the dispensed lines and nothing else.
    const inv = d.c.ok('billing.createInvoice', { patientId: s.patientId, visitId, doctorId: s.doctorId, lines: s.lines }, cashier);
    const issued = d.c.ok('billing.issueInvoice', { invoiceId: inv.id }, cashier);
    const billed = d.c.ok('billing.invoice', { invoiceId: issued.id }, cashier).lines.filter((l) => l.kind === 'medicine');
    expect(billed.map((l) => [l.quantity, l.ratePaise])).toEqual([[1, 2500], [1, 11950], [5, 250]]);
  });

  it('after a partial dispense is billed, the rest dispensed later is what the next bill offers, on a new bill (not the issued one), without the fee or tests again', () => {
    const p = open();
    const { d, ph, cashier } = p;
    const visitId = prescribed(p, farida(d));
    d.c.ok('labs.order', { visitId, testIds: [LAB_CBC] }, d.rao);
    // Day one: 15 of the 30 paracetamol (a strip and 5 loose), billed with the consultation and the CBC, and issued.
    d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: p.pcm, quantity: 10 }] }, ph);
    d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: p.pcm, quantity: 5 }] }, ph);
    const first = d.c.ok('billing.suggest', { visitId }, cashier);
    expect(first.lines.map((l) => [l.kind, l.quantity, l.ratePaise])).toEqual([['consultation', 1, 50_000], ['lab', 1, 30_000], ['medicine', 1, 2500], ['medicine', 5, 250]]);
    // While the first bill is a draft, Bill opens it.
    const inv = d.c.ok('billing.createInvoice', { patientId: first.patientId, visitId, doctorId: first.doctorId, lines: first.lines }, cashier);
    expect(handOffTarget(d.c.ok('billing.suggest', { visitId }, cashier))).toEqual({ kind: 'open', invoiceId: inv.id });
    d.c.ok('billing.issueInvoice', { invoiceId: inv.id }, cashier);
    // Everything given is billed: Bill shows the issued bill, nothing is offered again.
    const none = d.c.ok('billing.suggest', { visitId }, cashier);
    expect(none.lines).toEqual([]);
    expect(handOffTarget(none)).toEqual({ kind: 'open', invoiceId: inv.id });

    // Day two: the other 15 (a strip and 5 loose, the same batch) and the azithromycin.
    d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: p.pcm, quantity: 15 }, { itemIndex: 1, drugId: p.azithral, quantity: 3 }] }, ph);
    const second = d.c.ok('billing.suggest', { visitId }, cashier);
    expect(second.lines.map((l) => [l.kind, l.description, l.quantity, l.ratePaise])).toEqual([
      ['medicine', 'Calpol 500 mg (P1, exp 2027-01-31)', 15, 250],
      ['medicine', 'Azithral 500 mg (A1, exp 2027-06-30)', 1, 11950],
    ]);
    expect(second.notes).toContain("The consultation is already on this visit's bill.");
    // The issued bill is not reopened: the rest goes on a new bill.
    expect(handOffTarget(second)).toEqual({ kind: 'new' });
    const next = d.c.ok('billing.createInvoice', { patientId: second.patientId, visitId, doctorId: second.doctorId, lines: second.lines }, cashier);
    expect(next.id).not.toBe(inv.id);
    expect(handOffTarget(d.c.ok('billing.suggest', { visitId }, cashier))).toEqual({ kind: 'open', invoiceId: next.id });
  });

  it('prints the H1 register by date range as a PDF with the patient, address, prescriber, drug, batch and quantity; pharmacist and admin only, audited', async () => {
    const p = open();
    const { d, ph } = p;
    const visitId = prescribed(p, farida(d));
    d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 1, drugId: p.azithral, quantity: 3 }] }, ph);

    expect(failure(d.c.call('pharmacy.h1RegisterPdf', { from: '2026-11-01', to: '2026-11-30' }, p.cashier)).code).toBe('forbidden');
    expect(failure(d.c.call('pharmacy.h1RegisterPdf', { from: '2026-11-30', to: '2026-11-01' }, ph)).fields).toEqual({ to: 'From must not be after To' });
    const started = d.c.ok('pharmacy.h1RegisterPdf', { from: '2026-11-01', to: '2026-11-30' }, ph);
    expect((await d.c.app.jobs.wait(started.id)).status).toBe('done');
    const document = d.c.ok('jobs.document', { jobId: started.id }, ph);
    expect(document.fileName).toBe('H1-register-2026-11-01-to-2026-11-30.pdf');
    const file = path.join(tempDir('h1-pdf-'), document.fileName);
    fs.writeFileSync(file, Buffer.from(document.pdfBase64, 'base64'));
    const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, ' ');
    expect(text).toContain('Schedule H1 Register');
    expect(text).toContain('01-11-2026 to 30-11-2026 · 1 entry');
    for (const s of ['21-11-2026', 'Farida Khan', '4 Camp Road, Pune, 411001', 'Dr Meera Rao', 'MMC-2011-04567', 'Azithromycin 500 mg tablet', 'A1']) expect(text).toContain(s);
    expect(auditRows(d, 'pharmacy.h1RegisterPdf').filter((a) => a.outcome === 'ok').map((a) => a.detail)).toEqual(['Schedule H1 register PDF 2026-11-01 to 2026-11-30, 1 entry']);
  });
});
