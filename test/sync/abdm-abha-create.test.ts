import { afterEach, describe, expect, it, vi } from 'vitest';
import { abdmVerifiedAbha } from '../../server/db/schema';
import { bindVerifications } from '../../server/abdm/verified-abha';
import { ABHA_CREATE_OFFLINE_MESSAGE, ABHA_ENROL_CONSENT_VERSION } from '../../shared/abdm-desk';
import { verhoeffDigit } from '../../shared/verhoeff';
import type { SimAbhaAccount } from '../helpers/abdm-sim/abha';
import type { SimAadhaarPerson } from '../helpers/abdm-sim/abha-enrol';
import { abhaDeskSetup, handSigned, job, logged, patientRow, secretsNowhere, sendByHand } from '../helpers/abha-desk';
import { waitFor } from '../helpers/sync';
import { converge, STAFF } from './harness';

/**
 * ABHA creation with the patient's Aadhaar OTP at reception, end to end: a real desk app asks the
 * real sync server (PGlite) over its socket, the server runs ABDM's v3 enrolment journey against
 * the simulator (which decrypts what it gets with its own private key), the new ABHA is recorded
 * as verified by the server, and the registered patient syncs with it to the other desk.
 */
const withCheck = (eleven: string) => eleven + verhoeffDigit(eleven);
const ANITA_AADHAAR = withCheck('73641928507');
const RAMESH_AADHAAR = withCheck('58203716492');
const OTP = '482913';

const ANITA: SimAadhaarPerson = { aadhaar: ANITA_AADHAAR, mobile: '9822012345', firstName: 'Anita', lastName: 'Kulkarni', gender: 'F', dob: '03-07-1992', address: '4 Shivaji Nagar', districtName: 'PUNE', stateName: 'MAHARASHTRA', pincode: '411005' };
const RAMESH_ABHA: SimAbhaAccount = { abhaNumber: '91-5555-6666-7777', abhaAddress: 'ramesh.j@sbx', firstName: 'Ramesh', lastName: 'Jadhav', gender: 'M', dayOfBirth: '21', monthOfBirth: '01', yearOfBirth: '1970', mobile: '9011122233', address: '8 Camp', districtName: 'PUNE', stateName: 'MAHARASHTRA', pincode: '411001' };
const RAMESH: SimAadhaarPerson = { aadhaar: RAMESH_AADHAAR, mobile: '9011122233', firstName: 'Ramesh', lastName: 'Jadhav', gender: 'M', dob: '21-01-1970', address: '8 Camp', districtName: 'PUNE', stateName: 'MAHARASHTRA', pincode: '411001', abha: RAMESH_ABHA };

afterEach(() => {
  vi.restoreAllMocks();
  logged.length = 0;
});

async function setup() {
  const s = await abhaDeskSetup({ abhaAccounts: [RAMESH_ABHA], aadhaarPeople: [{ ...ANITA }, { ...RAMESH }] });
  s.sim.abha.otp = OTP;
  s.sim.abhaEnrol.mobileOtp = '590374';
  return s;
}
const consent = ABHA_ENROL_CONSENT_VERSION;

describe('ABHA creation with Aadhaar OTP through the clinic server', () => {
  it('creates an ABHA (mobile other than Aadhaar’s verified by its own OTP, address from the suggestions), registers the patient verified as created, and keeps the Aadhaar number nowhere', async () => {
    const { sim, server, fixture, A, B, rita } = await setup();
    const spaced = `${ANITA_AADHAAR.slice(0, 4)} ${ANITA_AADHAAR.slice(4, 8)} ${ANITA_AADHAAR.slice(8)}`;
    const sent = await job(A, 'abdm.abhaCreateOtp', { aadhaar: spaced }, rita);
    expect(sent).toMatchObject({ ok: true, message: 'OTP sent to Aadhaar registered mobile number ending with ******2345' });
    const otpCall = sim.received.find((r) => r.path === '/abha/api/v3/enrollment/request/otp')!;
    expect(otpCall.body).toMatchObject({ txnId: '', scope: ['abha-enrol'], loginHint: 'aadhaar', otpSystem: 'aadhaar' });
    expect(JSON.stringify(otpCall.body)).not.toContain(ANITA_AADHAAR);
    expect(sim.abha.decrypted).toContain(ANITA_AADHAAR);

    // A wrong Aadhaar OTP is named; the same transaction takes the right one.
    const wrong = await job(A, 'abdm.abhaCreate', { txnRef: sent.txnRef, otp: '000000', mobile: '9876543210', consent }, rita);
    expect(wrong).toMatchObject({ ok: false, code: 'wrong_otp' });
    const created = await job(A, 'abdm.abhaCreate', { txnRef: sent.txnRef, otp: OTP, mobile: '9876543210', consent }, rita);
    expect(created).toMatchObject({ ok: true, isNew: true, needsMobileOtp: true, message: 'OTP sent to mobile number ending with ******3210' });
    expect(sim.received.find((r) => r.path === '/abha/api/v3/enrollment/enrol/byAadhaar' && r.status === 200)?.body).toMatchObject({ authData: { authMethods: ['otp'], otp: { mobile: '9876543210' } }, consent: { code: 'abha-enrollment', version: '1.4' } });
    expect(sim.received.filter((r) => r.path === '/abha/api/v3/enrollment/request/otp')[1]?.body).toMatchObject({ scope: ['abha-enrol', 'mobile-verify'], loginHint: 'mobile', otpSystem: 'abdm' });
    // The ABHA tokens stayed on the server.
    expect(JSON.stringify(created)).not.toContain('sim.enrol.');

    expect(await job(A, 'abdm.abhaCreateMobile', { txnRef: sent.txnRef, otp: '111111' }, rita)).toMatchObject({ ok: false, code: 'wrong_otp' });
    const mobileOk = await job(A, 'abdm.abhaCreateMobile', { txnRef: sent.txnRef, otp: sim.abhaEnrol.mobileOtp }, rita);
    expect(mobileOk).toMatchObject({ ok: true, suggestions: ['anita.kulkarni', 'anitakulkarni1992', 'anita_kulkarni', 'kulkarni.anita92'] });
    const done = await job(A, 'abdm.abhaCreateAddress', { txnRef: sent.txnRef, abhaAddress: mobileOk.suggestions![1] }, rita);
    const made = sim.abhaEnrol.created[0]!;
    expect(done).toMatchObject({ ok: true, done: true, isNew: true, method: 'created', profile: { abhaNumber: made.abhaNumber.replace(/-/g, ''), abhaAddress: 'anitakulkarni1992@sbx', givenName: 'Anita', familyName: 'Kulkarni', gender: 'F', dob: '1992-07-03', pincode: '411005', mobile: '9876543210' } });
    // The transaction is finished: the step cannot be done again.
    expect(await job(A, 'abdm.abhaCreateAddress', { txnRef: sent.txnRef, abhaAddress: 'anita.k' }, rita)).toMatchObject({ ok: false, code: 'expired' });

    // "Use these details", save: the patient carries the new ABHA, verified as created, on both desks.
    const p = done.profile!;
    const reg = A.c.ok('patients.register', { patient: { givenName: p.givenName, familyName: p.familyName, gender: 'female', dob: p.dob, mobile: '9876543210', abhaNumber: p.abhaNumber, abhaAddress: p.abhaAddress } }, rita) as { patient: { id: string } };
    A.c.ok('abdm.abhaLink', { patientId: reg.patient.id, verificationId: done.verificationId }, rita);
    expect(patientRow(A, reg.patient.id)).toMatchObject({ abha_address: 'anitakulkarni1992@sbx', abha_verified_by: fixture.staff.rita, abha_verify_method: 'created' });
    await converge(server, fixture.clinicId, [A.c, B.c]);
    expect(patientRow(B, reg.patient.id)).toMatchObject({ abha_verify_method: 'created' });
    // The server trusts it for linking exactly like a verification.
    await bindVerifications(server.database.db, fixture.clinicId);
    expect(await server.database.db.select().from(abdmVerifiedAbha)).toMatchObject([{ patientId: reg.patient.id, abhaAddress: 'anitakulkarni1992@sbx', method: 'created', verifiedBy: fixture.staff.rita }]);
    // The created ABHA logs in at ABDM afterwards (the simulator made a real account).
    expect(made).toMatchObject({ abhaAddress: 'anitakulkarni1992@sbx', mobile: '9876543210' });

    const actions = A.c.app.database.sqlite.prepare("SELECT action, detail FROM audit_log WHERE action LIKE 'abdm.abhaCreat%' ORDER BY at, id").all() as { action: string; detail: string }[];
    expect(actions.map((a) => a.action)).toEqual(expect.arrayContaining(['abdm.abhaCreateStep', 'abdm.abhaCreateFailed', 'abdm.abhaCreated']));
    expect(JSON.stringify(actions)).toContain(`Aadhaar ending ${ANITA_AADHAAR.slice(-4)}`);
    await secretsNowhere(sim, server, [A, B], [ANITA_AADHAAR, spaced, ANITA_AADHAAR.slice(0, 8), OTP, sim.abhaEnrol.mobileOtp, 'sim.enrol.', 'sim.refresh.']);
  }, 120_000);

  it('someone who already has an ABHA gets that one back (isNew false), verified by the same OTP; nothing new is made', async () => {
    const { sim, server, A, rita } = await setup();
    const sent = await job(A, 'abdm.abhaCreateOtp', { aadhaar: RAMESH_AADHAAR }, rita);
    const r = await job(A, 'abdm.abhaCreate', { txnRef: sent.txnRef, otp: OTP, mobile: '9011122233', consent }, rita);
    expect(r).toMatchObject({ ok: true, done: true, isNew: false, method: 'aadhaar-otp-existing', profile: { abhaNumber: '91555566667777', abhaAddress: 'ramesh.j@sbx', dob: '1970-01-21' } });
    expect(r.message).toMatch(/already has an ABHA/);
    expect(r.verificationId).toBeTruthy();
    expect(sim.abhaEnrol.created).toHaveLength(0);
    expect(await server.database.db.select().from(abdmVerifiedAbha)).toMatchObject([{ abhaNumber: '91555566667777', method: 'aadhaar-otp-existing' }]);
  }, 120_000);

  it('a mistyped Aadhaar is refused at the desk naming the field; one UIDAI does not know, an expired transaction and a mobile equal to Aadhaar’s are handled', async () => {
    const { sim, clock, A, rita } = await setup();
    // Two neighbours swapped (…41… typed …14…): Verhoeff catches every such swap.
    const typo = ANITA_AADHAAR.slice(0, 3) + ANITA_AADHAAR[4] + ANITA_AADHAAR[3] + ANITA_AADHAAR.slice(5);
    const refused = A.c.call('abdm.abhaCreateOtp', { aadhaar: typo }, rita) as { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(refused.error)).toContain('Aadhaar number: one digit is wrong or two are swapped');
    expect(JSON.stringify(A.c.call('abdm.abhaCreateOtp', { aadhaar: '12345' }, rita))).toContain('enter the 12 digits');
    expect(sim.received.filter((r) => r.path.includes('/enrollment/'))).toHaveLength(0);

    const unknown = await job(A, 'abdm.abhaCreateOtp', { aadhaar: withCheck('49999999999') }, rita);
    expect(unknown).toMatchObject({ ok: false, code: 'aadhaar_invalid' });
    expect(unknown.message).toMatch(/^Aadhaar number: UIDAI does not know this number/);

    // ABDM expired the transaction.
    const first = await job(A, 'abdm.abhaCreateOtp', { aadhaar: ANITA_AADHAAR }, rita);
    sim.abhaEnrol.expireAll();
    expect(await job(A, 'abdm.abhaCreate', { txnRef: first.txnRef, otp: OTP, mobile: '9822012345', consent }, rita)).toEqual({ ok: false, code: 'expired', message: 'The OTP has expired; ask for a new one.' });
    // The server's own 10 minutes: ABDM is not even asked.
    const second = await job(A, 'abdm.abhaCreateOtp', { aadhaar: ANITA_AADHAAR }, rita);
    clock.shiftMs = 11 * 60_000;
    const calls = sim.received.length;
    expect(await job(A, 'abdm.abhaCreate', { txnRef: second.txnRef, otp: OTP, mobile: '9822012345', consent }, rita)).toMatchObject({ ok: false, code: 'expired' });
    expect(sim.received.length).toBe(calls);
    clock.shiftMs = 0;

    // Aadhaar's own mobile needs no second OTP: straight to the address; a taken address is refused, another taken.
    const third = await job(A, 'abdm.abhaCreateOtp', { aadhaar: ANITA_AADHAAR }, rita);
    const made = await job(A, 'abdm.abhaCreate', { txnRef: third.txnRef, otp: OTP, mobile: '9822012345', consent }, rita);
    expect(made).toMatchObject({ ok: true, needsMobileOtp: false, profile: { mobile: '9822012345' } });
    expect(made.suggestions!.length).toBeGreaterThan(0);
    expect(await job(A, 'abdm.abhaCreateAddress', { txnRef: third.txnRef, abhaAddress: 'ramesh.j' }, rita)).toMatchObject({ ok: false, code: 'address_refused' });
    expect(await job(A, 'abdm.abhaCreateAddress', { txnRef: third.txnRef, abhaAddress: 'anita.k92@sbx' }, rita)).toMatchObject({ ok: true, done: true, method: 'created', profile: { abhaAddress: 'anita.k92@sbx' } });
    // Without the consent ticked nothing is sent.
    expect(A.c.call('abdm.abhaCreate', { txnRef: third.txnRef, otp: OTP, mobile: '9822012345' }, rita)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  }, 120_000);

  it('the server refuses a doctor’s hand-signed request and a replayed one; another desk cannot use the transaction', async () => {
    const { server, sim, fixture, A, B, rita } = await setup();
    const body = { aadhaar: ANITA_AADHAAR };
    const meera = A.c.login('meera', STAFF.meera.password);
    expect(A.c.call('abdm.abhaCreateOtp', body, meera)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const byDoctor = handSigned(A, fixture.staff.meera, STAFF.meera.password, body, 'abha.enrolRequestOtp');
    const byRita = handSigned(A, fixture.staff.rita, STAFF.rita.password, body, 'abha.enrolRequestOtp');
    const answers = await sendByHand(server, A, [byDoctor, byRita, byRita]);
    expect(answers[0]).toMatchObject({ ok: false, code: 'forbidden' });
    expect(answers[1]).toMatchObject({ ok: true });
    expect(answers[2]).toEqual({ ok: false, code: 'replayed', message: 'This request was already used; ask again.' });
    expect(sim.received.filter((r) => r.path === '/abha/api/v3/enrollment/request/otp')).toHaveLength(1);
    // Rita's transaction, asked from desk B by Rita herself, is not found there.
    const sent = await job(A, 'abdm.abhaCreateOtp', body, rita);
    const ritaOnB = B.c.login('rita', STAFF.rita.password);
    expect(await job(B, 'abdm.abhaCreate', { txnRef: sent.txnRef, otp: OTP, mobile: '9822012345', consent }, ritaOnB)).toMatchObject({ ok: false, code: 'expired' });
    expect(sim.received.filter((r) => r.path === '/abha/api/v3/enrollment/enrol/byAadhaar')).toHaveLength(0);
  }, 120_000);

  it('offline: the plain message, and registration goes on', async () => {
    const { server, A, rita } = await setup();
    await server.stop();
    await waitFor(() => A.c.app.sync.getStatus().state !== 'online', 'the desk to notice the server is gone');
    expect(await job(A, 'abdm.abhaCreateOtp', { aadhaar: ANITA_AADHAAR }, rita)).toEqual({ ok: false, code: 'offline', message: ABHA_CREATE_OFFLINE_MESSAGE });
    expect((A.c.ok('patients.register', { patient: { givenName: 'Anita', familyName: 'Kulkarni', gender: 'female', dob: '1992-07-03' } }, rita) as { status: string }).status).toBe('registered');
  }, 120_000);
});
