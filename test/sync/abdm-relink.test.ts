import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GENERATE_TOKEN_PATH } from '../../server/abdm/bridge';
import { LINK_VIEWS, UNVERIFIED_REASON } from '../../server/abdm/panel-rows';
import { abdmCareContextLinks, abdmVerifiedAbha, rows } from '../../server/db/schema';
import { SITA_ABHA } from '../helpers/abdm-sim/abha';
import { abhaDeskSetup, job, logged } from '../helpers/abha-desk';
import { waitFor } from '../helpers/sync';
import { converge, STAFF } from './harness';

/**
 * A patient whose ABHA a desk marked verified before the server kept its own record of what it
 * verified (server migration 0009) is never linked: the server does not take the desk's word for
 * it. The review found this happened silently ("not offered", no reason). Now the server says why
 * on the patient's ABDM panel, and verifying the ABHA again through the server links the visits
 * that waited, at the next sweep. Real desk app, real sync server (PGlite), ABDM simulator.
 */
const OTP = '739201';
const SITA = SITA_ABHA;

afterEach(() => {
  vi.restoreAllMocks();
  logged.length = 0;
});

describe('ABDM: a visit held back for an ABHA the server never verified', () => {
  it('says on the panel why the visit is not linked (to the doctor and to reception), and links it after the ABHA is verified again through the server', async () => {
    const { sim, server, fixture, A, B, rita, linker } = await abhaDeskSetup({ abhaAccounts: [SITA] }, { linking: true });
    sim.abha.otp = OTP;
    const db = server.database.db;
    const verifyAtDesk = async () => {
      const sent = await job(A, 'abdm.abhaRequestOtp', { by: 'abha-number', abhaNumber: SITA.abhaNumber, otpSystem: 'abdm' }, rita);
      const verified = await job(A, 'abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: OTP }, rita);
      expect(verified).toMatchObject({ ok: true });
      return verified.verificationId!;
    };

    // Sita registered and verified at the desk back then: the desk's row says "verified with ABDM"...
    const sita = (A.c.ok('patients.register', { patient: { givenName: 'Sita', familyName: 'Devi', gender: 'female', dob: '1988-11-14', mobile: SITA.mobile } }, rita) as { patient: { id: string } }).patient.id;
    A.c.ok('abdm.abhaLink', { patientId: sita, verificationId: await verifyAtDesk() }, rita);
    // ...but the server has no record of verifying it (it kept none before 0009).
    await db.delete(abdmVerifiedAbha);
    const meera = A.c.login(STAFF.meera.username, STAFF.meera.password);
    const { visitId } = A.c.ok('queue.checkIn', { patientId: sita, doctorId: fixture.doctorId }, rita) as { visitId: string };
    A.c.ok('queue.callNext', {}, meera);
    A.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Fever for 3 days'], diagnoses: [{ code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' }] } }, meera);
    A.c.ok('consultations.complete', { visitId }, meera);
    await converge(server, fixture.clinicId, [A.c, B.c]);
    await linker().sweep();
    await converge(server, fixture.clinicId, [A.c, B.c]);

    // Not linked, nothing asked of ABDM: the desk's claim is not trusted.
    expect(await db.select().from(abdmCareContextLinks)).toEqual([]);
    expect(sim.received.filter((r) => r.path === GENERATE_TOKEN_PATH)).toEqual([]);
    // The doctor's panel: the ABHA shows as verified at the desk, and the visit says why it waits.
    const forDoctor = A.c.ok('abdm.panel', { patientId: sita }, meera);
    expect(forDoctor.abha.verified).not.toBeNull();
    expect(forDoctor.clinical?.visits).toMatchObject([{ visitId, state: 'unverified', error: UNVERIFIED_REASON }]);
    expect(UNVERIFIED_REASON).toBe("Not linked: verify the ABHA again (Alt+V) so ABDM accepts this clinic's link");
    expect(forDoctor.abha.relink).toBe("1 visit is not linked: verify the ABHA again (Edit details, then Alt+V) so ABDM accepts this clinic's link.");
    // Reception, who can fix it, sees the same sentence without the clinical part; so does the other desk.
    const forReception = A.c.ok('abdm.panel', { patientId: sita }, rita);
    expect(forReception.clinical).toBeNull();
    expect(forReception.abha.relink).toBe(forDoctor.abha.relink);
    expect(B.c.ok('abdm.panel', { patientId: sita }, B.c.login(STAFF.rita.username, STAFF.rita.password)).abha.relink).toBe(forDoctor.abha.relink);

    // A sweep with nothing new writes nothing (desks would pull the same row again and again).
    const viewSeq = async () => (await db.select({ seq: rows.seq }).from(rows).where(and(eq(rows.clinicId, fixture.clinicId), eq(rows.tableName, LINK_VIEWS)))).map((r) => r.seq);
    const before = await viewSeq();
    expect(before).toHaveLength(1);
    await linker().sweep();
    expect(await viewSeq()).toEqual(before);

    // Verified again, through the server: the next sweep links the visit that waited.
    A.c.ok('abdm.abhaLink', { patientId: sita, verificationId: await verifyAtDesk() }, rita);
    await converge(server, fixture.clinicId, [A.c, B.c]);
    await linker().sweep();
    await waitFor(async () => (await db.select().from(abdmCareContextLinks)).some((l) => l.state === 'linked'), 'linked after verifying again');
    expect((await db.select().from(abdmCareContextLinks)).map((l) => [l.reference, l.patientId, l.abhaAddress])).toEqual([[visitId, sita, SITA.abhaAddress]]);
    await converge(server, fixture.clinicId, [A.c, B.c]);
    const after = A.c.ok('abdm.panel', { patientId: sita }, meera);
    expect(after.clinical?.visits).toMatchObject([{ visitId, state: 'linked', error: null }]);
    expect(after.abha.relink).toBeNull();
  }, 120_000);

  it('stops asking to verify again once reception removes the ABHA (the old address is not the way out)', async () => {
    const { server, fixture, A, B, rita, linker } = await abhaDeskSetup({ abhaAccounts: [SITA] }, { linking: true });
    const db = server.database.db;
    // Typed at the desk, never verified through the server: the visit waits with the reason.
    const sita = (A.c.ok('patients.register', { patient: { givenName: 'Sita', familyName: 'Devi', gender: 'female', dob: '1988-11-14', mobile: SITA.mobile, abhaNumber: '91123456789012', abhaAddress: SITA.abhaAddress } }, rita) as { patient: { id: string } }).patient.id;
    const meera = A.c.login(STAFF.meera.username, STAFF.meera.password);
    const { visitId } = A.c.ok('queue.checkIn', { patientId: sita, doctorId: fixture.doctorId }, rita) as { visitId: string };
    A.c.ok('queue.callNext', {}, meera);
    A.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Fever for 3 days'], diagnoses: [] } }, meera);
    A.c.ok('consultations.complete', { visitId }, meera);
    await converge(server, fixture.clinicId, [A.c, B.c]);
    await linker().sweep();
    await converge(server, fixture.clinicId, [A.c, B.c]);
    expect(A.c.ok('abdm.panel', { patientId: sita }, rita).abha.relink).toMatch(/^1 visit is not linked/);

    // The ABHA was someone else's: reception removes it. Nothing is linked, nothing is to verify.
    A.c.ok('patients.update', { id: sita, patch: { abhaNumber: null, abhaAddress: null } }, rita);
    const panel = A.c.ok('abdm.panel', { patientId: sita }, meera);
    expect(panel.abha.relink).toBeNull();
    expect(panel.clinical?.visits).toMatchObject([{ visitId, state: 'not-offered', error: null }]);
    expect(await db.select().from(abdmCareContextLinks)).toEqual([]);
  }, 120_000);
});
