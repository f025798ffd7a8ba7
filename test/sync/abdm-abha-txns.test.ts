import { afterEach, describe, expect, it, vi } from 'vitest';
import { AbhaService } from '../../server/abdm/abha';
import { ABHA_TXN_TRIES } from '../../server/abdm/abha-txns';
import { AbdmGatewayClient } from '../../server/abdm/gateway';
import type { AbdmConfig } from '../../server/abdm/config';
import { abdmAbhaTxns } from '../../server/db/schema';
import { ABHA_ENROL_CONSENT_VERSION } from '../../shared/abdm-desk';
import { verhoeffDigit } from '../../shared/verhoeff';
import { SITA_ABHA } from '../helpers/abdm-sim/abha';
import type { SimAadhaarPerson } from '../helpers/abdm-sim/abha-enrol';
import { startAbdmSim } from '../helpers/abdm-sim';
import { abhaDeskSetup, CLIENT_ID, CLIENT_SECRET, job, logged, secretsNowhere, serverDatabaseText } from '../helpers/abha-desk';
import { findPostgres, startPostgres } from '../helpers/postgres';
import { startSyncServer, waitFor } from '../helpers/sync';
import type { Desk } from './harness';

/**
 * ABHA OTP transactions live in the server's database, not in one server process: "send OTP",
 * then the server restarts (an update, a crash) or the next step reaches another instance behind a
 * balancer, and the patient's OTP still works. Real desks, the real sync server on PGlite (a
 * restart opens the same data folder with new AbhaService objects), the ABDM simulator.
 */
const OTP = '739201';
const SITA = SITA_ABHA;
const withCheck = (eleven: string) => eleven + verhoeffDigit(eleven);
const AADHAAR = withCheck('73641928507');
const ANITA: SimAadhaarPerson = { aadhaar: AADHAAR, mobile: '9822012345', firstName: 'Anita', lastName: 'Kulkarni', gender: 'F', dob: '03-07-1992', address: '4 Shivaji Nagar', districtName: 'PUNE', stateName: 'MAHARASHTRA', pincode: '411005' };

afterEach(() => {
  vi.restoreAllMocks();
  logged.length = 0;
});

/** The server goes down and comes back on the same database; the desk reconnects by itself. */
async function restart(server: Awaited<ReturnType<typeof abhaDeskSetup>>['server'], d: Desk) {
  await server.restart();
  await waitFor(() => d.c.app.sync.getStatus().state === 'online', 'the desk to reconnect after the restart', 30_000);
}

describe('ABHA OTP transactions survive a server restart', () => {
  it('verification: OTP asked before the restart, a wrong try before and after it, the right OTP verified after it; ABDM’s txnId is not in the database in clear', async () => {
    const { sim, server, A, rita } = await abhaDeskSetup({ abhaAccounts: [SITA] });
    sim.abha.otp = OTP;
    const sent = await job(A, 'abdm.abhaRequestOtp', { by: 'abha-number', abhaNumber: SITA.abhaNumber, otpSystem: 'abdm' }, rita);
    expect(sent.ok).toBe(true);
    expect(await job(A, 'abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: '000000' }, rita)).toMatchObject({ ok: false, code: 'wrong_otp' });
    // ABDM's transaction id, as ABDM saw it come back in the verify call.
    const verifyCall = sim.received.find((r) => r.path === '/abha/api/v3/profile/login/verify')!;
    const txnId = String((verifyCall.body as { authData: { otp: { txnId: string } } }).authData.otp.txnId);
    expect(txnId.length).toBeGreaterThan(8);
    const stored = await serverDatabaseText(server);
    expect(stored).toContain(sent.txnRef!);
    expect(stored).not.toContain(txnId);

    await restart(server, A);
    expect(await job(A, 'abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: '111111' }, rita)).toMatchObject({ ok: false, code: 'wrong_otp' });
    const verified = await job(A, 'abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: OTP }, rita);
    expect(verified).toMatchObject({ ok: true, method: 'abha-number-mobile-otp', profile: { abhaAddress: 'sita.devi@sbx', givenName: 'Sita' } });
    // Used: gone from the table, and the same reference is dead.
    expect(await server.database.db.select().from(abdmAbhaTxns)).toEqual([]);
    expect(await job(A, 'abdm.abhaVerifyOtp', { txnRef: sent.txnRef, otp: OTP }, rita)).toMatchObject({ ok: false, code: 'expired' });
    await secretsNowhere(sim, server, [A], [OTP, txnId, 'sim.user.']);
  }, 180_000);

  it('creation: Aadhaar OTP, the second mobile’s OTP and the address each on a restarted server; the Aadhaar number is in no table', async () => {
    const { sim, server, A, rita } = await abhaDeskSetup({ aadhaarPeople: [{ ...ANITA }] });
    sim.abha.otp = OTP;
    sim.abhaEnrol.mobileOtp = '590374';
    const sent = await job(A, 'abdm.abhaCreateOtp', { aadhaar: AADHAAR }, rita);
    expect(sent.ok).toBe(true);
    await restart(server, A);
    const created = await job(A, 'abdm.abhaCreate', { txnRef: sent.txnRef, otp: OTP, mobile: '9876543210', consent: ABHA_ENROL_CONSENT_VERSION }, rita);
    expect(created).toMatchObject({ ok: true, isNew: true, needsMobileOtp: true });
    await restart(server, A);
    const mobile = await job(A, 'abdm.abhaCreateMobile', { txnRef: sent.txnRef, otp: sim.abhaEnrol.mobileOtp }, rita);
    expect(mobile).toMatchObject({ ok: true, suggestions: expect.arrayContaining(['anitakulkarni1992']) });
    await restart(server, A);
    const done = await job(A, 'abdm.abhaCreateAddress', { txnRef: sent.txnRef, abhaAddress: 'anitakulkarni1992' }, rita);
    expect(done).toMatchObject({ ok: true, done: true, method: 'created', profile: { abhaAddress: 'anitakulkarni1992@sbx', mobile: '9876543210' } });
    expect(await server.database.db.select().from(abdmAbhaTxns)).toEqual([]);
    const enrolTxnIds = sim.received.filter((r) => r.path === '/abha/api/v3/enrollment/enrol/abha-address').map((r) => String((r.body as { txnId: string }).txnId));
    await secretsNowhere(sim, server, [A], [AADHAAR, AADHAAR.slice(0, 8), OTP, sim.abhaEnrol.mobileOtp, 'sim.enrol.', ...enrolTxnIds]);
  }, 240_000);
});

const rita = { userId: 'u-rita', deviceId: 'd-1', clinicId: 'c-1' };
const config = (url: string): AbdmConfig => ({ gatewayUrl: url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, cmId: 'sbx', hipId: 'IN2710001234', publicBaseUrl: 'https://clinic.example.in/abdm', abhaUrl: url });

describe('two server instances on one database', () => {
  async function twoInstances() {
    const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, abhaAccounts: [SITA] });
    sim.abha.otp = OTP;
    const server = await startSyncServer();
    const db = server.database.db;
    const instance = () => new AbhaService(new AbdmGatewayClient({ config: config(sim.url), db, retries: 0 }), db);
    return { sim, server, one: instance(), two: instance() };
  }

  it('a verify sent to the other instance finds the transaction; another asker there does not', async () => {
    const { one, two } = await twoInstances();
    const sent = await one.requestOtp(rita, { by: 'abha-number', abhaNumber: SITA.abhaNumber, otpSystem: 'abdm' });
    if (!sent.ok) throw new Error(sent.message);
    const txnRef = (sent.value as { txnRef: string }).txnRef;
    expect(await two.verifyOtp({ ...rita, deviceId: 'd-2' }, { txnRef, otp: OTP })).toMatchObject({ ok: false, code: 'expired' });
    expect(await two.verifyOtp({ ...rita, userId: 'u-other' }, { txnRef, otp: OTP })).toMatchObject({ ok: false, code: 'expired' });
    expect(await two.verifyOtp(rita, { txnRef, otp: OTP })).toMatchObject({ ok: true, value: { profile: { abhaAddress: 'sita.devi@sbx' } } });
    expect(await one.pending()).toBe(0);
  }, 120_000);

  it(`wrong tries are counted across instances: with one try left, two verifies at the same moment on the two instances get one try between them`, async () => {
    const { sim, one, two } = await twoInstances();
    // ABDM's own lock out of the way: what is counted here is the server's.
    sim.abha.maxWrong = 10;
    const sent = await one.requestOtp(rita, { by: 'abha-number', abhaNumber: SITA.abhaNumber, otpSystem: 'abdm' });
    if (!sent.ok) throw new Error(sent.message);
    const txnRef = (sent.value as { txnRef: string }).txnRef;
    for (let i = 0; i < ABHA_TXN_TRIES - 1; i++) expect(await (i % 2 ? one : two).verifyOtp(rita, { txnRef, otp: '000000' })).toMatchObject({ ok: false, code: 'wrong_otp' });
    const verifies = () => sim.received.filter((r) => r.path === '/abha/api/v3/profile/login/verify').length;
    const before = verifies();
    const both = await Promise.all([one.verifyOtp(rita, { txnRef, otp: '000000' }), two.verifyOtp(rita, { txnRef, otp: '111111' })]);
    expect(both.map((a) => (a.ok ? 'ok' : a.code)).sort()).toEqual(['too_many', 'wrong_otp']);
    expect(verifies() - before).toBe(1);
    // Used up: even the right OTP is not sent to ABDM.
    expect(await two.verifyOtp(rita, { txnRef, otp: OTP })).toMatchObject({ ok: false, code: 'too_many' });
    expect(verifies() - before).toBe(1);
  }, 120_000);
});

const postgres = findPostgres();
// On CI (scripts/check-test-deps.sh installs PostgreSQL) a missing server is a failure, not a quiet skip.
const required = Boolean(process.env.CI);
if (!postgres.ok && !required) console.warn(`skipped (needs PostgreSQL): ${postgres.reason}`);

describe('two server instances on one PostgreSQL (real concurrent connections)', () => {
  it.skipIf(!postgres.ok && !required)(`verifies sent at the same moment through two instances take at most ${ABHA_TXN_TRIES} tries between them; the rest never reach ABDM`, async () => {
    if (!postgres.ok) throw new Error(`PostgreSQL is required: ${postgres.reason}`);
    const pg = await startPostgres(postgres);
    if (!pg.ok) throw new Error(`PostgreSQL is required: ${pg.reason}`);
    const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, abhaAccounts: [SITA] });
    sim.abha.otp = OTP;
    sim.abha.maxWrong = 100;
    const servers = [await startSyncServer({ databaseUrl: pg.url }), await startSyncServer({ databaseUrl: pg.url })];
    try {
      const [one, two] = servers.map((s) => new AbhaService(new AbdmGatewayClient({ config: config(sim.url), db: s.database.db, retries: 0 }), s.database.db)) as [AbhaService, AbhaService];
      const sent = await one.requestOtp(rita, { by: 'abha-number', abhaNumber: SITA.abhaNumber, otpSystem: 'abdm' });
      if (!sent.ok) throw new Error(sent.message);
      const txnRef = (sent.value as { txnRef: string }).txnRef;
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).verifyOtp(rita, { txnRef, otp: String(100000 + i) })));
      const codes = answers.map((a) => (a.ok ? 'ok' : a.code));
      expect(codes.filter((c) => c === 'wrong_otp')).toHaveLength(ABHA_TXN_TRIES);
      expect(codes.filter((c) => c === 'too_many')).toHaveLength(8 - ABHA_TXN_TRIES);
      expect(sim.received.filter((r) => r.path === '/abha/api/v3/profile/login/verify')).toHaveLength(ABHA_TXN_TRIES);
    } finally {
      for (const s of servers) await s.stop();
      pg.stop();
      pg.cleanup();
    }
  }, 180_000);
});
