import { describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../shared/clinical';
import { computeInvoice } from '../../shared/money';
import { checkIn, DAY, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/*
 * The pharmacy end to end through the router on a real clinic database: goods received, dispensed
 * first-expiry-first-out against a prescription (a substitute, part of an item left open), over the
 * counter, brought back, corrected, returned to the supplier and written off when expired; the
 * stock of each batch checked against the ledger at every step, and the money against hand sums.
 * The clinic's day starts on 2026-11-21.
 */

const AZITHROMYCIN_500_STARTER = '00000000-0000-7000-9000-000000000044';

interface Pharmacy {
  d: DoctorDesk;
  ph: string;
  drugs: { pcm: string; azee: string; azithral: string; amox: string };
  supplierId: string;
}

function drug(d: DoctorDesk, genericName: string, brand: string, form: string, strength: string, schedule: string | null): string {
  return d.c.ok('formulary.upsert', { genericName, brandNames: [brand], form, strength, route: 'oral', schedule, hsnCode: '3004', gstRateBp: 1200 }, d.admin).id;
}

function openPharmacy(): Pharmacy {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, d.admin);
  const ph = d.c.login('pooja', 'pooja-password');
  const drugs = {
    pcm: drug(d, 'Paracetamol', 'Calpol', 'tablet', '500 mg', null),
    // The starter list's Azithromycin 500 mg tablet is prescribed; the clinic stocks its own row of the same generic.
    azee: AZITHROMYCIN_500_STARTER,
    azithral: drug(d, 'Azithromycin', 'Azithral', 'tablet', '500 mg', 'H1'),
    amox: drug(d, 'Amoxicillin', 'Mox', 'capsule', '500 mg', 'H'),
  };
  const supplier = d.c.ok('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', gstin: '27AAACP1234A1Z5', drugLicences: ['MH-PZ1-123456', 'MH-PZ1-123457'] }, ph);
  return { d, ph, drugs, supplierId: supplier.id };
}

const batchLine = (drugId: string, batchNumber: string, expiry: string, more: Record<string, number>) => ({
  drugId,
  batchNumber,
  expiry,
  gstRateBp: 1200,
  hsnCode: '3004',
  ...more,
});

/** Units on hand per batch number of an item, as pharmacy.stock reports them. */
function stock(p: Pharmacy, drugId: string): Record<string, number> {
  const s = p.d.c.ok('pharmacy.stock', { drugId }, p.ph);
  const byBatch = Object.fromEntries(s.batches.map((b) => [b.batchNumber, b.onHand]));
  expect(s.onHand).toBe(Object.values(byBatch).reduce((a, b) => a + b, 0));
  return byBatch;
}

/** An item as the pad saves it: the quantity is worked out from the frequency and the days. */
function item(drugId: string, genericName: string, form: string, frequency: string, durationDays: number): PrescriptionItem {
  return {
    drugId,
    genericName,
    brand: null,
    form,
    strength: '500 mg',
    route: 'oral',
    dose: '1',
    frequency,
    timing: 'after-food',
    durationDays,
    quantity: null,
    instructions: null,
    instructionsHi: null,
    acknowledged: [],
  };
}

/** Farida (with an address) sees Dr Rao, who prescribes 30 paracetamol (1-1-1 for 10 days) and 3 azithromycin. */
function prescribed(p: Pharmacy, patientId?: string): string {
  const { d } = p;
  const visitId = checkIn(d, patientId ?? farida(d), d.drRao).visitId;
  d.c.ok('queue.callNext', {}, d.rao);
  d.c.ok('prescriptions.save', { visitId, items: [item(p.drugs.pcm, 'Paracetamol', 'tablet', '1-1-1', 10), item(p.drugs.azee, 'Azithromycin', 'tablet', '1-0-0', 3)] }, d.rao);
  return visitId;
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

function receiveGoods(p: Pharmacy) {
  return p.d.c.ok(
    'pharmacy.purchase',
    {
      supplierId: p.supplierId,
      supplierInvoice: 'PPD/2627/0456',
      invoiceDate: '2026-11-20',
      lines: [
        batchLine(p.drugs.pcm, 'P1', '2027-01-31', { mrpPaise: 2500, ratePaise: 1500, packSize: 10, packs: 10, freePacks: 1, discountBp: 1000 }),
        batchLine(p.drugs.pcm, 'P2', '2026-12-25', { mrpPaise: 2500, ratePaise: 1550, packSize: 10, packs: 2 }),
        batchLine(p.drugs.azithral, 'A1', '2027-06-30', { mrpPaise: 11950, ratePaise: 9000, packSize: 3, packs: 3, discountBp: 250 }),
        batchLine(p.drugs.amox, 'M1', '2026-11-30', { mrpPaise: 9000, ratePaise: 6000, packSize: 10, packs: 1 }),
      ],
    },
    p.ph,
  );
}

describe('the pharmacy stock ledger', () => {
  it('purchase, FEFO dispense with a substitute and an open rest, OTC, return, adjustment, supplier return and expiry write-off keep every batch right', () => {
    const p = openPharmacy();
    const { d, ph, drugs } = p;

    // Goods received. By hand: P1 10 × ₹15 = ₹150, 10% off = ₹15, ₹135 + 12% = ₹16.20 → ₹151.20;
    // P2 2 × ₹15.50 = ₹31 + ₹3.72 = ₹34.72; A1 3 × ₹90 = ₹270, 2.5% off = ₹6.75, ₹263.25 + ₹31.59 = ₹294.84;
    // M1 1 × ₹60 + ₹7.20 = ₹67.20.
    const purchase = receiveGoods(p);
    expect(purchase.lines.map((l) => [l.grossPaise, l.discountPaise, l.taxablePaise, l.gstPaise, l.totalPaise])).toEqual([
      [15_000, 1_500, 13_500, 1_620, 15_120],
      [3_100, 0, 3_100, 372, 3_472],
      [27_000, 675, 26_325, 3_159, 29_484],
      [6_000, 0, 6_000, 720, 6_720],
    ]);
    expect(purchase.purchase).toMatchObject({ grossPaise: 51_100, discountPaise: 2_175, taxablePaise: 48_925, gstPaise: 5_871, totalPaise: 54_796 });
    // The free strip is stock too: 11 strips of 10.
    expect(stock(p, drugs.pcm)).toEqual({ P2: 20, P1: 110 });
    expect(stock(p, drugs.azithral)).toEqual({ A1: 9 });

    // The same batch number again tops up that batch; expired goods are refused.
    const more = d.c.ok('pharmacy.purchase', { supplierId: p.supplierId, supplierInvoice: 'PPD/2627/0457', invoiceDate: '2026-11-21', lines: [batchLine(drugs.pcm, 'P1', '2027-01-31', { mrpPaise: 2500, ratePaise: 1500, packSize: 10, packs: 1 })] }, ph);
    expect(more.lines[0]!.batchId).toBe(purchase.lines[0]!.batchId);
    expect(stock(p, drugs.pcm)).toEqual({ P2: 20, P1: 120 });
    const stale = failure(d.c.call('pharmacy.purchase', { supplierId: p.supplierId, supplierInvoice: 'X1', invoiceDate: '2026-11-21', lines: [batchLine(drugs.pcm, 'OLD', '2026-11-01', { mrpPaise: 2500, ratePaise: 1500, packSize: 10, packs: 1 })] }, ph));
    expect(stale.fields).toEqual({ 'lines.0.expiry': 'Already expired' });

    // The prescription: FEFO proposes the earlier-expiring P2 first, then P1.
    const visitId = prescribed(p);
    const rx = d.c.ok('pharmacy.prescription', { visitId }, ph);
    expect(rx.items[0]!.proposal!.picks.map((x) => [x.batchNumber, x.qty])).toEqual([['P2', 20], ['P1', 10]]);
    const pcm = d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: drugs.pcm, quantity: 30 }] }, ph);
    expect(pcm.lines.map((l) => l.qty)).toEqual([20, 10]);
    expect(stock(p, drugs.pcm)).toEqual({ P2: 0, P1: 110 });

    // Azee is out of stock; Azithral (same generic, strength, form) is given instead, 2 of the 3.
    const az = d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 1, drugId: drugs.azithral, quantity: 2 }] }, ph);
    expect(az.lines[0]).toMatchObject({ drugId: drugs.azithral, substitutedFrom: drugs.azee, qty: 2 });
    expect(stock(p, drugs.azithral)).toEqual({ A1: 7 });
    const after = d.c.ok('pharmacy.prescription', { visitId }, ph);
    expect(after.items.map((i) => [i.prescribed, i.dispensed, i.open])).toEqual([[30, 30, 0], [3, 2, 1]]);
    const tooMany = failure(d.c.call('pharmacy.dispense', { visitId, lines: [{ itemIndex: 1, drugId: drugs.azithral, quantity: 2 }] }, ph));
    expect(tooMany.message).toBe('Only 1 of the 3 units of Azithromycin 500 mg tablet prescribed are still to be dispensed.');
    const wrong = failure(d.c.call('pharmacy.dispense', { visitId, lines: [{ itemIndex: 1, drugId: drugs.amox, quantity: 1 }] }, ph));
    expect(wrong.message).toBe('Amoxicillin 500 mg capsule is not the same generic, strength and form as Azithromycin 500 mg tablet prescribed: only a same-generic substitute may be given.');

    // The H1 register has the patient's address and the prescriber with registration.
    expect(d.c.ok('pharmacy.h1Register', { from: '2026-11-01', to: '2026-11-30' }, ph)).toEqual([
      {
        dispensedOn: '2026-11-21',
        patientName: 'Farida Khan',
        patientAddress: '4 Camp Road, Pune, 411001',
        prescriberName: 'Dr Meera Rao',
        prescriberRegistration: 'Maharashtra Medical Council MMC-2011-04567',
        drugName: 'Azithromycin 500 mg tablet',
        batchNumber: 'A1',
        qty: 2,
      },
    ]);
    expect(d.c.ok('pharmacy.h1Register', { from: '2026-12-01', to: '2026-12-31' }, ph)).toEqual([]);

    // Over the counter: Schedule H is refused naming the drug; paracetamol is sold.
    const otcH = failure(d.c.call('pharmacy.dispense', { lines: [{ drugId: drugs.amox, quantity: 10 }] }, ph));
    expect(otcH.code).toBe('forbidden');
    expect(otcH.message).toBe('Amoxicillin 500 mg capsule is a Schedule H drug: it is dispensed only against a prescription.');
    expect(stock(p, drugs.amox)).toEqual({ M1: 10 });
    d.c.ok('pharmacy.dispense', { lines: [{ drugId: drugs.pcm, quantity: 10 }] }, ph);
    expect(stock(p, drugs.pcm)).toEqual({ P2: 0, P1: 100 });

    // A patient brings back 5 of the P2 tablets: into P2; not more than was given.
    const p2Line = pcm.lines[0]!;
    d.c.ok('pharmacy.saleReturn', { dispenseLineId: p2Line.id, quantity: 5, reason: 'course changed' }, ph);
    expect(stock(p, drugs.pcm)).toEqual({ P2: 5, P1: 100 });
    expect(failure(d.c.call('pharmacy.saleReturn', { dispenseLineId: p2Line.id, quantity: 16, reason: 'again' }, ph)).message).toBe('Only 15 of the 20 units given can still come back.');

    // A broken strip, then 10 back to the supplier; a reason is required.
    const p1 = purchase.lines[0]!.batchId;
    expect(failure(d.c.call('pharmacy.adjust', { batchId: p1, quantity: -3, reason: ' ' }, ph)).fields).toEqual({ reason: 'Reason is required' });
    d.c.ok('pharmacy.adjust', { batchId: p1, quantity: -3, reason: 'broken strip' }, ph);
    d.c.ok('pharmacy.returnToSupplier', { batchId: p1, quantity: 10, reason: 'short expiry swap' }, ph);
    expect(stock(p, drugs.pcm)).toEqual({ P2: 5, P1: 87 });
    expect(failure(d.c.call('pharmacy.returnToSupplier', { batchId: p1, quantity: 88, reason: 'all' }, ph)).message).toBe('Only 87 units of batch P1 are on hand; 88 cannot be returned.');

    // Near expiry within 30 days on the 21st: M1 (30 Nov); within 60 also P2 (25 Dec).
    expect(d.c.ok('pharmacy.nearExpiry', { days: 30 }, ph).map((b) => b.batchNumber)).toEqual(['M1']);
    expect(d.c.ok('pharmacy.nearExpiry', { days: 60 }, ph).map((b) => b.batchNumber)).toEqual(['M1', 'P2']);

    // December: M1 has expired. FEFO skips it, the write-off takes its 10 units out, once.
    d.c.clock.now += 10 * DAY;
    const visit2 = prescribed(p, d.anil);
    expect(d.c.ok('pharmacy.prescription', { visitId: visit2 }, ph).items[0]!.proposal!.picks.map((x) => x.batchNumber)).toEqual(['P2', 'P1']);
    const offs = d.c.ok('pharmacy.writeOffExpired', {}, ph);
    expect(offs.map((m) => [m.kind, m.qty])).toEqual([['expiry', -10]]);
    expect(stock(p, drugs.amox)).toEqual({ M1: 0 });
    expect(d.c.ok('pharmacy.writeOffExpired', {}, ph)).toEqual([]);

    // Every movement is in the ledger, which refuses to be edited.
    const kinds = d.c.app.database.sqlite.prepare('SELECT kind, count(*) AS n FROM stock_movements GROUP BY kind ORDER BY kind').all();
    expect(kinds).toEqual([
      { kind: 'adjustment', n: 1 },
      { kind: 'dispense', n: 4 },
      { kind: 'expiry', n: 1 },
      { kind: 'purchase-return', n: 1 },
      { kind: 'receipt', n: 5 },
      { kind: 'sale-return', n: 1 },
    ]);
    expect(() => d.c.app.database.sqlite.prepare('UPDATE stock_movements SET qty = 0').run()).toThrow(/insert-only/);
    expect(() => d.c.app.database.sqlite.prepare('DELETE FROM stock_movements').run()).toThrow(/insert-only/);
  });

  it('bills a dispense at the batch MRP, tax included, with GST rate and HSN per line, never above the MRP', () => {
    const p = openPharmacy();
    receiveGoods(p);
    const visitId = prescribed(p);
    const pcm = p.d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: p.drugs.pcm, quantity: 25 }] }, p.ph);
    const lines = p.d.c.ok('pharmacy.billLines', { dispenseId: pcm.dispense.id }, p.ph);
    // 25 of the 30 now (the rest stays open): 20 from P2, 2 strips at ₹25; 5 loose from P1 at ₹2.50 each.
    expect(lines.map((l) => [l.quantity, l.ratePaise, l.gstRateBp, l.sacHsn, l.taxInclusive, l.kind])).toEqual([
      [2, 2_500, 1200, '3004', true, 'medicine'],
      [5, 250, 1200, '3004', true, 'medicine'],
    ]);
    // By hand: ₹50 incl. 12% → taxable 50 × 100/112 = ₹44.64, tax ₹5.36; ₹12.50 → ₹11.16 + ₹1.34.
    const { lines: figures, totals } = computeInvoice(lines, null);
    expect(figures.map((f) => [f.taxablePaise, f.cgstPaise + f.sgstPaise, f.totalPaise])).toEqual([
      [4_464, 536, 5_000],
      [1_116, 134, 1_250],
    ]);
    expect(totals).toMatchObject({ taxablePaise: 5_580, exactPaise: 6_250, roundOffPaise: 50, totalPaise: 6_300 });

    // Azithral: 2 of a strip of 3 at ₹119.50: ₹39.83 a tablet (rounded down), ₹79.66 ≤ 2/3 of the MRP.
    const az = p.d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 1, drugId: p.drugs.azithral, quantity: 2 }] }, p.ph);
    const azLines = p.d.c.ok('pharmacy.billLines', { dispenseId: az.dispense.id }, p.ph);
    expect(azLines.map((l) => [l.quantity, l.ratePaise])).toEqual([[2, 3_983]]);
    expect(2 * 3_983 * 3).toBeLessThanOrEqual(2 * 11_950);
  });

  it('values the stock at purchase rate and MRP, lists the purchase register and the fast and slow movers', () => {
    const p = openPharmacy();
    const { d, ph, drugs } = p;
    receiveGoods(p);
    const visitId = prescribed(p);
    d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: drugs.pcm, quantity: 25 }] }, ph);
    // By hand, per unit = per pack ÷ pack size: paracetamol P1 105 left × ₹1.50 = ₹157.50 (MRP × ₹2.50 = ₹262.50);
    // Azithral 9 × ₹30 = ₹270 (MRP 9 × ₹39.8333 = ₹358.50); amoxicillin 10 × ₹6 = ₹60 (MRP ₹90).
    expect(d.c.ok('pharmacy.valuation', {}, ph)).toEqual({
      items: [
        { drugId: drugs.amox, drugName: 'Amoxicillin 500 mg', units: 10, atPurchasePaise: 6_000, atMrpPaise: 9_000 },
        { drugId: drugs.azithral, drugName: 'Azithromycin 500 mg', units: 9, atPurchasePaise: 27_000, atMrpPaise: 35_850 },
        { drugId: drugs.pcm, drugName: 'Paracetamol 500 mg', units: 105, atPurchasePaise: 15_750, atMrpPaise: 26_250 },
      ],
      atPurchasePaise: 48_750,
      atMrpPaise: 71_100,
    });
    const register = d.c.ok('pharmacy.purchaseRegister', { from: '2026-11-01', to: '2026-11-30' }, ph);
    expect(register).toMatchObject({ taxablePaise: 48_925, gstPaise: 5_871, totalPaise: 54_796 });
    expect(register.purchases.map((r) => [r.receivedOn, r.supplier, r.gstin, r.supplierInvoice, r.invoiceDate])).toEqual([
      ['2026-11-21', 'Pune Pharma Distributors', '27AAACP1234A1Z5', 'PPD/2627/0456', '2026-11-20'],
    ]);
    const moved = d.c.ok('pharmacy.movers', { from: '2026-11-21', to: '2026-11-21' }, ph);
    expect(moved.fast.map((m) => [m.drugName, m.dispensed])).toEqual([['Paracetamol 500 mg', 25]]);
    expect(moved.slow.map((m) => [m.drugName, m.dispensed, m.onHand])).toEqual([
      ['Amoxicillin 500 mg', 0, 10],
      ['Azithromycin 500 mg', 0, 9],
      ['Paracetamol 500 mg', 25, 105],
    ]);
  });

  it('keeps the pharmacy to pharmacists and administrators, refuses H1 without the patient’s address, and names bad fields', () => {
    const p = openPharmacy();
    const { d, ph, drugs } = p;
    receiveGoods(p);
    expect(failure(d.c.call('pharmacy.stock', { drugId: drugs.pcm }, d.reception)).code).toBe('forbidden');
    expect(failure(d.c.call('pharmacy.dispense', { lines: [{ drugId: drugs.pcm, quantity: 1 }] }, d.rao)).code).toBe('forbidden');
    expect(d.c.ok('pharmacy.stock', { drugId: drugs.pcm }, d.admin).onHand).toBe(130);

    // Deepa has no address: her H1 prescription cannot be dispensed until reception adds one.
    const visitId = checkIn(d, d.deepa, d.drRao).visitId;
    d.c.ok('queue.callNext', {}, d.rao);
    d.c.ok('prescriptions.save', { visitId, items: [item(drugs.azee, 'Azithromycin', 'tablet', '1-0-0', 3)] }, d.rao);
    const noAddress = failure(d.c.call('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: drugs.azithral, quantity: 3 }] }, ph));
    expect(noAddress.message).toBe("Azithromycin 500 mg tablet is a Schedule H1 drug: the register needs the patient's address. Ask reception to add it, then dispense.");
    expect(stock(p, drugs.azithral)).toEqual({ A1: 9 });

    const bad = failure(d.c.call('pharmacy.saveSupplier', { name: 'X', gstin: '27ABC', drugLicences: [] }, ph));
    expect(Object.keys(bad.fields ?? {})).toEqual(['gstin']);
    const short = failure(d.c.call('pharmacy.dispense', { lines: [{ drugId: drugs.pcm, quantity: 131 }] }, ph));
    expect(short.message).toBe('Only 130 units of Paracetamol 500 mg tablet are in unexpired stock; dispense 130 now and the rest stays open.');

    // A sale is audited and queued for sync in the pharmacist's name, signed; the refusals above left nothing behind.
    const sqlite = d.c.app.database.sqlite;
    const before = Number(sqlite.prepare('SELECT max(seq) FROM change_log').pluck().get());
    const sale = d.c.ok('pharmacy.dispense', { lines: [{ drugId: drugs.pcm, quantity: 2 }] }, ph);
    const pooja = d.c.ok('auth.me', {}, ph).user.id;
    expect(sqlite.prepare("SELECT table_name AS t, user_id AS u, sig IS NOT NULL AS signed FROM change_log WHERE seq > ? AND table_name != 'audit_log' ORDER BY seq").all(before)).toEqual([
      { t: 'dispenses', u: pooja, signed: 1 },
      { t: 'dispense_lines', u: pooja, signed: 1 },
      { t: 'stock_movements', u: pooja, signed: 1 },
    ]);
    const audited = sqlite.prepare("SELECT entity_type AS t, outcome FROM audit_log WHERE action = 'pharmacy.dispense' AND user_id = ? AND entity_id IS NOT NULL AND outcome = 'ok' ORDER BY at").all(pooja);
    expect(audited).toEqual([
      { t: 'dispenses', outcome: 'ok' },
      { t: 'dispense_lines', outcome: 'ok' },
      { t: 'stock_movements', outcome: 'ok' },
    ]);
    expect(sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'pharmacy.dispense' AND outcome != 'ok'").pluck().get()).toBe(3);
    expect(sale.lines).toHaveLength(1);
    expect(sqlite.prepare("SELECT count(*) FROM dispenses").pluck().get()).toBe(1);
  });
});
