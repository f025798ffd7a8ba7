import http from 'node:http';
import { sign } from 'node:crypto';
import { io as ioClient } from 'socket.io-client';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { createAbdmBridge, type AbdmBridge } from '../../server/abdm/bridge';
import type { AbdmConfig } from '../../server/abdm/config';
import { checkConnection } from '../../server/abdm/connection-check';
import { createDeskRequests } from '../../server/abdm/desk-requests';
import { AbdmGatewayClient } from '../../server/abdm/gateway';
import { createAbdmLinker, type AbdmLinker } from '../../server/abdm/link';
import { recordVerification } from '../../server/abdm/verified-abha';
import { DESK_REQUEST_EVENT, deskRequestSigningText, type DeskAnswer } from '../../shared/abdm-desk';
import { formatHlc } from '../../shared/hlc';
import { PROTOCOL_VERSION, type Change } from '../../shared/sync-protocol';
import { startAbdmSim, type AbdmSim } from '../helpers/abdm-sim';
import { ADMIN } from '../helpers/app';
import { hiuKeyMaterial } from '../helpers/fidelius-hiu';
import { startSyncServer, waitFor, type TestSyncServer } from '../helpers/sync';
import { connectAs, credentialsOf, keyOf, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/**
 * The patient's ABDM panel end to end: a real desk completes a visit, the real sync server (PGlite)
 * links it through the gateway simulator, the simulator notifies a consent and asks for the data,
 * and the server's copies of all three (server-authored rows) reach the desk by an ordinary pull.
 * A desk cannot make or change those rows; a receptionist sees the ABHA but not the clinical part.
 */
const CLIENT_ID = 'SBX_0000412';
const CLIENT_SECRET = 'c1ient-s3cret-never-logged';
const HIP_ID = 'IN2710001234';
const SITA = { givenName: 'Sita', familyName: 'Devi', gender: 'female', dob: '1988-03-04', mobile: '9876543210', abhaAddress: 'sita.devi@sbx' } as const;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

interface World {
  sim: AbdmSim;
  server: TestSyncServer;
  bridge: () => AbdmBridge;
  linker: () => AbdmLinker;
  desk: Desk;
  clinicId: string;
  doctorId: string;
  staff: Record<keyof typeof STAFF, string>;
  rita: string;
  meera: string;
  hiu: { url: string; pushes: number };
}

async function world(options: { clientSecret?: string } = {}): Promise<World> {
  const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, hipIds: [HIP_ID], abhaAddresses: [SITA.abhaAddress] });
  cleanups.push(() => sim.close());
  const hiu = { url: '', pushes: 0 };
  const hiuServer = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hiu.pushes++;
      res.writeHead(202);
      res.end();
    });
  });
  await new Promise<void>((r) => hiuServer.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => hiuServer.close(() => r())));
  const address = hiuServer.address();
  hiu.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/data/push`;
  const config: AbdmConfig = { gatewayUrl: sim.url, clientId: CLIENT_ID, clientSecret: options.clientSecret ?? CLIENT_SECRET, cmId: 'sbx', hipId: HIP_ID, publicBaseUrl: 'https://clinic.example.in/abdm' };
  let bridge: AbdmBridge | null = null;
  let linker: AbdmLinker | null = null;
  const server = await startSyncServer({
    abdm: (database) => {
      const b = createAbdmBridge(config, database.db, { backoffMs: 5, retries: 1, callbackTimeoutMs: 5_000, allowLocalPush: true });
      const made = createAbdmLinker(b, database.db, { retryMs: 1 });
      bridge = b;
      linker = made;
      return { handle: b.handle, afterPush: () => made.poke() };
    },
    deskRequests: (db) => createDeskRequests({ db, abha: null, check: () => checkConnection(new AbdmGatewayClient({ config, db, retries: 0 }), config) }),
  });
  sim.knobs.callbackBaseUrl = `${server.url}/abdm`;
  const { clinicId, devices, doctorId, staff } = await setupClinic(server, { devices: 1 });
  const desk = devices[0]!;
  return {
    sim,
    server,
    bridge: () => bridge!,
    linker: () => linker!,
    desk,
    clinicId,
    doctorId,
    staff,
    rita: desk.c.login(STAFF.rita.username, STAFF.rita.password),
    meera: desk.c.login(STAFF.meera.username, STAFF.meera.password),
    hiu,
  };
}

function registerSita(w: World): string {
  const r = w.desk.c.ok('patients.register', { patient: SITA }, w.rita);
  if (r.status !== 'registered') throw new Error('not registered');
  return r.patient.id;
}

function completedVisit(w: World, patientId: string): string {
  const { visitId } = w.desk.c.ok('queue.checkIn', { patientId, doctorId: w.doctorId }, w.rita);
  w.desk.c.ok('queue.callNext', {}, w.meera);
  w.desk.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Fever for 3 days'], diagnoses: [{ code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' }] } }, w.meera);
  w.desk.c.ok('consultations.complete', { visitId }, w.meera);
  return visitId;
}

function grant(consentId: string, references: string[]) {
  return {
    status: 'GRANTED',
    consentId,
    consentDetail: {
      schemaVersion: 'v3',
      consentId,
      createdAt: new Date().toISOString(),
      patient: { id: SITA.abhaAddress },
      careContexts: references.map((careContextReference) => ({ patientReference: 'x', careContextReference })),
      purpose: { text: 'Care Management', code: 'CAREMGT', refUri: 'www.abdm.gov.in' },
      hip: { id: HIP_ID, name: 'Clinic' },
      hiu: { id: 'HIU_CITY_HOSPITAL', name: 'City Hospital' },
      consentManager: { id: 'sbx' },
      requester: { name: 'Dr. Meera', identifier: { value: 'MH1001', type: 'REGNO', system: 'https://www.mciindia.org' } },
      hiTypes: ['OPConsultation'],
      permission: {
        accessMode: 'VIEW',
        dateRange: { from: '2020-01-01T00:00:00.000Z', to: '2030-12-31T00:00:00.000Z' },
        dataEraseAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        frequency: { unit: 'HOUR', value: 1, repeats: 0 },
      },
    },
    signature: 'c2lnbmVkIGJ5IHRoZSBjb25zZW50IG1hbmFnZXI=',
    grantAcknowledgement: false,
  };
}

async function askForData(w: World, consentId: string): Promise<string> {
  const keys = hiuKeyMaterial();
  const transactionId = crypto.randomUUID();
  await w.sim.requestHealthInfo(HIP_ID, {
    transactionId,
    hiRequest: {
      consent: { id: consentId },
      dateRange: { from: '2020-02-01T00:00:00.000Z', to: '2030-12-01T00:00:00.000Z' },
      dataPushUrl: w.hiu.url,
      keyMaterial: { cryptoAlg: 'ECDH', curve: 'Curve25519', dhPublicKey: { expiry: new Date(Date.now() + 3600_000).toISOString(), parameters: 'Curve25519/32byte random key', keyValue: keys.x509PublicKey }, nonce: keys.nonce },
    },
  });
  await w.bridge().idle();
  return transactionId;
}

describe("the patient's ABDM panel", () => {
  it('shows the linked visit, the consent and what was sent on it after a pull, and the revocation after the next', async () => {
    const w = await world();
    const sita = registerSita(w);
    // The server links only an ABHA it verified itself (verified-abha.ts; the OTP flow that records
    // it is tested end to end in abdm-abha-verify.test.ts): recorded here as that flow would.
    await recordVerification(w.server.database.db, { clinicId: w.clinicId, patientId: sita, abhaAddress: SITA.abhaAddress, abhaNumber: null, verifiedAt: Date.now(), verifiedBy: w.staff.rita, deviceId: 'desk', method: 'abha-address-mobile-otp' });
    const visit = completedVisit(w, sita);
    // Before anything reached ABDM: the visit is there, not offered yet; no consent.
    const before = w.desk.c.ok('abdm.panel', { patientId: sita }, w.meera);
    expect(before.clinical?.visits.map((v) => [v.visitId, v.state])).toEqual([[visit, 'not-offered']]);
    expect(before.clinical?.consents).toEqual([]);

    await w.desk.c.app.sync.syncNow();
    await w.linker().sweep();
    await waitFor(async () => (await serverRows(w.server.database.db, w.clinicId, 'abdm_link_views')).some((r) => r.data.state === 'linked'), 'the link copied for the desks');
    const consentId = crypto.randomUUID();
    await w.sim.notifyConsent(HIP_ID, grant(consentId, [visit]));
    await w.bridge().idle();
    const transactionId = await askForData(w, consentId);
    expect(w.hiu.pushes).toBe(1);

    await w.desk.c.app.sync.syncNow();
    const panel = w.desk.c.ok('abdm.panel', { patientId: sita }, w.meera);
    expect(panel.abha).toMatchObject({ abhaAddress: SITA.abhaAddress, verified: null });
    expect(panel.clinical?.visits.map((v) => [v.visitId, v.state, v.via])).toEqual([[visit, 'linked', 'hip']]);
    expect(panel.clinical?.visits[0]!.linkedAt).toEqual(expect.any(Number));
    const display = panel.clinical!.visits[0]!.display;
    expect(panel.clinical?.consents).toEqual([
      expect.objectContaining({ consentId, status: 'GRANTED', purposeCode: 'CAREMGT', purpose: 'Care management', hiuId: 'HIU_CITY_HOSPITAL', hiTypes: ['OPConsultation'], visits: [display], expiresAt: expect.any(Number) }),
    ]);
    expect(panel.clinical?.transfers).toEqual([expect.objectContaining({ transactionId, consentId, status: 'TRANSFERRED', visits: [display], reason: null })]);

    // Revoked at ABDM: the desk sees it after its next pull.
    await w.sim.notifyConsent(HIP_ID, { status: 'REVOKED', consentId, consentDetail: { consentId } });
    await w.bridge().idle();
    await w.desk.c.app.sync.syncNow();
    expect(w.desk.c.ok('abdm.panel', { patientId: sita }, w.meera).clinical?.consents.map((c) => c.status)).toEqual(['REVOKED']);
    // Reading the panel is a read of clinical data: audited, with who and what.
    const audits = w.desk.c.app.database.sqlite.prepare("SELECT action, user_id AS userId, entity_id AS entityId FROM audit_log WHERE action = 'abdm.panel' ORDER BY at").all() as { action: string; userId: string; entityId: string }[];
    expect(audits.length).toBeGreaterThanOrEqual(3);
    expect(audits.every((a) => a.userId === w.staff.meera && a.entityId === sita)).toBe(true);
    expect(await w.server.store.rejectedChanges(w.clinicId)).toEqual([]);
  }, 120_000);

  it('shows a consent naming no visit only on the patient the server verified its ABHA for, never on another row carrying that ABHA', async () => {
    const w = await world();
    // Someone typed Sita's ABHA on Ravi's row (no OTP), before Sita was registered.
    const register = (patient: Record<string, unknown>): string => {
      const first = w.desk.c.ok('patients.register', { patient }, w.rita);
      const r = first.status === 'duplicates' ? w.desk.c.ok('patients.register', { patient, acknowledgeDuplicates: first.candidates.map((c) => c.id) }, w.rita) : first;
      if (r.status !== 'registered') throw new Error('not registered');
      return r.patient.id;
    };
    const ravi = register({ givenName: 'Ravi', familyName: 'Kumar', gender: 'male', dob: '1979-06-01', mobile: '9123456780', abhaAddress: SITA.abhaAddress });
    const sita = register(SITA);
    await w.desk.c.app.sync.syncNow();
    const consentsOf = async (patientId: string) => {
      await w.desk.c.app.sync.syncNow();
      // The administrator: neither patient has a visit, so no doctor may read their record.
      return w.desk.c.ok('abdm.panel', { patientId }, w.desk.admin).clinical?.consents.map((c) => c.consentId);
    };
    // Nobody's ABHA verified by the server: the consent is on no panel.
    const unbound = crypto.randomUUID();
    await w.sim.notifyConsent(HIP_ID, grant(unbound, []));
    await w.bridge().idle();
    expect(await consentsOf(ravi)).toEqual([]);
    expect(await consentsOf(sita)).toEqual([]);
    // The server verified it for Sita: her panel shows the next consent, Ravi's never does.
    await recordVerification(w.server.database.db, { clinicId: w.clinicId, patientId: sita, abhaAddress: SITA.abhaAddress, abhaNumber: null, verifiedAt: Date.now(), verifiedBy: w.staff.rita, deviceId: 'desk', method: 'abha-address-mobile-otp' });
    const bound = crypto.randomUUID();
    await w.sim.notifyConsent(HIP_ID, grant(bound, []));
    await w.bridge().idle();
    expect(await consentsOf(sita)).toEqual([bound]);
    expect(await consentsOf(ravi)).toEqual([]);
  }, 120_000);

  it("shows a receptionist the ABHA but not the linked visits, consents or transfers, and a doctor only their own patients'", async () => {
    const w = await world();
    const sita = registerSita(w);
    completedVisit(w, sita);
    await w.desk.c.app.sync.syncNow();
    await w.linker().sweep();
    await w.desk.c.app.sync.syncNow();
    const seen = w.desk.c.ok('abdm.panel', { patientId: sita }, w.rita);
    expect(seen.abha.abhaAddress).toBe(SITA.abhaAddress);
    expect(seen.clinical).toBeNull();
    expect(seen.clinicalHidden).toMatch(/doctors and administrators only/);
    expect(w.desk.c.ok('abdm.panel', { patientId: sita }, w.desk.admin).clinical?.visits).toHaveLength(1);
    // A doctor sees what was shared of their own patients only, like the rest of the record.
    expect(w.desk.c.ok('abdm.panel', { patientId: sita }, w.meera).clinical?.visits).toHaveLength(1);
    const other = w.desk.c.ok('patients.register', { patient: { givenName: 'Gauri', familyName: 'Naik', gender: 'female', ageYears: 40 } }, w.rita);
    if (other.status !== 'registered') throw new Error('not registered');
    const notHers = w.desk.c.ok('abdm.panel', { patientId: other.patient.id }, w.meera);
    expect(notHers.clinical).toBeNull();
    expect(notHers.clinicalHidden).toMatch(/no visit with you/);
  }, 120_000);

  it('refuses every device push that makes, changes or removes a panel row, signed by anyone', async () => {
    const w = await world();
    const sita = registerSita(w);
    const visit = completedVisit(w, sita);
    await w.desk.c.app.sync.syncNow();
    await w.linker().sweep();
    const consentId = crypto.randomUUID();
    await w.sim.notifyConsent(HIP_ID, grant(consentId, [visit]));
    await w.bridge().idle();
    const [consent] = await serverRows(w.server.database.db, w.clinicId, 'abdm_consent_views');
    if (!consent) throw new Error('no consent row on the server');
    const deviceId = w.desk.c.app.deviceId;
    const adminId = w.desk.c.ok('auth.me', {}, w.desk.admin).user.id;
    const adminKey = keyOf(w.desk.c, adminId, ADMIN.password);
    const meeraKey = keyOf(w.desk.c, w.staff.meera, STAFF.meera.password);
    const hlc = () => formatHlc({ wallMs: Date.now() + 1000, counter: 0, deviceId });
    const change = (table: string, userId: string, op: Change['op'], rowId: string, columns: Record<string, unknown>): Change => ({ id: uuidv7(), seq: 1, table, rowId, op, columns: { ...columns, hlc: hlc(), device_id: deviceId }, hlc: hlc(), userId });
    const forged = { ...consent.data, id: uuidv7(), consent_id: 'made-up', status: 'GRANTED' };
    const transfer = { id: uuidv7(), created_at: Date.now(), updated_at: Date.now(), deleted_at: null, consent_id: consentId, transaction_id: 'x', patient_id: sita, hiu_id: 'HIU', care_contexts: [visit], status: 'TRANSFERRED', reason: null, at: Date.now() };
    const link = { id: uuidv7(), created_at: Date.now(), updated_at: Date.now(), deleted_at: null, reference: visit, patient_id: sita, abha_address: SITA.abhaAddress, via: 'hip', state: 'linked', last_error: null, linked_at: Date.now() };
    const client = await connectAs(w.server.url, credentialsOf(w.desk.c));
    const ack = await client.push([
      signed(change('abdm_consent_views', adminId, 'insert', forged.id, forged), changeSigner(adminId, adminKey)),
      signed(change('abdm_consent_views', w.staff.meera, 'update', consent.rowId, { status: 'GRANTED', data_erase_at: Date.now() + 10 * 365 * 86_400_000 }), changeSigner(w.staff.meera, meeraKey)),
      signed(change('abdm_consent_views', adminId, 'update', consent.rowId, { deleted_at: Date.now() }), changeSigner(adminId, adminKey)),
      signed(change('abdm_transfer_views', adminId, 'insert', transfer.id, transfer), changeSigner(adminId, adminKey)),
      signed(change('abdm_link_views', w.staff.meera, 'insert', link.id, link), changeSigner(w.staff.meera, meeraKey)),
    ]);
    client.close();
    expect(ack.ok && ack.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected', 'rejected']);
    expect(ack.ok && ack.results.map((r) => r.reason)).toEqual([
      'an admin may not change abdm_consent_views',
      'a doctor may not change abdm_consent_views',
      'an admin may not delete abdm_consent_views',
      'an admin may not change abdm_transfer_views',
      'a doctor may not change abdm_link_views',
    ]);
    const after = await serverRows(w.server.database.db, w.clinicId, 'abdm_consent_views');
    expect(after.map((r) => [r.rowId, r.data.status, r.data.deleted_at])).toEqual([[consent.rowId, 'GRANTED', null]]);
    expect(await serverRows(w.server.database.db, w.clinicId, 'abdm_transfer_views')).toEqual([]);
  }, 120_000);
});

describe('the ABDM connection check', () => {
  it("answers an administrator with the server's settings (never the secret) and a fresh session, and refuses anyone else on the server", async () => {
    const w = await world();
    const view = w.desk.c.ok('abdm.checkConnection', {}, w.desk.admin);
    const done = await w.desk.c.app.jobs.wait(view.id);
    const result = done.result as { ok: boolean; session: string; settings: Record<string, unknown>; problems: string[] };
    expect(result).toMatchObject({ ok: true, session: 'ok', settings: { clientId: CLIENT_ID, hipId: HIP_ID, cmId: 'sbx', gatewayUrl: w.sim.url, publicBaseUrl: 'https://clinic.example.in/abdm' }, sms: { configured: false }, problems: [expect.stringContaining('No SMS sender is configured')] });
    expect(JSON.stringify(result)).not.toContain(CLIENT_SECRET);
    // A receptionist cannot even ask on the desk; the server refuses a signed request of hers too.
    expect(w.desk.c.call('abdm.checkConnection', {}, w.rita)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const key = keyOf(w.desk.c, w.staff.rita, STAFF.rita.password);
    const unsigned = { id: crypto.randomUUID(), kind: 'abdm.check' as const, body: {}, userId: w.staff.rita, at: Date.now() };
    const sig = sign(null, Buffer.from(deskRequestSigningText(unsigned, w.desk.c.app.deviceId), 'utf8'), key.privateKey).toString('base64');
    const socket = ioClient(w.server.url, { transports: ['websocket'], reconnection: false });
    try {
      await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
      await socket.timeout(10_000).emitWithAck('hello', { ...credentialsOf(w.desk.c), protocol: PROTOCOL_VERSION, schemaVersion: 1, appVersion: '0.2.0', pullCursor: 0, lastAckedSeq: 0 });
      const answer = (await socket.timeout(20_000).emitWithAck(DESK_REQUEST_EVENT, { ...unsigned, keyId: key.keyId, sig })) as DeskAnswer;
      expect(answer).toMatchObject({ ok: false, code: 'forbidden', message: expect.stringMatching(/administrators only/) });
    } finally {
      socket.disconnect();
    }
  }, 120_000);

  it('names bad credentials', async () => {
    const w = await world({ clientSecret: 'wrong-secret' });
    const view = w.desk.c.ok('abdm.checkConnection', {}, w.desk.admin);
    const result = (await w.desk.c.app.jobs.wait(view.id)).result as { ok: boolean; session: string; problems: string[] };
    expect(result.session).toBe('bad_credentials');
    expect(result.problems[0]).toMatch(/refused the client id SBX_0000412/);
  }, 120_000);
});
