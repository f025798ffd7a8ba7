import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { connectAs, credentialsOf, keyOf, register, serverRows, setupClinic, signed, type Desk } from './harness';

describe('pushes of one clinic take turns by device', () => {
  it("a desk sending a 5,000-change backlog at once does not hold back another desk's single change: that one is acknowledged while the backlog is still being applied", async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    register(A, 'Template', 1);
    await A.c.app.sync.syncNow();
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const signer = changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password));
    const template = JSON.parse(
      A.c.app.database.sqlite.prepare("SELECT columns FROM change_log WHERE table_name = 'patients' AND op = 'insert' LIMIT 1").pluck().get() as string,
    ) as Record<string, unknown>;
    let counter = 0;
    // The MRN in the pushing desk's series (A, B): the server refuses another desk's numbers.
    const newPatient = (deviceId: string, series: string, n: number): Change => {
      const hlc = formatHlc({ wallMs: Date.now(), counter: counter++ % 1000, deviceId });
      const id = uuidv7();
      const columns = { ...template, id, mrn: `${series}-FAIR${n}`, given_name: `Backlog${n}`, device_id: deviceId, hlc };
      return signed({ id: uuidv7(), seq: n + 1, table: 'patients', rowId: id, op: 'insert', columns, hlc, userId: adminId }, signer);
    };
    const backlog = Array.from({ length: 5_000 }, (_, n) => newPatient(A.c.app.deviceId, 'A', n));
    const single = newPatient(B.c.app.deviceId, 'B', 0);

    // (Ten pushes queued at once: the last waits for the nine before it, beyond the usual 20 s.)
    const clientA = await connectAs(server.url, credentialsOf(A.c), '0.2.0', 300_000);
    const clientB = await connectAs(server.url, credentialsOf(B.c), '0.2.0', 300_000);
    const order: string[] = [];
    // A sends its whole backlog, ten pushes of 500, without waiting for the acknowledgements.
    const big = Array.from({ length: 10 }, (_, i) => clientA.push(backlog.slice(i * 500, (i + 1) * 500)).then((ack) => (order.push(`A${i + 1}`), ack)));
    // B's one change comes once A's first push is acknowledged: A's other nine are waiting on the server.
    await big[0];
    const small = clientB.push([single]).then((ack) => (order.push('B'), ack));
    const acks = await Promise.all([...big, small]);
    clientA.close();
    clientB.close();

    for (const ack of acks) expect(ack.ok && ack.results.every((r) => r.status === 'applied')).toBe(true);
    // Acknowledged in the turn after the push of A's being applied when it arrived (A's pushes reach
    // the server over a few seconds on a busy machine), with several of A's still to go: in the
    // order of arrival it came after nine of them.
    expect(order.indexOf('B')).toBeLessThan(order.indexOf('A8'));
    expect(order.slice(-1)).toEqual(['A10']);
    const patients = await serverRows(server.database.db, clinicId, 'patients');
    expect(patients.length).toBe(5_000 + 1 + 1);
  }, 400_000);
});
