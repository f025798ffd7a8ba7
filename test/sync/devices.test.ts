import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import { listDevices } from '../../server/clinic-devices';
import { startSyncServer, waitFor } from '../helpers/sync';
import { changeSigner } from '../../electron/services/signing-keys';
import { appliedRecords, connectAs, converge, credentialsOf, keyOf, localIds, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

const DAY = 86_400_000;

describe('the clinic’s workstations', () => {
  it('an administrator lists the workstations with their app versions and removes a lost one from another desk; a receptionist cannot', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const bId = B.c.app.deviceId;

    // A's administrator sees both desks (A's list is asked for in the background and kept).
    const listOnA = () => A.c.ok('sync.devices', {}, A.admin);
    await waitFor(() => listOnA().devices.length === 2, 'A to know both workstations');
    const list = listOnA();
    expect(list).toMatchObject({ offline: false, note: null });
    expect(list.devices.map((d) => [d.name, d.seriesPrefix, d.appVersion, d.thisWorkstation, d.revokedAt])).toEqual([
      ['Desk A', 'A', '0.2.0', true, null],
      ['Desk B', 'B', '0.2.0', false, null],
    ]);
    expect(list.devices.every((d) => d.lastSeenAt !== null && d.enrolledAt > 0)).toBe(true);

    // A receptionist may not remove a workstation: not through the app...
    const rita = A.c.login('rita', STAFF.rita.password);
    expect(A.c.call('sync.revokeDevice', { deviceId: bId, reason: 'Lost' }, rita)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // ...nor by pushing a revocation row in her name straight to the server.
    const raw = await connectAs(server.url, credentialsOf(A.c));
    const rowId = uuidv7();
    const hlc = formatHlc({ wallMs: Date.now(), counter: 0, deviceId: A.c.app.deviceId });
    const columns = { id: rowId, created_at: Date.now(), updated_at: Date.now(), hlc, device_id: A.c.app.deviceId, deleted_at: null, revoked_device_id: bId, reason: 'Lost', revoked_by: staff.rita };
    // Genuinely signed by her, so the server judges what she asks, not a missing signature.
    const signer = changeSigner(staff.rita, keyOf(A.c, staff.rita, STAFF.rita.password));
    const ack = await raw.push([signed({ id: uuidv7(), seq: 1, table: 'device_revocations', rowId, op: 'insert', columns, hlc, userId: staff.rita }, signer)]);
    raw.close();
    expect(ack.ok && ack.results[0]).toMatchObject({ status: 'rejected', reason: 'a receptionist may not change device_revocations' });
    expect((await listDevices(server.database.db, clinicId)).find((d) => d.id === bId)?.revokedAt).toBeNull();

    // The administrator must give a reason, cannot remove the desk they sit at, nor one the clinic does not have.
    expect(A.c.call('sync.revokeDevice', { deviceId: bId, reason: '  ' }, A.admin)).toMatchObject({ ok: false, error: { code: 'invalid_input', fields: { reason: 'Reason is required' } } });
    expect(A.c.call('sync.revokeDevice', { deviceId: A.c.app.deviceId, reason: 'Lost' }, A.admin)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(A.c.call('sync.revokeDevice', { deviceId: uuidv7(), reason: 'Lost' }, A.admin)).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // B is lost. The administrator removes it from desk A.
    const done = A.c.ok('sync.revokeDevice', { deviceId: bId, reason: 'Laptop stolen from the front desk' }, A.admin);
    expect(done).toMatchObject({ deviceId: bId, name: 'Desk B' });
    const audit = A.c.app.database.sqlite.prepare("SELECT action, entity_type AS entityType FROM audit_log WHERE action = 'sync.revokeDevice' AND outcome = 'ok'").all();
    expect(audit).toEqual([{ action: 'sync.revokeDevice', entityType: 'device_revocations' }]);
    // A revocation, once written, is never changed or taken back by editing the row.
    expect(() => A.c.app.database.sqlite.prepare("UPDATE device_revocations SET reason = 'found'").run()).toThrow(/insert-only/);
    expect(() => A.c.app.database.sqlite.prepare('DELETE FROM device_revocations').run()).toThrow(/insert-only/);

    // The server applies it: B is cut off at once and says it was removed from the clinic.
    await waitFor(() => B.c.app.sync.getStatus().refusal === 'revoked', 'B to learn it was removed');
    expect(B.c.ok('sync.status', {}, B.admin)).toMatchObject({ state: 'refused', refusal: 'revoked', lastError: 'This workstation has been removed from the clinic.' });
    // Its next push is refused: what it records stays on B, and never reaches the server.
    const afterwards = register(B, 'AfterRemoval', 1);
    await expect(connectAs(server.url, credentialsOf(B.c))).rejects.toThrow(/revoked/);
    expect(B.c.app.sync.getStatus()).toMatchObject({ state: 'refused', refusal: 'revoked' });
    expect(B.c.app.sync.getStatus().pending).toBeGreaterThan(0);
    expect(localIds(B.c, 'patients')).toContain(afterwards);
    expect((await serverRows(server.database.db, clinicId, 'patients')).map((r) => r.rowId)).not.toContain(afterwards);

    // The server and A list B as removed.
    expect((await listDevices(server.database.db, clinicId)).find((d) => d.id === bId)?.revokedAt).toEqual(expect.any(Number));
    await waitFor(() => listOnA().devices.find((d) => d.id === bId)?.revokedAt !== null, 'A to list B as removed');
    expect(listOnA().devices.find((d) => d.id === bId)).toMatchObject({ name: 'Desk B', revokeReason: 'Laptop stolen from the front desk', thisWorkstation: false });
    // A's own work goes on.
    register(A, 'StillSyncing', 2);
    await converge(server, clinicId, [A.c]);
    // The administrator's revocation was accepted by the server (the app and the server agree on who may).
    expect(A.c.app.sync.getStatus()).toMatchObject({ pending: 0, rejected: 0 });
  }, 60_000);

  it('a desk whose clock runs a day ahead sees the skew in its status, and its payment (dated tomorrow) is applied but flagged', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2, skews: [0, DAY] });
    const [A, B] = devices as [Desk, Desk];
    const skewOf = (d: Desk) => d.c.ok('sync.status', {}, d.admin).clockSkewMs;
    expect(Math.abs(skewOf(B)! - DAY)).toBeLessThan(60_000);
    expect(Math.abs(skewOf(A)!)).toBeLessThan(60_000);

    const patient = register(A, 'Ahead', 1);
    await converge(server, clinicId, [A.c, B.c]);
    B.c.ok('billing.recordPayment', { patientId: patient, parts: [{ mode: 'cash', amountPaise: 30_000 }] }, B.admin);
    A.c.ok('billing.recordPayment', { patientId: patient, parts: [{ mode: 'cash', amountPaise: 10_000 }] }, A.admin);
    await converge(server, clinicId, [A.c, B.c]);

    // Both payments are on every copy (never refused: the money was received)...
    const payments = await serverRows(server.database.db, clinicId, 'payments');
    expect(payments).toHaveLength(2);
    // ...and B's, dated by its calendar a day after the server's, is flagged on B's Sync screen.
    const flagged = B.c.ok('sync.outbox', { kind: 'flagged' }, B.admin);
    expect(flagged.map((f) => f.tableName)).toEqual(['payments']);
    expect(flagged[0]!.reason).toMatch(/^Dated (\d{4}-\d{2}-\d{2}), after the server's date (\d{4}-\d{2}-\d{2}): check this computer's clock$/);
    const [, dated, serverDate] = /Dated (\S+), after the server's date (\S+):/.exec(flagged[0]!.reason!)!;
    expect(dated! > serverDate!).toBe(true);
    expect(A.c.ok('sync.outbox', { kind: 'flagged' }, A.admin)).toEqual([]);
    // The server keeps the flag with the change.
    const [record] = await appliedRecords(server.database.db, [flagged[0]!.id]);
    expect(record).toMatchObject({ status: 'applied', warning: flagged[0]!.reason });
  }, 60_000);
});
