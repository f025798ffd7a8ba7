import { describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../shared/clinical';
import { LEDGER_SQL } from '../../electron/services/pharmacy';
import { checkIn, DAY, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/*
 * The fast dispense path (docs/PHARMACY.md "Speed"): statements compiled once per connection,
 * FEFO walking stock_batches_fefo_idx and stopping at the batch that covers the quantity, one read
 * of a scanned batch with its stock. Every guarantee of the slow path still holds: stock per batch
 * is the ledger sum, expired, empty and negative batches are skipped, two lines of one drug never
 * count the same units twice, bad input names its field, each row is audited and queued signed,
 * and an H1 drug taken from two batches writes two register rows. The clinic's day starts on
 * 2026-11-21.
 */

interface Shop {
  d: DoctorDesk;
  ph: string;
  pcm: string;
  azithral: string;
  amox: string;
  /** Batch ids by batch number. */
  batch: Record<string, string>;
}

function formulary(d: DoctorDesk, genericName: string, brand: string, form: string, schedule: string | null): string {
  return d.c.ok('formulary.upsert', { genericName, brandNames: [brand], form, strength: '500 mg', route: 'oral', schedule, hsnCode: '3004', gstRateBp: 1200 }, d.admin).id;
}

function openShop(): Shop {
  const d = openDoctorDesk();
  d.c.ok('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, d.admin);
  const ph = d.c.login('pooja', 'pooja-password');
  const pcm = formulary(d, 'Paracetamol', 'Calpol', 'tablet', null);
  const azithral = formulary(d, 'Azithromycin', 'Azithral', 'tablet', 'H1');
  const amox = formulary(d, 'Amoxicillin', 'Mox', 'capsule', 'H');
  const supplierId = d.c.ok('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', gstin: '27AAACP1234A1Z5', drugLicences: ['MH-PZ1-123456'] }, ph).id;
  const line = (drugId: string, batchNumber: string, expiry: string, packs: number, packSize = 10) => ({
    drugId, batchNumber, expiry, gstRateBp: 1200, hsnCode: '3004', mrpPaise: 2500, ratePaise: 1500, packSize, packs,
  });
  const bought = d.c.ok(
    'pharmacy.purchase',
    {
      supplierId,
      supplierInvoice: 'PPD/2627/0999',
      invoiceDate: '2026-11-20',
      lines: [
        line(pcm, 'EARLY', '2026-11-25', 1),
        line(pcm, 'EMPTY', '2026-12-10', 1),
        line(pcm, 'SHORT', '2026-12-20', 1),
        line(pcm, 'A', '2027-01-31', 1),
        line(pcm, 'B', '2027-03-31', 2),
        line(azithral, 'Z1', '2027-02-28', 1, 3),
        line(azithral, 'Z2', '2027-05-31', 1, 3),
        line(amox, 'M1', '2027-01-31', 1),
      ],
    },
    ph,
  );
  const batch = Object.fromEntries(bought.lines.map((l, i) => [['EARLY', 'EMPTY', 'SHORT', 'A', 'B', 'Z1', 'Z2', 'M1'][i]!, l.batchId]));
  // EMPTY counted out to nothing; SHORT below zero (as two offline desks can leave it).
  d.c.ok('pharmacy.adjust', { batchId: batch.EMPTY!, quantity: -10, reason: 'recount' }, ph);
  d.c.ok('pharmacy.adjust', { batchId: batch.SHORT!, quantity: -12, reason: 'offline sales counted' }, ph);
  return { d, ph, pcm, azithral, amox, batch };
}

function stock(s: Shop, drugId: string): Record<string, number> {
  const st = s.d.c.ok('pharmacy.stock', { drugId }, s.ph);
  expect(st.onHand).toBe(st.batches.reduce((a, b) => a + b.onHand, 0));
  return Object.fromEntries(st.batches.map((b) => [b.batchNumber, b.onHand]));
}

const batchNumberOf = (s: Shop, batchId: string) => Object.entries(s.batch).find(([, id]) => id === batchId)?.[0];

describe('the fast dispense path', () => {
  it('reads FEFO in index order with the stock from the ledger’s covering index, no sort', () => {
    const { d } = openShop();
    const plan = (sql: string, ...params: unknown[]) =>
      (d.c.app.database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    for (const [sql, params] of [
      [LEDGER_SQL.usableBatchesOfItem, ['x', '2026-11-21']],
      [LEDGER_SQL.batchesOfItem, ['x']],
    ] as const) {
      const p = plan(sql, ...params);
      expect(p).toContain('USING INDEX stock_batches_fefo_idx');
      expect(p).toContain('USING COVERING INDEX stock_movements_batch_idx');
      expect(p).not.toContain('TEMP B-TREE');
    }
  });

  it('skips expired, empty and negative batches, never counts units twice across lines, and names the field of a bad scanned batch', () => {
    const s = openShop();
    const { d, ph, pcm } = s;
    // December: EARLY (25 Nov) has expired.
    d.c.clock.now += 10 * DAY;
    expect(stock(s, pcm)).toEqual({ EARLY: 10, EMPTY: 0, SHORT: -2, A: 10, B: 20 });

    // Two lines of one drug in one sale: the second takes what the first left of A, then B.
    const sqlite = d.c.app.database.sqlite;
    const before = Number(sqlite.prepare('SELECT max(seq) FROM change_log').pluck().get());
    const sale = d.c.ok('pharmacy.dispense', { lines: [{ drugId: pcm, quantity: 6 }, { drugId: pcm, quantity: 8 }] }, ph);
    expect(sale.lines.map((l) => [batchNumberOf(s, l.batchId), l.qty])).toEqual([['A', 6], ['A', 4], ['B', 4]]);
    expect(stock(s, pcm)).toEqual({ EARLY: 10, EMPTY: 0, SHORT: -2, A: 0, B: 16 });

    // Each row queued signed in the pharmacist's name, and audited.
    const pooja = d.c.ok('auth.me', {}, ph).user.id;
    const queued = sqlite.prepare("SELECT table_name AS t, user_id = ? AND sig IS NOT NULL AS signed FROM change_log WHERE seq > ? AND table_name != 'audit_log' ORDER BY seq").all(pooja, before);
    expect(queued).toEqual([
      { t: 'dispenses', signed: 1 },
      ...[1, 2, 3].flatMap(() => [{ t: 'dispense_lines', signed: 1 }, { t: 'stock_movements', signed: 1 }]),
    ]);
    const audited = sqlite.prepare("SELECT entity_type AS t FROM audit_log WHERE action = 'pharmacy.dispense' AND outcome = 'ok' AND user_id = ? ORDER BY at, rowid").pluck().all(pooja);
    expect(audited).toEqual(['dispenses', 'dispense_lines', 'stock_movements', 'dispense_lines', 'stock_movements', 'dispense_lines', 'stock_movements']);

    // More than the unexpired stock: the expired and negative batches do not count.
    expect(failure(d.c.call('pharmacy.dispense', { lines: [{ drugId: pcm, quantity: 17 }] }, ph)).fields).toEqual({ 'lines.0.quantity': 'At most 16' });

    // A scanned strip: from that batch, whatever FEFO would say; a bad one names its field.
    const scanned = (batchId: string, quantity: number) => d.c.call('pharmacy.dispense', { lines: [{ drugId: pcm, quantity, batchId }] }, ph);
    expect(failure(scanned(s.batch.M1!, 1)).fields).toEqual({ 'lines.0.batchId': 'Another drug’s batch' });
    expect(failure(scanned(s.batch.EARLY!, 1)).fields).toEqual({ 'lines.0.batchId': 'Expired' });
    expect(failure(scanned(s.batch.SHORT!, 1)).fields).toEqual({ 'lines.0.quantity': 'At most 0' });
    expect(failure(scanned(s.batch.B!, 17)).fields).toEqual({ 'lines.0.quantity': 'At most 16' });
    expect(failure(scanned('00000000-0000-7000-8000-000000000999', 1)).fields).toEqual({ 'lines.0.batchId': 'No such batch' });
    const bad = failure(d.c.call('pharmacy.dispense', { lines: [{ drugId: pcm, quantity: 0 }] }, ph));
    expect(Object.keys(bad.fields ?? {})).toEqual(['lines.0.quantity']);
    expect(stock(s, pcm)).toEqual({ EARLY: 10, EMPTY: 0, SHORT: -2, A: 0, B: 16 });
    expect(d.c.ok('pharmacy.dispense', { lines: [{ drugId: pcm, quantity: 2, batchId: s.batch.B! }] }, ph).lines.map((l) => l.qty)).toEqual([2]);
    expect(stock(s, pcm)).toEqual({ EARLY: 10, EMPTY: 0, SHORT: -2, A: 0, B: 14 });
  });

  it('writes an H1 register row for each batch an H1 drug is taken from', () => {
    const s = openShop();
    const { d, ph, azithral } = s;
    const reg = d.c.ok(
      'patients.register',
      { patient: { givenName: 'Farida', familyName: 'Khan', gender: 'female', dob: '1979-05-05', mobile: '9822000099', addressLine1: '4 Camp Road', city: 'Pune', pincode: '411001' }, acknowledgeDuplicates: [] },
      d.reception,
    );
    if (reg.status !== 'registered') throw new Error('not registered');
    const visitId = checkIn(d, reg.patient.id, d.drRao).visitId;
    d.c.ok('queue.callNext', {}, d.rao);
    const item: PrescriptionItem = {
      drugId: azithral, genericName: 'Azithromycin', brand: null, form: 'tablet', strength: '500 mg', route: 'oral', dose: '1', frequency: '1-0-1',
      timing: 'after-food', durationDays: 2, quantity: null, instructions: null, instructionsHi: null, acknowledged: [],
    };
    d.c.ok('prescriptions.save', { visitId, items: [item] }, d.rao);
    const given = d.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: azithral, quantity: 4 }] }, ph);
    expect(given.lines.map((l) => [batchNumberOf(s, l.batchId), l.qty])).toEqual([['Z1', 3], ['Z2', 1]]);
    expect(d.c.ok('pharmacy.h1Register', { from: '2026-11-21', to: '2026-11-21' }, ph).map((r) => [r.patientName, r.patientAddress, r.prescriberName, r.batchNumber, r.qty])).toEqual([
      ['Farida Khan', '4 Camp Road, Pune, 411001', 'Dr Meera Rao', 'Z1', 3],
      ['Farida Khan', '4 Camp Road, Pune, 411001', 'Dr Meera Rao', 'Z2', 1],
    ]);
    expect(stock(s, azithral)).toEqual({ Z1: 0, Z2: 2 });
  });
});
