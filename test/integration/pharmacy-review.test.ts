import { describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../shared/clinical';
import { SALES_SQL } from '../../electron/services/pharmacy/desk';
import { DISPENSED_SQL } from '../../electron/services/pharmacy/visit-bill';
import { auditRows, checkIn, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/*
 * Review findings of the pharmacy (issue #18), through the router on a real clinic database: a
 * counter sale billed once and without what came back, a supplier's invoice received once, the
 * desk's lists of patients' medicines audited as clinical reads, and a visit's dispenses found by
 * index rather than by reading every dispense. The day is 2026-11-21.
 */

interface Shop {
  d: DoctorDesk;
  ph: string;
  cashier: string;
  pcm: string;
  supplierId: string;
}

function open(): Shop {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, d.admin);
  d.c.ok('staff.create', { username: 'kiran', fullName: 'Kiran Desai', password: 'kiran-password', roles: ['cashier'] }, d.admin);
  const ph = d.c.login('pooja', 'pooja-password');
  const cashier = d.c.login('kiran', 'kiran-password');
  const pcm = d.c.ok('formulary.upsert', { genericName: 'Paracetamol', brandNames: ['Calpol'], form: 'tablet', strength: '500 mg', route: 'oral', schedule: null, hsnCode: '3004', gstRateBp: 1200, mrpPaise: 2500 }, d.admin).id;
  const supplierId = d.c.ok('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', gstin: '27AAACP1234A1Z5', drugLicences: [] }, ph).id;
  d.c.ok('pharmacy.purchase', { supplierId, supplierInvoice: 'PPD/1', invoiceDate: '2026-11-20', lines: [purchaseLine(pcm, 'P1', 5)] }, ph);
  return { d, ph, cashier, pcm, supplierId };
}

function purchaseLine(drugId: string, batchNumber: string, packs: number) {
  return { drugId, batchNumber, expiry: '2027-01-31', mrpPaise: 2500, ratePaise: 1500, packSize: 10, packs, gstRateBp: 1200, hsnCode: '30049099' };
}

function customer(d: DoctorDesk): string {
  const reg = d.c.ok(
    'patients.register',
    { patient: { givenName: 'Farida', familyName: 'Khan', gender: 'female', dob: '1979-05-05', mobile: '9822000099', addressLine1: '4 Camp Road', city: 'Pune', pincode: '411001' }, acknowledgeDuplicates: [] },
    d.reception,
  );
  if (reg.status !== 'registered') throw new Error('not registered');
  return reg.patient.id;
}

function onHand(s: Shop): number {
  return s.d.c.ok('pharmacy.stock', { drugId: s.pcm }, s.ph).onHand;
}

describe('pharmacy review findings', () => {
  it('bills a counter sale for what was kept, once: returned units are left out and a second Bill has nothing left (until the bill is voided)', () => {
    const s = open();
    const { d, ph, cashier } = s;
    const patientId = customer(d);
    const sale = d.c.ok('pharmacy.dispense', { patientId, lines: [{ drugId: s.pcm, quantity: 10 }] }, ph);
    d.c.ok('pharmacy.saleReturn', { dispenseLineId: sale.lines[0]!.id, quantity: 5, reason: 'bought too many' }, ph);

    // 5 kept, loose: 5 × ₹2.50 (the strip's MRP ₹25 over 10), not a strip of 10.
    const lines = d.c.ok('pharmacy.billLines', { dispenseId: sale.dispense.id }, ph);
    expect(lines.map((l) => [l.description, l.quantity, l.ratePaise])).toEqual([['Calpol 500 mg (P1, exp 2027-01-31)', 5, 250]]);
    const draft = d.c.ok('billing.createInvoice', { patientId, lines }, cashier);

    // Bill again: the sale is on the draft, so there is nothing to put on a second bill.
    const again = failure(d.c.call('pharmacy.billLines', { dispenseId: sale.dispense.id }, ph));
    expect(again.code).toBe('conflict');
    expect(again.message).toBe('Everything in this sale is already on a bill or was returned: nothing is left to bill.');

    // The same customer's next sale of the same batch is billed on its own, not swallowed by the first bill.
    const next = d.c.ok('pharmacy.dispense', { patientId, lines: [{ drugId: s.pcm, quantity: 20 }] }, ph);
    expect(d.c.ok('pharmacy.billLines', { dispenseId: next.dispense.id }, ph).map((l) => [l.quantity, l.ratePaise])).toEqual([[2, 2500]]);

    // A voided bill bills nothing: the sale can be billed again.
    d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
    d.c.ok('billing.voidInvoice', { invoiceId: draft.id, reason: 'wrong customer' }, cashier);
    expect(d.c.ok('pharmacy.billLines', { dispenseId: sale.dispense.id }, ph).map((l) => l.quantity)).toEqual([5]);
  });

  it('units that come back after the sale was billed are not taken off the next sale; units that came back before it never leave a later sale open', () => {
    const s = open();
    const { d, ph, cashier } = s;
    const patientId = customer(d);
    const minute = () => (d.c.clock.now += 60_000);
    const bill = (dispenseId: string) => {
      const draft = d.c.ok('billing.createInvoice', { patientId, lines: d.c.ok('pharmacy.billLines', { dispenseId }, ph) }, cashier);
      d.c.ok('billing.issueInvoice', { invoiceId: draft.id }, cashier);
      minute();
    };

    // A strip sold and billed, then half of it brought back (refunded by a credit note at the counter).
    const first = d.c.ok('pharmacy.dispense', { patientId, lines: [{ drugId: s.pcm, quantity: 10 }] }, ph);
    minute();
    bill(first.dispense.id);
    d.c.ok('pharmacy.saleReturn', { dispenseLineId: first.lines[0]!.id, quantity: 5, reason: 'course changed' }, ph);
    minute();
    // The next strip of the same batch is a strip at ₹25, not 5 loose tablets at ₹2.50.
    const second = d.c.ok('pharmacy.dispense', { patientId, lines: [{ drugId: s.pcm, quantity: 10 }] }, ph);
    minute();
    expect(d.c.ok('pharmacy.billLines', { dispenseId: second.dispense.id }, ph).map((l) => [l.quantity, l.ratePaise])).toEqual([[1, 2500]]);
    bill(second.dispense.id);

    // Two strips sold, half of the first brought back before either was billed: each sale is billed once
    // for what was kept, and once both are billed nothing of either is left.
    const a = d.c.ok('pharmacy.dispense', { patientId, lines: [{ drugId: s.pcm, quantity: 10 }] }, ph);
    const b = d.c.ok('pharmacy.dispense', { patientId, lines: [{ drugId: s.pcm, quantity: 10 }] }, ph);
    minute();
    d.c.ok('pharmacy.saleReturn', { dispenseLineId: a.lines[0]!.id, quantity: 5, reason: 'bought too many' }, ph);
    minute();
    expect(d.c.ok('pharmacy.billLines', { dispenseId: a.dispense.id }, ph).map((l) => [l.quantity, l.ratePaise])).toEqual([[5, 250]]);
    bill(a.dispense.id);
    expect(d.c.ok('pharmacy.billLines', { dispenseId: b.dispense.id }, ph).map((l) => [l.quantity, l.ratePaise])).toEqual([[1, 2500]]);
    bill(b.dispense.id);
    for (const sale of [first, second, a, b]) expect(failure(d.c.call('pharmacy.billLines', { dispenseId: sale.dispense.id }, ph)).code).toBe('conflict');
  });

  it('a sale returned in full has nothing to bill', () => {
    const s = open();
    const sale = s.d.c.ok('pharmacy.dispense', { patientId: customer(s.d), lines: [{ drugId: s.pcm, quantity: 4 }] }, s.ph);
    s.d.c.ok('pharmacy.saleReturn', { dispenseLineId: sale.lines[0]!.id, quantity: 4, reason: 'not needed' }, s.ph);
    expect(failure(s.d.c.call('pharmacy.billLines', { dispenseId: sale.dispense.id }, s.ph)).code).toBe('conflict');
  });

  it("receives a supplier's invoice once: the same number again (any case, spaces) is refused under the invoice box and stock is counted once", () => {
    const s = open();
    const { d, ph } = s;
    expect(onHand(s)).toBe(50);
    const twice = failure(d.c.call('pharmacy.purchase', { supplierId: s.supplierId, supplierInvoice: ' ppd/1 ', invoiceDate: '2026-11-20', lines: [purchaseLine(s.pcm, 'P1', 5)] }, ph));
    expect(twice.code).toBe('conflict');
    expect(twice.fields).toEqual({ supplierInvoice: 'Invoice ppd/1 of Pune Pharma Distributors was already entered on 2026-11-21' });
    expect(onHand(s)).toBe(50);
    expect(d.c.ok('pharmacy.purchaseRegister', { from: '2026-11-01', to: '2026-11-30' }, ph).purchases).toHaveLength(1);

    // Another supplier may use the same number; the same supplier's next invoice is received.
    const other = d.c.ok('pharmacy.saveSupplier', { name: 'Deccan Medico', drugLicences: [] }, ph).id;
    d.c.ok('pharmacy.purchase', { supplierId: other, supplierInvoice: 'PPD/1', invoiceDate: '2026-11-20', lines: [purchaseLine(s.pcm, 'P1', 1)] }, ph);
    d.c.ok('pharmacy.purchase', { supplierId: s.supplierId, supplierInvoice: 'PPD/2', invoiceDate: '2026-11-21', lines: [purchaseLine(s.pcm, 'P1', 1)] }, ph);
    expect(onHand(s)).toBe(70);
  });

  it("audits the desk's lists of patients' medicines as clinical reads, one row per call", () => {
    const s = open();
    const { d, ph } = s;
    const visitId = checkIn(d, customer(d), d.drRao).visitId;
    d.c.ok('queue.callNext', {}, d.rao);
    const item: PrescriptionItem = { drugId: s.pcm, genericName: 'Paracetamol', brand: null, form: 'tablet', strength: '500 mg', route: 'oral', dose: '1', frequency: '1-1-1', timing: 'after-food', durationDays: 3, quantity: null, instructions: null, instructionsHi: null, acknowledged: [] };
    d.c.ok('prescriptions.save', { visitId, items: [item] }, d.rao);
    d.c.ok('pharmacy.waiting', {}, ph);
    d.c.ok('pharmacy.waiting', {}, ph);
    d.c.ok('pharmacy.sales', { visitId }, ph);
    d.c.ok('pharmacy.sales', {}, ph);
    const ok = (action: string) => auditRows(d, action).filter((a) => a.outcome === 'ok');
    expect(ok('pharmacy.waiting')).toHaveLength(2);
    expect(ok('pharmacy.sales')).toHaveLength(2);
    expect(ok('pharmacy.waiting')[0]!.userId).toBe(d.c.app.database.sqlite.prepare("SELECT id FROM users WHERE username = 'pooja'").pluck().get());
  });

  it("finds a visit's dispenses, a customer's counter sales and a line's H1 entry by index, not by reading every dispense", () => {
    const { d } = open();
    const plan = (sql: string) => (d.c.app.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as { detail: string }[]).map((r) => r.detail).join(' | ');
    for (const sql of [DISPENSED_SQL('d.visit_id = ?'), SALES_SQL('d.visit_id = ?')]) expect(plan(sql)).toMatch(/SEARCH d USING INDEX dispenses_visit_idx/);
    expect(plan(DISPENSED_SQL('d.patient_id = ? AND d.visit_id IS NULL'))).toMatch(/SEARCH d USING INDEX dispenses_(patient|visit)_idx/);
    const sales = plan(SALES_SQL('d.dispensed_on = ?'));
    expect(sales).toMatch(/SEARCH d USING INDEX dispenses_day_idx/);
    expect(sales).toMatch(/SEARCH h USING (COVERING )?INDEX h1_register_line_idx/);
    expect(sales).not.toMatch(/SCAN (d|h)\b/);
  });
});
