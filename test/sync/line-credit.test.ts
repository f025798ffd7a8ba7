import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../helpers/sync';
import { converge, register, serverRows, setupClinic } from './harness';

/**
 * A line taken off a bill not paid for (issue #15) gives no money back: its refund row holds
 * amount_paise 0 (mode 'advance': no money moved) and credited_paise the line's value, with a
 * refund voucher. The server accepts both rows as the rule book has them, and at the other desk the
 * bill's balance due has fallen too.
 */
describe('a line of an unpaid bill taken off it, across desks', () => {
  it('is accepted by the server and arrives at the other desk: the balance due falls there, paying the rest makes it paid', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const patientId = register(A, 'Noxray', 1);
    const lines = [
      { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 },
      { kind: 'lab', description: 'X-ray chest PA', sacHsn: '999316', quantity: 1, ratePaise: 30_000 },
    ];
    const draft = A.c.ok('billing.createInvoice', { patientId, doctorId, lines }, A.admin);
    const inv = A.c.ok('billing.issueInvoice', { invoiceId: draft.id }, A.admin);
    const taken = A.c.ok('billing.refund', { invoiceId: inv.id, lines: [{ line: 1, quantity: 1 }], reason: 'X-ray not taken' }, A.admin);
    expect(taken).toMatchObject({ amountPaise: 0, creditedPaise: 30_000 });
    await converge(server, clinicId, [A.c, B.c]);

    expect(await server.store.rejectedChanges(clinicId)).toEqual([]);
    const onServer = (await serverRows(server.database.db, clinicId, 'refunds')).find((r) => r.rowId === taken.refundId);
    expect(onServer?.data).toMatchObject({ amount_paise: 0, credited_paise: 30_000, mode: 'advance' });
    expect((await serverRows(server.database.db, clinicId, 'credit_notes')).map((r) => r.data.number)).toEqual([taken.creditNote!.number]);
    expect(B.c.ok('billing.invoice', { invoiceId: inv.id }, B.admin)).toMatchObject({ statusLabel: 'issued', balancePaise: 50_000, creditedPaise: 30_000, refundedPaise: 0 });
    expect(B.c.ok('billing.dues', {}, B.admin)).toMatchObject({ count: 1, totalDuePaise: 50_000 });

    B.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, B.admin);
    await converge(server, clinicId, [A.c, B.c]);
    for (const d of [A, B]) expect(d.c.ok('billing.invoice', { invoiceId: inv.id }, d.admin)).toMatchObject({ statusLabel: 'paid', balancePaise: 0, creditPaise: 0 });
    for (const d of [A, B]) expect(d.c.app.sync.getStatus()).toMatchObject({ pending: 0, rejected: 0 });
  }, 60_000);
});
