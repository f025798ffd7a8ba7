import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { startSyncServer } from '../helpers/sync';
import { changeSigner } from '../../electron/services/signing-keys';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * A certificate issued by the doctor at desk B reaches reception at desk A (who hands the patient a
 * copy), voided and replaced with both numbers kept. A desk's credential in the wrong hands cannot
 * do more than the app would: a receptionist's signed push inserting a certificate, and the doctor's
 * signed push editing an issued one, are refused by the server with the rule book's reason.
 */
describe('certificates across desks', () => {
  it('issued on B, seen and reprinted on A; a forged insert by a receptionist and an edit after issue are refused', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId, staff } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const rita = A.c.login(STAFF.rita.username, STAFF.rita.password);
    const patientId = register(A, 'Sicknote', 1, rita);
    const { visitId } = A.c.ok('queue.checkIn', { patientId, doctorId }, rita);
    await converge(server, clinicId, [A.c, B.c]);

    const meera = B.c.login(STAFF.meera.username, STAFF.meera.password);
    expect(B.c.ok('queue.callNext', {}, meera)?.visitId).toBe(visitId);
    const visitDate = B.c.ok('certificates.draft', { visitId }, meera).visitDate;
    const issue = { visitId, kind: 'medical_leave' as const, diagnosis: 'Viral fever', restFrom: visitDate, restTo: visitDate, language: 'en' as const };
    const first = B.c.ok('certificates.issue', issue, meera);
    B.c.ok('certificates.void', { id: first.id, reason: 'One day more' }, meera);
    const second = B.c.ok('certificates.issue', { ...issue, diagnosis: 'Viral fever with body ache' }, meera);
    expect([first.number, second.number]).toEqual([expect.stringMatching(/^MC\/[A-Z0-9]+\/000001$/), expect.stringMatching(/^MC\/[A-Z0-9]+\/000002$/)]);
    await converge(server, clinicId, [A.c, B.c]);

    const onA = A.c.ok('certificates.list', { patientId }, rita);
    expect(onA.map((c) => [c.number, c.diagnosis, c.voidReason])).toEqual([
      [second.number, 'Viral fever with body ache', null],
      [first.number, 'Viral fever', 'One day more'],
    ]);
    const job = await A.c.app.jobs.wait(A.c.ok('certificates.pdf', { id: second.id }, rita).id);
    expect(job.status, job.message).toBe('done');

    // Forged pushes from desk A's credential, each signed by a real user of the clinic.
    let counter = 0;
    const hlc = () => formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: A.c.app.deviceId });
    const ritaSigns = changeSigner(staff.rita, keyOf(A.c, staff.rita, STAFF.rita.password));
    const meeraSigns = changeSigner(staff.meera, keyOf(B.c, staff.meera, STAFF.meera.password));
    const rowId = uuidv7();
    const at = Date.now();
    const byRita: Change = (() => {
      const h = hlc();
      const columns = {
        id: rowId, created_at: at, updated_at: at, hlc: h, device_id: A.c.app.deviceId, deleted_at: null,
        number: 'MC/A/000099', kind: 'medical_leave', patient_id: patientId, visit_id: visitId, doctor_id: staff.meera, diagnosis: 'Viral fever',
        rest_from: visitDate, rest_to: visitDate, fit_from: null, purpose: null, remarks: null, language: 'en', issued_at: at, issued_by: staff.meera, voided_at: null, voided_by: null, void_reason: null,
      };
      return signed({ id: uuidv7(), seq: ++counter, table: 'certificates', rowId, op: 'insert', columns, hlc: h, userId: staff.rita }, ritaSigns);
    })();
    const edit: Change = (() => {
      const h = hlc();
      return signed({ id: uuidv7(), seq: ++counter, table: 'certificates', rowId: second.id, op: 'update', columns: { rest_to: '2099-01-01', updated_at: at, hlc: h, device_id: A.c.app.deviceId }, hlc: h, userId: staff.meera }, meeraSigns);
    })();
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push([byRita, edit]);
    client.close();
    if (!ack.ok) throw new Error(ack.message);
    expect(ack.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'a receptionist may not change certificates'],
      ['rejected', `certificate ${second.number} has been issued: its rest_to can no longer change (void it and issue a new one)`],
    ]);

    const onServer = await serverRows(server.database.db, clinicId, 'certificates');
    expect(onServer.map((r) => [r.data.number, r.data.rest_to]).sort()).toEqual([
      [first.number, visitDate],
      [second.number, visitDate],
    ]);
    await converge(server, clinicId, [A.c, B.c]);
    expect(A.c.ok('certificates.list', { patientId }, rita).map((c) => c.number)).toEqual([second.number, first.number]);
  }, 120_000);
});
