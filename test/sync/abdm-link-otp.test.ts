import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createAbdmBridge } from '../../server/abdm/bridge';
import type { AbdmConfig } from '../../server/abdm/config';
import { checkConnection } from '../../server/abdm/connection-check';
import { LINK_ERRORS } from '../../server/abdm/discover';
import { createAbdmLinker, type AbdmLinker } from '../../server/abdm/link';
import { OTP_SENDS_PER_MOBILE, smsOtpSender } from '../../server/abdm/link-otp';
import { LINK_OTP_TEMPLATE_TEXT, msg91Sender, smsConfigFromEnv, type SmsConfig } from '../../server/abdm/sms';
import { recordVerification } from '../../server/abdm/verified-abha';
import { abdmCareContextLinks, abdmLinkRequests, abdmOtpSends } from '../../server/db/schema';
import { startAbdmSim, type AbdmSim } from '../helpers/abdm-sim';
import { startSmsSim, type SmsSim } from '../helpers/sms-sim';
import { startSyncServer, type TestSyncServer } from '../helpers/sync';
import { setupClinic, STAFF, type Desk } from './harness';

/**
 * The OTP of user-initiated linking, sent by SMS through MSG91's Flow API (here its simulator, a
 * real HTTP server): the patient's PHR app (the ABDM simulator) discovers their records at a real
 * sync server, asks to link them, reads the OTP from the SMS and confirms it.
 */
const CLIENT_ID = 'SBX_0000412';
const CLIENT_SECRET = 'c1ient-s3cret-never-logged';
const HIP_ID = 'IN2710001234';
const AUTH_KEY = '417203AbCdEfGh1234567890P1';
const TEMPLATE = { id: '6571c0ffee0ddba11fab1e01', dltTemplateId: '1107170000000012345', senderId: 'SHRMCL', text: LINK_OTP_TEMPLATE_TEXT };
const RAVI = { givenName: 'Ravi', familyName: 'Kumar', gender: 'male', dob: '1979-06-01', mobile: '9123456780' } as const;
const RAVI_FOUND = { id: 'ravi.k@sbx', name: 'Ravi Kumar', gender: 'M', yearOfBirth: 1979, verifiedIdentifiers: [{ type: 'MOBILE', value: '+91 9123456780' }], unverifiedIdentifiers: [] };

interface World {
  sim: AbdmSim;
  sms: SmsSim;
  server: TestSyncServer;
  linker: () => AbdmLinker;
  desk: Desk;
  clinicId: string;
  doctorId: string;
}

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of opened.splice(0)) await o.close().catch(() => undefined);
});

function smsConfig(sms: SmsSim, authKey = AUTH_KEY): SmsConfig {
  const config = smsConfigFromEnv({ MSG91_AUTH_KEY: authKey, MSG91_TEMPLATE_ID: TEMPLATE.id, MSG91_SENDER_ID: TEMPLATE.senderId, MSG91_DLT_TEMPLATE_ID: TEMPLATE.dltTemplateId, MSG91_URL: sms.url });
  if (!config || 'error' in config) throw new Error('bad SMS settings');
  return config;
}

async function world(options: { authKey?: string } = {}): Promise<World> {
  const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, hipIds: [HIP_ID], abhaAddresses: [] });
  const sms = await startSmsSim({ authKey: AUTH_KEY, templates: [TEMPLATE] });
  opened.push(sms);
  let linker: AbdmLinker | null = null;
  const server = await startSyncServer({
    // Made again at each restart: nothing of a link in progress survives in memory.
    abdm: (database) => {
      const config: AbdmConfig = { gatewayUrl: sim.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, cmId: 'sbx', hipId: HIP_ID, publicBaseUrl: 'https://clinic.example.in/abdm' };
      const bridge = createAbdmBridge(config, database.db, { backoffMs: 5, retries: 1, callbackTimeoutMs: 5_000 });
      linker = createAbdmLinker(bridge, database.db, { retryMs: 1, sendOtp: smsOtpSender(msg91Sender(smsConfig(sms, options.authKey))) });
      const made = linker;
      return { handle: bridge.handle, afterPush: () => made.poke() };
    },
  });
  sim.knobs.callbackBaseUrl = `${server.url}/abdm`;
  const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 1 });
  return { sim, sms, server, linker: () => linker!, desk: devices[0]!, clinicId, doctorId };
}

/** Ravi registered at the desk with a visit completed, synced to the server: the visit id. */
async function raviWithVisit(w: World): Promise<{ ravi: string; visit: string }> {
  const rita = w.desk.c.login(STAFF.rita.username, STAFF.rita.password);
  const meera = w.desk.c.login(STAFF.meera.username, STAFF.meera.password);
  const r = w.desk.c.ok('patients.register', { patient: RAVI }, rita) as { status: string; patient: { id: string } };
  const ravi = r.patient.id;
  await recordVerification(w.server.database.db, { clinicId: w.clinicId, patientId: ravi, abhaAddress: null, abhaNumber: null, verifiedAt: Date.now(), verifiedBy: 'user-rita', deviceId: 'desk', method: 'abha-address-mobile-otp' });
  const { visitId } = w.desk.c.ok('queue.checkIn', { patientId: ravi, doctorId: w.doctorId }, rita) as { visitId: string };
  w.desk.c.ok('queue.callNext', {}, meera);
  w.desk.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Fever'], diagnoses: [{ code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' }] } }, meera);
  w.desk.c.ok('consultations.complete', { visitId }, meera);
  await w.desk.c.app.sync.syncNow();
  return { ravi, visit: visitId };
}

/** The PHR app: discovery then link init of the visit; the on-init answer. */
async function discoverAndInit(w: World, ravi: string, visit: string) {
  const found = await w.sim.discovery.discover(HIP_ID, RAVI_FOUND);
  expect(found.answer!.error).toBeUndefined();
  const init = await w.sim.discovery.linkInit(HIP_ID, found.transactionId, RAVI_FOUND.id, [{ referenceNumber: ravi, careContexts: [{ referenceNumber: visit }], hiType: 'OPConsultation', count: 1 }]);
  return { transactionId: found.transactionId, answer: init.answer! };
}

const linkRefOf = (answer: Record<string, unknown>) => (answer.link as { referenceNumber: string }).referenceNumber;
/** The OTP as the patient reads it in the SMS. */
const otpIn = (text: string) => /^(\d{6}) is your OTP to link your records at /.exec(text)![1]!;
const linksOf = (w: World) => w.server.database.db.select().from(abdmCareContextLinks).where(eq(abdmCareContextLinks.clinicId, w.clinicId));
const requestOf = async (w: World, transactionId: string) => (await w.server.database.db.select().from(abdmLinkRequests).where(eq(abdmLinkRequests.transactionId, transactionId)))[0]!;

describe('ABDM user-initiated linking: the OTP by SMS (MSG91)', () => {
  it('sends the OTP by SMS to the mobile the discovery matched; a wrong OTP links nothing, the one in the SMS links the visit', async () => {
    const w = await world();
    const { ravi, visit } = await raviWithVisit(w);
    const { answer } = await discoverAndInit(w, ravi, visit);
    expect(answer).toMatchObject({ link: { authenticationType: 'DIRECT', meta: { communicationMedium: 'MOBILE', communicationHint: 'OTP' } } });

    // One SMS, from the DLT sender, on the DLT template, to Ravi's mobile, naming the clinic.
    expect(w.sms.sent).toHaveLength(1);
    const sms = w.sms.sent[0]!;
    expect(sms).toMatchObject({ to: '919123456780', sender: 'SHRMCL', dltTemplateId: TEMPLATE.dltTemplateId });
    expect(sms.text).toMatch(/^\d{6} is your OTP to link your records at Sharma Clinic with your ABHA\. It is valid for 10 min\. Do not share it\.$/);
    const otp = otpIn(sms.text);

    const wrong = await w.sim.discovery.linkConfirm(HIP_ID, linkRefOf(answer), otp === '000000' ? '111111' : '000000');
    expect(wrong.answer).toMatchObject({ error: { code: LINK_ERRORS.badOtp.code } });
    expect(await linksOf(w)).toEqual([]);

    const right = await w.sim.discovery.linkConfirm(HIP_ID, linkRefOf(answer), otp);
    expect(right.answer!.error).toBeUndefined();
    expect((await linksOf(w)).map((l) => [l.reference, l.state, l.via])).toEqual([[visit, 'linked', 'user']]);
    expect(w.sim.discovery.problems).toEqual([]);
    // The OTP is in no audit row (the SMS provider's key never goes near the gateway's trail).
    const trail = JSON.stringify(await w.server.database.db.execute(sql`SELECT * FROM abdm_exchanges`));
    expect(trail).not.toContain(AUTH_KEY);
    expect(trail).not.toContain(`"${otp}"`);
  }, 120_000);

  it('confirms after the server restarted between link init and the OTP', async () => {
    const w = await world();
    const { ravi, visit } = await raviWithVisit(w);
    const { answer } = await discoverAndInit(w, ravi, visit);
    const otp = otpIn(w.sms.sent[0]!.text);
    await w.server.restart();
    const right = await w.sim.discovery.linkConfirm(HIP_ID, linkRefOf(answer), otp);
    expect(right.answer!.error).toBeUndefined();
    expect((await linksOf(w)).map((l) => [l.reference, l.state])).toEqual([[visit, 'linked']]);
  }, 120_000);

  it('answers link init with the error when the SMS provider is down or refuses, leaving no OTP to confirm; the patient can try again', async () => {
    const w = await world();
    const { ravi, visit } = await raviWithVisit(w);
    w.sms.knobs.down = 1;
    const down = await discoverAndInit(w, ravi, visit);
    expect(down.answer).toMatchObject({ error: { code: LINK_ERRORS.otpUnsent.code } });
    expect(down.answer.link).toBeUndefined();
    expect(w.sms.sent).toEqual([]);
    // Nothing half-made: the discovery stays as it was, with no OTP or link reference.
    expect(await requestOf(w, down.transactionId)).toMatchObject({ state: 'discovered', otpHash: null, linkRefNumber: null });

    // The same discovery, once the provider is back, gets its OTP.
    const again = await w.sim.discovery.linkInit(HIP_ID, down.transactionId, RAVI_FOUND.id, [{ referenceNumber: ravi, careContexts: [{ referenceNumber: visit }], hiType: 'OPConsultation', count: 1 }]);
    expect(again.answer!.error).toBeUndefined();
    expect(w.sms.sent).toHaveLength(1);
    const right = await w.sim.discovery.linkConfirm(HIP_ID, linkRefOf(again.answer!), otpIn(w.sms.sent[0]!.text));
    expect(right.answer!.error).toBeUndefined();
  }, 120_000);

  it('two link inits of one discovery at the same moment send one SMS; its OTP links the visit', async () => {
    const w = await world();
    const { ravi, visit } = await raviWithVisit(w);
    const found = await w.sim.discovery.discover(HIP_ID, RAVI_FOUND);
    w.sms.knobs.delayMs = 300;
    const ask = () => w.sim.discovery.linkInit(HIP_ID, found.transactionId, RAVI_FOUND.id, [{ referenceNumber: ravi, careContexts: [{ referenceNumber: visit }], hiType: 'OPConsultation', count: 1 }]);
    const answers = (await Promise.all([ask(), ask()])).map((r) => r.answer!);
    // One text only: a second would carry a code that never works, and use up the patient's allowance.
    expect(w.sms.sent).toHaveLength(1);
    const linked = answers.filter((a) => a.link);
    expect(linked).toHaveLength(1);
    expect(answers.filter((a) => a.error)).toHaveLength(1);
    const right = await w.sim.discovery.linkConfirm(HIP_ID, linkRefOf(linked[0]!), otpIn(w.sms.sent[0]!.text));
    expect(right.answer!.error).toBeUndefined();
  }, 120_000);

  it('a wrong MSG91 key: link init refused, nothing sent, and the refusal does not count against the patient', async () => {
    const w = await world({ authKey: 'not-the-key' });
    const { ravi, visit } = await raviWithVisit(w);
    const refused = await discoverAndInit(w, ravi, visit);
    expect(refused.answer).toMatchObject({ error: { code: LINK_ERRORS.otpUnsent.code } });
    expect(w.sms.answered).toEqual([{ status: 401, type: 'error', message: 'Authentication failure' }]);
    expect(w.sms.sent).toEqual([]);
    expect((await w.server.database.db.select().from(abdmOtpSends)).map((s) => s.outcome)).toEqual(['refused']);
  }, 120_000);

  it(`sends at most ${OTP_SENDS_PER_MOBILE} OTPs to one mobile in 10 minutes, across a restart: a fourth link init is refused and sends nothing`, async () => {
    const w = await world();
    const { ravi, visit } = await raviWithVisit(w);
    for (let i = 0; i < OTP_SENDS_PER_MOBILE - 1; i++) expect((await discoverAndInit(w, ravi, visit)).answer.error).toBeUndefined();
    // A send whose answer was lost may have reached the phone: it counts.
    w.sms.knobs.dropConnection = 1;
    expect((await discoverAndInit(w, ravi, visit)).answer).toMatchObject({ error: { code: LINK_ERRORS.otpUnsent.code } });
    await w.server.restart();
    const fourth = await discoverAndInit(w, ravi, visit);
    expect(fourth.answer).toMatchObject({ error: { code: LINK_ERRORS.tooManyOtps.code } });
    expect(w.sms.sent).toHaveLength(OTP_SENDS_PER_MOBILE - 1);
    expect(w.sms.answered).toHaveLength(OTP_SENDS_PER_MOBILE - 1);
    // The table holds no mobile number.
    expect(JSON.stringify(await w.server.database.db.select().from(abdmOtpSends))).not.toContain('9123456780');
  }, 120_000);
});

describe('ABDM connection check: the SMS sender', () => {
  it('says whether the SMS sender is configured, with its sender and templates but never its key', async () => {
    const sms = await startSmsSim({ authKey: AUTH_KEY, templates: [TEMPLATE] });
    opened.push(sms);
    const config = smsConfig(sms);
    const without = await checkConnection(null, null);
    expect(without).toMatchObject({ ok: true, value: { sms: { configured: false } } });
    const withSms = await checkConnection(null, null, msg91Sender(config));
    expect(withSms).toMatchObject({ ok: true, value: { sms: { configured: true, provider: 'msg91', senderId: 'SHRMCL', templateId: TEMPLATE.id, dltTemplateId: TEMPLATE.dltTemplateId } } });
    expect(JSON.stringify(withSms)).not.toContain(AUTH_KEY);
    expect(smsConfigFromEnv({ MSG91_AUTH_KEY: 'k', MSG91_TEMPLATE_ID: 't', MSG91_SENDER_ID: 'TOOLONG1', MSG91_DLT_TEMPLATE_ID: TEMPLATE.dltTemplateId })).toEqual({ error: expect.stringContaining('MSG91_SENDER_ID') });
    expect(smsConfigFromEnv({})).toBeNull();
  });
});
