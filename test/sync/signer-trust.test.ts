import { describe, expect, it } from 'vitest';
import { pendingBatch } from '../../electron/sync/outbox';
import { startSyncServer, waitFor } from '../helpers/sync';
import { localIds, register, serverRows, setupClinic, type Desk } from './harness';

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
});
