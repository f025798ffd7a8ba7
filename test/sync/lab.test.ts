import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { startSyncServer } from '../helpers/sync';
import { changeSigner } from '../../electron/services/signing-keys';
import { NO_AMENDMENT } from '../../shared/lab-amendment';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * The lab across desks (docs/LAB.md): the doctor orders on B, the lab technician on A collects the
 * sample and enters the result, the doctor verifies on B; the server accepts each step. A desk's
 * credential in the wrong hands cannot do more than the app would: a receptionist's signed result,
 * a lab technician verifying, and a result on an order with no sample are refused by the server.
 */
describe('the lab across desks', () => {
  it('a lab technician’s sample and result reach the server and the doctor; forged lab rows are refused', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const techId = A.c.ok('staff.create', { username: 'lata', fullName: 'Lata Pawar', password: 'lata-password', roles: ['labtech'] }, A.admin).id;
    const rita = A.c.login(STAFF.rita.username, STAFF.rita.password);
    const patientId = register(A, 'Labwork', 1, rita);
    const { visitId } = A.c.ok('queue.checkIn', { patientId, doctorId }, rita);
    await converge(server, clinicId, [A.c, B.c]);

    const meera = B.c.login(STAFF.meera.username, STAFF.meera.password);
    B.c.ok('queue.callNext', {}, meera);
    const hb = B.c.ok('labs.tests', {}, meera).find((t) => t.code === 'HB')!.id;
    const tsh = B.c.ok('labs.tests', {}, meera).find((t) => t.code === 'TSH')!.id;
    const [order, other] = B.c.ok('labs.order', { visitId, testIds: [hb, tsh] }, meera);
    await converge(server, clinicId, [A.c, B.c]);

    const lata = A.c.login('lata', 'lata-password');
    const { sampleId } = A.c.ok('labs.collect', { orderId: order!.orderId }, lata);
    expect(sampleId).toMatch(/^S\/[A-Z0-9]+\/000001$/);
    A.c.ok('labs.recordResult', { orderId: order!.orderId, value: '18.2' }, lata);
    await converge(server, clinicId, [A.c, B.c]);
    B.c.ok('labs.verify', { orderId: order!.orderId }, meera);
    await converge(server, clinicId, [A.c, B.c]);

    const orders = await serverRows(server.database.db, clinicId, 'lab_orders');
    const hbRow = orders.find((r) => r.rowId === order!.orderId)!;
    expect(hbRow.data).toMatchObject({ status: 'verified', sample_id: sampleId, sample_collected_by: techId, resulted_by: techId, verified_by: staff.meera });
    const results = await serverRows(server.database.db, clinicId, 'lab_results');
    expect(results.map((r) => [r.data.value, r.data.flag, r.data.resulted_by])).toEqual([['18.2', 'H', techId]]);
    expect(A.c.ok('labs.pending', {}, lata).find((o) => o.orderId === order!.orderId)).toMatchObject({ status: 'verified', verifiedBy: 'Dr Meera Rao' });

    // Forged pushes from desk A's credential, each signed by a real user of the clinic.
    let counter = 0;
    const hlc = () => formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: A.c.app.deviceId });
    const ritaSigns = changeSigner(staff.rita, keyOf(A.c, staff.rita, STAFF.rita.password));
    const lataSigns = changeSigner(techId, keyOf(A.c, techId, 'lata-password'));
    const at = Date.now();
    const result = (userId: string, sign: typeof ritaSigns, more: Record<string, unknown> = {}): Change => {
      const h = hlc();
      const rowId = uuidv7();
      const columns = {
        id: rowId, created_at: at, updated_at: at, hlc: h, device_id: A.c.app.deviceId, deleted_at: null,
        order_id: other!.orderId, patient_id: patientId, value: '2.1', unit: 'mIU/L', reference_range: '0.4-4.0', abnormal: false,
        resulted_by: userId, resulted_at: at, flag: null, critical: false, amends: null, amend_reason: null, ...more,
      };
      return signed({ id: uuidv7(), seq: ++counter, table: 'lab_results', rowId, op: 'insert', columns, hlc: h, userId }, sign);
    };
    const update = (rowId: string, columns: Record<string, unknown>): Change => {
      const h = hlc();
      return signed({ id: uuidv7(), seq: ++counter, table: 'lab_orders', rowId, op: 'update', columns: { ...columns, updated_at: at, hlc: h, device_id: A.c.app.deviceId }, hlc: h, userId: techId }, lataSigns);
    };
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push([
      result(staff.rita, ritaSigns),
      // The lab technician marks the TSH order resulted without a sample, and verifies the HB result herself.
      update(other!.orderId, { status: 'resulted', resulted_by: techId }),
      update(order!.orderId, { verified_by: techId, verified_at: at }),
    ]);
    client.close();
    if (!ack.ok) throw new Error(ack.message);
    expect(ack.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'a receptionist may not change lab_results'],
      ['rejected', 'a lab order cannot go from ordered to resulted'],
      ['rejected', 'only a doctor or an administrator verifies a lab result'],
    ]);
    expect((await serverRows(server.database.db, clinicId, 'lab_results')).map((r) => r.data.value)).toEqual(['18.2']);
    const after = await serverRows(server.database.db, clinicId, 'lab_orders');
    expect(after.find((r) => r.rowId === other!.orderId)!.data.status).toBe('ordered');
    expect(after.find((r) => r.rowId === order!.orderId)!.data.verified_by).toBe(staff.meera);

    // Verified -> resulted is an amendment: the lab technician cannot unlock a verified result
    // without a new result naming the verified one (with a reason). With one, in either order
    // within the push, the order goes back to be verified.
    const verifiedResultId = results[0]!.rowId;
    const reopen = () => update(order!.orderId, { status: 'resulted', resulted_by: techId, verified_by: null, verified_at: null, verified_result_id: null });
    const amend = (more: Record<string, unknown>) => result(techId, lataSigns, { order_id: order!.orderId, value: '14.2', unit: 'g/dL', reference_range: '13.0-17.0', ...more });
    const again = await connectAs(server.url, credentialsOf(A.c));
    const unlocked = await again.push([
      reopen(),
      // An "amendment" of another row, or one without a reason, does not count.
      amend({ amends: uuidv7(), amend_reason: 'typo' }),
      reopen(),
    ]);
    if (!unlocked.ok) throw new Error(unlocked.message);
    expect(unlocked.results.map((r) => [r.status, r.reason ?? null])).toEqual([
      ['rejected', NO_AMENDMENT],
      ['applied', null],
      ['rejected', NO_AMENDMENT],
    ]);
    expect((await serverRows(server.database.db, clinicId, 'lab_orders')).find((r) => r.rowId === order!.orderId)!.data.status).toBe('verified');
    const amended = await again.push([reopen(), amend({ amends: verifiedResultId, amend_reason: 'Transcription error' })]);
    again.close();
    if (!amended.ok) throw new Error(amended.message);
    expect(amended.results.map((r) => [r.status, r.reason ?? null])).toEqual([
      ['applied', null],
      ['applied', null],
    ]);
    expect((await serverRows(server.database.db, clinicId, 'lab_orders')).find((r) => r.rowId === order!.orderId)!.data).toMatchObject({ status: 'resulted', verified_by: null });

    // An outside lab's report the server does not hold cannot stand for a result.
    const ghost = uuidv7();
    const outside = await connectAs(server.url, credentialsOf(A.c));
    const refused = await outside.push([amend({ amends: null, attachment_id: ghost })]);
    outside.close();
    if (!refused.ok) throw new Error(refused.message);
    expect(refused.results.map((r) => [r.status, r.reason ?? null])).toEqual([['rejected', `a lab result names an outside lab report the server holds: attachment ${ghost} is not there`]]);
  }, 120_000);
});
