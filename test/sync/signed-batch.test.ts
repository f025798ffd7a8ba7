import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner, generateSigningKey } from '../../electron/services/signing-keys';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/**
 * A push big enough that the server verifies its signatures in worker threads ahead of the apply
 * loop (server/verify-pool.ts): every verdict must be the one the change would get on its own,
 * including a key that the same push replaces before later changes use it.
 */
describe('signatures of a large push', () => {
  it('are judged change by change: forged and altered ones refused, a key replaced mid-push honoured from that change on', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const patient = register(A, 'Batchsigned', 1);
    await converge(server, clinicId, [A.c]);
    const adminKey = keyOf(A.c, adminId, ADMIN.password);
    const ritaKey = keyOf(A.c, staff.rita, STAFF.rita.password);
    const ritaNew = generateSigningKey('rita-after-reset');
    const base = Date.now();
    let counter = 0;
    const hlc = (ahead = 0) => formatHlc({ wallMs: base + ahead, counter: counter++, deviceId: A.c.app.deviceId });
    const edit = (city: string, userId: string = staff.rita, ahead = 0): Change => {
      const h = hlc(ahead);
      return { id: uuidv7(), seq: 1, table: 'patients', rowId: patient, op: 'update', columns: { city, hlc: h }, hlc: h, userId };
    };
    const byRita = changeSigner(staff.rita, ritaKey);
    const genuine = Array.from({ length: 6 }, (_, i) => signed(edit(`Pune ${i + 1}`), byRita));
    const altered = { ...signed(edit('Nashik'), byRita), columns: { city: 'Altered', hlc: hlc() } };
    const posingAsAdmin = { ...signed(edit('Posing', adminId), byRita), keyId: adminKey.keyId };
    const resetH = hlc();
    const reset = signed(
      { id: uuidv7(), seq: 1, table: 'users', rowId: staff.rita, op: 'update', columns: { sign_public_key: ritaNew.publicKey, sign_key_wrapped: ritaNew.wrapped, hlc: resetH }, hlc: resetH, userId: adminId },
      changeSigner(adminId, adminKey),
    );
    const withNewKey = signed(edit('Mumbai'), changeSigner(staff.rita, ritaNew));
    const oldKeyAfterReset = signed(edit('Stale', staff.rita, 5_000), byRita);
    const wrongSigNewKey = { ...signed(edit('Thane'), changeSigner(staff.rita, ritaNew)), sig: withNewKey.sig };
    const unsigned = edit('Unsigned');

    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push([...genuine, altered, posingAsAdmin, reset, withNewKey, oldKeyAfterReset, wrongSigNewKey, unsigned]);
    client.close();
    expect(ack.ok && ack.results.map((r) => [r.status, r.reason ?? null])).toEqual([
      ...genuine.map(() => ['applied', null]),
      ['rejected', 'signature does not match'],
      ['rejected', 'signature does not match'],
      ['applied', null],
      ['applied', null],
      ['rejected', "signed with rita's old key, replaced when the password was reset"],
      ['rejected', 'signature does not match'],
      ['rejected', 'not signed by rita'],
    ]);
    const onServer = (await serverRows(server.database.db, clinicId, 'patients')).find((p) => p.rowId === patient);
    expect(onServer?.data.city).toBe('Mumbai');
  }, 90_000);
});
