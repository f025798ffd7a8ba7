import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { startSyncServer } from '../helpers/sync';
import { changeSigner } from '../../electron/services/signing-keys';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * A cashier desk's credential in the wrong hands: refund rows pushed straight over the protocol,
 * signed by the cashier, against a bill issued at another desk and not paid. A refund row the app
 * could never write (the whole bill "taken off" with no lines and no credit note, a negative
 * refund, more taken off than the lines come to) is refused with a reason, and the bill's balance
 * due stays what it was, on the server and at the other desk.
 */
describe('forged refund rows', () => {
  it('are refused by the server with a reason; the other desk’s bill keeps its balance due', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const patientId = register(B, 'Unpaidbill', 1);
    const lines = [
      { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 },
      { kind: 'lab', description: 'X-ray chest PA', sacHsn: '999316', quantity: 1, ratePaise: 30_000 },
    ];
    const inv = B.c.ok('billing.issueInvoice', { invoiceId: B.c.ok('billing.createInvoice', { patientId, lines }, B.admin).id }, B.admin);
    await converge(server, clinicId, [A.c, B.c]);
    expect(B.c.ok('billing.invoice', { invoiceId: inv.id }, B.admin)).toMatchObject({ balancePaise: 80_000 });

    const kiran = changeSigner(staff.kiran, keyOf(A.c, staff.kiran, STAFF.kiran.password));
    let counter = 0;
    const forged = (row: Record<string, unknown>): Change => {
      const id = uuidv7();
      const hlc = formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: A.c.app.deviceId });
      const columns = {
        id, created_at: Date.now(), updated_at: Date.now(), device_id: A.c.app.deviceId, deleted_at: null, hlc,
        invoice_id: inv.id, patient_id: patientId, reason: 'Adjustment', refunded_by: staff.kiran, refunded_on: '2026-12-06', ...row,
      };
      return signed({ id: uuidv7(), seq: counter, table: 'refunds', rowId: id, op: 'insert', columns, hlc, userId: staff.kiran }, kiran);
    };
    const xray = { line: 1, description: 'X-ray chest PA', sacHsn: '999316', supplyKind: 'service', gstRateBp: 0, quantity: 1, amountPaise: 30_000, taxablePaise: 30_000, cgstPaise: 0, sgstPaise: 0 };
    const attempts: [string, Change, string][] = [
      ['the whole bill taken off, naming no lines', forged({ mode: 'advance', amount_paise: 0, credited_paise: 80_000, lines: [] }), 'a refund that names no lines of the bill cannot take anything off the bill (credited_paise must be 0)'],
      ['a negative refund', forged({ mode: 'cash', amount_paise: -80_000, credited_paise: 0, lines: [] }), 'a refund cannot give back less than nothing (amount_paise below 0)'],
      [
        'one line named, the whole bill taken off',
        forged({ mode: 'advance', amount_paise: 0, credited_paise: 80_000, lines: [xray] }),
        'a refund by line takes off the bill what its lines come to (30000 paise, give or take the bill’s rupee round-off), not 80000 paise',
      ],
      ['cash back on a bill nobody paid, in mode advance', forged({ mode: 'advance', amount_paise: 30_000, credited_paise: 30_000, lines: [xray] }), 'a refund by line that gives money back says how it was given back (not mode advance)'],
    ];
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push(attempts.map(([, c]) => c));
    client.close();
    if (!ack.ok) throw new Error(ack.message);
    expect(ack.results.map((r, i) => [attempts[i]![0], r.status, r.reason])).toEqual(attempts.map(([what, , reason]) => [what, 'rejected', reason]));

    expect(await serverRows(server.database.db, clinicId, 'refunds')).toEqual([]);
    await converge(server, clinicId, [A.c, B.c]);
    for (const d of [A, B]) {
      expect(d.c.ok('billing.invoice', { invoiceId: inv.id }, d.admin)).toMatchObject({ statusLabel: 'issued', balancePaise: 80_000, creditedPaise: 0, refundedPaise: 0 });
      expect(d.c.ok('billing.dues', {}, d.admin)).toMatchObject({ count: 1, totalDuePaise: 80_000 });
    }
  }, 90_000);
});
