import { createHash, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import { asc, eq, gt, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAbdmBridge, type AbdmBridgeOptions } from '../../server/abdm/bridge';
import { CERTS_PATH } from '../../server/abdm/callback-auth';
import type { AbdmConfig } from '../../server/abdm/config';
import { CONSENT_NOTIFY_PATH, CONSENT_ON_NOTIFY_PATH } from '../../server/abdm/consent';
import { HI_NOTIFY_PATH, HI_ON_REQUEST_PATH, HI_REQUEST_PATH } from '../../server/abdm/health-info';
import { createSyncServer } from '../../server/app';
import { openServerDb, type OpenedServerDb } from '../../server/db/open';
import { abdmCareContextLinks, abdmConsents, abdmExchanges, rows } from '../../server/db/schema';
import { documentBundle, PROFILE, SNOMED } from '../../electron/services/fhir';
import { startAbdmSim, type AbdmSim } from '../helpers/abdm-sim';
import { fhirProblems } from '../helpers/fhir-schema';
import { hiuDecrypt, hiuKeyMaterial, privateKeyFromScalar, scalarFromJavaBase64 } from '../helpers/fidelius-hiu';
import { ADMIN_TOKEN } from '../helpers/sync';

/**
 * Consents and health-information transfer (ABDM v3 consent-management-data-flow.yaml) through the
 * sync server's ABDM bridge (PGlite), against the gateway simulator, which signs its callbacks.
 * The HIU's data push URL is a test HTTP server; what it receives is decrypted with the test's own
 * implementation of the scheme (test/helpers/fidelius-hiu.ts), not the server's.
 */
const CLIENT_ID = 'SBX_0000412';
const CLIENT_SECRET = 'c1ient-s3cret-never-logged';
const HIP_ID = 'IN2710001234';
const CLINIC = 'clinic-hi';
const SITA = 'sita.devi@sbx';
const SITA_NAME = 'Sita Devi Sharma';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
let database: OpenedServerDb;
let seq = 1_000_000;
beforeAll(async () => {
  database = await openServerDb({});
}, 120_000);
afterAll(async () => {
  await database.close();
});

/** An OPConsultRecord-shaped document bundle (NRCeS: Composition typed SNOMED 371530004, Patient, Practitioner). */
function opConsultBundle(id: string, when: string) {
  const patient = { resourceType: 'Patient', id: `${id}-pat`, meta: { profile: [`${PROFILE}/Patient`] }, name: [{ text: SITA_NAME }], gender: 'female', birthDate: '1988' };
  const doctor = { resourceType: 'Practitioner', id: `${id}-doc`, meta: { profile: [`${PROFILE}/Practitioner`] }, name: [{ text: 'Dr. Anil Rao' }] };
  const composition = {
    resourceType: 'Composition',
    id: `${id}-comp`,
    meta: { profile: [`${PROFILE}/OPConsultRecord`] },
    status: 'final',
    type: { coding: [{ system: SNOMED, code: '371530004', display: 'Clinical consultation report' }], text: 'Clinical consultation report' },
    subject: { reference: `urn:uuid:${id}-pat`, display: SITA_NAME },
    date: when,
    author: [{ reference: `urn:uuid:${id}-doc` }],
    title: 'Consultation Report',
    section: [{ title: 'Chief complaints', code: { coding: [{ system: SNOMED, code: '422843007', display: 'Chief complaint section' }] }, text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">बुखार, तीन दिन</div>' } }],
  };
  return documentBundle(id, when, [composition, patient, doctor]);
}

/** A care context as the desks' synced table abdm_care_contexts holds it on the server, with its patient's row. */
async function addCareContext(reference: string, options: { clinicId?: string; abhaAddress?: string; linkedTo?: string | null; visitDate?: string; bill?: 'issued' | 'void'; oldRecord?: boolean } = {}) {
  const bundle = opConsultBundle(crypto.randomUUID(), '2026-11-20T10:15:00+05:30');
  const clinicId = options.clinicId ?? CLINIC;
  const abhaAddress = options.abhaAddress ?? SITA;
  const patientId = abhaAddress === SITA ? 'patient-sita' : `patient-${abhaAddress}`;
  const common = { clinicId, fieldHlc: {}, hlc: '0' };
  await database.db
    .insert(rows)
    .values({ ...common, tableName: 'patients', rowId: patientId, data: { id: patientId, given_name: 'Patient', abha_address: abhaAddress }, seq: seq++ })
    .onConflictDoNothing();
  // The visit the care context is of (its reference is the visit's id), on its clinic-local day.
  await database.db.insert(rows).values({ ...common, tableName: 'visits', rowId: reference, data: { id: reference, patient_id: patientId, date: options.visitDate ?? '2026-11-20', status: 'done' }, seq: seq++ });
  // The visit's bill as the care context holds it (an InvoiceRecord naming its bill row; one made
  // before records named it: by its number only), and the bill row as it stands now.
  const billId = crypto.randomUUID();
  const invoice = { resourceType: 'Bundle', type: 'document', entry: [{ resource: { resourceType: 'Invoice', status: 'issued', identifier: [{ value: `2627/A/${reference.slice(-4)}` }, ...(options.oldRecord ? [] : [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${billId}` }])], totalGross: { value: 500, currency: 'INR' } } }] };
  if (options.bill) {
    await database.db.insert(rows).values({ ...common, tableName: 'invoices', rowId: billId, data: { id: billId, visit_id: reference, patient_id: patientId, status: options.bill, invoice_number: `2627/A/${reference.slice(-4)}` }, seq: seq++ });
  }
  await database.db.insert(rows).values({
    ...common,
    tableName: 'abdm_care_contexts',
    rowId: crypto.randomUUID(),
    data: { reference, patient_id: patientId, hi_types: options.bill ? ['OPConsultation', 'Invoice'] : ['OPConsultation'], bundles: options.bill ? { OPConsultation: bundle, Invoice: invoice } : { OPConsultation: bundle } },
    seq: seq++,
  });
  // Linked (HIP-initiated or by the patient) to this ABHA, unless the test says otherwise.
  const linkedTo = options.linkedTo === undefined ? abhaAddress : options.linkedTo;
  if (linkedTo) await database.db.insert(abdmCareContextLinks).values({ clinicId, reference, patientId, abhaAddress: linkedTo, via: 'hip', state: 'linked', linkedAt: new Date() });
  return bundle;
}

function grant(consentId: string, references: string[], permission: Record<string, unknown> = {}) {
  return {
    status: 'GRANTED',
    consentId,
    consentDetail: {
      schemaVersion: 'v3',
      consentId,
      createdAt: new Date().toISOString(),
      patient: { id: SITA },
      careContexts: references.map((careContextReference) => ({ patientReference: 'patient-sita', careContextReference })),
      purpose: { text: 'Care Management', code: 'CAREMGT', refUri: 'www.abdm.gov.in' },
      hip: { id: HIP_ID, name: 'Clinic' },
      hiu: { id: 'HIU_CITY_HOSPITAL', name: 'City Hospital' },
      consentManager: { id: 'sbx' },
      requester: { name: 'Dr. Meera', identifier: { value: 'MH1001', type: 'REGNO', system: 'https://www.mciindia.org' } },
      hiTypes: ['OPConsultation', 'Prescription'],
      permission: {
        accessMode: 'VIEW',
        dateRange: { from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' },
        dataEraseAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        frequency: { unit: 'HOUR', value: 1, repeats: 5 },
        ...permission,
      },
    },
    signature: 'c2lnbmVkIGJ5IHRoZSBjb25zZW50IG1hbmFnZXI=',
    grantAcknowledgement: false,
  };
}

/** The HIU's data push endpoint: records what comes; `failWith` answers that status instead. */
async function startHiu() {
  const pushes: { headers: http.IncomingHttpHeaders; body: Record<string, unknown> }[] = [];
  const state = { failWith: 0 };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      pushes.push({ headers: req.headers, body: JSON.parse(raw) as Record<string, unknown> });
      res.writeHead(state.failWith || 202);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/data/push`, pushes, state };
}

async function setup(options: AbdmBridgeOptions = {}) {
  const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, hipIds: [HIP_ID] });
  cleanups.push(() => sim.close());
  const [{ last } = { last: 0 }] = await database.db.select({ last: sql<number>`coalesce(max(${abdmExchanges.id}), 0)::int` }).from(abdmExchanges);
  const config: AbdmConfig = { gatewayUrl: sim.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, cmId: 'sbx', hipId: HIP_ID, publicBaseUrl: 'https://clinic.example.in/abdm' };
  const bridge = createAbdmBridge(config, database.db, { backoffMs: 10, clinicId: CLINIC, allowLocalPush: true, ...options });
  const server = createSyncServer({ database, adminToken: ADMIN_TOKEN, abdm: bridge });
  const port = await server.listen(0);
  cleanups.push(() => server.close());
  sim.knobs.callbackBaseUrl = `http://127.0.0.1:${port}/abdm`;
  const hiu = await startHiu();
  const exchanges = () => database.db.select().from(abdmExchanges).where(gt(abdmExchanges.id, last)).orderBy(asc(abdmExchanges.id));
  /** The HIU asks, through the gateway, for the data of a consent. */
  const ask = async (consentId: string, keys = hiuKeyMaterial(), dateRange = { from: '2026-02-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }, transactionId: string = crypto.randomUUID()) => {
    await sim.requestHealthInfo(HIP_ID, {
      transactionId,
      hiRequest: {
        consent: { id: consentId },
        dateRange,
        dataPushUrl: hiu.url,
        keyMaterial: { cryptoAlg: 'ECDH', curve: 'Curve25519', dhPublicKey: { expiry: new Date(Date.now() + 3600_000).toISOString(), parameters: 'Curve25519/32byte random key', keyValue: keys.x509PublicKey }, nonce: keys.nonce },
      },
    });
    await bridge.idle();
    return { transactionId, keys };
  };
  return { sim, bridge, hiu, exchanges, port, ask };
}

const calls = (sim: AbdmSim, path: string) => sim.received.filter((r) => r.path === path);
const lastCallback = (sim: AbdmSim, path: string) => sim.callbacks.filter((c) => c.path === path).at(-1)!;
const consentRows = (consentId: string) => database.db.select().from(abdmConsents).where(eq(abdmConsents.consentId, consentId));
/** The simulator's record of the HIP's acknowledgements of a transaction. */
const onRequests = (sim: AbdmSim, requestId: string) => calls(sim, HI_ON_REQUEST_PATH).filter((c) => (c.body as { response: { requestId: string } }).response.requestId === requestId);

describe('the test\'s own Fidelius (HIU side)', () => {
  it('decrypts fidelius-cli\'s published ciphertext', () => {
    // fidelius-cli README at 4d9b4a5: requester private key and nonce, sender X.509 key and nonce, ciphertext.
    const plain = hiuDecrypt({
      content: 'pzMvVZNNVtJzqPkkxcCbBUWgDEBy/mBXIeT2dJWI16ZAQnnXUb9lI+S4k8XK6mgZSKKSRIHkcNvJpllnBg548wUgavBa0vCRRwdL6kY6Yw==',
      privateKey: privateKeyFromScalar(scalarFromJavaBase64('DMxHPri8d7IT23KgLk281zZenMfVHSdeamq0RhwlIBk=')),
      nonce: '6uj1RdDUbcpI3lVMZvijkMC8Te20O4Bcyz0SyivX8Eg=',
      senderX509:
        'MIIBMTCB6gYHKoZIzj0CATCB3gIBATArBgcqhkjOPQEBAiB/////////////////////////////////////////7TBEBCAqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqYSRShRAQge0Je0Je0Je0Je0Je0Je0Je0Je0Je0Je0JgtenHcQyGQEQQQqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0kWiCuGaG4oIa04B7dLHdI0UySPU1+bXxhsinpxaJ+ztPZAiAQAAAAAAAAAAAAAAAAAAAAFN753qL3nNZYEmMaXPXT7QIBCANCAAQAVbfpqUSzF4kKSHxKum4/IZV7HbVyMS7LKZjICzSNUkeZh4A1W4xztgPlOEJTHXRs6shInc5tQJIbUsUjtgIY',
      senderNonce: 'lmXgblZwotx+DfBgKJF0lZXtAXgBEYr5khh79Zytr2Y=',
    });
    expect(plain).toBe("Wormtail should never have been Potter cottage's secret keeper.");
  });
});

describe('ABDM consents and health-information transfer', () => {
  it('stores a consent once however often it is notified, serves the request, and the HIU can read every bundle', async () => {
    const { sim, bridge, hiu, exchanges, ask } = await setup();
    const cc1 = await addCareContext('OPD-2026-0001');
    await addCareContext('OPD-2026-0002'); // Sita's too, but not in the consent: never sent
    const consentId = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(consentId, ['OPD-2026-0001']));
    await sim.notifyConsent(HIP_ID, grant(consentId, ['OPD-2026-0001']));
    await bridge.idle();
    expect(sim.callbacks.filter((c) => c.path === CONSENT_NOTIFY_PATH).map((c) => c.status)).toEqual([200, 200]);
    const stored = await consentRows(consentId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: 'GRANTED', patientAbhaAddress: SITA, hipId: HIP_ID, hiuId: 'HIU_CITY_HOSPITAL', purposeCode: 'CAREMGT', hiTypes: ['OPConsultation', 'Prescription'], accessMode: 'VIEW' });
    expect(stored[0]!.careContexts).toEqual([{ patientReference: 'patient-sita', careContextReference: 'OPD-2026-0001' }]);
    expect(stored[0]!.dataEraseAt).toBeInstanceOf(Date);
    // Acknowledged once, answering the first notification's REQUEST-ID.
    const acks = calls(sim, CONSENT_ON_NOTIFY_PATH);
    expect(acks.map((a) => [a.status, a.body])).toEqual([[202, { acknowledgement: { status: 'OK', consentId }, response: { requestId: sim.callbacks.find((c) => c.path === CONSENT_NOTIFY_PATH)!.requestId } }]]);
    expect(acks[0]!.headers['x-cm-id']).toBe('sbx');

    const { transactionId, keys } = await ask(consentId);
    expect(lastCallback(sim, HI_REQUEST_PATH).status).toBe(200);
    expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId).map((a) => [a.status, a.body])).toEqual([
      [202, { hiRequest: { transactionId, sessionStatus: 'ACKNOWLEDGED' }, response: { requestId: lastCallback(sim, HI_REQUEST_PATH).requestId } }],
    ]);
    expect(hiu.pushes).toHaveLength(1);
    const push = hiu.pushes[0]!;
    expect(push.headers.authorization).toMatch(/^Bearer sim\./);
    const body = push.body as { pageNumber: number; pageCount: number; transactionId: string; entries: { content: string; media: string; checksum: string; careContextReference: string }[]; keyMaterial: { cryptoAlg: string; curve: string; dhPublicKey: { parameters: string; keyValue: string; expiry: string }; nonce: string } };
    expect(body).toMatchObject({ pageNumber: 1, pageCount: 1, transactionId, keyMaterial: { cryptoAlg: 'ECDH', curve: 'Curve25519', dhPublicKey: { parameters: 'Curve25519/32byte random key' } } });
    expect(body.entries.map((e) => [e.careContextReference, e.media])).toEqual([['OPD-2026-0001', 'application/fhir+json']]);
    for (const entry of body.entries) {
      const text = hiuDecrypt({ content: entry.content, privateKey: keys.privateKey, nonce: keys.nonce, senderX509: body.keyMaterial.dhPublicKey.keyValue, senderNonce: body.keyMaterial.nonce });
      expect(createHash('md5').update(text).digest('hex')).toBe(entry.checksum);
      const bundle = JSON.parse(text) as Record<string, unknown>;
      expect(fhirProblems(bundle)).toEqual([]);
      expect(bundle).toEqual(cc1);
      expect(JSON.stringify(bundle)).toContain('371530004');
    }
    const notify = calls(sim, HI_NOTIFY_PATH);
    expect(notify).toHaveLength(1);
    expect(notify[0]!.status).toBe(202);
    expect(notify[0]!.body).toMatchObject({
      notification: {
        consentId,
        transactionId,
        notifier: { type: 'HIP', id: HIP_ID },
        statusNotification: { sessionStatus: 'TRANSFERRED', hipId: HIP_ID, statusResponses: [{ careContextReference: 'OPD-2026-0001', hiStatus: 'DELIVERED' }] },
      },
    });

    // A second transfer gets a fresh key pair and nonce.
    await ask(consentId);
    const second = hiu.pushes[1]!.body as typeof body;
    expect(second.keyMaterial.dhPublicKey.keyValue).not.toBe(body.keyMaterial.dhPublicKey.keyValue);
    expect(second.keyMaterial.nonce).not.toBe(body.keyMaterial.nonce);

    // The audit trail has every exchange, and no health data, keys or nonces.
    const trail = await exchanges();
    expect(trail.filter((e) => e.path === CONSENT_NOTIFY_PATH).map((e) => e.outcome)).toEqual(['handled', 'duplicate']);
    expect(trail.filter((e) => e.path === hiu.url).map((e) => e.outcome)).toEqual(['ok', 'ok']);
    const everything = JSON.stringify(trail);
    for (const secret of [SITA_NAME, 'बुखार', entryOf(body).content, body.keyMaterial.nonce, keys.nonce, body.keyMaterial.dhPublicKey.keyValue]) expect(everything).not.toContain(secret);
  });

  it('sends only the visits within the date range (the clinic-local day of each visit); the others are reported not sent, and a range with none is refused', async () => {
    const { sim, hiu, ask } = await setup();
    const inRange = await addCareContext('OPD-RANGE-0301', { visitDate: '2026-03-10' });
    await addCareContext('OPD-RANGE-0302', { visitDate: '2025-12-20' });
    // The last day of the range, read in India (the consent says to 31 Dec 00:00 UTC, 05:30 there).
    const lastDay = await addCareContext('OPD-RANGE-0303', { visitDate: '2026-12-31' });
    const consentId = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(consentId, ['OPD-RANGE-0301', 'OPD-RANGE-0302', 'OPD-RANGE-0303']));
    const range = { from: '2026-01-01T00:00:00.000Z', to: '2026-12-31T00:00:00.000Z' };
    const { transactionId, keys } = await ask(consentId, hiuKeyMaterial(), range);
    expect(hiu.pushes).toHaveLength(1);
    const body = hiu.pushes[0]!.body as { entries: { content: string; careContextReference: string }[]; keyMaterial: { dhPublicKey: { keyValue: string }; nonce: string } };
    expect(body.entries.map((e) => e.careContextReference)).toEqual(['OPD-RANGE-0301', 'OPD-RANGE-0303']);
    const opened = body.entries.map((e) => JSON.parse(hiuDecrypt({ content: e.content, privateKey: keys.privateKey, nonce: keys.nonce, senderX509: body.keyMaterial.dhPublicKey.keyValue, senderNonce: body.keyMaterial.nonce })) as unknown);
    expect(opened).toEqual([inRange, lastDay]);
    const notify = calls(sim, HI_NOTIFY_PATH).at(-1)!.body as { notification: { transactionId: string; statusNotification: { sessionStatus: string; statusResponses: { careContextReference: string; hiStatus: string; description: string }[] } } };
    expect(notify.notification.transactionId).toBe(transactionId);
    expect(notify.notification.statusNotification.sessionStatus).toBe('TRANSFERRED');
    expect(notify.notification.statusNotification.statusResponses.map((r) => [r.careContextReference, r.hiStatus, r.description])).toEqual([
      ['OPD-RANGE-0301', 'DELIVERED', 'Delivered'],
      ['OPD-RANGE-0303', 'DELIVERED', 'Delivered'],
      ['OPD-RANGE-0302', 'ERRORED', 'Not sent: visit of 2025-12-20 is outside 2026-01-01 to 2026-12-31'],
    ]);

    // A narrower request (June to November) holds none of the visits: refused, nothing sent.
    await ask(consentId, hiuKeyMaterial(), { from: '2026-06-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    expect(hiu.pushes).toHaveLength(1);
    const refusal = calls(sim, HI_ON_REQUEST_PATH).at(-1)!.body as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe('ABDM-1001');
    expect(refusal.error.message).toContain('No visit of consent');
  });

  it("never sends a bill voided since the care context took it, even while a desk has not pushed the care context's change", async () => {
    const { sim, hiu, ask } = await setup();
    await addCareContext('OPD-BILL-0401', { bill: 'issued' });
    await addCareContext('OPD-BILL-0402', { bill: 'void' });
    await addCareContext('OPD-BILL-0403', { bill: 'issued', oldRecord: true });
    await addCareContext('OPD-BILL-0404', { bill: 'void', oldRecord: true });
    const consentId = crypto.randomUUID();
    const granted = grant(consentId, ['OPD-BILL-0401', 'OPD-BILL-0402', 'OPD-BILL-0403', 'OPD-BILL-0404']);
    await sim.notifyConsent(HIP_ID, { ...granted, consentDetail: { ...granted.consentDetail, hiTypes: ['Invoice'] } });
    const { keys } = await ask(consentId);
    expect(hiu.pushes).toHaveLength(1);
    const body = hiu.pushes[0]!.body as { entries: { content: string; careContextReference: string }[]; keyMaterial: { dhPublicKey: { keyValue: string }; nonce: string } };
    expect(body.entries.map((e) => e.careContextReference)).toEqual(['OPD-BILL-0401', 'OPD-BILL-0403']);
    const sent = body.entries.map((e) => hiuDecrypt({ content: e.content, privateKey: keys.privateKey, nonce: keys.nonce, senderX509: body.keyMaterial.dhPublicKey.keyValue, senderNonce: body.keyMaterial.nonce })).join('\n');
    expect(sent).toContain('2627/A/0401');
    expect(sent).toContain('2627/A/0403');
    expect(sent).not.toContain('2627/A/0402');
    expect(sent).not.toContain('2627/A/0404');
    const notify = calls(sim, HI_NOTIFY_PATH).at(-1)!.body as { notification: { statusNotification: { statusResponses: { careContextReference: string; hiStatus: string; description: string }[] } } };
    expect(notify.notification.statusNotification.statusResponses.map((r) => [r.careContextReference, r.hiStatus, r.description])).toEqual([
      ['OPD-BILL-0401', 'DELIVERED', 'Delivered'],
      ['OPD-BILL-0403', 'DELIVERED', 'Delivered'],
      ['OPD-BILL-0402', 'ERRORED', 'Not sent: the bill of visit OPD-BILL-0402 was voided'],
      ['OPD-BILL-0404', 'ERRORED', 'Not sent: the bill of visit OPD-BILL-0404 was voided'],
    ]);
  });

  it('sends nothing under a revoked consent, and a late GRANTED does not reopen it', async () => {
    const { sim, bridge, hiu, ask } = await setup();
    await addCareContext('OPD-2026-0101');
    const consentId = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(consentId, ['OPD-2026-0101']));
    await sim.notifyConsent(HIP_ID, { status: 'REVOKED', consentId, consentDetail: { consentId }, signature: 'x', grantAcknowledgement: false });
    await sim.notifyConsent(HIP_ID, grant(consentId, ['OPD-2026-0101']));
    await bridge.idle();
    expect((await consentRows(consentId))[0]!.status).toBe('REVOKED');
    expect(calls(sim, CONSENT_ON_NOTIFY_PATH)).toHaveLength(2); // GRANTED and REVOKED, each once
    await ask(consentId);
    const request = lastCallback(sim, HI_REQUEST_PATH);
    expect(onRequests(sim, request.requestId).map((a) => a.body)).toEqual([{ error: { code: 'ABDM-1031', message: `Consent ${consentId} is REVOKED` }, response: { requestId: request.requestId } }]);
    expect(hiu.pushes).toHaveLength(0);
    expect(calls(sim, HI_NOTIFY_PATH)).toHaveLength(0);
  });

  it('sends nothing under an expired consent: notified EXPIRED, or past its dataEraseAt', async () => {
    const { sim, hiu, ask } = await setup();
    await addCareContext('OPD-2026-0201');
    const notified = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(notified, ['OPD-2026-0201']));
    await sim.notifyConsent(HIP_ID, { status: 'EXPIRED', consentId: notified, consentDetail: { consentId: notified }, signature: 'x', grantAcknowledgement: false });
    const erased = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(erased, ['OPD-2026-0201'], { dataEraseAt: new Date(Date.now() - 60_000).toISOString() }));
    await ask(notified);
    expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId)[0]!.body).toMatchObject({ error: { code: 'ABDM-1031', message: `Consent ${notified} is EXPIRED` } });
    await ask(erased);
    expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId)[0]!.body).toMatchObject({ error: { code: 'ABDM-1031', message: expect.stringContaining(`Consent ${erased} expired at`) } });
    expect(hiu.pushes).toHaveLength(0);
    expect(calls(sim, HI_NOTIFY_PATH)).toHaveLength(0);
  });

  it('refuses a consent naming a care context that is not ours, or dates outside the consent', async () => {
    const { sim, hiu, ask } = await setup();
    await addCareContext('OPD-2026-0301');
    await addCareContext('OPD-2026-0302', { clinicId: 'another-clinic' });
    await addCareContext('OPD-2026-0303', { abhaAddress: 'ravi.kumar@sbx' });
    const cases: [string, string, string][] = [
      [crypto.randomUUID(), 'OPD-9999-0000', 'ABDM-1001'], // nowhere
      [crypto.randomUUID(), 'OPD-2026-0302', 'ABDM-1001'], // another clinic's
      [crypto.randomUUID(), 'OPD-2026-0303', 'ABDM-1031'], // another patient's
    ];
    for (const [consentId, reference, code] of cases) {
      await sim.notifyConsent(HIP_ID, grant(consentId, ['OPD-2026-0301', reference]));
      await ask(consentId);
      expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId)[0]!.body).toMatchObject({ error: { code, message: expect.stringContaining(reference) } });
    }
    const fine = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(fine, ['OPD-2026-0301']));
    await ask(fine, undefined, { from: '2025-06-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' });
    expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId)[0]!.body).toMatchObject({ error: { code: 'ABDM-1031', message: "hiRequest.dateRange lies outside the consent's dateRange" } });
    // A consent granted to another HIP.
    const theirs = crypto.randomUUID();
    const other = grant(theirs, ['OPD-2026-0301']);
    other.consentDetail.hip.id = 'IN0000000000';
    await sim.notifyConsent(HIP_ID, other);
    await ask(theirs);
    expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId)[0]!.body).toMatchObject({ error: { code: 'ABDM-1031', message: expect.stringContaining('IN0000000000') } });
    expect(hiu.pushes).toHaveLength(0);
    expect(calls(sim, HI_NOTIFY_PATH)).toHaveLength(0);
  });

  it('retries a push the HIU does not take, then notifies FAILED with why', async () => {
    const { sim, hiu, exchanges, ask } = await setup({ pushRetries: 2 });
    await addCareContext('OPD-2026-0401');
    const consentId = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(consentId, ['OPD-2026-0401']));
    hiu.state.failWith = 503;
    const { transactionId } = await ask(consentId);
    expect(hiu.pushes).toHaveLength(3);
    expect((await exchanges()).filter((e) => e.path === hiu.url).map((e) => [e.attempt, e.status, e.outcome, e.correlationId])).toEqual([
      [1, 503, 'retrying', transactionId],
      [2, 503, 'retrying', transactionId],
      [3, 503, 'failed', transactionId],
    ]);
    expect(calls(sim, HI_NOTIFY_PATH).map((c) => c.body)).toMatchObject([
      { notification: { consentId, transactionId, statusNotification: { sessionStatus: 'FAILED', statusResponses: [{ careContextReference: 'OPD-2026-0401', hiStatus: 'ERRORED', description: 'Not delivered: the HIU answered 503' }] } } },
    ]);
  });

  it('refuses with 401 and stores nothing for a callback whose token is absent, forged, expired or for an unknown key', async () => {
    const { sim, exchanges, port } = await setup();
    await addCareContext('OPD-2026-0501');
    const consentId = crypto.randomUUID();
    const body = JSON.stringify({ notification: grant(consentId, ['OPD-2026-0501']) });
    const post = (authorization?: string) =>
      fetch(`http://127.0.0.1:${port}/abdm${CONSENT_NOTIFY_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'REQUEST-ID': crypto.randomUUID(), TIMESTAMP: new Date().toISOString(), 'X-HIP-ID': HIP_ID, ...(authorization ? { Authorization: authorization } : {}) },
        body,
      });
    const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const attempts = [
      await post(),
      await post('Bearer not-a-jwt'),
      await post(`Bearer ${sim.signer.token({}, { key: otherKey })}`), // our kid, someone else's key
      await post(`Bearer ${sim.signer.token({ exp: Math.floor(Date.now() / 1000) - 3600 })}`),
      await post(`Bearer ${sim.signer.token({}, { kid: 'rotated-away' })}`),
      await post(`Bearer ${sim.signer.token({}, { alg: 'none' })}`),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: '900901', message: 'Invalid Credentials' });
    }
    expect(await consentRows(consentId)).toEqual([]);
    expect(calls(sim, CONSENT_ON_NOTIFY_PATH)).toHaveLength(0);
    const trail = (await exchanges()).filter((e) => e.direction === 'in');
    expect(trail.map((e) => [e.status, e.outcome])).toEqual(Array.from({ length: 6 }, () => [401, 'refused']));
    expect(trail.map((e) => e.error)).toEqual([
      'The Authorization header is missing',
      'The Authorization header is not a bearer JWT',
      'The token signature does not verify with the gateway key',
      'The token has expired',
      'No gateway key "rotated-away" is published at /api/hiecm/gateway/v3/certs',
      'The token\'s algorithm none is not RS256 or RS512',
    ]);
    expect(JSON.stringify(trail)).not.toContain(SITA);
    // The keys were fetched once: the unknown kid came within the refetch rate limit.
    expect(calls(sim, CERTS_PATH)).toHaveLength(1);
    // The same notification, signed by the gateway (RS256, or RS512 as its session tokens are), is stored.
    const ok = await post(`Bearer ${sim.signer.token()}`);
    expect(ok.status).toBe(200);
    expect(await consentRows(consentId)).toHaveLength(1);
    const again = await post(`Bearer ${sim.signer.token({}, { alg: 'RS512' })}`);
    expect(again.status).toBe(200); // a duplicate, but authenticated
  });
});

function entryOf(body: { entries: { content: string }[] }) {
  return body.entries[0]!;
}

describe('ABDM health information: only linked records, as often as the consent allows', () => {
  it('serves only care contexts whose link to the consent\'s ABHA is confirmed, not merely the patient\'s', async () => {
    const { sim, hiu, ask } = await setup();
    // Sita's row says sita.devi@sbx, but this visit was never linked (nobody verified that ABHA here).
    await addCareContext('OPD-2026-0601', { linkedTo: null });
    // Linked, but to another ABHA the patient had verified before: not the consent's.
    await addCareContext('OPD-2026-0602', { linkedTo: 'sita.old@sbx' });
    for (const reference of ['OPD-2026-0601', 'OPD-2026-0602']) {
      const consentId = crypto.randomUUID();
      await sim.notifyConsent(HIP_ID, grant(consentId, [reference]));
      await ask(consentId);
      expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId)[0]!.body).toMatchObject({ error: { code: 'ABDM-1031', message: `Care context ${reference} is not linked to ${SITA}` } });
    }
    expect(hiu.pushes).toHaveLength(0);
    expect(calls(sim, HI_NOTIFY_PATH)).toHaveLength(0);
  });

  it('refuses more requests than the consent\'s frequency allows in its period', async () => {
    const { sim, hiu, ask } = await setup();
    await addCareContext('OPD-2026-0701');
    const consentId = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(consentId, ['OPD-2026-0701'], { frequency: { unit: 'DAY', value: 1, repeats: 2 } }));
    await ask(consentId);
    await ask(consentId);
    expect(hiu.pushes).toHaveLength(2);
    await ask(consentId);
    expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId)[0]!.body).toMatchObject({
      error: { code: 'ABDM-1031', message: `Consent ${consentId} allows 2 request(s) every 1 day(s); that many were served already` },
    });
    expect(hiu.pushes).toHaveLength(2);
    // A one-off consent (repeats 0, as ABDM's examples send): one request in its hour.
    const once = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(once, ['OPD-2026-0701'], { frequency: { unit: 'HOUR', value: 1, repeats: 0 } }));
    await ask(once);
    await ask(once);
    expect(hiu.pushes).toHaveLength(3);
  });

  it('serves the gateway\'s retry of a one-off consent\'s transaction after the server stopped mid-way, and still no second transaction', async () => {
    const { sim, hiu, ask } = await setup();
    await addCareContext('OPD-2026-0801');
    const once = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, grant(once, ['OPD-2026-0801'], { frequency: { unit: 'HOUR', value: 1, repeats: 0 } }));
    const { transactionId } = await ask(once);
    expect(hiu.pushes).toHaveLength(1);
    // The server stopped after recording the use but before marking the request handled: its claim
    // is left `claimed`, and is stale by the time the gateway sends the same transaction again.
    await database.db
      .update(abdmExchanges)
      .set({ outcome: 'claimed', at: new Date(Date.now() - 3600_000) })
      .where(eq(abdmExchanges.handledKey, `hi-request:${transactionId}`));
    await ask(once, hiuKeyMaterial(), undefined, transactionId);
    expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId)[0]!.body).toMatchObject({ hiRequest: { transactionId, sessionStatus: 'ACKNOWLEDGED' } });
    expect(hiu.pushes).toHaveLength(2);
    expect(hiu.pushes[1]!.body).toMatchObject({ transactionId });
    // Another transaction on the same one-off consent is still one too many.
    await ask(once);
    expect(onRequests(sim, lastCallback(sim, HI_REQUEST_PATH).requestId)[0]!.body).toMatchObject({ error: { code: 'ABDM-1031' } });
    expect(hiu.pushes).toHaveLength(2);
  });
});
