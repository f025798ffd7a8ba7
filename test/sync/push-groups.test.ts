import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { ADMIN } from '../helpers/app';
import { findPostgres, startPostgres } from '../helpers/postgres';
import { startSyncServer } from '../helpers/sync';
import { connectAs, credentialsOf, keyOf, register, serverRows, setupClinic, signed, type Desk } from './harness';

/**
 * A clinic's pushes that wait together are applied together, in one transaction (server/push-queue.ts,
 * store.ts applyPushes): each must still be judged as if it had come alone. On PGlite a push holds
 * the event loop, so the desks' pushes reach the queue one by one and groups stay small; on
 * PostgreSQL they wait together, as under load.
 */
const postgres = findPostgres();
// On CI (scripts/check-test-deps.sh installs PostgreSQL) a missing server is a failure, not a quiet skip.
const required = Boolean(process.env.CI);
if (!postgres.ok && !required) console.warn(`skipped on PostgreSQL (needs PostgreSQL): ${postgres.reason}`);

describe('pushes of one clinic applied together', () => {
  it('on PGlite', () => scenario(undefined), 180_000);

  it.skipIf(!postgres.ok && !required)('on PostgreSQL', async () => {
    if (!postgres.ok) throw new Error(`PostgreSQL is required: ${postgres.reason}`);
    const pg = await startPostgres(postgres);
    if (!pg.ok) throw new Error(`PostgreSQL is required: ${pg.reason}`);
    try {
      await scenario(pg.url);
    } finally {
      pg.stop();
      pg.cleanup();
    }
  }, 180_000);
});

/**
 * Desks waiting behind a busy turn are answered each on their own: one push that breaks the
 * database fails alone, and a desk revoked by a push earlier in the turn has its own refused.
 */
async function scenario(databaseUrl: string | undefined) {
  const server = await startSyncServer(databaseUrl ? { databaseUrl } : {});
  const { clinicId, devices } = await setupClinic(server, { devices: 4 });
  const [A, B, C, D] = devices as [Desk, Desk, Desk, Desk];
  const patientId = register(A, 'Grouped', 1);
  await A.c.app.sync.syncNow();
  const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
  const signer = changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password));
  const template = JSON.parse(A.c.app.database.sqlite.prepare("SELECT columns FROM change_log WHERE table_name = 'patients' AND op = 'insert' LIMIT 1").pluck().get() as string) as Record<string, unknown>;
  let counter = 0;
  const stamp = (deviceId: string) => formatHlc({ wallMs: Date.now(), counter: counter++ % 1000, deviceId });
  const edit = (d: Desk, columns: Record<string, unknown>): Change => {
    const hlc = stamp(d.c.app.deviceId);
    return signed({ id: uuidv7(), seq: counter, table: 'patients', rowId: patientId, op: 'update', columns: { ...columns, hlc }, hlc, userId: adminId }, signer);
  };
  const busy = (n: number): Change[] =>
    Array.from({ length: 500 }, (_, i) => {
      const hlc = stamp(A.c.app.deviceId);
      const id = uuidv7();
      return signed({ id: uuidv7(), seq: counter, table: 'patients', rowId: id, op: 'insert', columns: { ...template, id, mrn: `A-GROUP${n}-${i}`, given_name: `Busy${i}`, device_id: A.c.app.deviceId, hlc }, hlc, userId: adminId }, signer);
    });
  const revokeD = (): Change => {
    const hlc = stamp(B.c.app.deviceId);
    const rowId = uuidv7();
    const columns = { id: rowId, created_at: Date.now(), updated_at: Date.now(), hlc, device_id: B.c.app.deviceId, deleted_at: null, revoked_device_id: D.c.app.deviceId, reason: 'Stolen', revoked_by: adminId };
    return signed({ id: uuidv7(), seq: counter, table: 'device_revocations', rowId, op: 'insert', columns, hlc, userId: adminId }, signer);
  };
  const connect = (x: Desk) => connectAs(server.url, credentialsOf(x.c), '0.2.0', 120_000);
  const [a, b, c, d] = [await connect(A), await connect(B), await connect(C), await connect(D)];

  // Round 1. A keeps the clinic busy; B's edit and C's broken edit (a text PostgreSQL cannot hold)
  // wait together behind it.
  const first = a.push(busy(1));
  const second = a.push(busy(2));
  await first;
  const fromB = b.push([edit(B, { city: 'Pune' })]);
  const fromC = c.push([edit(C, { address_line1: 'Flat 4\u0000' })]);
  const [ackA, ackB, ackC] = await Promise.all([second, fromB, fromC]);
  expect(ackA.ok && ackA.results.every((r) => r.status === 'applied')).toBe(true);
  expect(ackB.ok && ackB.results.map((r) => r.status)).toEqual(['applied']);
  expect(ackC).toMatchObject({ ok: false });
  let row = (await serverRows(server.database.db, clinicId, 'patients')).find((p) => p.rowId === patientId);
  expect(row?.data.city).toBe('Pune');

  for (const x of [a, b, c, d]) x.close();

  // Round 2, in one turn through the store (which desk's push reaches a queue first is the
  // network's to decide): B revokes D, then D's edit. D's is refused as if B's had committed
  // before it, though the turn read D as enrolled.
  const deskOf = (x: Desk) => server.store.authenticateKnown(x.c.app.deviceId, clinicId);
  const [revocation, fromD] = await server.store.applyPushes([
    { device: await deskOf(B), changes: [revokeD()] },
    { device: await deskOf(D), changes: [edit(D, { city: 'Edited by a stolen desk' })] },
  ]);
  expect(revocation!.ok && revocation!.value.map((r) => r.status)).toEqual(['applied']);
  expect(fromD!.ok ? fromD!.value : String(fromD!.error)).toBe('Error: This workstation has been removed from the clinic.');
  row = (await serverRows(server.database.db, clinicId, 'patients')).find((p) => p.rowId === patientId);
  expect(row?.data.city).toBe('Pune');

  // Round 3: B and C each made the account "samename" offline, and push in one turn. C's is
  // refused naming the desk that took it first, as when B's had been committed on its own.
  const account = (x: Desk): Change => {
    const hlc = stamp(x.c.app.deviceId);
    const id = uuidv7();
    const columns = { id, created_at: 1, updated_at: 1, hlc, device_id: x.c.app.deviceId, username: 'samename', full_name: 'Same Name', password_hash: 'x', roles: ['cashier'], active: true, deleted_at: null };
    return signed({ id: uuidv7(), seq: counter, table: 'users', rowId: id, op: 'insert', columns, hlc, userId: adminId }, signer);
  };
  const byB = account(B);
  const [taken, lost] = await server.store.applyPushes([
    { device: await deskOf(B), changes: [byB] },
    { device: await deskOf(C), changes: [account(C)] },
  ]);
  expect(taken!.ok && taken!.value.map((r) => r.status)).toEqual(['applied']);
  expect(lost!.ok && lost!.value[0]).toMatchObject({
    status: 'rejected',
    reason: 'the username "samename" was taken at Desk B first',
    conflict: { key: 'users_username_uq', value: 'samename', rowId: byB.rowId, deviceName: 'Desk B' },
  });
  // Before the database it runs on goes away.
  await server.stop();
}
