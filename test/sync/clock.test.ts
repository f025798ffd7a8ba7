import { describe, expect, it } from 'vitest';
import { parseHlc } from '../../shared/hlc';
import { ADMIN } from '../helpers/app';
import { makeDevice, startSyncServer } from '../helpers/sync';
import { appliedRecords, converge, note, register, serverRows, setupClinic, type Desk } from './harness';

const DAY = 86_400_000;

describe('device clocks that are wrong', () => {
  it('+1 day is re-stamped by the server, -1 day loses only by clock order, a backwards jump never reorders a device’s own edits; syncing is never refused and every copy converges', async () => {
    const t0 = Date.now();
    const server = await startSyncServer();
    const jump = { ms: 0 };
    const { clinicId, devices } = await setupClinic(server, { devices: 3, skews: [jump, DAY, -DAY] });
    const [A, B, C] = devices as [Desk, Desk, Desk];
    const all = [A.c, B.c, C.c];
    const patient = register(A, 'Clocky', 1);
    await converge(server, clinicId, all);
    expect(devices.map((d) => d.c.app.sync.getStatus().state)).toEqual(['online', 'online', 'online']);

    const changeIdsFor = (d: Desk, column: string) =>
      (d.c.app.database.sqlite.prepare("SELECT id, columns FROM change_log WHERE table_name = 'patients' AND row_id = ?").all(patient) as { id: string; columns: string }[])
        .filter((r) => column in (JSON.parse(r.columns) as Record<string, unknown>))
        .map((r) => r.id);
    const onServer = async () => (await serverRows(server.database.db, clinicId, 'patients')).find((r) => r.rowId === patient)!;
    const get = (d: Desk) => d.c.ok('patients.get', { id: patient }, d.admin).patient;

    // B runs a day ahead. Its edit is accepted, re-stamped with the server's time (and recorded as such)...
    B.c.ok('patients.update', { id: patient, patch: { occupation: 'Farmer' } }, B.admin);
    await converge(server, clinicId, all);
    const restamps = await appliedRecords(server.database.db, changeIdsFor(B, 'occupation'));
    expect(restamps.length).toBe(1);
    expect(restamps[0]).toMatchObject({ status: 'applied', restamped: true });
    const rowAfterB = await onServer();
    expect(Math.abs(parseHlc(rowAfterB.hlc).wallMs - Date.now())).toBeLessThan(60_000); // server time, not tomorrow
    expect(Math.abs(parseHlc(rowAfterB.data.hlc as string).wallMs - Date.now())).toBeLessThan(60_000);
    // ...so a later edit from a correct clock still wins (unstamped, B's would win every edit for a day).
    A.c.ok('patients.update', { id: patient, patch: { occupation: 'Teacher' } }, A.admin);
    // B's money and audit rows (insert-only, never merged) keep B's own stamp on every copy.
    B.c.ok('billing.recordPayment', { patientId: patient, parts: [{ mode: 'cash', amountPaise: 20_000 }] }, B.admin);
    await converge(server, clinicId, all);
    for (const d of devices) expect(get(d).occupation).toBe('Teacher');
    // Nobody else's clock was dragged a day ahead by B's rows: A's edit was not re-stamped.
    const aEdits = await appliedRecords(server.database.db, changeIdsFor(A, 'occupation'));
    expect(aEdits.length).toBe(2); // the registration and the edit
    expect(aEdits.every((r) => r.status === 'applied' && !r.restamped)).toBe(true);
    const payment = (await serverRows(server.database.db, clinicId, 'payments'))[0]!;
    expect(parseHlc(payment.hlc).wallMs - Date.now()).toBeGreaterThan(DAY - 60_000);

    // C runs a day behind. Offline, A edits the city; then, later in real time, so does C.
    await A.c.app.sync.stop();
    await C.c.app.sync.stop();
    A.c.ok('patients.update', { id: patient, patch: { city: 'Pune' } }, A.admin);
    await new Promise((r) => setTimeout(r, 20));
    C.c.ok('patients.update', { id: patient, patch: { city: 'Nashik', alternatePhone: '9822011111' } }, C.admin);
    C.c.app.sync.start();
    await converge(server, clinicId, [B.c, C.c]);
    A.c.app.sync.start();
    await converge(server, clinicId, all);
    // What happens: C's edit is accepted (never refused, never re-stamped: behind is harmless) but,
    // stamped a day earlier, it loses the city to A's edit; its other field, unopposed, stays.
    const cChanges = await appliedRecords(server.database.db, changeIdsFor(C, 'city'));
    expect(cChanges).toMatchObject([{ status: 'applied', restamped: false }]);
    for (const d of devices) expect(get(d)).toMatchObject({ city: 'Pune', alternatePhone: '9822011111' });
    // Having seen A's stamp, C's clock runs after it: C's next edit of the city wins (causal order).
    C.c.ok('patients.update', { id: patient, patch: { city: 'Satara' } }, C.admin);
    await converge(server, clinicId, all);
    for (const d of devices) expect(get(d).city).toBe('Satara');

    // The same after C's app restarts: what its clock has seen is not forgotten.
    A.c.ok('patients.update', { id: patient, patch: { city: 'Wardha' } }, A.admin);
    await converge(server, clinicId, all);
    C.c.app.close();
    const C2: Desk = { ...C, c: makeDevice({ dataDir: C.c.dataDir, skewMs: -DAY }) };
    C2.admin = C2.c.login('admin', ADMIN.password);
    C2.c.ok('patients.update', { id: patient, patch: { city: 'Sangli' } }, C2.admin);
    all[2] = C2.c;
    devices[2] = C2;
    await converge(server, clinicId, all);
    for (const d of devices) expect(get(d).city).toBe('Sangli');

    // A's clock jumps back a day between two of its own edits: its stamps never go backwards.
    A.c.ok('patients.update', { id: patient, patch: { addressLine1: '12 MG Road' } }, A.admin);
    const first = A.c.app.database.sqlite.prepare('SELECT hlc FROM change_log ORDER BY seq DESC LIMIT 1').pluck().get() as string;
    jump.ms = -DAY;
    A.c.ok('patients.update', { id: patient, patch: { addressLine1: '14 MG Road' } }, A.admin);
    const second = A.c.app.database.sqlite.prepare('SELECT hlc FROM change_log ORDER BY seq DESC LIMIT 1').pluck().get() as string;
    jump.ms = 0;
    expect(second > first).toBe(true);
    await converge(server, clinicId, all);
    for (const d of devices) expect(get(d).addressLine1).toBe('14 MG Road');
    expect(await server.store.rejectedChanges(clinicId)).toEqual([]);
    note(`clocks: B(+1 day) re-stamped ${restamps.length} change(s); C(-1 day) lost the city by clock order then won after seeing A's stamp; scenario ${Date.now() - t0} ms`);
  }, 60_000);
});
