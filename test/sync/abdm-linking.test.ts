import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAbdmBridge, GENERATE_TOKEN_PATH, type AbdmBridge } from '../../server/abdm/bridge';
import { loadCareContext } from '../../server/abdm/care-contexts';
import type { AbdmConfig } from '../../server/abdm/config';
import { discoveryRoutes, LINK_CONFIRM_PATH, LINK_ERRORS, ON_DISCOVER_PATH } from '../../server/abdm/discover';
import { createAbdmLinker, LINK_CARECONTEXT_PATH, type AbdmLinker } from '../../server/abdm/link';
import { abdmCareContextLinks, abdmLinkRequests } from '../../server/db/schema';
import { recordVerification } from '../../server/abdm/verified-abha';
import { startAbdmSim, type AbdmSim } from '../helpers/abdm-sim';
import { hiuDecrypt, hiuKeyMaterial } from '../helpers/fidelius-hiu';
import { pushBody } from '../../server/abdm/health-info';
import { fhirProblems } from '../helpers/fhir-schema';
import { startSyncServer, waitFor, type TestSyncServer } from '../helpers/sync';
import { setupClinic, STAFF, type Desk } from './harness';

/**
 * ABDM M2 linking end to end: a real desk completes visits, its care contexts (FHIR bundles made
 * at completion) sync to a real sync server (PGlite) with the ABDM bridge mounted, and the server
 * links them with the gateway simulator (HIP-initiated), answers the simulator's discovery for the
 * PHR app, and links what the patient picks once they confirm the OTP.
 */
const CLIENT_ID = 'SBX_0000412';
const CLIENT_SECRET = 'c1ient-s3cret-never-logged';
const HIP_ID = 'IN2710001234';
const SITA = { givenName: 'Sita', familyName: 'Devi', gender: 'female', dob: '1988-03-04', mobile: '9876543210', abhaAddress: 'sita.devi@sbx', abhaNumber: '91-1234-5678-9012' } as const;
const RAVI = { givenName: 'Ravi', familyName: 'Kumar', gender: 'male', dob: '1979-06-01', mobile: '9123456780' } as const;
const RANI = { givenName: 'Rani', familyName: 'Kumar', gender: 'female', dob: '1981-02-11', mobile: '9123456780' } as const;
const ASHA = { givenName: 'Asha', familyName: 'Patil', gender: 'female', dob: '1990-01-01', mobile: '9000000001', abhaNumber: '91-5555-6666-7777' } as const;
const ITEM = { drugId: null, genericName: 'Paracetamol', brand: null, form: 'tablet', strength: '500 mg', route: 'oral', dose: '1 tab', frequency: '1-0-1', timing: 'after-food', durationDays: 3, quantity: 6, instructions: null };

interface World {
  sim: AbdmSim;
  server: TestSyncServer;
  linker: () => AbdmLinker;
  bridge: () => AbdmBridge;
  desk: Desk;
  clinicId: string;
  doctorId: string;
  rita: string;
  meera: string;
}

async function world(): Promise<World> {
  const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, hipIds: [HIP_ID], abhaAddresses: [SITA.abhaAddress] });
  let linker: AbdmLinker | null = null;
  let theBridge: AbdmBridge | null = null;
  const server = await startSyncServer({
    abdm: (database) => {
      const config: AbdmConfig = { gatewayUrl: sim.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, cmId: 'sbx', hipId: HIP_ID, publicBaseUrl: 'https://clinic.example.in/abdm' };
      const bridge = createAbdmBridge(config, database.db, { backoffMs: 5, retries: 1, callbackTimeoutMs: 5_000 });
      theBridge = bridge;
      const made = createAbdmLinker(bridge, database.db, {
        retryMs: 1,
        // The test's stand-in for the SMS: the OTP reaches the simulated patient's phone.
        sendOtp: (to, otp) => (sim.discovery.inbox.push({ mobile: to.mobile, otp }), true),
      });
      linker = made;
      return { handle: bridge.handle, afterPush: () => made.poke() };
    },
  });
  sim.knobs.callbackBaseUrl = `${server.url}/abdm`;
  const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 1 });
  const desk = devices[0]!;
  return {
    sim,
    server,
    linker: () => linker!,
    bridge: () => theBridge!,
    desk,
    clinicId,
    doctorId,
    rita: desk.c.login(STAFF.rita.username, STAFF.rita.password),
    meera: desk.c.login(STAFF.meera.username, STAFF.meera.password),
  };
}

type Registered = { status: 'registered'; patient: { id: string } } | { status: 'duplicates'; candidates: { id: string }[] };

/**
 * Registered at the desk. An ABHA on the form counts on the server only once the server verified
 * it for this patient (verified-abha.ts): `verified` records that, as the OTP flow does (tested end
 * to end in abdm-abha-verify.test.ts); without it the ABHA is merely typed.
 */
async function registerPatient(w: World, patient: Record<string, unknown>, options: { verified?: boolean } = {}): Promise<string> {
  let r = w.desk.c.ok('patients.register', { patient }, w.rita) as Registered;
  if (r.status === 'duplicates') r = w.desk.c.ok('patients.register', { patient, acknowledgeDuplicates: r.candidates.map((c) => c.id) }, w.rita);
  if (r.status !== 'registered') throw new Error('not registered');
  const abhaAddress = typeof patient.abhaAddress === 'string' ? patient.abhaAddress : null;
  const abhaNumber = typeof patient.abhaNumber === 'string' ? patient.abhaNumber : null;
  if ((options.verified ?? true) && (abhaAddress || abhaNumber)) await serverVerified(w, r.patient.id, abhaAddress, abhaNumber);
  return r.patient.id;
}

async function serverVerified(w: World, patientId: string, abhaAddress: string | null, abhaNumber: string | null) {
  await recordVerification(w.server.database.db, { clinicId: w.clinicId, patientId, abhaAddress, abhaNumber, verifiedAt: Date.now(), verifiedBy: 'user-rita', deviceId: 'desk', method: 'abha-address-mobile-otp' });
}

/** Checked in, seen and completed by Dr Meera (with a prescription when asked): the visit id. */
function completedVisit(w: World, patientId: string, withRx: boolean): string {
  const { visitId } = w.desk.c.ok('queue.checkIn', { patientId, doctorId: w.doctorId }, w.rita) as { visitId: string };
  w.desk.c.ok('queue.callNext', {}, w.meera);
  w.desk.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Fever for 3 days'], diagnoses: [{ code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' }] } }, w.meera);
  if (withRx) w.desk.c.ok('prescriptions.save', { visitId, items: [ITEM] }, w.meera);
  w.desk.c.ok('consultations.complete', { visitId }, w.meera);
  return visitId;
}

async function linksOf(w: World) {
  return w.server.database.db.select().from(abdmCareContextLinks).where(eq(abdmCareContextLinks.clinicId, w.clinicId));
}

const calls = (sim: AbdmSim, path: string) => sim.received.filter((r) => r.path === path);

describe('ABDM care contexts and HIP-initiated linking', () => {
  it('makes the visit\'s FHIR records at completion, syncs them, and links them to the patient\'s ABHA once', async () => {
    const w = await world();
    const sita = await registerPatient(w, SITA);
    const ravi = await registerPatient(w, RAVI);
    const visit = completedVisit(w, sita, true);
    const raviVisit = completedVisit(w, ravi, false);

    // At the desk: one row per visit, made in the completion, with valid FHIR documents.
    const local = w.desk.c.app.database.sqlite.prepare('SELECT * FROM abdm_care_contexts WHERE visit_id = ?').get(visit) as Record<string, string>;
    expect(local.reference).toBe(visit);
    expect(local.display).toMatch(/^OPD \d\d [A-Z][a-z]{2} \d{4}, Dr Meera Rao$/);
    expect(JSON.parse(local.hi_types!)).toEqual(['OPConsultation', 'Prescription']);
    const bundles = JSON.parse(local.bundles!) as Record<string, Record<string, unknown>>;
    for (const b of Object.values(bundles)) expect(fhirProblems(b)).toEqual([]);
    const typeOf = (b: Record<string, unknown>) => ((b.entry as { resource: { type: { coding: { system: string; code: string }[] } } }[])[0]!.resource.type.coding[0]);
    expect(typeOf(bundles.OPConsultation!)).toMatchObject({ system: 'http://snomed.info/sct', code: '371530004' });
    expect(typeOf(bundles.Prescription!)).toMatchObject({ system: 'http://snomed.info/sct', code: '440545006' });

    await w.desk.c.app.sync.syncNow();
    await w.linker().sweep();
    await waitFor(async () => (await linksOf(w)).some((l) => l.state === 'linked'), 'the care context linked');

    // On the server: what the hi helper reads, the same bundles.
    const cc = await loadCareContext(w.server.database.db, w.clinicId, visit);
    expect(cc).toEqual({ patientId: sita, abhaAddress: SITA.abhaAddress, hiTypes: ['OPConsultation', 'Prescription'], bundles });

    // The gateway was asked once for Sita's link token, then link/carecontext with it, per hiType.
    expect(calls(w.sim, GENERATE_TOKEN_PATH).map((c) => (c.body as { abhaAddress: string }).abhaAddress)).toEqual([SITA.abhaAddress]);
    const linkCalls = calls(w.sim, LINK_CARECONTEXT_PATH);
    expect(linkCalls.map((c) => c.status)).toEqual([202]);
    expect(String(linkCalls[0]!.headers['x-link-token'])).toMatch(/^link\./);
    expect(linkCalls[0]!.headers['x-hip-id']).toBe(HIP_ID);
    expect(w.sim.link.linked.map((l) => [l.careContext, l.hiType, l.patientReference, l.abhaAddress])).toEqual([
      [visit, 'OPConsultation', sita, SITA.abhaAddress],
      [visit, 'Prescription', sita, SITA.abhaAddress],
    ]);
    // Ravi has no ABHA address: nothing about him went to ABDM.
    expect(JSON.stringify(w.sim.received)).not.toContain(raviVisit);
    const links = await linksOf(w);
    expect(links.map((l) => [l.reference, l.state, l.via])).toEqual([[visit, 'linked', 'hip']]);

    // A second visit: the kept link token is used again; the first is not linked twice.
    const second = completedVisit(w, sita, false);
    await w.desk.c.app.sync.syncNow();
    await w.linker().sweep();
    await waitFor(async () => (await linksOf(w)).filter((l) => l.state === 'linked').length === 2, 'the second linked');
    await w.linker().sweep();
    expect(calls(w.sim, GENERATE_TOKEN_PATH)).toHaveLength(1);
    expect(w.sim.link.linked.map((l) => l.careContext)).toEqual([visit, visit, second]);
  }, 120_000);

  it('keeps a care context pending while the gateway is down and links it once when it is back', async () => {
    const w = await world();
    const sita = await registerPatient(w, SITA);
    w.sim.knobs.fail5xx = 1_000;
    const visit = completedVisit(w, sita, false);
    await w.desk.c.app.sync.syncNow();
    await w.linker().sweep();
    await w.linker().sweep();
    const pending = await linksOf(w);
    expect(pending.map((l) => [l.reference, l.state])).toEqual([[visit, 'pending']]);
    expect(pending[0]!.lastError).toContain('ABDM-9999');
    expect(w.sim.link.linked).toEqual([]);

    w.sim.knobs.fail5xx = 0;
    await new Promise((r) => setTimeout(r, 50));
    await w.linker().sweep();
    await waitFor(async () => (await linksOf(w))[0]!.state === 'linked', 'linked after the outage');
    await w.linker().sweep();
    await w.sim.idle();
    expect(w.sim.link.linked.map((l) => l.careContext)).toEqual([visit]);
    expect(calls(w.sim, LINK_CARECONTEXT_PATH).filter((c) => c.status === 202)).toHaveLength(1);
  }, 120_000);
});

describe('ABDM discovery and user-initiated linking', () => {
  it('answers discovery by ABHA and by demographics with that patient\'s unlinked records only, and links them on the right OTP', async () => {
    const w = await world();
    const asha = await registerPatient(w, ASHA);
    const ravi = await registerPatient(w, RAVI);
    const rani = await registerPatient(w, RANI);
    const ashaVisit = completedVisit(w, asha, true);
    const raviVisit = completedVisit(w, ravi, false);
    const raniVisit = completedVisit(w, rani, false);
    await w.desk.c.app.sync.syncNow();
    await w.linker().sweep();
    const d = w.sim.discovery;

    // By her verified ABHA number: Asha's visit, one entry per hiType.
    const byAbha = await d.discover(HIP_ID, { id: 'asha.patil@sbx', name: 'Asha Patil', gender: 'F', yearOfBirth: 1990, verifiedIdentifiers: [{ type: 'ABHA_NUMBER', value: ASHA.abhaNumber }], unverifiedIdentifiers: [] });
    expect(byAbha.asked.status).toBe(202);
    expect(byAbha.answer).toMatchObject({ transactionId: byAbha.transactionId, matchedBy: ['ABHA_NUMBER'] });
    expect((byAbha.answer!.patient as { referenceNumber: string; hiType: string; careContexts: { referenceNumber: string }[] }[]).map((p) => [p.referenceNumber, p.hiType, p.careContexts.map((c) => c.referenceNumber)])).toEqual([
      [asha, 'OPConsultation', [ashaVisit]],
      [asha, 'Prescription', [ashaVisit]],
    ]);

    // By mobile, gender, year (within five) and a name that sounds the same: Ravi, not Rani on the same phone.
    const byDemographics = await d.discover(HIP_ID, { id: 'ravi.k@sbx', name: 'Ravee Kumar', gender: 'M', yearOfBirth: 1980, verifiedIdentifiers: [{ type: 'MOBILE', value: '+91 91234 56780' }], unverifiedIdentifiers: [] });
    const entries = byDemographics.answer!.patient as { referenceNumber: string; careContexts: { referenceNumber: string }[] }[];
    expect(byDemographics.answer!.matchedBy).toEqual(['MOBILE']);
    expect(entries.map((p) => [p.referenceNumber, p.careContexts.map((c) => c.referenceNumber)])).toEqual([[ravi, [raviVisit]]]);
    expect(JSON.stringify(byDemographics.answer)).not.toContain(raniVisit);

    // Nobody like that here: the error, no records.
    const nobody = await d.discover(HIP_ID, { id: 'someone@sbx', name: 'Mohan Lal', gender: 'M', yearOfBirth: 1960, verifiedIdentifiers: [{ type: 'MOBILE', value: '9999999999' }], unverifiedIdentifiers: [] });
    expect(nobody.answer).toMatchObject({ transactionId: nobody.transactionId, error: { code: LINK_ERRORS.noPatient.code } });
    expect(nobody.answer!.patient).toBeUndefined();

    // Link init naming someone else's visit is refused; the patient's own gets an OTP.
    const raviEntry = (refs: string[]) => [{ referenceNumber: ravi, careContexts: refs.map((r) => ({ referenceNumber: r })), hiType: 'OPConsultation', count: refs.length }];
    const sneaky = await d.linkInit(HIP_ID, byDemographics.transactionId, 'ravi.k@sbx', raviEntry([raviVisit, raniVisit]));
    expect(sneaky.answer).toMatchObject({ error: { code: LINK_ERRORS.badRequest.code } });
    const init = await d.linkInit(HIP_ID, byDemographics.transactionId, 'ravi.k@sbx', raviEntry([raviVisit]));
    const linkRef = (init.answer!.link as { referenceNumber: string }).referenceNumber;
    expect(init.answer).toMatchObject({ transactionId: byDemographics.transactionId, link: { authenticationType: 'DIRECT', meta: { communicationMedium: 'MOBILE' } } });
    expect(d.inbox).toHaveLength(1);
    expect(d.inbox[0]!.mobile).toBe(RAVI.mobile);
    const otp = d.inbox[0]!.otp;

    // A wrong OTP links nothing.
    const wrong = await d.linkConfirm(HIP_ID, linkRef, otp === '000000' ? '111111' : '000000');
    expect(wrong.answer).toMatchObject({ error: { code: LINK_ERRORS.badOtp.code } });
    expect((await linksOf(w)).filter((l) => l.reference === raviVisit)).toEqual([]);

    // The right one links Ravi's visit, in his name, and only it.
    const right = await d.linkConfirm(HIP_ID, linkRef, otp);
    expect(right.answer!.error).toBeUndefined();
    expect((right.answer!.patient as { careContexts: { referenceNumber: string }[] }[]).flatMap((p) => p.careContexts.map((c) => c.referenceNumber))).toEqual([raviVisit]);
    expect((await linksOf(w)).map((l) => [l.reference, l.state, l.via, l.abhaAddress])).toEqual([[raviVisit, 'linked', 'user', 'ravi.k@sbx']]);

    // Linked records are not offered again.
    const again = await d.discover(HIP_ID, { id: 'ravi.k@sbx', name: 'Ravi Kumar', gender: 'M', yearOfBirth: 1979, verifiedIdentifiers: [{ type: 'MOBILE', value: RAVI.mobile }], unverifiedIdentifiers: [] });
    expect(again.answer).toMatchObject({ error: { code: LINK_ERRORS.noCareContexts.code } });
    // Every answer the HIP sent had the shape the simulator checks.
    expect(d.problems).toEqual([]);
    expect(calls(w.sim, ON_DISCOVER_PATH).every((c) => c.status === 202)).toBe(true);
  }, 120_000);
});

describe('ABDM: only an ABHA the server verified counts', () => {
  it('links nothing to, and discovers nobody by, an ABHA typed at the desk; once the server verified it, the visit is linked', async () => {
    const w = await world();
    const sita = await registerPatient(w, SITA, { verified: false });
    const visit = completedVisit(w, sita, false);
    await w.desk.c.app.sync.syncNow();
    await w.linker().sweep();
    await w.linker().sweep();
    expect(await linksOf(w)).toEqual([]);
    expect(calls(w.sim, GENERATE_TOKEN_PATH)).toEqual([]);
    const byAbha = await w.sim.discovery.discover(HIP_ID, { id: SITA.abhaAddress, name: 'Sita Devi', gender: 'F', yearOfBirth: 1988, verifiedIdentifiers: [{ type: 'ABHA_NUMBER', value: SITA.abhaNumber }], unverifiedIdentifiers: [] });
    expect(byAbha.answer).toMatchObject({ error: { code: LINK_ERRORS.noPatient.code } });

    await serverVerified(w, sita, SITA.abhaAddress, SITA.abhaNumber);
    await w.linker().sweep();
    await waitFor(async () => (await linksOf(w)).some((l) => l.state === 'linked'), 'linked once verified');
    expect((await linksOf(w)).map((l) => [l.reference, l.abhaAddress])).toEqual([[visit, SITA.abhaAddress]]);
  }, 120_000);

  it('counts every OTP try atomically: confirms sent together cannot share a try', async () => {
    const w = await world();
    const ravi = await registerPatient(w, RAVI);
    const raviVisit = completedVisit(w, ravi, false);
    await w.desk.c.app.sync.syncNow();
    const d = w.sim.discovery;
    const found = await d.discover(HIP_ID, { id: 'ravi.k@sbx', name: 'Ravi Kumar', gender: 'M', yearOfBirth: 1979, verifiedIdentifiers: [{ type: 'MOBILE', value: RAVI.mobile }], unverifiedIdentifiers: [] });
    const init = await d.linkInit(HIP_ID, found.transactionId, 'ravi.k@sbx', [{ referenceNumber: ravi, careContexts: [{ referenceNumber: raviVisit }], hiType: 'OPConsultation', count: 1 }]);
    const linkRef = (init.answer!.link as { referenceNumber: string }).referenceNumber;
    const otp = d.inbox[0]!.otp;
    const wrong = otp === '000000' ? '111111' : '000000';
    // Six confirms acted on at the same moment (as six callbacks handled concurrently would be).
    const confirm = discoveryRoutes(w.bridge(), w.server.database.db, { clinicId: async () => w.clinicId, now: Date.now }).find((r) => r.path === LINK_CONFIRM_PATH)!;
    await Promise.all(Array.from({ length: 6 }, async () => void (await confirm.act({ confirmation: { linkRefNumber: linkRef, token: wrong } }, crypto.randomUUID(), crypto.randomUUID()))));
    const [req] = await w.server.database.db.select().from(abdmLinkRequests).where(eq(abdmLinkRequests.linkRefNumber, linkRef));
    // Three tries in all, whatever the timing: the sixth wrong OTP did not get a try of its own.
    expect(req).toMatchObject({ wrongTries: 3, state: 'refused' });
    const late = await d.linkConfirm(HIP_ID, linkRef, otp);
    expect(late.answer).toMatchObject({ error: { code: LINK_ERRORS.unknownLink.code } });
    expect(await linksOf(w)).toEqual([]);
  }, 120_000);

  it('adds the InvoiceRecord to the visit\'s care context when its bill is issued, and an HI request sends it, encrypted, valid FHIR', async () => {
    const w = await world();
    const sita = await registerPatient(w, SITA);
    const visit = completedVisit(w, sita, false);
    const draft = w.desk.c.ok('billing.createInvoice', { patientId: sita, visitId: visit, doctorId: w.doctorId, lines: [{ kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 }] }, w.rita) as { id: string };
    w.desk.c.ok('billing.issueInvoice', { invoiceId: draft.id }, w.rita);
    const local = w.desk.c.app.database.sqlite.prepare('SELECT hi_types, bundles FROM abdm_care_contexts WHERE visit_id = ?').get(visit) as { hi_types: string; bundles: string };
    expect(JSON.parse(local.hi_types)).toEqual(['OPConsultation', 'Invoice']);
    const invoice = (JSON.parse(local.bundles) as Record<string, Record<string, unknown>>).Invoice!;
    expect(fhirProblems(invoice)).toEqual([]);
    expect(JSON.stringify(invoice)).toContain('InvoiceRecord');

    await w.desk.c.app.sync.syncNow();
    const cc = (await loadCareContext(w.server.database.db, w.clinicId, visit))!;
    expect(cc.hiTypes).toEqual(['OPConsultation', 'Invoice']);
    // What the transfer pushes for a consent for invoices: decrypted by the test's own Fidelius.
    const keys = hiuKeyMaterial();
    const consent = { consentId: 'c-1', status: 'GRANTED', patientAbhaAddress: SITA.abhaAddress, hipId: HIP_ID, hiuId: 'HIU', purposeCode: 'CAREMGT', hiTypes: ['Invoice'], careContexts: [{ patientReference: sita, careContextReference: visit }], accessMode: 'VIEW', dateFrom: null, dateTo: null, dataEraseAt: null, frequency: null, grantedAt: new Date(), updatedAt: new Date() };
    const body = pushBody({ transactionId: 't-1', consent, dataPushUrl: 'https://hiu.example.in/push', requesterKey: keys.x509PublicKey, requesterNonce: keys.nonce, contexts: [{ reference: visit, careContext: cc }] });
    expect(body.entries).toHaveLength(1);
    const text = hiuDecrypt({ content: body.entries[0]!.content, privateKey: keys.privateKey, nonce: keys.nonce, senderX509: body.keyMaterial.dhPublicKey.keyValue, senderNonce: body.keyMaterial.nonce });
    const sent = JSON.parse(text) as Record<string, unknown>;
    expect(fhirProblems(sent)).toEqual([]);
    expect(sent).toEqual(invoice);
  }, 120_000);

  it('after the visit\'s bill is voided and re-issued, an HI request for its Invoice gets the re-issued bill, never the voided one', async () => {
    const w = await world();
    const sita = await registerPatient(w, SITA);
    const visit = completedVisit(w, sita, false);
    const issue = (ratePaise: number) => {
      const draft = w.desk.c.ok('billing.createInvoice', { patientId: sita, visitId: visit, doctorId: w.doctorId, lines: [{ kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise }] }, w.rita) as { id: string };
      return w.desk.c.ok('billing.issueInvoice', { invoiceId: draft.id }, w.rita) as { id: string; invoiceNumber: string };
    };
    const wrong = issue(80_000);
    await w.desk.c.app.sync.syncNow();
    w.desk.c.ok('billing.voidInvoice', { invoiceId: wrong.id, reason: 'Wrong fee' }, w.rita);
    const synced = async () => {
      await w.desk.c.app.sync.syncNow();
      return (await loadCareContext(w.server.database.db, w.clinicId, visit))!;
    };
    // Voided with nothing in its place: the visit has no Invoice record to send.
    expect((await synced()).hiTypes).toEqual(['OPConsultation']);
    const corrected = issue(50_000);
    const cc = await synced();
    expect(cc.hiTypes).toEqual(['OPConsultation', 'Invoice']);
    const keys = hiuKeyMaterial();
    const consent = { consentId: 'c-2', status: 'GRANTED', patientAbhaAddress: SITA.abhaAddress, hipId: HIP_ID, hiuId: 'HIU', purposeCode: 'CAREMGT', hiTypes: ['Invoice'], careContexts: [{ patientReference: sita, careContextReference: visit }], accessMode: 'VIEW', dateFrom: null, dateTo: null, dataEraseAt: null, frequency: null, grantedAt: new Date(), updatedAt: new Date() };
    const body = pushBody({ transactionId: 't-2', consent, dataPushUrl: 'https://hiu.example.in/push', requesterKey: keys.x509PublicKey, requesterNonce: keys.nonce, contexts: [{ reference: visit, careContext: cc }] });
    expect(body.entries).toHaveLength(1);
    const text = hiuDecrypt({ content: body.entries[0]!.content, privateKey: keys.privateKey, nonce: keys.nonce, senderX509: body.keyMaterial.dhPublicKey.keyValue, senderNonce: body.keyMaterial.nonce });
    const sent = JSON.parse(text) as { entry: { resource: { resourceType: string; identifier?: { value: string }[]; totalGross?: { value: number }; status?: string } }[] };
    expect(fhirProblems(sent)).toEqual([]);
    const invoice = sent.entry.find((e) => e.resource.resourceType === 'Invoice')!.resource;
    expect([invoice.identifier![0]!.value, invoice.totalGross!.value, invoice.status]).toEqual([corrected.invoiceNumber, 500, 'issued']);
    expect(text).not.toContain(wrong.invoiceNumber);
  }, 120_000);
});
