import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { changeSigner, type ChangeSigner } from '../../electron/services/signing-keys';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * A certificate and an ABDM care context are made at a visit, by its doctor (server/related-rows.ts):
 * the server refuses one, however well signed, for a visit it does not hold, for another patient
 * than the visit's, or in the name of a doctor who did not see the patient.
 */
describe('certificates and care contexts need their visit', () => {
  it("refuses a certificate or care context for another doctor's visit, another patient or no visit; accepts the visit's own", async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId: meera, staff } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const ravi = A.c.ok('staff.create', { username: 'ravi', fullName: 'Dr Ravi Iyer', password: 'ravi-password', roles: ['doctor'] }, A.admin).id;
    A.c.ok(
      'doctors.upsert',
      {
        userId: ravi, specialization: 'Paediatrics', qualifications: 'MBBS, DCH', registrationCouncil: 'Maharashtra Medical Council', registrationNumber: 'MMC-2015-11111',
        consultationFeePaise: 50_000, followUpFeePaise: 20_000, followUpWindowDays: 7,
        schedule: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '00:00', end: '23:45', slotMinutes: 15, maxPerSlot: 1, mode: 'in-person' })),
      },
      A.admin,
    );
    const [asha, bela] = [register(A, 'Asha', 1), register(A, 'Bela', 2)] as [string, string];
    const meerasVisit = A.c.ok('queue.checkIn', { patientId: asha, doctorId: meera }, A.admin).visitId;
    const ravisVisit = A.c.ok('queue.checkIn', { patientId: asha, doctorId: ravi }, A.admin).visitId;
    await converge(server, clinicId, [A.c]);
    const adminId = A.c.app.database.sqlite.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as string;
    const prefix = A.c.app.database.sqlite.prepare("SELECT value FROM local_meta WHERE key = 'seriesPrefix'").pluck().get() as string;

    let counter = 0;
    const signs = { meera: changeSigner(staff.meera, keyOf(A.c, staff.meera, STAFF.meera.password)), admin: changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password)) };
    const insert = (by: ChangeSigner, userId: string, table: string, columns: Record<string, unknown>): Change => {
      const h = formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: A.c.app.deviceId });
      const id = uuidv7();
      const at = Date.now();
      return signed({ id: uuidv7(), seq: ++counter, table, rowId: id, op: 'insert', columns: { id, created_at: at, updated_at: at, hlc: h, device_id: A.c.app.deviceId, deleted_at: null, ...columns }, hlc: h, userId }, by);
    };
    let n = 90;
    const certificate = (visitId: string, patientId: string) =>
      insert(signs.meera, staff.meera, 'certificates', {
        number: `MC/${prefix}/0000${n++}`, kind: 'medical_leave', patient_id: patientId, visit_id: visitId, doctor_id: staff.meera, diagnosis: 'Viral fever',
        rest_from: '2026-12-07', rest_to: '2026-12-08', fit_from: null, purpose: null, remarks: null, language: 'en', issued_at: Date.now(), issued_by: staff.meera,
        voided_at: null, voided_by: null, void_reason: null,
      });
    const careContext = (who: 'meera' | 'admin', visitId: string, patientId: string, doctorId: string) =>
      insert(signs[who], who === 'meera' ? staff.meera : adminId, 'abdm_care_contexts', {
        patient_id: patientId, visit_id: visitId, doctor_id: doctorId, reference: visitId, display: 'OPD 07 Dec 2026, Dr Meera Rao',
        hi_types: ['OPConsultation'], bundles: { OPConsultation: { resourceType: 'Bundle', type: 'document' } },
      });

    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push([
      certificate(ravisVisit, asha),
      certificate(meerasVisit, bela),
      certificate(uuidv7(), asha),
      careContext('meera', ravisVisit, asha, staff.meera),
      careContext('admin', meerasVisit, bela, staff.meera),
      certificate(meerasVisit, asha),
      careContext('admin', ravisVisit, asha, ravi),
    ]);
    client.close();
    if (!ack.ok) throw new Error(ack.message);
    expect(ack.results.map((r) => [r.status, r.reason?.replace(/visit \S+ is not/, 'visit … is not') ?? null])).toEqual([
      ['rejected', "a certificate names the visit's own doctor: certificates.doctor_id is another doctor"],
      ['rejected', 'a certificate is for the patient of its visit: certificates.patient_id is another patient'],
      ['rejected', 'a certificate is made for a visit the server holds: visit … is not there'],
      ['rejected', "an ABDM care context names the visit's own doctor: abdm_care_contexts.doctor_id is another doctor"],
      ['rejected', 'an ABDM care context is for the patient of its visit: abdm_care_contexts.patient_id is another patient'],
      ['applied', null],
      ['applied', null],
    ]);
    const certificates = await serverRows(server.database.db, clinicId, 'certificates');
    expect(certificates.map((r) => [r.data.visit_id, r.data.patient_id])).toEqual([[meerasVisit, asha]]);
    const contexts = await serverRows(server.database.db, clinicId, 'abdm_care_contexts');
    expect(contexts.map((r) => [r.data.visit_id, r.data.doctor_id])).toEqual([[ravisVisit, ravi]]);
    await converge(server, clinicId, [A.c]);
  }, 120_000);
});
