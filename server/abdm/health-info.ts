import { createHash } from 'node:crypto';
import { and, count, eq, gt, inArray, ne, or, sql } from 'drizzle-orm';
import { invoiceRecordFacts } from '../../shared/abdm-invoice-record';
import { localDate } from '../../shared/clinic-time';
import { clinicTimeZone } from '../clinic-devices';
import { abdmCareContextLinks, abdmConsents, abdmConsentUses, rows } from '../db/schema';
import { recordExchange } from './audit';
import type { CallbackRoute } from './bridge';
import { loadCareContext, servedClinic, type CareContext } from './care-contexts';
import { findConsent, type ConsentRow } from './consent';
import { encrypt, generateKeyMaterial, publicPoint, FideliusError } from './fidelius';
import type { HipContext } from './routes-hi';
import { writeTransferView } from './panel-rows';

/**
 * The consent manager asks the HIP for data under a consent (consent-management-data-flow.yaml,
 * `<callback_url>/api/v3/hip/health-information/request`, answered 200): {transactionId,
 * hiRequest: {consent: {id}, dateRange, dataPushUrl, keyMaterial}}.
 */
export const HI_REQUEST_PATH = '/api/v3/hip/health-information/request';
/** The HIP's acknowledgement: {hiRequest: {transactionId, sessionStatus: "ACKNOWLEDGED"}} or {error}, with response.requestId (202). */
export const HI_ON_REQUEST_PATH = '/api/hiecm/data-flow/v3/health-information/hip/on-request';
/** After the push: sessionStatus TRANSFERRED or FAILED, hiStatus DELIVERED or ERRORED per care context (202). */
export const HI_NOTIFY_PATH = '/api/hiecm/data-flow/v3/health-information/notify';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
const time = (v: unknown): number | null => {
  const s = str(v);
  const t = s ? Date.parse(s) : NaN;
  return Number.isNaN(t) ? null : t;
};

/** A consent's care context not sent, and why. */
type Skipped = { reference: string; why: string };

/** A request we will serve: the consent and, for each of its care contexts, what we hold. */
interface ValidRequest {
  transactionId: string;
  consent: ConsentRow;
  dataPushUrl: string;
  requesterKey: string;
  requesterNonce: string;
  contexts: { reference: string; careContext: CareContext }[];
  /** The consent's care contexts not sent (their visit is outside the date range, their only record a voided bill), each with why. */
  skipped?: Skipped[];
}

type Checked = { ok: true; request: ValidRequest } | { ok: false; code: string; message: string };

const refused = (code: string, message: string): Checked => ({ ok: false, code, message });

/**
 * Whether the request may be served (Long by design: one rule after another, each with its own
 * refusal): the consent exists here, is GRANTED to this HIP, not past dataEraseAt, the asked date
 * range lies within the granted one, the HIU's key material is usable, and every care context the
 * consent names is ours (held by this clinic, for the consent's patient). ABDM-1001 "No data found"
 * for what we do not hold, ABDM-1031 "Invalid request" for the rest (codes of errors/m2.yaml).
 */
export async function checkRequest(ctx: HipContext, body: Obj, now: number): Promise<Checked> {
  const transactionId = str(body.transactionId);
  const hi = obj(body.hiRequest);
  const consentId = str(obj(hi.consent).id);
  if (!transactionId || !consentId) return refused('ABDM-1031', 'transactionId and hiRequest.consent.id are required');
  const consent = await findConsent(ctx.db, consentId);
  if (!consent) return refused('ABDM-1001', `Consent ${consentId} is not known to this HIP`);
  if (consent.status !== 'GRANTED') return refused('ABDM-1031', `Consent ${consentId} is ${consent.status}`);
  if (consent.dataEraseAt && consent.dataEraseAt.getTime() <= now) return refused('ABDM-1031', `Consent ${consentId} expired at ${consent.dataEraseAt.toISOString()}`);
  if (consent.hipId && consent.hipId !== ctx.config.hipId) return refused('ABDM-1031', `Consent ${consentId} is for HIP ${consent.hipId}, not this one`);
  const range = obj(hi.dateRange);
  const from = time(range.from);
  const to = time(range.to);
  if (from === null || to === null || from > to) return refused('ABDM-1031', 'hiRequest.dateRange must have from and to, from before to');
  if ((consent.dateFrom && from < consent.dateFrom.getTime()) || (consent.dateTo && to > consent.dateTo.getTime())) {
    return refused('ABDM-1031', 'hiRequest.dateRange lies outside the consent\'s dateRange');
  }
  const dataPushUrl = str(hi.dataPushUrl);
  const pushProblem = pushUrlProblem(dataPushUrl, ctx.options.allowLocalPush === true);
  if (pushProblem || !dataPushUrl) return refused('ABDM-1031', `hiRequest.dataPushUrl ${pushProblem ?? 'is required'}`);
  const keyMaterial = obj(hi.keyMaterial);
  const dh = obj(keyMaterial.dhPublicKey);
  const requesterKey = str(dh.keyValue);
  const requesterNonce = str(keyMaterial.nonce);
  const expiry = time(dh.expiry);
  if (!requesterKey || !requesterNonce) return refused('ABDM-1031', 'hiRequest.keyMaterial needs dhPublicKey.keyValue and nonce');
  if (expiry !== null && expiry <= now) return refused('ABDM-1031', 'hiRequest.keyMaterial.dhPublicKey has expired');
  try {
    publicPoint(requesterKey);
  } catch (e) {
    return refused('ABDM-1031', `hiRequest.keyMaterial.dhPublicKey.keyValue: ${(e as Error).message}`);
  }
  if (Buffer.from(requesterNonce, 'base64').length !== 32) return refused('ABDM-1031', 'hiRequest.keyMaterial.nonce must be 32 bytes, base64');
  const clinicId = await servedClinic(ctx.db, ctx.options.clinicId ?? ctx.config.clinicId);
  if (!clinicId) return refused('ABDM-1001', 'This HIP has no clinic configured for health-information requests');
  if (consent.careContexts.length === 0) return refused('ABDM-1001', `Consent ${consentId} names no care context`);
  const contexts: ValidRequest['contexts'] = [];
  for (const { careContextReference: reference } of consent.careContexts) {
    const careContext = await loadCareContext(ctx.db, clinicId, reference);
    if (!careContext) return refused('ABDM-1001', `Care context ${reference} is not held by this HIP`);
    // Only a care context linked (HIP-initiated or by the patient's own OTP) to the consent's very
    // ABHA: not merely one of a patient whose synced row says that ABHA, which a desk can type.
    const link = await confirmedLink(ctx, clinicId, reference);
    if (!consent.patientAbhaAddress || !link || link.patientId !== careContext.patientId || link.abhaAddress !== consent.patientAbhaAddress.toLowerCase()) {
      return refused('ABDM-1031', `Care context ${reference} is not linked to ${consent.patientAbhaAddress}`);
    }
    contexts.push({ reference, careContext });
  }
  const dated = await withinDates(ctx, clinicId, contexts, from, to);
  const { within, skipped } = await withoutVoidBills(ctx, clinicId, dated, consent.hiTypes);
  if (within.length === 0) return refused('ABDM-1001', `No visit of consent ${consentId} lies within the date range asked with a record to send (${skipped.map((s) => s.why).join('; ')})`);
  const allowed = await takeConsentUse(ctx, consent, transactionId, now);
  if (!allowed.ok) return refused('ABDM-1031', allowed.message);
  return { ok: true, request: { transactionId, consent, dataPushUrl, requesterKey, requesterNonce, contexts: within, skipped } };
}

/**
 * The care contexts whose visit lies within the date range asked (itself checked to lie within
 * the consent's `permission.dateRange`). A care context's reference is its visit's id (the rule
 * book makes them equal), and the visit's date is the synced `visits.date`: the clinic's local day
 * (YYYY-MM-DD). A visit counts when its day is between the local days, in the clinic's time zone,
 * of `from` and `to`: a consent "to 31 Dec 00:00 UTC" still covers a visit on 31 Dec in India, as
 * a patient reading the dates in the PHR app would expect. A visit whose row this server does not
 * hold has no known date and is not sent.
 */
async function withinDates(ctx: HipContext, clinicId: string, contexts: ValidRequest['contexts'], from: number, to: number) {
  const zone = await ctx.db.transaction((tx) => clinicTimeZone(tx, clinicId));
  const [first, last] = [localDate(from, zone), localDate(to, zone)];
  const visits = await ctx.db
    .select({ rowId: rows.rowId, data: rows.data })
    .from(rows)
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'visits'), inArray(rows.rowId, contexts.map((c) => c.reference))));
  const dayOf = new Map(visits.map((v) => [v.rowId, typeof v.data.date === 'string' ? v.data.date : null]));
  const within: ValidRequest['contexts'] = [];
  const skipped: Skipped[] = [];
  for (const c of contexts) {
    const day = dayOf.get(c.reference) ?? null;
    if (day !== null && day >= first && day <= last) within.push(c);
    else skipped.push({ reference: c.reference, why: day === null ? `the date of visit ${c.reference} is not known to this server` : `visit of ${day} is outside ${first} to ${last}` });
  }
  return { within, skipped };
}

/**
 * A care context's Invoice record goes out only while its bill stands: the bill row the record
 * names (shared/abdm-invoice-record.ts) is read at the moment of sending, and a bill voided since
 * (or gone) is left out, whatever the care context still holds. The desk replaces the record in the
 * void's own transaction, but a desk that never pushes that change, or pushes it later than the void,
 * must not make this HIP send a cancelled bill as the patient's. A care context left with nothing
 * the consent asks for is reported not sent.
 */
async function withoutVoidBills(ctx: HipContext, clinicId: string, dated: { within: ValidRequest['contexts']; skipped: Skipped[] }, hiTypes: string[]) {
  // The bill by the row id the record names; a record made before it named one, by its number.
  const billOf = (c: ValidRequest['contexts'][number]): { id: string } | { number: string } | null => {
    const facts = invoiceRecordFacts(c.careContext.bundles.Invoice);
    return facts?.invoiceId ? { id: facts.invoiceId } : facts?.number ? { number: facts.number } : null;
  };
  const held = dated.within.filter((c) => c.careContext.bundles.Invoice !== undefined).map(billOf);
  if (held.length === 0) return dated;
  const ids: string[] = held.flatMap((h) => (h && 'id' in h ? [h.id] : []));
  const numbers: string[] = held.flatMap((h) => (h && 'number' in h ? [h.number] : []));
  const byId = ids.length === 0 ? undefined : inArray(rows.rowId, ids);
  const byNumber = numbers.length === 0 ? undefined : inArray(sql<string>`${rows.data}->>'invoice_number'`, numbers);
  const bills = !byId && !byNumber ? [] : await ctx.db.select({ rowId: rows.rowId, data: rows.data }).from(rows).where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'invoices'), or(byId, byNumber)));
  const live = bills.filter((b) => b.data.status === 'issued' && b.data.deleted_at == null);
  const standing = new Set([...live.map((b) => b.rowId), ...live.map((b) => `#${String(b.data.invoice_number)}`)]);
  const within: ValidRequest['contexts'] = [];
  const skipped = [...dated.skipped];
  for (const c of dated.within) {
    const bill = billOf(c);
    if (c.careContext.bundles.Invoice === undefined || (bill !== null && standing.has('id' in bill ? bill.id : `#${bill.number}`))) {
      within.push(c);
      continue;
    }
    const { Invoice: _voided, ...rest } = c.careContext.bundles;
    const careContext: CareContext = { ...c.careContext, hiTypes: c.careContext.hiTypes.filter((t) => t !== 'Invoice'), bundles: rest };
    if (allowedBundles(careContext, hiTypes).length > 0) within.push({ ...c, careContext });
    else skipped.push({ reference: c.reference, why: `the bill of visit ${c.reference} was voided` });
  }
  return { within, skipped };
}

const UNIT_MS: Record<string, number> = { HOUR: 3600_000, DAY: 86_400_000, WEEK: 7 * 86_400_000, MONTH: 30 * 86_400_000, YEAR: 365 * 86_400_000 };

/**
 * The consent's `frequency` ({unit, value, repeats}): at most `repeats` requests (at least one:
 * ABDM's examples send repeats 0 for a one-off fetch) in any window of `value` units. Counted and
 * recorded in one transaction with the consent row locked, so two requests at the same moment
 * cannot both take the last one. A frequency we cannot read limits nothing (as before).
 */
export async function takeConsentUse(ctx: HipContext, consent: ConsentRow, transactionId: string, now: number): Promise<{ ok: true } | { ok: false; message: string }> {
  const f = consent.frequency ?? {};
  const unitMs = typeof f.unit === 'string' ? UNIT_MS[f.unit.toUpperCase()] : undefined;
  const value = typeof f.value === 'number' && f.value > 0 ? f.value : 1;
  const allowed = Math.max(1, typeof f.repeats === 'number' ? Math.floor(f.repeats) : 1);
  return ctx.db.transaction(async (tx) => {
    await tx.select({ id: abdmConsents.consentId }).from(abdmConsents).where(eq(abdmConsents.consentId, consent.consentId)).for('update');
    // The gateway's retry of a transaction we already counted (the server stopped, or marking it
    // handled failed, after the use was recorded) is the same use, not another: serve it again.
    const [mine] = await tx.select({ id: abdmConsentUses.transactionId }).from(abdmConsentUses).where(and(eq(abdmConsentUses.transactionId, transactionId), eq(abdmConsentUses.consentId, consent.consentId)));
    if (mine) return { ok: true as const };
    if (unitMs !== undefined) {
      const since = new Date(now - value * unitMs);
      const [used] = await tx.select({ n: count() }).from(abdmConsentUses).where(and(eq(abdmConsentUses.consentId, consent.consentId), gt(abdmConsentUses.at, since), ne(abdmConsentUses.transactionId, transactionId)));
      if ((used?.n ?? 0) >= allowed) {
        return { ok: false as const, message: `Consent ${consent.consentId} allows ${allowed} request(s) every ${value} ${String(f.unit).toLowerCase()}(s); that many were served already` };
      }
    }
    await tx.insert(abdmConsentUses).values({ transactionId, consentId: consent.consentId, at: new Date(now) }).onConflictDoNothing();
    return { ok: true as const };
  });
}

/** The care context's link row, when its link is confirmed (state linked). */
async function confirmedLink(ctx: HipContext, clinicId: string, reference: string) {
  const [link] = await ctx.db
    .select({ patientId: abdmCareContextLinks.patientId, abhaAddress: abdmCareContextLinks.abhaAddress })
    .from(abdmCareContextLinks)
    .where(and(eq(abdmCareContextLinks.clinicId, clinicId), eq(abdmCareContextLinks.reference, reference), eq(abdmCareContextLinks.state, 'linked')));
  return link ? { patientId: link.patientId, abhaAddress: link.abhaAddress.toLowerCase() } : null;
}

/** The bundles of a care context the consent's HI types allow (a bundle keyed by an HI type is sent only for that type). */
function allowedBundles(careContext: CareContext, hiTypes: string[]): unknown[] {
  return Object.entries(careContext.bundles)
    .filter(([key]) => hiTypes.includes(key) || (!KNOWN_HI_TYPES.has(key) && careContext.hiTypes.some((t) => hiTypes.includes(t))))
    .map(([, bundle]) => bundle);
}

const KNOWN_HI_TYPES = new Set(['Prescription', 'DiagnosticReport', 'OPConsultation', 'DischargeSummary', 'ImmunizationRecord', 'HealthDocumentRecord', 'WellnessRecord', 'Invoice']);

/**
 * The data push body (the yaml's `/health-information/transfer`, the HIU's dataPushUrl): each bundle
 * encrypted with Fidelius for the requester under a fresh key pair and nonce for this transfer,
 * `checksum` = MD5 (hex) of the bundle's JSON before encryption, one page.
 */
export function pushBody(request: ValidRequest) {
  const mine = generateKeyMaterial();
  const entries = request.contexts.flatMap(({ reference, careContext }) =>
    allowedBundles(careContext, request.consent.hiTypes).map((bundle) => {
      const plaintext = JSON.stringify(bundle);
      return {
        content: encrypt({ plaintext, senderNonce: mine.nonce, requesterNonce: request.requesterNonce, senderPrivateKey: mine.privateKey, requesterPublicKey: request.requesterKey }),
        media: 'application/fhir+json',
        checksum: createHash('md5').update(plaintext, 'utf8').digest('hex'),
        careContextReference: reference,
      };
    }),
  );
  return {
    pageNumber: 1,
    pageCount: 1,
    transactionId: request.transactionId,
    entries,
    keyMaterial: {
      cryptoAlg: 'ECDH',
      curve: 'Curve25519',
      dhPublicKey: { expiry: new Date(Date.now() + 24 * 3600_000).toISOString(), parameters: 'Curve25519/32byte random key', keyValue: mine.x509PublicKey },
      nonce: mine.nonce,
    },
  };
}

/** POSTs the data to the HIU, retried on 5xx and network failures; every attempt audited (content redacted). */
async function push(ctx: HipContext, request: ValidRequest, text: string): Promise<{ ok: true } | { ok: false; why: string }> {
  const retries = ctx.options.pushRetries ?? 3;
  const backoff = ctx.options.backoffMs ?? 500;
  const sleep = ctx.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let why = 'not sent';
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    const token = await ctx.client.accessToken();
    let status: number | null = null;
    try {
      // "Authorization token is mandatory for this api" (the yaml): the HIP's gateway session token.
      const res = await fetch(request.dataPushUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token.ok ? { Authorization: `Bearer ${token.token}` } : {}) },
        body: text,
        signal: AbortSignal.timeout(ctx.options.timeoutMs ?? 30_000),
      });
      status = res.status;
      await res.arrayBuffer();
      why = `the HIU answered ${status}`;
    } catch (e) {
      why = `the HIU could not be reached (${(e as Error).message})`;
    }
    const ok = status !== null && status >= 200 && status < 300;
    const retrying = !ok && attempt <= retries && (status === null || status >= 500);
    await recordExchange(ctx.db, {
      direction: 'out', method: 'POST', path: request.dataPushUrl, requestId: null, correlationId: request.transactionId, attempt, status,
      outcome: ok ? 'ok' : retrying ? 'retrying' : 'failed', rawBody: text, error: ok ? null : why,
    });
    if (ok) return { ok: true };
    if (!retrying) break;
    await sleep(backoff * 2 ** (attempt - 1));
  }
  return { ok: false, why };
}

function notifyBody(ctx: HipContext, request: ValidRequest, result: { ok: true } | { ok: false; why: string }) {
  return {
    notification: {
      consentId: request.consent.consentId,
      transactionId: request.transactionId,
      doneAt: new Date().toISOString(),
      notifier: { type: 'HIP', id: ctx.config.hipId },
      statusNotification: {
        sessionStatus: result.ok ? 'TRANSFERRED' : 'FAILED',
        hipId: ctx.config.hipId,
        statusResponses: [
          ...request.contexts.map(({ reference }) => ({
            careContextReference: reference,
            hiStatus: result.ok ? 'DELIVERED' : 'ERRORED',
            description: result.ok ? 'Delivered' : `Not delivered: ${result.why}`,
          })),
          // The HIP's hiStatus is DELIVERED or ERRORED (m3 notify page): "not sent" has no status of its own.
          ...(request.skipped ?? []).map(({ reference, why }) => ({ careContextReference: reference, hiStatus: 'ERRORED', description: `Not sent: ${why}` })),
        ],
      },
    },
  };
}

/** Encrypts, pushes, then tells the gateway how it went. */
export async function transfer(ctx: HipContext, request: ValidRequest): Promise<void> {
  let result: { ok: true } | { ok: false; why: string };
  try {
    result = await push(ctx, request, JSON.stringify(pushBody(request)));
  } catch (e) {
    result = { ok: false, why: e instanceof FideliusError ? `encryption: ${e.message}` : `not sent: ${(e as Error).message}` };
  }
  await ctx.client.post(HI_NOTIFY_PATH, notifyBody(ctx, request, result));
  await writeTransferView(ctx.db, ctx.options.clinicId ?? ctx.config.clinicId, request, result);
}

/**
 * The health-information request callback, acted on once per transactionId: checked against the
 * stored consent, acknowledged with on-request (ACKNOWLEDGED, or the refusal as an error), and
 * when acknowledged the transfer runs in the background.
 */
export function healthInfoRequestRoute(ctx: HipContext): CallbackRoute {
  return {
    path: HI_REQUEST_PATH,
    ack: 200,
    kind: 'hi-request',
    answers: null,
    correlationMissing: 'transactionId is required',
    correlate: (body) => str(body.transactionId),
    act: async (body, transactionId, requestId) => {
      const checked = await checkRequest(ctx, body, ctx.options.now?.() ?? Date.now());
      const ack = checked.ok
        ? { hiRequest: { transactionId, sessionStatus: 'ACKNOWLEDGED' }, response: { requestId } }
        : { error: { code: checked.code, message: checked.message }, response: { requestId } };
      ctx.track(
        (async () => {
          await ctx.client.post(HI_ON_REQUEST_PATH, ack);
          if (checked.ok) await transfer(ctx, checked.request);
        })(),
      );
    },
  };
}

/**
 * Why an HIU's data-push address is refused, or null. Health data and our gateway bearer go there:
 * only https, and never this network's own machines (loopback, private, link-local, by literal
 * address or "localhost"), so a forged request cannot make the server post inside the clinic.
 * `allowLocal` (tests only): a plain-http loopback HIU.
 */
export function pushUrlProblem(url: string | null, allowLocal: boolean): string | null {
  if (!url || !URL.canParse(url)) return 'must be an https address';
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local = host === 'localhost' || host.endsWith('.localhost') || isLocalAddress(host);
  if (allowLocal && local && (u.protocol === 'http:' || u.protocol === 'https:')) return null;
  if (u.protocol !== 'https:') return 'must be an https address';
  if (local) return 'must not be an address on this network';
  return null;
}

function isLocalAddress(host: string): boolean {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  return host === '::1' || host === '::' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host) || host.startsWith('::ffff:');
}
