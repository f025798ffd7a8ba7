import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { formatHlc } from '../../shared/hlc';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { connectAs, credentialsOf, keyOf, register, setupClinic, signed, sleep, type Desk } from './harness';

/** After a push, the clinic's other desks are poked once; the desk that pushed alone is not (server/clinic-pokes.ts). */
describe('pokes after a push', () => {
  it('reach every other desk of the clinic once per push applied, not the desk that pushed, nor a push that applied nothing', async () => {
    const server = await startSyncServer();
    const { devices } = await setupClinic(server, { devices: 3 });
    const [A, B, C] = devices as [Desk, Desk, Desk];
    const patientId = register(A, 'Poked', 1);
    await A.c.app.sync.syncNow();
    // The desks' own engines stop: only the hand-made pushes below are made.
    for (const d of devices) await d.c.app.sync.stop();
    const connect = (d: Desk) => connectAs(server.url, credentialsOf(d.c));
    const [a, b, c] = [await connect(A), await connect(B), await connect(C)];
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const signer = changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password));
    let counter = 0;
    const edit = (d: Desk, city: string) => {
      const hlc = formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: d.c.app.deviceId });
      return signed({ id: uuidv7(), seq: counter, table: 'patients', rowId: patientId, op: 'update', columns: { city, hlc }, hlc, userId: adminId }, signer);
    };
    const settled = () => sleep(300);

    const first = edit(A, 'Pune');
    expect(await a.push([first])).toMatchObject({ ok: true, results: [{ status: 'applied' }] });
    await settled();
    expect([a.pokes(), b.pokes(), c.pokes()]).toEqual([0, 1, 1]);

    // The same change again applies nothing: nobody is poked.
    expect(await a.push([first])).toMatchObject({ ok: true, results: [{ status: 'duplicate' }] });
    await settled();
    expect([a.pokes(), b.pokes(), c.pokes()]).toEqual([0, 1, 1]);

    // B's push pokes A and C.
    expect(await b.push([edit(B, 'Nashik')])).toMatchObject({ ok: true, results: [{ status: 'applied' }] });
    await settled();
    expect([a.pokes(), b.pokes(), c.pokes()]).toEqual([1, 1, 2]);
    for (const x of [a, b, c]) x.close();
    await server.stop();
  });
});
