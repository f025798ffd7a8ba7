import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { connectAs, credentialsOf, keyOf, register, serverRows, setupClinic, signed, type Desk } from './harness';

/**
 * A push's columns reach the server exactly as the desk sent them (shared/sync-protocol.ts checks
 * they are an object and copies nothing). A member named "__proto__" used to become the parsed
 * object's prototype: invisible to the signature and to the merge, yet read by any rule that
 * looked a column up by name. Now it is an own member like any other: signed or refused.
 */
describe('a change with a "__proto__" column', () => {
  it('is refused: as an unknown column when signed as sent, as a forgery when signed without it; the row stays as it was', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const patientId = register(A, 'Prototype', 1);
    await A.c.app.sync.syncNow();
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const signer = changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password));
    const hlc = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
    const sent = JSON.parse(`{"city":"Pune","hlc":"${hlc}","__proto__":{"merged_into":"someone-else","family_name":"Forged"}}`) as Record<string, unknown>;
    const update = (seq: number, columns: Record<string, unknown>): Change => ({ id: uuidv7(), seq, table: 'patients', rowId: patientId, op: 'update', columns, hlc, userId: adminId });
    // Signed as sent: the member is a column the table does not have.
    const asSent = signed(update(1, sent), signer);
    // Signed as the server used to see it (without the member), then sent with it.
    const hidden = { ...signed(update(2, { city: 'Pune', hlc }), signer), columns: sent };
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push([asSent, hidden]);
    client.close();
    expect(ack.ok && ack.results.map((r) => r.status === 'rejected' && r.reason)).toEqual(['unknown column(s) __proto__ in patients', 'signature does not match']);
    const row = (await serverRows(server.database.db, clinicId, 'patients')).find((r) => r.rowId === patientId);
    expect(row?.data).toMatchObject({ city: null, family_name: 'Test', merged_into: null });
    await server.stop();
  });
});
