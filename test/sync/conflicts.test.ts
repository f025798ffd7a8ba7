import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { readSyncSettings } from '../../electron/sync/state';
import { formatHlc } from '../../shared/hlc';
import { uniqueClaims } from '../../server/db/schema';
import { startSyncServer } from '../helpers/sync';
import { changeSigner } from '../../electron/services/signing-keys';
import { ADMIN } from '../helpers/app';
import { checksumsOf, connectAs, converge, credentialsOf, diffChecksums, keyOf, localIds, register, serverRows, setupClinic, signed, type Desk } from './harness';

const staffNames = (d: Desk) => d.c.ok('staff.list', {}, d.admin).map((s) => s.username).sort();

describe('conflicts the server decides', () => {
  it('the same username created on two desks offline: the later one is renamed ravi.2 there, both desks list both, each logs in everywhere with their own password', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    const ravi = { fullName: 'Ravi Kumar', roles: ['receptionist' as const] };
    A.c.ok('staff.create', { ...ravi, username: 'ravi', password: 'ravi-at-desk-a' }, A.admin);
    B.c.ok('staff.create', { ...ravi, username: 'ravi', password: 'ravi-at-desk-b' }, B.admin);
    // B's ravi starts work at once, still offline: his registration must survive the rename.
    const raviAtB = B.c.login('ravi', 'ravi-at-desk-b');
    const registered = B.c.ok('patients.register', { patient: { givenName: 'Shanti', familyName: 'Offlinework', gender: 'female', ageYears: 61, mobile: '9812345670' }, acknowledgeDuplicates: [] }, raviAtB);
    // A reaches the server first: its ravi keeps the name.
    A.c.app.sync.start();
    await converge(server, clinicId, [A.c]);
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);

    const users = await serverRows(server.database.db, clinicId, 'users');
    expect(users.map((u) => u.data.username).filter((n) => String(n).startsWith('ravi')).sort()).toEqual(['ravi', 'ravi.2']);
    for (const d of [A, B]) expect(staffNames(d)).toEqual(staffNames(A));
    expect(staffNames(B)).toEqual(expect.arrayContaining(['ravi', 'ravi.2']));
    for (const d of [A, B]) {
      expect(d.c.call('auth.login', { username: 'ravi', password: 'ravi-at-desk-a' }).ok).toBe(true);
      expect(d.c.call('auth.login', { username: 'ravi.2', password: 'ravi-at-desk-b' }).ok).toBe(true);
      expect(d.c.call('auth.login', { username: 'ravi', password: 'ravi-at-desk-b' }).ok).toBe(false);
    }
    // The desk that lost says so, in words, and nothing is left refused or pending.
    const onB = B.c.ok('sync.status', {}, B.admin);
    expect(onB.conflicts).toHaveLength(1);
    expect(onB.conflicts[0]).toMatchObject({ table: 'users', value: 'ravi', renamedTo: 'ravi.2', deviceName: 'Desk A' });
    expect(onB.conflicts[0]!.message).toBe('ravi created on this desk while offline was renamed ravi.2: ravi already existed (made at Desk A). Tell the person their username, or rename it.');
    expect(onB).toMatchObject({ rejected: 0, heldUp: null });
    // What he did before the rename reached the other desk, in his (renamed) name.
    if (registered.status !== 'registered') throw new Error('the registration should have gone through');
    expect(A.c.ok('patients.get', { id: registered.patient.id }, A.admin).patient.familyName).toBe('Offlinework');
    expect(A.c.ok('sync.status', {}, A.admin).conflicts).toEqual([]);

    // The administrator renames ravi.2 to what the person wants; a taken name is refused on the field.
    const second = B.c.ok('staff.list', {}, B.admin).find((s) => s.username === 'ravi.2')!;
    const taken = B.c.call('staff.rename', { userId: second.id, username: 'ravi' }, B.admin);
    expect(taken.ok || taken.error.fields).toEqual({ username: 'This username is already taken' });
    B.c.ok('staff.rename', { userId: second.id, username: 'ravi.k' }, B.admin);
    await converge(server, clinicId, [A.c, B.c]);
    expect(A.c.call('auth.login', { username: 'ravi.k', password: 'ravi-at-desk-b' }).ok).toBe(true);
  }, 60_000);

  it('a pulled row this desk cannot store holds the pull right before it, is shown, and is applied once fixed here; the checksum round shows the difference meanwhile', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    // B holds a user "sunil" the server never accepted (an old build's refused insert, kept there).
    const stray = uuidv7();
    const sqliteB = B.c.app.database.sqlite;
    const now = Date.now();
    const hlc = `${String(now).padStart(15, '0')}-0000-stray`;
    sqliteB
      .prepare("INSERT INTO users (id, created_at, updated_at, hlc, device_id, username, full_name, password_hash, roles, active) VALUES (?, ?, ?, ?, 'old-build', 'sunil', 'Sunil (old build)', 'x', '[\"receptionist\"]', 1)")
      .run(stray, now, now, hlc);
    sqliteB
      .prepare("INSERT INTO change_log (id, table_name, row_id, op, columns, hlc, user_id, rejected_at, rejected_reason) VALUES (?, 'users', ?, 'insert', '{}', ?, NULL, ?, 'refused by the server')")
      .run(uuidv7(), stray, hlc, now);
    // A creates the real sunil, then registers a patient.
    A.c.ok('staff.create', { username: 'sunil', fullName: 'Sunil Rao', password: 'sunil-password', roles: ['cashier'] }, A.admin);
    const after = register(A, 'AfterSunil', 1);
    await A.c.app.sync.syncNow();
    await B.c.app.sync.syncNow();
    await B.c.app.sync.syncNow();

    // B's pull stopped right before the row (its cursor stays below it, retried every cycle), and B says why.
    const held = B.c.ok('sync.status', {}, B.admin).heldUp;
    expect(held?.message).toBe(
      'Sync is held up: the users row \'sunil\' cannot be saved here: another users row on this desk already has username "sunil". Fix it on this desk (e.g. rename the row here); sync tries again every cycle.',
    );
    expect(readSyncSettings(sqliteB).pullCursor).toBeLessThan(held!.seq);
    // The copies differ, and the checksum comparison sees it (it is not silently "in sync").
    expect(diffChecksums(checksumsOf(B.c), await server.store.checksums(clinicId)).some((d) => d.startsWith('users'))).toBe(true);

    // Fixed on B: its stray sunil renamed. The held row and everything after it arrive.
    B.c.ok('staff.rename', { userId: stray, username: 'sunil.old' }, B.admin);
    await B.c.app.sync.syncNow();
    expect(localIds(B.c, 'patients')).toContain(after);
    expect(B.c.ok('sync.status', {}, B.admin).heldUp).toBeNull();
    expect(readSyncSettings(sqliteB).pullCursor).toBeGreaterThanOrEqual(held!.seq);
    expect(B.c.call('auth.login', { username: 'sunil', password: 'sunil-password' }).ok).toBe(true);
    await converge(server, clinicId, [A.c, B.c]);
  }, 60_000);

  it('claims of rows already on the server are built on the first push after the upgrade; the refusal names the value and where it was made, and a replay gets the same answer', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    // A server from before this change: the clinic's rows are there, no claims.
    await server.database.db.delete(uniqueClaims).where(eq(uniqueClaims.clinicId, clinicId));
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const hlc = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
    const rowId = uuidv7();
    const change = signed(
      {
        id: uuidv7(), seq: 1, table: 'users', rowId, op: 'insert' as const, hlc, userId: adminId,
        columns: { id: rowId, created_at: 1, updated_at: 1, hlc, device_id: A.c.app.deviceId, username: 'rita', full_name: 'Another Rita', password_hash: 'x', roles: ['cashier'], active: true, deleted_at: null },
      },
      changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password)),
    );
    const client = await connectAs(server.url, credentialsOf(A.c));
    const rita = A.c.ok('staff.list', {}, A.admin).find((s) => s.username === 'rita')!;
    const expected = { status: 'rejected', reason: 'the username "rita" was taken at Desk A first', conflict: { key: 'users_username_uq', columns: ['username'], value: 'rita', rowId: rita.id, deviceName: 'Desk A' } };
    const ack = await client.push([change]);
    expect(ack.ok && ack.results[0]).toMatchObject(expected);
    const replay = await client.push([change]);
    expect(replay.ok && replay.results[0]).toMatchObject({ ...expected, status: 'duplicate' });
    client.close();
    expect((await serverRows(server.database.db, clinicId, 'users')).map((u) => u.rowId)).not.toContain(rowId);
  }, 60_000);
});
