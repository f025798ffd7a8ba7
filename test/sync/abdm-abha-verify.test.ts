import { afterEach, describe, expect, it, vi } from 'vitest';
import { abdmVerifiedAbha } from '../../server/db/schema';
import { loadPatients } from '../../server/abdm/care-contexts';
import { bindVerifications, trustedPatients, verifiedFor } from '../../server/abdm/verified-abha';
import { ABHA_OFFLINE_MESSAGE } from '../../shared/abdm-desk';
import { SITA_ABHA } from '../helpers/abdm-sim/abha';
import { abhaDeskSetup, handSigned, job, logged, patientRow, secretsNowhere, sendByHand } from '../helpers/abha-desk';
import { waitFor } from '../helpers/sync';
import { converge, STAFF, type Desk } from './harness';

/**
 * ABHA verification by OTP at reception, end to end: a real desk app asks the real sync server
 * (PGlite) over its socket, the server asks the ABDM simulator's ABHA service (which decrypts what
 * it is sent with its own private key), and the verified link syncs to a second desk.
 */
const OTP = '739201';
const SITA = SITA_ABHA;

afterEach(() => {
  vi.restoreAllMocks();
  logged.length = 0;
});

async function setup() {
  const s = await abhaDeskSetup({ abhaAccounts: [SITA] });
  s.sim.abha.otp = OTP;
  return s;
}

describe('ABHA verification by OTP through the clinic server', () => {
  it('records on the server the ABHA it verified, bound to the patient the verifier marked; a typed ABHA on another patient counts for nothing', async () => {
    const { server, fixture, A, B, rita } = await setup();
    const sent = await job(A, 'abdm.abhaRequestOtp', { by: 'abha-number', abhaNumber: '91-1234-5678-9012', otpSystem: 'abdm' }, rita);
    const verified = await job(A, 'abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: OTP }, rita);
    const db = server.database.db;
    // Verified, but nobody's yet.
    expect(await db.select().from(abdmVerifiedAbha)).toMatchObject([{ clinicId: fixture.clinicId, patientId: null, abhaNumber: '91123456789012', abhaAddress: 'sita.devi@sbx', verifiedBy: fixture.staff.rita, method: 'abha-number-mobile-otp' }]);
    const register = (d: Desk, patient: Record<string, unknown>) => (d.c.ok('patients.register', { patient, acknowledgeDuplicates: [] }, d === A ? rita : d.c.login('rita', STAFF.rita.password)) as { patient: { id: string } }).patient.id;
    // At the other desk someone types Sita's ABHA on another patient (no OTP).
    const impostor = register(B, { givenName: 'Ravi', familyName: 'Kumar', gender: 'male', dob: '1979-06-01', mobile: '9123456780', abhaNumber: '91123456789012', abhaAddress: 'sita.devi@sbx' });
    await converge(server, fixture.clinicId, [A.c, B.c]);
    await bindVerifications(db, fixture.clinicId);
    expect((await db.select().from(abdmVerifiedAbha))[0]!.patientId).toBeNull();
    // The verifier registers Sita and marks the verification on her: that row claims it.
    const sita = register(A, { givenName: 'Sita', familyName: 'Devi', gender: 'female', dob: '1988-11-14', mobile: '9876504321' });
    A.c.ok('abdm.abhaLink', { patientId: sita, verificationId: verified.verificationId }, rita);
    await converge(server, fixture.clinicId, [A.c, B.c]);
    await bindVerifications(db, fixture.clinicId);
    const [bound] = await db.select().from(abdmVerifiedAbha);
    expect(bound).toMatchObject({ patientId: sita, abhaAddress: 'sita.devi@sbx' });
    const verifiedOf = await verifiedFor(db, fixture.clinicId, [sita, impostor]);
    const [sitaFacts, raviFacts] = await trustedPatients(db, fixture.clinicId, (await loadPatients(db, fixture.clinicId)).filter((p) => p.id === sita || p.id === impostor).sort((a) => (a.id === sita ? -1 : 1)));
    expect(verifiedOf.get(impostor)).toBeUndefined();
    expect(sitaFacts).toMatchObject({ id: sita, abhaAddress: 'sita.devi@sbx', abhaNumber: '91123456789012' });
    expect(raviFacts).toMatchObject({ id: impostor, abhaAddress: null, abhaNumber: null });
  }, 120_000);

  it('requests an OTP, verifies it, fills the form from the profile and syncs the verified link to the other desk; the OTP is kept nowhere', async () => {
    const { sim, server, fixture, A, B, rita } = await setup();
    const sent = await job(A, 'abdm.abhaRequestOtp', { by: 'abha-number', abhaNumber: '91-1234-5678-9012', otpSystem: 'abdm' }, rita);
    expect(sent).toMatchObject({ ok: true, message: 'OTP sent to mobile number ending with ******4321' });
    // ABDM received the login id encrypted (its private key opened it) in the hyphenated form, with the published scope.
    const otpCall = sim.received.find((r) => r.path === '/abha/api/v3/profile/login/request/otp')!;
    expect(otpCall.body).toMatchObject({ scope: ['abha-login', 'mobile-verify'], loginHint: 'abha-number', otpSystem: 'abdm' });
    expect(JSON.stringify(otpCall.body)).not.toContain('9012');
    expect(sim.abha.decrypted).toContain('91-1234-5678-9012');
    expect(otpCall.headers.authorization).toMatch(/^Bearer sim\./);
    expect(otpCall.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);

    // A wrong OTP is refused with the clear message; the same transaction then takes the right one.
    const wrong = await job(A, 'abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: '000000' }, rita);
    expect(wrong).toMatchObject({ ok: false, code: 'wrong_otp' });
    expect(wrong.message).toMatch(/^Wrong OTP/);
    const verified = await job(A, 'abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: OTP }, rita);
    expect(verified.ok).toBe(true);
    const profile = verified.profile!;
    expect(profile).toEqual({
      abhaNumber: '91123456789012',
      abhaAddress: 'sita.devi@sbx',
      givenName: 'Sita',
      familyName: 'Devi',
      gender: 'F',
      dob: '1988-11-14',
      yearOfBirth: 1988,
      mobile: '9876504321',
      address: '12 MG Road, Kothrud',
      district: 'PUNE',
      state: 'MAHARASHTRA',
      pincode: '411038',
    });
    // The user token went to ABDM as X-token and never came to the desk.
    const account = sim.received.find((r) => r.path === '/abha/api/v3/profile/account')!;
    expect(account.headers['x-token']).toMatch(/^Bearer sim\.user\./);
    expect(JSON.stringify(verified)).not.toContain('sim.user.');

    // "Use these details": the form is saved with the profile, then marked verified with ABDM.
    const registered = A.c.ok(
      'patients.register',
      { patient: { givenName: profile.givenName, familyName: profile.familyName, gender: 'female', dob: profile.dob, mobile: profile.mobile, abhaNumber: profile.abhaNumber, abhaAddress: profile.abhaAddress, pincode: profile.pincode } },
      rita,
    ) as { status: 'registered'; patient: { id: string } };
    expect(registered.status).toBe('registered');
    const patientId = registered.patient.id;
    expect(patientRow(A, patientId)?.abha_verified_at).toBeNull();
    A.c.ok('abdm.abhaLink', { patientId, verificationId: verified.verificationId }, rita);
    expect(patientRow(A, patientId)).toMatchObject({ abha_number: '91123456789012', abha_address: 'sita.devi@sbx', abha_verified_by: fixture.staff.rita, abha_verify_method: 'abha-number-mobile-otp' });
    // A verification is used once.
    expect(A.c.call('abdm.abhaLink', { patientId, verificationId: verified.verificationId }, rita)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    await converge(server, fixture.clinicId, [A.c, B.c]);
    expect(patientRow(B, patientId)).toMatchObject({ abha_verified_by: fixture.staff.rita, abha_verify_method: 'abha-number-mobile-otp' });
    expect(Number(patientRow(B, patientId)?.abha_verified_at)).toBeGreaterThan(0);

    // Every step is an audit row on the desk, the failure too.
    const actions = A.c.app.database.sqlite.prepare("SELECT action FROM audit_log WHERE action LIKE 'abdm.%' ORDER BY at, id").pluck().all();
    expect(actions).toEqual(expect.arrayContaining(['abdm.abhaOtpRequested', 'abdm.abhaVerifyFailed', 'abdm.abhaVerified', 'abdm.abhaLink']));
    // Editing the ABHA afterwards drops the mark: it is no longer what ABDM verified.
    A.c.ok('patients.update', { id: patientId, patch: { abhaAddress: 'sita.d@sbx' } }, rita);
    expect(patientRow(A, patientId)).toMatchObject({ abha_verified_at: null, abha_verified_by: null, abha_verify_method: null });

    await secretsNowhere(sim, server, [A, B], [OTP, 'sim.user.']);
  }, 120_000);

  it('an ABHA address with Aadhaar OTP goes through the PHR web login; an expired transaction gives the clear message', async () => {
    const { sim, clock, A, rita } = await setup();
    const sent = await job(A, 'abdm.abhaRequestOtp', { by: 'abha-address', abhaAddress: 'sita.devi@sbx', otpSystem: 'aadhaar' }, rita);
    expect(sent.ok).toBe(true);
    expect(sim.received.find((r) => r.path === '/abha/api/v3/phr/web/login/abha/request/otp')?.body).toMatchObject({ scope: ['abha-address-login', 'aadhaar-verify'], loginHint: 'abha-address', otpSystem: 'aadhaar' });
    // ABDM expired it (its 10 minutes passed there first).
    sim.abha.expireAll();
    const late = await job(A, 'abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: OTP }, rita);
    expect(late).toEqual({ ok: false, code: 'expired', message: 'The OTP has expired; ask for a new one.' });

    // The server's own record of it expires too: it does not even ask ABDM.
    const again = await job(A, 'abdm.abhaRequestOtp', { by: 'abha-address', abhaAddress: 'sita.devi@sbx', otpSystem: 'aadhaar' }, rita);
    clock.shiftMs = 11 * 60_000;
    const calls = sim.received.length;
    const tooLate = await job(A, 'abdm.abhaVerifyOtp', { txnRef: again.txnRef, otp: OTP }, rita);
    expect(tooLate).toEqual({ ok: false, code: 'expired', message: 'The OTP has expired; ask for a new one.' });
    expect(sim.received.length).toBe(calls);

    clock.shiftMs = 0;
    const third = await job(A, 'abdm.abhaRequestOtp', { by: 'abha-address', abhaAddress: 'sita.devi@sbx', otpSystem: 'aadhaar' }, rita);
    const ok = await job(A, 'abdm.abhaVerifyOtp', { txnRef: third.txnRef, otp: OTP }, rita);
    expect(ok).toMatchObject({ ok: true, method: 'abha-address-aadhaar-otp', profile: { abhaAddress: 'sita.devi@sbx', abhaNumber: '91123456789012', dob: '1988-11-14', pincode: '411038' } });
  }, 120_000);

  it('the server refuses a doctor even when the request is signed and sent by hand, and refuses a replayed request', async () => {
    const { server, sim, fixture, A } = await setup();
    const body = { by: 'abha-number', abhaNumber: '91-1234-5678-9012', otpSystem: 'abdm' };
    // The desk itself refuses the doctor...
    const meera = A.c.login('meera', STAFF.meera.password);
    expect(A.c.call('abdm.abhaRequestOtp', body, meera)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // ...and so does the server, for a request genuinely signed by her and sent over the desk's own connection.
    const byDoctor = handSigned(A, fixture.staff.meera, STAFF.meera.password, body);
    const byRita = handSigned(A, fixture.staff.rita, STAFF.rita.password, body);
    const forged = { ...handSigned(A, fixture.staff.meera, STAFF.meera.password, body), userId: fixture.staff.rita };
    const stale = handSigned(A, fixture.staff.rita, STAFF.rita.password, body);
    const staleAt = { ...stale, at: stale.at - 10 * 60_000 };
    const answers = await sendByHand(server, A, [byDoctor, byRita, byRita, forged, staleAt]);
    expect(answers[0]).toMatchObject({ ok: false, code: 'forbidden' });
    expect(answers[0]!.ok === false && answers[0]!.message).toContain('Dr Meera Rao');
    expect(answers[1]).toMatchObject({ ok: true });
    expect(answers[2]).toEqual({ ok: false, code: 'replayed', message: 'This request was already used; ask again.' });
    expect(answers[3]).toMatchObject({ ok: false, code: 'not_signed' });
    expect(answers[4]).toMatchObject({ ok: false, code: 'stale' });
    // Only Rita's request reached ABDM.
    expect(sim.received.filter((r) => r.path === '/abha/api/v3/profile/login/request/otp')).toHaveLength(1);
    // Replayed after a restart (as it could be to another server instance): refused too, the ids are in the database.
    await server.restart();
    expect(await sendByHand(server, A, [byRita])).toEqual([{ ok: false, code: 'replayed', message: 'This request was already used; ask again.' }]);
    expect(sim.received.filter((r) => r.path === '/abha/api/v3/profile/login/request/otp')).toHaveLength(1);
  }, 120_000);

  it('an offline desk gets the plain message and registration goes on', async () => {
    const { server, A, rita } = await setup();
    await server.stop();
    await waitFor(() => A.c.app.sync.getStatus().state !== 'online', 'the desk to notice the server is gone');
    const answer = await job(A, 'abdm.abhaRequestOtp', { by: 'abha-number', abhaNumber: '91-1234-5678-9012', otpSystem: 'abdm' }, rita);
    expect(answer).toEqual({ ok: false, code: 'offline', message: ABHA_OFFLINE_MESSAGE });
    expect(ABHA_OFFLINE_MESSAGE).toBe('ABHA verification needs the connection to the clinic server; register now and verify later.');
    const r = A.c.ok('patients.register', { patient: { givenName: 'Sita', familyName: 'Devi', gender: 'female', dob: '1988-11-14', abhaNumber: '91-1234-5678-9012' } }, rita) as { status: string };
    expect(r.status).toBe('registered');
  }, 120_000);
});
