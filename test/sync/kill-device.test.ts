import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connect } from '../../db/sqlite';
import { ADMIN, TEST_KEY } from '../helpers/app';
import { prng } from '../helpers/prng';
import { startSyncServer, waitFor } from '../helpers/sync';
import { note, serverRows, setupClinic, spawnAgent, type Agent } from './harness';
import type { Registered } from './agent-protocol';

const N = Number(process.env.SYNC_KILL_N ?? 800);

/** The device's outbox as its own file says, read after its process is gone. */
function outboxOf(dataDir: string) {
  const db = connect(path.join(dataDir, 'clinic.db'), { key: TEST_KEY });
  try {
    return db.prepare('SELECT id, pushed_at AS pushedAt, rejected_at AS rejectedAt FROM change_log ORDER BY seq').all() as { id: string; pushedAt: number | null; rejectedAt: number | null }[];
  } finally {
    db.close();
  }
}

describe('kill -9 of a device process', () => {
  it('mid-push (after the server commits, before the ack; and at a random moment) and mid-apply of a large backlog: it resumes, nothing is doubled, the cursor matches the rows', async () => {
    const t0 = Date.now();
    const rand = prng(Number(process.env.SYNC_SEED ?? 7)).next;
    let hook: ((deviceId: string) => void) | null = null;
    const server = await startSyncServer({ afterCommit: (deviceId) => hook?.(deviceId) });
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const baseline = (await serverRows(server.database.db, clinicId, 'patients')).length;
    const setupCursor = await server.store.cursorOf(clinicId);
    // The two desks continue as processes of their own, on the same data folders.
    A.c.app.close();
    B.c.app.close();

    // A registers N patients offline (2 changes each: the patient and its audit row).
    let agentA: Agent = await spawnAgent({ dataDir: A.c.dataDir });
    await agentA.call({ cmd: 'login', username: 'admin', password: ADMIN.password });
    const tw = Date.now();
    const wrote = await agentA.call<Registered>({ cmd: 'register', count: N, prefix: 'Kay', paymentEvery: 10 });
    const ids = wrote.patients;
    note(`kill: ${N} registrations in one agent took ${Date.now() - tw} ms`);
    const total = (await agentA.state()).outbox.total;

    // Kill 1: the server has committed A's second push and A dies before the acknowledgement.
    let commits = 0;
    hook = (deviceId) => {
      if (deviceId === agentA.deviceId && ++commits === 2) process.kill(agentA.pid, 'SIGKILL');
    };
    await agentA.call({ cmd: 'online', on: true }).catch(() => undefined);
    expect((await agentA.exit).signal).toBe('SIGKILL');
    hook = null;
    const afterKill1 = outboxOf(A.c.dataDir);
    const acked1 = afterKill1.filter((c) => c.pushedAt !== null).length;
    expect(acked1).toBeGreaterThan(0); // the first push was acknowledged...
    expect(acked1).toBeLessThan(total); // ...the second was committed but never acknowledged
    const onServer1 = (await serverRows(server.database.db, clinicId, 'patients')).length - baseline;
    expect(onServer1).toBeGreaterThan(afterKill1.filter((c) => c.pushedAt !== null).length / 2);

    // Kill 2: at a random moment while it pushes again (mid-request, mid-commit or mid-ack).
    agentA = await spawnAgent({ dataDir: A.c.dataDir });
    const delay = Math.floor(rand() * 60);
    let armed = true;
    hook = (deviceId) => {
      if (deviceId === agentA.deviceId && armed) {
        armed = false;
        const pid = agentA.pid;
        setTimeout(() => process.kill(pid, 'SIGKILL'), delay);
      }
    };
    await agentA.call({ cmd: 'online', on: true }).catch(() => undefined);
    expect((await agentA.exit).signal).toBe('SIGKILL');
    hook = null;

    // Third life: it resumes and finishes; every change is on the server once.
    agentA = await spawnAgent({ dataDir: A.c.dataDir });
    await agentA.call({ cmd: 'online', on: true });
    await waitFor(async () => (await agentA.state()).status.state === 'online', 'A online');
    let sA = await agentA.call<Awaited<ReturnType<Agent['state']>>>({ cmd: 'syncNow' });
    await waitFor(async () => (sA = await agentA.state()).status.pending === 0, 'A to push everything');
    expect(sA.outbox).toMatchObject({ total, pushed: total, rejected: 0 });
    const patients = await serverRows(server.database.db, clinicId, 'patients');
    expect(patients.length - baseline).toBe(N);
    const onServer = new Set(patients.map((p) => p.rowId));
    expect(ids.filter((id) => !onServer.has(id))).toEqual([]);
    const audits = (await serverRows(server.database.db, clinicId, 'audit_log')).filter((r) => r.data.action === 'patients.register');
    expect(audits.length).toBe(N); // one audit row per registration: nothing doubled
    expect(new Set(audits.map((r) => r.data.entity_id)).size).toBe(N);
    // Every payment once: the same receipts, the same total.
    const paid = await serverRows(server.database.db, clinicId, 'payments');
    expect(paid.map((p) => p.rowId).sort()).toEqual(wrote.payments.map((p) => p.id).sort());
    expect(paid.reduce((s, p) => s + Number(p.data.amount_paise), 0)).toBe(wrote.payments.reduce((s, p) => s + p.paise, 0));
    await agentA.call({ cmd: 'exit' });
    await agentA.exit;
    expect(outboxOf(A.c.dataDir).every((c) => c.pushedAt !== null && c.rejectedAt === null)).toBe(true);

    // Mid-apply: B pulls the backlog and is killed inside the transaction that applies a page.
    const backlog = (await server.store.cursorOf(clinicId)) - setupCursor;
    let agentB = await spawnAgent({ dataDir: B.c.dataDir });
    const dieAfter = Math.floor(N * (0.3 + rand() * 0.5));
    await agentB.call({ cmd: 'dieOnInsert', table: 'patients', afterRows: dieAfter });
    await agentB.call({ cmd: 'online', on: true }).catch(() => undefined);
    expect((await agentB.exit).signal).toBe('SIGKILL');
    agentB = await spawnAgent({ dataDir: B.c.dataDir });
    const sB = await agentB.state();
    // The cursor and the rows agree: exactly the rows at or before the cursor are here.
    const serverPatients = await serverRows(server.database.db, clinicId, 'patients');
    const upToCursor = serverPatients.filter((r) => r.seq <= sB.pullCursor).map((r) => r.rowId).sort();
    expect(sB.pullCursor).toBeGreaterThan(setupCursor);
    expect(upToCursor.length).toBeLessThan(dieAfter + baseline); // the page being applied left no trace
    expect(sB.patientIds).toEqual(upToCursor);
    expect(sB.searchIndexed).toBe(sB.patientIds.length);
    // It resumes from its cursor and ends with exactly the server's rows.
    await agentB.call({ cmd: 'online', on: true });
    await waitFor(async () => (await agentB.state()).status.state === 'online', 'B online');
    const done = await agentB.call<Awaited<ReturnType<Agent['state']>>>({ cmd: 'syncNow' });
    expect(done.checksums).toEqual(await server.store.checksums(clinicId));
    expect(done.patientIds).toEqual(serverPatients.map((r) => r.rowId).sort());
    expect(done.searchIndexed).toBe(done.patientIds.length);

    // And A, once more, has the same copy.
    agentA = await spawnAgent({ dataDir: A.c.dataDir });
    await agentA.call({ cmd: 'online', on: true });
    await waitFor(async () => (await agentA.state()).status.state === 'online', 'A online');
    const finalA = await agentA.call<Awaited<ReturnType<Agent['state']>>>({ cmd: 'syncNow' });
    expect(finalA.checksums).toEqual(await server.store.checksums(clinicId));
    note(`kill: backlog of ${backlog} rows, B died at patient ${dieAfter}; scenario ${Date.now() - t0} ms`);
  }, 120_000);
});
