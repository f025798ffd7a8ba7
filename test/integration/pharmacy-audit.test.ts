import { describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../shared/clinical';
import { checkIn, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/*
 * Pharmacy defects an audit found, each through the router on a real clinic database: a syrup
 * prescribed in ml is not a number of bottles, a batch topped up at another MRP is refused, units
 * that came back can be given again, an over-the-counter sale names a real patient, and goods that
 * expire on the day they arrive are refused as such (not as expired). The day is 2026-11-21.
 */

interface Shop {
  d: DoctorDesk;
  ph: string;
  syrup: string;
  pcm: string;
  amox: string;
  supplierId: string;
}

function formulary(d: DoctorDesk, genericName: string, brand: string, form: string, strength: string, schedule: string | null): string {
  return d.c.ok('formulary.upsert', { genericName, brandNames: [brand], form, strength, route: 'oral', schedule, hsnCode: '3004', gstRateBp: 1200 }, d.admin).id;
}

const line = (drugId: string, batchNumber: string, more: Record<string, number | string> = {}) => ({
  drugId,
  batchNumber,
  expiry: '2027-06-30',
  gstRateBp: 1200,
  hsnCode: '3004',
  mrpPaise: 2500,
  ratePaise: 1500,
  packSize: 10,
  packs: 2,
  ...more,
});

function openShop(): Shop {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, d.admin);
  const ph = d.c.login('pooja', 'pooja-password');
  // No pack size in the formulary: the pad can only work the syrup out in ml.
  const syrup = formulary(d, 'Paracetamol', 'Calpol', 'syrup', '125 mg/5 ml', null);
  const pcm = formulary(d, 'Paracetamol', 'Calpol', 'tablet', '500 mg', null);
  const amox = formulary(d, 'Amoxicillin', 'Mox', 'capsule', '500 mg', 'H');
  const supplierId = d.c.ok('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', gstin: '27AAACP1234A1Z5', drugLicences: [] }, ph).id;
  d.c.ok(
    'pharmacy.purchase',
    {
      supplierId,
      supplierInvoice: 'PPD/1',
      invoiceDate: '2026-11-20',
      lines: [line(syrup, 'S1', { mrpPaise: 4500, ratePaise: 3000, packSize: 1, packs: 20 }), line(pcm, 'P1'), line(amox, 'M1', { mrpPaise: 9000, ratePaise: 6000 })],
    },
    ph,
  );
  return { d, ph, syrup, pcm, amox, supplierId };
}

function rxItem(drugId: string, genericName: string, form: string, strength: string, dose: string, frequency: string, durationDays: number): PrescriptionItem {
  return { drugId, genericName, brand: null, form, strength, route: 'oral', dose, frequency, timing: 'after-food', durationDays, quantity: null, instructions: null, instructionsHi: null, acknowledged: [] };
}

/** Dr Rao sees the patient and prescribes the items. */
function prescribe(s: Shop, patientId: string, items: PrescriptionItem[]): string {
  const visitId = checkIn(s.d, patientId, s.d.drRao).visitId;
  s.d.c.ok('queue.callNext', {}, s.d.rao);
  s.d.c.ok('prescriptions.save', { visitId, items }, s.d.rao);
  return visitId;
}

const onHand = (s: Shop, drugId: string) => s.d.c.ok('pharmacy.stock', { drugId }, s.ph).onHand;

describe('pharmacy audit fixes', () => {
  it('leaves a syrup prescribed in ml to the pharmacist: no open count, no proposal of every bottle', () => {
    const s = openShop();
    const visitId = prescribe(s, s.d.anil, [rxItem(s.syrup, 'Paracetamol', 'syrup', '125 mg/5 ml', '5 ml', '1-1-1', 5)]);
    const saved = JSON.parse(String(s.d.c.app.database.sqlite.prepare('SELECT items FROM prescriptions WHERE visit_id = ?').pluck().get(visitId))) as PrescriptionItem[];
    expect(saved[0]).toMatchObject({ quantity: 75, quantityUnit: 'ml' });

    // 75 ml is not 75 bottles: nothing is counted open and no batch is proposed (it was all 20 bottles).
    const rx = s.d.c.ok('pharmacy.prescription', { visitId }, s.ph);
    expect(rx.items[0]).toMatchObject({ prescribed: null, prescribedText: '75 ml', dispensed: 0, open: null, proposal: null });
    expect(s.d.c.ok('pharmacy.waiting', {}, s.ph).map((w) => [w.visitId, w.open])).toEqual([[visitId, 1]]);

    // The pharmacist judges one bottle; the item is then given, as any uncounted item once something is given.
    s.d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: s.syrup, quantity: 1 }] }, s.ph);
    expect(onHand(s, s.syrup)).toBe(19);
    expect(s.d.c.ok('pharmacy.prescription', { visitId }, s.ph).items[0]).toMatchObject({ dispensed: 1, open: null, proposal: null });
    expect(s.d.c.ok('pharmacy.waiting', {}, s.ph)).toEqual([]);
  });

  it("the billing counter's notes count as the pharmacy does: a syrup in ml is not units open, and units brought back are open again", () => {
    const s = openShop();
    const visitId = prescribe(s, s.d.anil, [rxItem(s.syrup, 'Paracetamol', 'syrup', '125 mg/5 ml', '5 ml', '1-1-1', 5), rxItem(s.amox, 'Amoxicillin', 'capsule', '500 mg', '1', '1-0-1', 5)]);
    const given = s.d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: s.syrup, quantity: 1 }, { itemIndex: 1, drugId: s.amox, quantity: 10 }] }, s.ph);
    s.d.c.ok('pharmacy.saleReturn', { dispenseLineId: given.lines[1]!.id, quantity: 4, reason: 'has some at home' }, s.ph);
    const notes = s.d.c.ok('billing.suggest', { visitId }, s.d.reception).notes;
    expect(notes.filter((n) => /not dispensed yet/.test(n))).toEqual([expect.stringMatching(/^AMOXICILLIN.*: 4 units not dispensed yet, not billed\.$/i)]);
  });

  it('a strip brought back after it was billed and given again: billed again, with a note that the first is the counter\'s to refund', () => {
    const s = openShop();
    const visitId = prescribe(s, s.d.anil, [rxItem(s.amox, 'Amoxicillin', 'capsule', '500 mg', '1', '1-0-1', 5)]);
    const first = s.d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: s.amox, quantity: 10 }] }, s.ph);
    const suggest = () => s.d.c.ok('billing.suggest', { visitId }, s.d.reception);
    const billNow = () => {
      const sg = suggest();
      const inv = s.d.c.ok('billing.createInvoice', { patientId: sg.patientId, visitId, doctorId: sg.doctorId, lines: sg.lines }, s.d.reception);
      s.d.c.ok('billing.issueInvoice', { invoiceId: inv.id }, s.d.reception);
      s.d.c.clock.now += 60_000;
    };
    const backNote = (notes: string[]) => notes.filter((n) => /came back after they were billed/.test(n));
    billNow();
    s.d.c.ok('pharmacy.saleReturn', { dispenseLineId: first.lines[0]!.id, quantity: 10, reason: 'strip crushed' }, s.ph);
    s.d.c.clock.now += 60_000;
    // Nothing to bill, nothing to say yet.
    expect(backNote(suggest().notes)).toEqual([]);
    s.d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: s.amox, quantity: 10 }] }, s.ph);
    const again = suggest();
    expect(again.lines.filter((l) => l.kind === 'medicine').map((l) => [l.quantity, l.ratePaise])).toEqual([[1, 9000]]);
    expect(backNote(again.notes)).toEqual([expect.stringMatching(/^Mox 500 mg \(M1, exp 2027-06-30\): 10 units came back after they were billed; unless already refunded, refund them with a credit note/)]);
    // Once the new strip is billed the suggestion has nothing of it left, and no note.
    billNow();
    expect(backNote(suggest().notes)).toEqual([]);
  });

  it('refuses topping up a batch at another MRP, naming the MRP it is in stock at', () => {
    const s = openShop();
    const before = onHand(s, s.pcm);
    const r = failure(s.d.c.call('pharmacy.purchase', { supplierId: s.supplierId, supplierInvoice: 'PPD/2', invoiceDate: '2026-11-21', lines: [line(s.pcm, 'P1', { mrpPaise: 2800 })] }, s.ph));
    expect(r.code).toBe('conflict');
    expect(r.fields).toEqual({ 'lines.0.mrpPaise': 'Batch P1 is already in stock at MRP ₹25.00' });
    expect(onHand(s, s.pcm)).toBe(before);
    // At the same MRP the batch is topped up.
    s.d.c.ok('pharmacy.purchase', { supplierId: s.supplierId, supplierInvoice: 'PPD/3', invoiceDate: '2026-11-21', lines: [line(s.pcm, 'P1', { packs: 1 })] }, s.ph);
    expect(onHand(s, s.pcm)).toBe(before + 10);
  });

  it('counts units a patient brought back as not given: the prescribed units can be given again', () => {
    const s = openShop();
    const visitId = prescribe(s, s.d.anil, [rxItem(s.amox, 'Amoxicillin', 'capsule', '500 mg', '1', '1-0-1', 5)]);
    const first = s.d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: s.amox, quantity: 10 }] }, s.ph);
    s.d.c.ok('pharmacy.saleReturn', { dispenseLineId: first.lines[0]!.id, quantity: 10, reason: 'strip crushed' }, s.ph);
    expect(s.d.c.ok('pharmacy.prescription', { visitId }, s.ph).items[0]).toMatchObject({ prescribed: 10, dispensed: 0, open: 10 });
    expect(s.d.c.ok('pharmacy.waiting', {}, s.ph).map((w) => [w.visitId, w.open])).toEqual([[visitId, 1]]);

    const again = s.d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: s.amox, quantity: 10 }] }, s.ph);
    expect(again.lines.map((l) => l.qty)).toEqual([10]);
    expect(onHand(s, s.amox)).toBe(10);
    // And no more than prescribed: the 10 now given are all of it.
    const more = failure(s.d.c.call('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: s.amox, quantity: 1 }] }, s.ph));
    expect(more.fields).toEqual({ 'lines.0.quantity': 'At most 0' });
  });

  it('refuses an over-the-counter sale to a patient who does not exist or was deleted', () => {
    const s = openShop();
    const nobody = failure(s.d.c.call('pharmacy.dispense', { patientId: '01936f6e-0000-7000-8000-000000000999', lines: [{ drugId: s.pcm, quantity: 2 }] }, s.ph));
    expect(nobody.code).toBe('not_found');
    expect(nobody.fields).toEqual({ patientId: 'No such patient' });
    // A deleted record (no screen deletes one; a synced deletion does) is no customer either.
    s.d.c.app.database.sqlite.prepare('UPDATE patients SET deleted_at = ? WHERE id = ?').run(s.d.c.clock.now, s.d.deepa);
    const deleted = failure(s.d.c.call('pharmacy.dispense', { patientId: s.d.deepa, lines: [{ drugId: s.pcm, quantity: 2 }] }, s.ph));
    expect(deleted.code).toBe('not_found');
    expect(deleted.fields).toEqual({ patientId: 'No such patient' });
    expect(onHand(s, s.pcm)).toBe(20);
    // A registered patient is sold to.
    s.d.c.ok('pharmacy.dispense', { patientId: s.d.anil, lines: [{ drugId: s.pcm, quantity: 2 }] }, s.ph);
    expect(onHand(s, s.pcm)).toBe(18);
  });

  it('refuses goods that expire on the day they arrive as expiring today, not as expired', () => {
    const s = openShop();
    const today = failure(s.d.c.call('pharmacy.purchase', { supplierId: s.supplierId, supplierInvoice: 'PPD/4', invoiceDate: '2026-11-21', lines: [line(s.pcm, 'T1', { expiry: '2026-11-21' })] }, s.ph));
    expect(today.fields).toEqual({ 'lines.0.expiry': 'Expires today' });
    expect(today.message).toContain('Batch T1 expires today (2026-11-21)');
    const past = failure(s.d.c.call('pharmacy.purchase', { supplierId: s.supplierId, supplierInvoice: 'PPD/4', invoiceDate: '2026-11-21', lines: [line(s.pcm, 'T1', { expiry: '2026-11-20' })] }, s.ph));
    expect(past.fields).toEqual({ 'lines.0.expiry': 'Already expired' });
    s.d.c.ok('pharmacy.purchase', { supplierId: s.supplierId, supplierInvoice: 'PPD/4', invoiceDate: '2026-11-21', lines: [line(s.pcm, 'T1', { expiry: '2026-11-22' })] }, s.ph);
  });
});
