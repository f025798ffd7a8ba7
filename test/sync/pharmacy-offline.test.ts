import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * The pharmacy's ledger across desks: stock is the sum of movements, so two desks that each sell the
 * last bottle while offline both keep their sale after sync, and the batch shows −1 on the
 * negative-stock list everywhere (for the pharmacist to count and correct), never hidden. A desk
 * credential in the wrong hands cannot add stock as a receptionist, nor edit a movement even as the
 * administrator.
 */
describe('pharmacy stock offline', () => {
  it('two desks offline each sell the last bottle: both movements everywhere, stock −1 listed as negative; forged and edited movements refused', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    A.c.ok('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, A.admin);
    const phA = A.c.login('pooja', 'pooja-password');
    const drugId = A.c.ok('formulary.upsert', { genericName: 'Ambroxol', brandNames: ['Mucolite'], form: 'syrup', strength: '30 mg/5 ml', route: 'oral', gstRateBp: 1200 }, A.admin).id;
    const supplierId = A.c.ok('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', drugLicences: ['MH-PZ1-123456'] }, phA).id;
    const bought = A.c.ok(
      'pharmacy.purchase',
      {
        supplierId,
        supplierInvoice: 'PPD/1',
        invoiceDate: '2026-11-20',
        lines: [{ drugId, batchNumber: 'AMB1', expiry: '2030-12-31', mrpPaise: 9_500, ratePaise: 6_000, packSize: 1, gstRateBp: 1200, packs: 1 }],
      },
      phA,
    );
    const batchId = bought.lines[0]!.batchId;
    // Dr Rao prescribes an H1 drug on A; the pharmacist dispenses it on B (the register syncs back).
    const cefixime = A.c.ok('formulary.upsert', { genericName: 'Cefixime', brandNames: ['Taxim-O'], form: 'tablet', strength: '200 mg', route: 'oral', schedule: 'H1' }, A.admin).id;
    A.c.ok('pharmacy.purchase', { supplierId, supplierInvoice: 'PPD/2', invoiceDate: '2026-11-20', lines: [{ drugId: cefixime, batchNumber: 'CFX1', expiry: '2030-06-30', mrpPaise: 10_900, ratePaise: 7_000, packSize: 10, gstRateBp: 1200, packs: 1 }] }, phA);
    const patient = A.c.ok('patients.register', { patient: { givenName: 'Farida', familyName: 'Khan', gender: 'female', dob: '1979-05-05', addressLine1: '4 Camp Road', city: 'Pune' }, acknowledgeDuplicates: [] }, A.admin);
    if (patient.status !== 'registered') throw new Error('not registered');
    const { visitId } = A.c.ok('queue.checkIn', { patientId: patient.patient.id, doctorId: staff.meera }, A.admin);
    const rao = A.c.login('meera', STAFF.meera.password);
    A.c.ok('queue.callNext', {}, rao);
    const item = { drugId: cefixime, genericName: 'Cefixime', brand: null, form: 'tablet', strength: '200 mg', route: 'oral', dose: '1', frequency: '1-0-1', timing: 'after-food', durationDays: 5, quantity: null, instructions: null, instructionsHi: null, acknowledged: [] };
    A.c.ok('prescriptions.save', { visitId, items: [item] }, rao);
    await converge(server, clinicId, [A.c, B.c]);
    const phB = B.c.login('pooja', 'pooja-password');
    expect(B.c.ok('pharmacy.stock', { drugId }, phB).onHand).toBe(1);
    B.c.ok('pharmacy.dispense', { visitId, lines: [{ itemIndex: 0, drugId: cefixime, quantity: 6 }] }, phB);

    // Both desks offline; each sells the one bottle it sees.
    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    A.c.ok('pharmacy.dispense', { lines: [{ drugId, quantity: 1 }] }, phA);
    B.c.ok('pharmacy.dispense', { lines: [{ drugId, quantity: 1 }] }, phB);
    for (const [d, t] of [[A, phA], [B, phB]] as const) {
      expect(d.c.ok('pharmacy.stock', { drugId }, t).onHand).toBe(0);
      // Offline, each desk refuses a sale it cannot cover.
      expect(d.c.call('pharmacy.dispense', { lines: [{ drugId, quantity: 1 }] }, t)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    }
    A.c.app.sync.start();
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);

    for (const [d, t] of [[A, phA], [B, phB]] as const) {
      expect(d.c.ok('pharmacy.stock', { drugId }, t).onHand).toBe(-1);
      expect(d.c.ok('pharmacy.negativeStock', {}, t)).toEqual([{ batchId, drugId, drugName: 'Ambroxol 30 mg/5 ml', batchNumber: 'AMB1', expiry: '2030-12-31', onHand: -1 }]);
      const kinds = d.c.app.database.sqlite.prepare('SELECT kind, qty, device_id FROM stock_movements WHERE batch_id = ? ORDER BY kind, device_id').all(batchId);
      expect(kinds).toEqual(
        [
          { kind: 'dispense', qty: -1, device_id: A.c.app.deviceId },
          { kind: 'dispense', qty: -1, device_id: B.c.app.deviceId },
          { kind: 'receipt', qty: 1, device_id: A.c.app.deviceId },
        ].sort((x, y) => (x.kind === y.kind ? (x.device_id < y.device_id ? -1 : 1) : x.kind < y.kind ? -1 : 1)),
      );
    }
    // Everything the pharmacist did on either desk was accepted by the server in her name.
    expect(await server.store.rejectedChanges(clinicId)).toEqual([]);
    const register = A.c.ok('pharmacy.h1Register', { from: '2026-01-01', to: '2030-12-31' }, phA);
    expect(register.map((r) => [r.patientName, r.patientAddress, r.prescriberName, r.prescriberRegistration, r.drugName, r.batchNumber, r.qty])).toEqual([
      ['Farida Khan', '4 Camp Road, Pune', 'Dr Meera Rao', 'Maharashtra Medical Council MMC-2011-04567', 'Cefixime 200 mg tablet', 'CFX1', 6],
    ]);
    expect(A.c.ok('pharmacy.prescription', { visitId }, phA).items.map((i) => [i.prescribed, i.dispensed, i.open])).toEqual([[10, 6, 4]]);
    const onServer = (await serverRows(server.database.db, clinicId, 'stock_movements')).filter((r) => r.data.batch_id === batchId);
    expect(onServer.map((r) => r.data.qty).sort()).toEqual([-1, -1, 1]);

    // Forged: Rita (a receptionist) adds 100 bottles; the administrator "corrects" a sale away.
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const rita = changeSigner(staff.rita, keyOf(A.c, staff.rita, STAFF.rita.password));
    const admin = changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password));
    const hlc = (n: number) => formatHlc({ wallMs: Date.now() + 1_000, counter: n, deviceId: A.c.app.deviceId });
    const rowId = uuidv7();
    const now = Date.now();
    const columns = {
      id: rowId, created_at: now, updated_at: now, device_id: A.c.app.deviceId, deleted_at: null, hlc: hlc(0),
      batch_id: batchId, drug_id: drugId, kind: 'adjustment', qty: 100, reason: 'found in store', ref_table: null, ref_id: null, moved_at: now, moved_by: staff.rita,
    };
    const aSale = onServer.find((r) => r.data.qty === -1)!;
    const forged: Change[] = [
      signed({ id: uuidv7(), seq: 1, table: 'stock_movements', rowId, op: 'insert', columns, hlc: hlc(0), userId: staff.rita }, rita),
      signed({ id: uuidv7(), seq: 2, table: 'stock_movements', rowId: aSale.rowId, op: 'update', columns: { qty: 0, hlc: hlc(1) }, hlc: hlc(1), userId: adminId }, admin),
      signed({ id: uuidv7(), seq: 3, table: 'stock_movements', rowId: aSale.rowId, op: 'delete', columns: { hlc: hlc(2) }, hlc: hlc(2), userId: adminId }, admin),
    ];
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push(forged);
    client.close();
    if (!ack.ok) throw new Error(ack.message);
    expect(ack.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'a receptionist may not change stock_movements'],
      ['rejected', 'stock_movements rows are insert-only: they are never changed or deleted once recorded'],
      ['rejected', 'stock_movements rows are insert-only: they are never changed or deleted once recorded'],
    ]);
    await converge(server, clinicId, [A.c, B.c]);
    for (const [d, t] of [[A, phA], [B, phB]] as const) expect(d.c.ok('pharmacy.stock', { drugId }, t).onHand).toBe(-1);
    expect((await serverRows(server.database.db, clinicId, 'stock_movements')).filter((r) => r.data.batch_id === batchId).map((r) => r.data.qty).sort()).toEqual([-1, -1, 1]);
  }, 120_000);
});
