import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { findPostgres, withPostgres } from '../helpers/postgres';
import { startSyncServer, waitFor } from '../helpers/sync';
import { connectAs, credentialsOf, keyOf, register, setupClinic, signed, STAFF, type Desk } from './harness';

/**
 * A server instance remembers the desks and signing keys it has read (server/push-memory.ts), so a
 * push starts its signatures without a statement of its own. What it remembers must decide
 * nothing: here another instance on the same database revokes a desk and replaces a key, and the
 * instance that remembered the old state still refuses and accepts exactly what the database says.
 */
const postgres = findPostgres();
// On CI (scripts/check-test-deps.sh installs PostgreSQL) a missing server is a failure, not a quiet skip.
const required = Boolean(process.env.CI);
if (!postgres.ok && !required) console.warn(`skipped (needs PostgreSQL): ${postgres.reason}`);

describe('what an instance remembers of desks and keys', () => {
  it.skipIf(!postgres.ok && !required)('decides nothing: a key replaced and a desk revoked through another instance are honoured by the one that remembered them', async () => {
    await withPostgres(postgres, async (pg) => {
      const one = await startSyncServer({ databaseUrl: pg.url });
      const two = await startSyncServer({ databaseUrl: pg.url });
      const { devices, staff } = await setupClinic(one, { devices: 2 });
      const [A, B] = devices as [Desk, Desk];
      const patientId = register(A, 'Remembered', 1);
      await A.c.app.sync.syncNow();
      let counter = 0;
      // Ten edits at a time: enough for the push's signatures to be checked in the worker threads.
      const edits = (key: ReturnType<typeof keyOf>, city: string): Change[] =>
        Array.from({ length: 10 }, (_, i) => {
          const hlc = formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: B.c.app.deviceId });
          return signed({ id: uuidv7(), seq: counter, table: 'patients', rowId: patientId, op: 'update', columns: { city: `${city} ${i}`, hlc }, hlc, userId: staff.rita }, changeSigner(staff.rita, key));
        });
      const statuses = (ack: Awaited<ReturnType<Awaited<ReturnType<typeof connectAs>>['push']>>) => (ack.ok ? [...new Set(ack.results.map((r) => (r.status === 'rejected' ? r.reason : r.status)))] : [ack.message]);

      // Desk B pushes Rita's work through instance two, which now remembers B and Rita's key.
      const oldKey = keyOf(A.c, staff.rita, STAFF.rita.password);
      const viaTwo = await connectAs(two.url, credentialsOf(B.c));
      expect(statuses(await viaTwo.push(edits(oldKey, 'Pune')))).toEqual(['applied']);

      // The administrator resets Rita's password on A, through instance one: a new key, the old retired.
      A.c.ok('staff.resetPassword', { userId: staff.rita, newPassword: 'rita-reset-password' }, A.admin);
      await A.c.app.sync.syncNow();
      const newKey = keyOf(A.c, staff.rita, 'rita-reset-password');
      // Instance two still remembers only the old key: her work under the new one is applied...
      expect(statuses(await viaTwo.push(edits(newKey, 'Nashik')))).toEqual(['applied']);
      // ...and work signed with the old one after the reset is refused.
      await new Promise((r) => setTimeout(r, 5));
      expect(statuses(await viaTwo.push(edits(oldKey, 'Forged')))).toEqual(["signed with rita's old key, replaced when the password was reset"]);

      // B is removed through instance one. Instance two remembered B enrolled: B's next push there is refused.
      await waitFor(() => A.c.ok('sync.devices', {}, A.admin).devices.length === 2, 'A to know both workstations');
      A.c.ok('sync.revokeDevice', { deviceId: B.c.app.deviceId, reason: 'Laptop stolen' }, A.admin);
      await A.c.app.sync.syncNow();
      const refused = await viaTwo.push(edits(newKey, 'Stolen'));
      expect(refused).toMatchObject({ ok: false, code: 'revoked' });
      viaTwo.close();
      await one.stop();
      await two.stop();
    });
  }, 120_000);
});
