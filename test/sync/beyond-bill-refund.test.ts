import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../helpers/sync';
import { converge, register, serverRows, setupClinic } from './harness';

/**
 * A refund of money paid beyond the bill names no lines by design and is written with lines = []:
 * through the server and at the other desk it must stay [], never turn into null, which is how a
 * refund from before refunds by line reads (its credit worked out on reading, billing/ledger.ts).
 */
describe('a refund of money paid beyond the bill, across desks', () => {
  it('arrives at the other desk naming no lines by design: the bill reads paid there too, nothing due', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const patientId = register(A, 'Overpaid', 1);
    const draft = A.c.ok('billing.createInvoice', { patientId, doctorId, lines: [{ kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 80_000 }] }, A.admin);
    const inv = A.c.ok('billing.issueInvoice', { invoiceId: draft.id }, A.admin);
    await converge(server, clinicId, [A.c, B.c]);

    // Offline, both desks take payment: ₹800 at A, ₹200 at B; ₹200 was paid beyond the bill.
    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    A.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 80_000 }] }, A.admin);
    B.c.ok('billing.recordPayment', { invoiceId: inv.id, parts: [{ mode: 'cash', amountPaise: 20_000 }] }, B.admin);
    A.c.app.sync.start();
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);
    const back = A.c.ok('billing.refund', { invoiceId: inv.id, amountPaise: 20_000, mode: 'cash', reason: 'Paid at two counters' }, A.admin);
    await converge(server, clinicId, [A.c, B.c]);

    const onServer = (await serverRows(server.database.db, clinicId, 'refunds')).find((r) => r.rowId === back.refundId);
    expect(onServer?.data).toMatchObject({ lines: [], credited_paise: 0 });
    const atB = B.c.app.database.sqlite.prepare('SELECT lines, credited_paise FROM refunds WHERE id = ?').get(back.refundId);
    expect(atB).toEqual({ lines: '[]', credited_paise: 0 });
    for (const d of [A, B]) {
      expect(d.c.ok('billing.invoice', { invoiceId: inv.id }, d.admin)).toMatchObject({ statusLabel: 'paid', paidPaise: 80_000, creditedPaise: 0, balancePaise: 0, creditPaise: 0 });
    }
  }, 60_000);
});
