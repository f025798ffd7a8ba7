import fs from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { createClinicApp } from '../../electron/app';
import { formatHlc } from '../../shared/hlc';
import { readSyncSettings, writeSyncSettings } from '../../electron/sync/state';
import { DEFAULT_MIGRATIONS_FOLDER } from '../../db/open';
import { devices as deviceTable, rows as rowsTable } from '../../server/db/schema';
import { ADMIN, TEST_KEY } from '../helpers/app';
import { startSyncServer, waitFor } from '../helpers/sync';
import { tempDir } from '../helpers/temp';
import { changeSigner } from '../../electron/services/signing-keys';
import { connectAs, converge, credentialsOf, keyOf, localIds, note, pullEverything, register, serverRows, setupClinic, signed, sleep, STAFF, type Desk } from './harness';

describe('sync edge cases', () => {
  it('a permanently invalid change is reported as rejected, does not block the queue and does not disappear', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const sqlite = A.c.app.database.sqlite;
    await A.c.app.sync.stop();
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    // Two changes the server can never accept, written straight into the outbox as a buggy or
    // tampered build would: a table that does not sync, and a receptionist renaming the administrator.
    const hlc = () => formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
    // Signed by Rita herself, so what the server judges is the change, not its signature.
    const rita = changeSigner(staff.rita, keyOf(A.c, staff.rita, STAFF.rita.password));
    const insertRow = sqlite.prepare('INSERT INTO change_log (id, table_name, row_id, op, columns, hlc, user_id, sig, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insert = (id: string, table: string, rowId: string, op: 'insert' | 'update', columns: Record<string, unknown>, stamp: string, userId: string) => {
      const s = signed({ id, seq: 0, table, rowId, op, columns, hlc: stamp, userId }, rita);
      insertRow.run(id, table, rowId, op, JSON.stringify(columns), stamp, userId, s.sig, s.keyId);
    };
    const bad = [uuidv7(), uuidv7()] as const;
    insert(bad[0], 'sessions', 'session-1', 'insert', { id: 'session-1', token_hash: 'x' }, hlc(), staff.rita);
    insert(bad[1], 'users', adminId, 'update', { full_name: 'Not The Admin', hlc: hlc() }, hlc(), staff.rita);
    // A real patient row whose insert the server refuses (made by someone the server does not know):
    // it stays on A, and the copies must still agree on everything else.
    const orphan = register(A, 'Orphan', 7);
    const orphanChange = sqlite.prepare("SELECT id FROM change_log WHERE table_name = 'patients' AND row_id = ? AND op = 'insert'").pluck().get(orphan) as string;
    sqlite.prepare('UPDATE change_log SET user_id = ? WHERE id = ?').run(uuidv7(), orphanChange);
    // Later, ordinary work.
    const later = [register(A, 'AfterBad', 1), register(A, 'AfterBad2', 2)];
    A.c.app.sync.start();
    // converge() also requires equal checksums of every table on A, B and the server.
    await converge(server, clinicId, [A.c, B.c]);
    expect(localIds(A.c, 'patients')).toContain(orphan);
    expect(localIds(B.c, 'patients')).not.toContain(orphan);
    expect(sqlite.prepare('SELECT rejected_reason FROM change_log WHERE id = ?').pluck().get(orphanChange)).toBe('the user who made the change is not known to the server');

    // The good changes went through (the queue was not blocked)...
    for (const id of later) expect(localIds(B.c, 'patients')).toContain(id);
    expect(A.c.app.sync.getStatus()).toMatchObject({ pending: 0, rejected: 3 });
    // ...and the bad ones are kept, with the server's reason, and listed for the administrator.
    const reasons = Object.fromEntries(
      (sqlite.prepare('SELECT id, rejected_reason AS reason FROM change_log WHERE rejected_at IS NOT NULL').all() as { id: string; reason: string }[]).map((r) => [r.id, r.reason]),
    );
    expect(reasons).toEqual({
      [bad[0]]: 'sessions is not a synced table',
      [bad[1]]: 'a receptionist may not change users',
      [orphanChange]: 'the user who made the change is not known to the server',
    });
    const listed = A.c.ok('sync.outbox', { kind: 'rejected' }, A.admin);
    expect(listed.map((r) => [r.id, r.reason]).sort()).toEqual(Object.entries(reasons).sort());
    // The server records its refusals; a change by someone it does not know is answered "retry"
    // (the account may be on its way), and the desk, which knows none is coming, refuses it itself.
    expect((await server.store.rejectedChanges(clinicId)).map((r) => r.changeId).sort()).toEqual([...bad].sort());
    // Nobody's copy of the administrator changed.
    for (const d of [A, B]) expect(d.c.ok('auth.me', {}, d.admin).user.fullName).toBe(ADMIN.fullName);
    const [adminOnServer] = (await serverRows(server.database.db, clinicId, 'users')).filter((u) => u.rowId === adminId);
    expect(adminOnServer?.data.full_name).toBe(ADMIN.fullName);

    // Not re-sent, not lost: after more work and a restart of the engine they are still there, still rejected.
    register(A, 'AfterBad3', 3);
    await A.c.app.sync.stop();
    A.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);
    expect(A.c.app.sync.getStatus()).toMatchObject({ pending: 0, rejected: 3 });
    expect(sqlite.prepare('SELECT count(*) FROM change_log WHERE id IN (?, ?) AND rejected_at IS NOT NULL AND pushed_at IS NULL').pluck().get(...bad)).toBe(2);
    // A replay of the rejected change gets the same answer.
    const client = await connectAs(server.url, credentialsOf(A.c));
    const replay = await client.push([{ id: bad[1], seq: 1, table: 'users', rowId: adminId, op: 'update', columns: { full_name: 'Not The Admin' }, hlc: hlc(), userId: staff.rita }]);
    client.close();
    expect(replay.ok && replay.results[0]).toMatchObject({ status: 'duplicate', reason: 'a receptionist may not change users' });
  }, 60_000);

  it('a clinic never receives another clinic’s rows', async () => {
    const server = await startSyncServer();
    const one = await setupClinic(server, { devices: 1, name: 'Sharma Clinic' });
    const two = await setupClinic(server, { devices: 1, name: 'Rao Clinic' });
    const [A] = one.devices as [Desk];
    const [X] = two.devices as [Desk];
    const pa = register(A, 'Sharmapatient', 1);
    const px = register(X, 'Raopatient', 2);
    A.c.ok('billing.recordPayment', { patientId: pa, parts: [{ mode: 'cash', amountPaise: 5_000 }] }, A.admin);
    X.c.ok('billing.recordPayment', { patientId: px, parts: [{ mode: 'cash', amountPaise: 7_000 }] }, X.admin);
    await converge(server, one.clinicId, [A.c]);
    await converge(server, two.clinicId, [X.c]);

    const idsOf = (d: Desk) => {
      const out = new Set<string>();
      for (const table of ['users', 'facility', 'doctor_profiles', 'doctor_schedules', 'patients', 'payments', 'audit_log', 'appointments', 'visits']) {
        for (const id of localIds(d.c, table)) out.add(id);
      }
      return out;
    };
    const onA = idsOf(A);
    const onX = idsOf(X);
    expect([...onA].filter((id) => onX.has(id))).toEqual([]);
    expect(onA.has(pa) && !onA.has(px) && onX.has(px) && !onX.has(pa)).toBe(true);
    // Pulling everything from the start, as X, yields only X's clinic.
    const asX = await connectAs(server.url, credentialsOf(X.c));
    const everything = await pullEverything(asX);
    asX.close();
    expect([...everything.values()].every((r) => onX.has(String(r.data.id)))).toBe(true);
    expect([...everything.values()].some((r) => onA.has(String(r.data.id)))).toBe(false);
    // X cannot present itself as a device of the other clinic.
    await expect(connectAs(server.url, { ...credentialsOf(X.c), clinicId: one.clinicId })).rejects.toThrow(/unknown_device/);
    // The same facility row id cannot collide either: each clinic's copy is its own.
    expect(await serverRows(server.database.db, one.clinicId, 'payments')).toHaveLength(1);
    expect(await serverRows(server.database.db, two.clinicId, 'payments')).toHaveLength(1);
  }, 60_000);

  it('an app upgrade with a non-empty outbox: the reopened (migrated) app pushes what was waiting', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    await A.c.app.sync.stop();
    const ids = [register(A, 'Upgrade', 1), register(A, 'Upgrade2', 2)];
    A.c.ok('billing.recordPayment', { patientId: ids[0], parts: [{ mode: 'cash', amountPaise: 12_300 }] }, A.admin);
    const pending = A.c.app.sync.getStatus().pending;
    expect(pending).toBeGreaterThan(4);
    A.c.app.close();

    // The next version brings one more migration.
    const upgraded = path.join(tempDir('clinic-upgrade-'), 'migrations');
    fs.cpSync(DEFAULT_MIGRATIONS_FOLDER, upgraded, { recursive: true });
    const journalFile = path.join(upgraded, 'meta', '_journal.json');
    const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[] };
    const last = journal.entries.at(-1)!;
    const tag = `${String(last.idx + 1).padStart(4, '0')}_sync_test_upgrade`;
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1_000, tag });
    fs.writeFileSync(journalFile, JSON.stringify(journal, null, 2));
    fs.writeFileSync(path.join(upgraded, `${tag}.sql`), 'CREATE TABLE `upgrade_probe` (`id` text PRIMARY KEY NOT NULL);\n');

    const reopened = createClinicApp({ dataDir: A.c.dataDir, migrationsFolder: upgraded, appVersion: '0.2.0', key: TEST_KEY, backupScheduler: false });
    try {
      const sqlite = reopened.database.sqlite;
      expect(sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'upgrade_probe'").pluck().get()).toBe(1);
      await waitFor(() => reopened.sync.getStatus().pending === 0, 'the upgraded app to push its outbox');
      await converge(server, clinicId, [{ app: reopened }, B.c]);
      for (const id of ids) expect(localIds(B.c, 'patients')).toContain(id);
      expect(await serverRows(server.database.db, clinicId, 'payments')).toHaveLength(1);
    } finally {
      reopened.close();
    }
  }, 60_000);

  it('a wrong or revoked credential is refused, shown as refused, and not retried in a fast loop; nothing waiting is lost', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const hellos = new Map<string, number>();
    server.server.io.on('connection', (socket) => {
      socket.on('hello', (h: { deviceId?: string }) => {
        hellos.set(String(h.deviceId), (hellos.get(String(h.deviceId)) ?? 0) + 1);
      });
    });
    const count = (d: Desk) => hellos.get(d.c.app.deviceId) ?? 0;

    // B's credential is wrong (a restored backup of another workstation, a typo, tampering).
    await B.c.app.sync.stop();
    const waiting = register(B, 'Waiting', 1);
    writeSyncSettings(B.c.app.database.sqlite, { credential: 'not-the-credential' });
    B.c.app.sync.start();
    await waitFor(() => B.c.app.sync.getStatus().state === 'refused', 'B to be refused');
    expect(B.c.ok('sync.status', {}, B.admin)).toMatchObject({ state: 'refused', lastError: 'The workstation credential is not valid.' });
    expect(B.c.app.sync.getStatus().pending).toBeGreaterThanOrEqual(2); // the patient and its audit row (at least), waiting

    // A is revoked on the server while it is online: its next push is refused and it says so.
    await server.database.db.update(deviceTable).set({ revokedAt: new Date() }).where(eq(deviceTable.id, A.c.app.deviceId));
    const afterRevoke = register(A, 'AfterRevoke', 2);
    await waitFor(() => A.c.app.sync.getStatus().state === 'refused', 'A to be refused after its revocation');
    expect(A.c.ok('sync.status', {}, A.admin)).toMatchObject({ state: 'refused', lastError: 'This workstation has been removed from the clinic.' });
    const before = { a: count(A), b: count(B) };
    await sleep(3_000);
    // No fast loop: neither knocked again in 3 s (the next try is about a minute away).
    expect({ a: count(A), b: count(B) }).toEqual(before);
    expect(B.c.app.sync.getStatus().state).toBe('refused');
    // Offline and back (a token that expired while offline): still refused at hello, still holding its changes.
    await A.c.app.sync.stop();
    A.c.app.sync.start();
    await waitFor(() => A.c.app.sync.getStatus().state === 'refused', 'A to be refused at hello');
    expect(A.c.app.sync.getStatus().pending).toBeGreaterThan(0);
    expect(localIds(A.c, 'patients')).toContain(afterRevoke);
    expect(localIds(B.c, 'patients')).toContain(waiting);
    expect((await serverRows(server.database.db, clinicId, 'patients')).map((r) => r.rowId)).not.toContain(afterRevoke);
    expect(readSyncSettings(A.c.app.database.sqlite).credential).not.toBeNull(); // nothing was wiped
    note(`refused devices: hello counts A ${count(A)}, B ${count(B)}`);
  }, 60_000);

  it('an edit of a row the server never had is refused; a partial row on the server updates the devices that have it and blocks nobody', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const stamp = () => formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
    // A build that sends an edit without ever sending the row: refused, with a reason, not stored.
    const ghost = uuidv7();
    const client = await connectAs(server.url, credentialsOf(A.c));
    const admin = changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password));
    const ack = await client.push([signed({ id: uuidv7(), seq: 1, table: 'patients', rowId: ghost, op: 'update', columns: { city: 'Nowhere', hlc: stamp() }, hlc: stamp(), userId: adminId }, admin)]);
    client.close();
    expect(ack.ok && ack.results[0]).toMatchObject({ status: 'rejected', reason: 'the patients row it changes is not on the server' });
    expect((await serverRows(server.database.db, clinicId, 'patients')).map((r) => r.rowId)).not.toContain(ghost);

    // Rows the server holds only in part (as an older server stored such edits): an edit of a
    // reference row every device was installed with, and a row no device has.
    const hlc = stamp();
    const cbc = '00000000-0000-7000-8000-000000000001';
    const partial = (table: string, rowId: string, data: Record<string, unknown>) =>
      server.database.db.insert(rowsTable).values({ clinicId, tableName: table, rowId, data, fieldHlc: Object.fromEntries(Object.keys(data).map((k) => [k, hlc])), hlc, seq: sql`nextval('change_seq')` });
    await partial('lab_tests', cbc, { price_paise: 45_000, updated_at: Date.now(), hlc });
    await partial('patients', ghost, { city: 'Nowhere', hlc });
    const later = register(A, 'AfterPartial', 1);
    for (const d of [A, B, A, B]) await d.c.app.sync.syncNow(); // (the ghost row itself cannot converge)
    for (const d of [A, B]) {
      expect(localIds(d.c, 'patients')).toContain(later); // nothing was blocked
      expect(d.c.app.sync.getStatus().lastError).toBeNull();
      expect(d.c.ok('labs.tests', {}, d.admin).find((t) => t.id === cbc)?.pricePaise).toBe(45_000);
    }
    await server.database.db.delete(rowsTable).where(and(eq(rowsTable.clinicId, clinicId), eq(rowsTable.rowId, ghost)));
    await converge(server, clinicId, [A.c, B.c]);
  }, 60_000);

  it('a copy that drifted behind sync’s back is repaired by the checksum comparison, once, not in a loop', async () => {
    const server = await startSyncServer();
    const resyncs: string[] = [];
    server.server.io.on('connection', (socket) => {
      socket.on('pull', (p: { table?: string }) => {
        if (p.table) resyncs.push(p.table);
      });
    });
    // Devices compare checksums on every cycle here (makeDevice's default in tests).
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const patient = register(A, 'Drifter', 1);
    await converge(server, clinicId, [A.c, B.c]);
    expect(resyncs).toEqual([]);
    const drift = A.c.app.database.sqlite.prepare("UPDATE patients SET city = 'Drift', hlc = '000000000000001-0000-drift' WHERE id = ?");
    drift.run(patient);
    await A.c.app.sync.syncNow();
    expect(resyncs).toEqual(['patients']);
    expect(A.c.ok('patients.get', { id: patient }, A.admin).patient.city).toBeNull();
    await converge(server, clinicId, [A.c, B.c]);
    // Drifting again within the hour: detected, but the table is not downloaded again and again.
    drift.run(patient);
    for (let i = 0; i < 3; i++) await A.c.app.sync.syncNow();
    expect(resyncs).toEqual(['patients']);
  }, 60_000);
});
