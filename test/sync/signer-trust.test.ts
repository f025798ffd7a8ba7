import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { eq, sql } from 'drizzle-orm';
import { changeSigner } from '../../electron/services/signing-keys';
import { pendingBatch } from '../../electron/sync/outbox';
import { userKeys } from '../../server/db/schema';
import { ADMIN } from '../helpers/app';
import { startSyncServer, waitFor } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, localIds, register, serverRows, setupClinic, signed, type Desk } from './harness';

describe('signer trust', () => {
  it('a push that raced a revocation (its desk checked before the revocation committed) is refused whole: nothing of it applies', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    await B.c.app.sync.stop();
    const patient = register(B, 'Racing', 1);
    const changes = pendingBatch(B.c.app.database.sqlite);
    expect(changes.some((c) => c.rowId === patient)).toBe(true);
    // B's push has passed the server's device check (it was connected and enrolled)...
    const device = await server.store.authenticateKnown(B.c.app.deviceId, clinicId);
    await waitFor(() => A.c.ok('sync.devices', {}, A.admin).devices.length === 2, 'A to know both workstations');
    // ...and the administrator's revocation commits before the push takes the clinic's lock.
    A.c.ok('sync.revokeDevice', { deviceId: B.c.app.deviceId, reason: 'Laptop stolen' }, A.admin);
    await A.c.app.sync.syncNow();
    await expect(server.store.applyPush(device, changes)).rejects.toThrow('This workstation has been removed from the clinic.');
    expect((await serverRows(server.database.db, clinicId, 'patients')).map((r) => r.rowId)).not.toContain(patient);
    expect(localIds(B.c, 'patients')).toContain(patient);
  }, 90_000);

  it('an unsigned audit row may name a person only as a failed login: a forged one in the administrator’s name is refused, real failed logins sync', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    // Real failed logins on B: a wrong password for Rita, and an unknown name.
    expect(B.c.call('auth.login', { username: 'rita', password: 'not-her-password' }, null)).toMatchObject({ ok: false });
    expect(B.c.call('auth.login', { username: 'nobody', password: 'whatever-password' }, null)).toMatchObject({ ok: false });
    const hlc = () => formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
    const auditRow = (columns: Record<string, unknown>): Change => {
      const id = uuidv7();
      const at = Date.now();
      const stamp = hlc();
      return {
        id: uuidv7(), seq: 1, table: 'audit_log', rowId: id, op: 'insert', hlc: stamp, userId: null,
        columns: { id, created_at: at, updated_at: at, hlc: stamp, device_id: A.c.app.deviceId, deleted_at: null, at, old_values: null, new_values: null, ...columns },
      };
    };
    const login = { user_id: adminId, username: 'admin', action: 'auth.login', outcome: 'failed', entity_type: 'user', entity_id: adminId, detail: 'Wrong username or password.' };
    const forged = [
      auditRow({ ...login, action: 'patients.delete', entity_type: 'patients', entity_id: uuidv7(), detail: 'Deleted the patient on request' }),
      auditRow({ ...login, detail: 'Wrong username or password. Patient Anil Kumar is HIV positive' }),
      auditRow({ ...login, user_id: null, entity_type: null, entity_id: null, action: 'billing.voidInvoice', detail: 'voided by admin' }),
      auditRow({ ...login, new_values: { note: 'clinical text' } }),
      auditRow({ ...login, entity_id: staff.rita }),
    ];
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push([...forged, auditRow(login)]);
    client.close();
    expect(ack.ok && ack.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'applied']);
    expect(ack.ok && ack.results[0]?.reason).toMatch(/audit_log.user_id names a person, so the change must come from that person logged in/);
    expect(ack.ok && ack.results[2]?.reason).toMatch(/without their signature can only be a failed login/);
    await converge(server, clinicId, [A.c, B.c]);
    const onServer = (await serverRows(server.database.db, clinicId, 'audit_log')).map((r) => r.rowId);
    for (const f of forged) expect(onServer).not.toContain(f.rowId);
    expect(A.c.app.database.sqlite.prepare("SELECT count(*) FROM audit_log WHERE action = 'patients.delete' OR detail LIKE '%HIV%'").pluck().get()).toBe(0);
    // B's real failed logins reached the server and A, none refused.
    expect(B.c.app.database.sqlite.prepare('SELECT count(*) FROM change_log WHERE rejected_at IS NOT NULL').pluck().get()).toBe(0);
    const failedOnA = A.c.app.database.sqlite.prepare("SELECT username, user_id AS userId FROM audit_log WHERE action = 'auth.login' AND outcome != 'ok' AND device_id = ? ORDER BY username").all(B.c.app.deviceId);
    expect(failedOnA).toEqual([{ username: 'nobody', userId: null }, { username: 'rita', userId: staff.rita }]);
  }, 90_000);

  it('a user from before signing: nothing unsigned in their name is accepted, and their first key only from a desk they worked on, which administrators see', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    // Lena's account is from before signed changes: on the server she has no key.
    await A.c.app.sync.stop();
    const lena = A.c.ok('staff.create', { username: 'lena', fullName: 'Lena Thomas', password: 'lena-password', roles: ['receptionist'] }, A.admin).id;
    const sqlite = A.c.app.database.sqlite;
    const made = sqlite.prepare("SELECT id, seq, columns, hlc, user_id AS userId FROM change_log WHERE table_name = 'users' AND row_id = ? AND op = 'insert'").get(lena) as { id: string; seq: number; columns: string; hlc: string; userId: string };
    const legacy = signed(
      { id: made.id, seq: made.seq, table: 'users', rowId: lena, op: 'insert', columns: { ...(JSON.parse(made.columns) as Record<string, unknown>), sign_public_key: null, sign_key_wrapped: null }, hlc: made.hlc, userId: made.userId },
      changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password)),
    );
    sqlite.prepare('UPDATE change_log SET columns = ?, sig = ?, key_id = ? WHERE id = ?').run(JSON.stringify(legacy.columns), legacy.sig, legacy.keyId, made.id);
    sqlite.prepare('UPDATE users SET sign_public_key = NULL, sign_key_wrapped = NULL WHERE id = ?').run(lena);
    A.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);
    // What her years on Desk A left on the server: audit entries of her work, stamped with Desk A.
    const at = Date.now();
    const past = { id: uuidv7(), created_at: at, updated_at: at, hlc: formatHlc({ wallMs: at, counter: 0, deviceId: A.c.app.deviceId }), device_id: A.c.app.deviceId, deleted_at: null, at, user_id: lena, username: 'lena', action: 'patients.create', outcome: 'ok', entity_type: 'patients', entity_id: uuidv7(), old_values: null, new_values: null, detail: null };
    await server.database.db.execute(sql`INSERT INTO rows (clinic_id, table_name, row_id, data, field_hlc, hlc, seq) VALUES (${clinicId}, 'audit_log', ${past.id}, ${JSON.stringify(past)}::jsonb, '{}'::jsonb, ${past.hlc}, nextval('change_seq'))`);

    // A desk cannot act as her unsigned (as a build from before signing would).
    const hlc = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: B.c.app.deviceId });
    const patientId = uuidv7();
    const unsigned: Change = { id: uuidv7(), seq: 1, table: 'patients', rowId: patientId, op: 'update', columns: { full_name: 'Someone', hlc }, hlc, userId: lena };
    const client = await connectAs(server.url, credentialsOf(B.c));
    const ack = await client.push([unsigned]);
    client.close();
    expect(ack.ok && ack.results[0]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/not signed by lena: they have no signing key yet/) });
    // A build from before signing is told to update.
    await expect(connectAs(server.url, credentialsOf(B.c), '0.0.9')).rejects.toThrow(/app_too_old Update this workstation to 0.2.0/);

    // She logs in first on Desk B, where she never worked: the key it made her is refused there.
    B.c.login('lena', 'lena-password');
    await B.c.app.sync.syncNow();
    const refused = B.c.app.database.sqlite.prepare("SELECT rejected_reason FROM change_log WHERE table_name = 'users' AND row_id = ? AND rejected_at IS NOT NULL").pluck().all(lena);
    expect(refused).toEqual([expect.stringMatching(/lena's first signing key can only come from a workstation they have worked on before/)]);
    // On Desk A, where she worked, her first key is accepted, and administrators see where it came from.
    A.c.login('lena', 'lena-password');
    await converge(server, clinicId, [A.c, B.c]);
    const keys = await server.database.db.select().from(userKeys).where(eq(userKeys.userId, lena));
    expect(keys.map((k) => [k.firstUse, k.registeredByDevice])).toEqual([[true, A.c.app.deviceId]]);
    await waitFor(() => A.c.ok('sync.devices', {}, A.admin).firstKeys.length === 1, 'A to list the first key');
    expect(A.c.ok('sync.devices', {}, A.admin).firstKeys).toEqual([{ userId: lena, username: 'lena', deviceId: A.c.app.deviceId, deviceName: 'Desk A', at: expect.any(Number) }]);
  }, 120_000);
});

