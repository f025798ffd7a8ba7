import { describe, expect, it } from 'vitest';
import { failure, openDoctorDesk } from './doctor-fixtures';

/*
 * pharmacy.items: the Stock screen's list. An item is there once it has a batch or settings, with
 * the ledger's units on hand (below zero too), its reorder level and barcode; found by name, brand,
 * barcode or batch number; the rest of the formulary stays out. The clinic's day is 2026-11-21.
 */

function pharmacy() {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, d.admin);
  const ph = d.c.login('pooja', 'pooja-password');
  const drug = (genericName: string, brand: string) =>
    d.c.ok('formulary.upsert', { genericName, brandNames: [brand], form: 'tablet', strength: '500 mg', route: 'oral', schedule: null, hsnCode: '3004', gstRateBp: 1200 }, d.admin).id;
  const pcm = drug('Paracetamol', 'Calpol');
  const cetirizine = drug('Cetirizine', 'Okacet');
  const unstocked = drug('Metformin', 'Glycomet');
  const supplierId = d.c.ok('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', drugLicences: [] }, ph).id;
  const line = (drugId: string, batchNumber: string, packs: number) => ({ drugId, batchNumber, expiry: '2027-06-30', mrpPaise: 2500, ratePaise: 1500, packSize: 10, gstRateBp: 1200, packs });
  const bought = d.c.ok('pharmacy.purchase', { supplierId, supplierInvoice: 'PPD/1', invoiceDate: '2026-11-20', lines: [line(pcm, 'P-77', 3), line(cetirizine, 'C-12', 1)] }, ph);
  return { d, ph, pcm, cetirizine, unstocked, cetirizineBatch: bought.lines[1]!.batchId };
}

describe('pharmacy.items', () => {
  it('lists the items held with the ledger’s stock (below zero shown), settings, and finds them by name, brand, barcode and batch', () => {
    const { d, ph, pcm, cetirizine, unstocked, cetirizineBatch } = pharmacy();
    d.c.ok('pharmacy.saveItem', { drugId: pcm, reorderLevel: 50, barcode: '8901234567890' }, ph);
    // Another desk sold 12 of the 10 cetirizine offline: the ledger says -2, and the list says so too.
    d.c.ok('pharmacy.adjust', { batchId: cetirizineBatch, quantity: -12, reason: 'sold offline at desk 2' }, ph);

    const all = d.c.ok('pharmacy.items', {}, ph);
    expect(all.map((i) => [i.genericName, i.onHand, i.batches, i.reorderLevel, i.barcode])).toEqual([
      ['Cetirizine', -2, 1, null, null],
      ['Paracetamol', 30, 1, 50, '8901234567890'],
    ]);
    expect(all.some((i) => i.drugId === unstocked)).toBe(false);

    const names = (input: Record<string, unknown>) => d.c.ok('pharmacy.items', input, ph).map((i) => i.genericName);
    expect(names({ query: 'para' })).toEqual(['Paracetamol']);
    expect(names({ query: 'OKA' })).toEqual(['Cetirizine']);
    expect(names({ query: '8901234567890' })).toEqual(['Paracetamol']);
    expect(names({ query: 'C-12' })).toEqual(['Cetirizine']);
    expect(names({ query: '%' })).toEqual([]);
    expect(names({ drugIds: [cetirizine] })).toEqual(['Cetirizine']);

    // An item with settings but no stock yet is listed (its reorder level matters before the first purchase).
    d.c.ok('pharmacy.saveItem', { drugId: unstocked, reorderLevel: 20 }, ph);
    expect(names({ query: 'metf' })).toEqual(['Metformin']);
  });

  it('is for the pharmacy: reception is refused, bad input names the field', () => {
    const { d, ph } = pharmacy();
    expect(failure(d.c.call('pharmacy.items', {}, d.reception)).code).toBe('forbidden');
    expect(failure(d.c.call('pharmacy.items', { drugIds: ['nope'] }, ph)).fields).toHaveProperty(['drugIds.0']);
  });
});
