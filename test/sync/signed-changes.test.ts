import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { signKeyId } from '../../db/sign-key-id';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { userKeys } from '../../server/db/schema';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, localIds, register, serverRows, setupClinic, signed, STAFF, type Desk, type HasApp } from './harness';

const rejectedOf = (c: HasApp) => c.app.database.sqlite.prepare('SELECT table_name, rejected_reason FROM change_log WHERE rejected_at IS NOT NULL').all();

describe('signed changes', () => {
  it('a desk cannot act as the administrator: unsigned, signed by someone else, or altered after signing, the change is refused and no copy changes', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const adminKey = keyOf(A.c, adminId, ADMIN.password);
    const ritaKey = keyOf(A.c, staff.rita, STAFF.rita.password);
    const hlc = () => formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
    // Rita (a receptionist) makes herself an administrator, naming the administrator as the author.
    const promote = (): Change => ({ id: uuidv7(), seq: 1, table: 'users', rowId: staff.rita, op: 'update', columns: { roles: ['admin', 'receptionist'], hlc: hlc() }, hlc: hlc(), userId: adminId });
    const unsigned = promote();
    const byRita = signed(promote(), changeSigner(adminId, ritaKey));
    const claimsAdminsKey = { ...signed(promote(), changeSigner(adminId, ritaKey)), keyId: adminKey.keyId };
    const genuine = signed(promote(), changeSigner(adminId, adminKey));
    const altered = { ...genuine, id: uuidv7(), columns: { ...genuine.columns, full_name: 'Rita the Admin' } };
    const alteredId = { ...signed(promote(), changeSigner(adminId, adminKey)), rowId: adminId, columns: { roles: ['receptionist'], hlc: hlc() } };

    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push([unsigned, byRita, claimsAdminsKey, altered, alteredId]);
    client.close();
    expect(ack.ok && ack.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'not signed by admin'],
      ['rejected', 'not signed by admin'],
      ['rejected', 'signature does not match'],
      ['rejected', 'signature does not match'],
      ['rejected', 'signature does not match'],
    ]);
    await converge(server, clinicId, [A.c, B.c]);
    for (const d of [A, B]) {
      const roles = d.c.app.database.sqlite.prepare('SELECT roles FROM users WHERE id = ?').pluck().get(staff.rita);
      expect(JSON.parse(String(roles))).toEqual(['receptionist']);
    }
    const ritaOnServer = (await serverRows(server.database.db, clinicId, 'users')).find((u) => u.rowId === staff.rita);
    expect(ritaOnServer?.data.roles).toEqual(['receptionist']);
    expect(ritaOnServer?.data.full_name).toBe(STAFF.rita.fullName);

    // The same change with the administrator's own signature is accepted: the refusals above were the signatures'.
    const again = await connectAs(server.url, credentialsOf(A.c));
    const ok = await again.push([genuine]);
    again.close();
    expect(ok.ok && ok.results[0]).toMatchObject({ status: 'applied' });
  }, 90_000);

  it('staff made on A work on B; a password change and an administrator’s reset keep their changes verifying, including work queued offline before the reset', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    // Rita was created on A (before B joined) and logs in on B: her key opens there and signs.
    const ritaB = B.c.login('rita', STAFF.rita.password);
    const first = register(B, 'Signedonb', 1, ritaB);
    await converge(server, clinicId, [A.c, B.c]);
    expect(localIds(A.c, 'patients')).toContain(first);
    const signedRows = B.c.app.database.sqlite.prepare("SELECT count(*) FROM change_log WHERE user_id = ? AND key_id IS NOT NULL AND sig IS NOT NULL AND table_name = 'patients'").pluck().get(staff.rita);
    expect(signedRows).toBe(1);

    // She changes her password on B: the same key, re-wrapped; her later work still verifies, and
    // the new password opens her key on A.
    B.c.ok('auth.changePassword', { currentPassword: STAFF.rita.password, newPassword: 'rita-second-password' }, ritaB);
    const second = register(B, 'Afterchange', 2, ritaB);
    await converge(server, clinicId, [A.c, B.c]);
    const ritaA = A.c.login('rita', 'rita-second-password');
    const third = register(A, 'Onaafterchange', 3, ritaA);
    await converge(server, clinicId, [A.c, B.c]);
    for (const id of [second, third]) expect(localIds(B.c, 'patients')).toContain(id);

    // B goes offline; Rita keeps working there with her key. Meanwhile the administrator resets her
    // password on A: a new key pair, the old one retired on the server.
    await B.c.app.sync.stop();
    const queued = register(B, 'Queuedoffline', 4, ritaB);
    const oldKey = keyOf(B.c, staff.rita, 'rita-second-password');
    A.c.ok('staff.resetPassword', { userId: staff.rita, newPassword: 'rita-reset-password' }, A.admin);
    await A.c.app.sync.syncNow();
    const ritaA2 = A.c.login('rita', 'rita-reset-password');
    A.c.ok('auth.changePassword', { currentPassword: 'rita-reset-password', newPassword: 'rita-own-password' }, ritaA2);
    const afterReset = register(A, 'Afterreset', 5, ritaA2);
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);
    for (const d of [A, B]) for (const id of [queued, afterReset]) expect(localIds(d.c, 'patients')).toContain(id);
    expect(rejectedOf(A.c)).toEqual([]);
    expect(rejectedOf(B.c)).toEqual([]);
    expect(await server.store.rejectedChanges(clinicId)).toEqual([]);

    // The old key no longer signs anything new: whoever still holds it is out.
    const hlc = formatHlc({ wallMs: Date.now() + 1_000, counter: 0, deviceId: B.c.app.deviceId });
    const late = signed({ id: uuidv7(), seq: 1, table: 'patients', rowId: first, op: 'update', columns: { city: 'Forged', hlc }, hlc, userId: staff.rita }, changeSigner(staff.rita, oldKey));
    const client = await connectAs(server.url, credentialsOf(B.c));
    const ack = await client.push([late]);
    client.close();
    expect(ack.ok && ack.results[0]).toMatchObject({ status: 'rejected', reason: "signed with rita's old key, replaced when the password was reset" });
  }, 120_000);

  it('a key of small order is never registered: an administrator’s “reset” to the identity point is refused, and the “signature of every message” under it signs nothing', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const patientId = register(A, 'Weakkey', 1);
    await converge(server, clinicId, [A.c]);
    const hlc = (n: number) => formatHlc({ wallMs: Date.now(), counter: n, deviceId: A.c.app.deviceId });
    // The identity point as a public key: under it, "R = identity, S = 0" verifies (with OpenSSL) for any message.
    const weak = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from([1]), Buffer.alloc(31)]).toString('base64');
    const everything = Buffer.concat([Buffer.from([1]), Buffer.alloc(63)]).toString('base64');
    const reset = signed({ id: uuidv7(), seq: 1, table: 'users', rowId: staff.rita, op: 'update', columns: { sign_public_key: weak, hlc: hlc(1) }, hlc: hlc(1), userId: adminId }, changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password)));
    // Then any desk writes as Rita without her password.
    const asRita: Change = { id: uuidv7(), seq: 2, table: 'patients', rowId: patientId, op: 'update', columns: { city: 'Forged', hlc: hlc(2) }, hlc: hlc(2), userId: staff.rita, sig: everything, keyId: signKeyId(weak) };

    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push([reset, asRita]);
    client.close();
    expect(ack.ok && ack.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'sign_public_key is not a usable Ed25519 public key'],
      ['rejected', 'not signed by rita'],
    ]);
    const onServer = (await serverRows(server.database.db, clinicId, 'patients')).find((p) => p.rowId === patientId);
    expect(onServer?.data.city).not.toBe('Forged');
    const ritaOnServer = (await serverRows(server.database.db, clinicId, 'users')).find((u) => u.rowId === staff.rita);
    expect(ritaOnServer?.data.sign_public_key).not.toBe(weak);

    // Such a key registered by a server from before this check: nothing verifies under it, on the
    // main thread (a push of a few changes) or in the signature workers (eight or more).
    await server.database.db.insert(userKeys).values({ clinicId, userId: staff.rita, keyId: signKeyId(weak), publicKey: weak, registeredAt: new Date(), registeredByDevice: A.c.app.deviceId, firstUse: false });
    const forge = (n: number): Change => ({ ...asRita, id: uuidv7(), seq: 10 + n, columns: { city: `Forged ${n}`, hlc: hlc(10 + n) }, hlc: hlc(10 + n) });
    const again = await connectAs(server.url, credentialsOf(A.c));
    const few = await again.push([forge(1)]);
    const many = await again.push(Array.from({ length: 8 }, (_, i) => forge(2 + i)));
    again.close();
    expect(few.ok && few.results.map((r) => r.reason)).toEqual(['signature does not match']);
    expect(many.ok && many.results.map((r) => r.reason)).toEqual(Array(8).fill('signature does not match'));
    const after = (await serverRows(server.database.db, clinicId, 'patients')).find((p) => p.rowId === patientId);
    expect(String(after?.data.city)).not.toMatch(/Forged/);
  }, 90_000);
});
