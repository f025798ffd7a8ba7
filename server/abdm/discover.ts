import { createHash, randomInt, randomUUID } from 'node:crypto';
import { and, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { normalisePhone } from '../../shared/phone';
import { similarNames } from '../../shared/phonetic';
import type { ServerDb } from '../db/open';
import { abdmCareContextLinks, abdmLinkRequests, clinics } from '../db/schema';
import type { AbdmBridge, CallbackRoute } from './bridge';
import { bindVerifications, trustedPatients } from './verified-abha';
import { listCareContexts, loadPatient, loadPatients, type CareContextSummary, type PatientFacts } from './care-contexts';
import { syncLinkViews } from './panel-rows';
import { reserveOtpSend, settleOtpSend, type OtpSender } from './link-otp';

export type { OtpSender } from './link-otp';

/**
 * User-initiated linking (ABDM v3 hiecm M2, docs/ABDM.md "Discovery and user-initiated linking"):
 * the patient's PHR app asks, through the gateway, which of their records this clinic holds
 * (discover), picks some (link init: we send them an OTP) and confirms with the OTP (confirm).
 * Each request from the gateway is answered 202, then with a call to the gateway's on-* endpoint
 * carrying `response.requestId` = the REQUEST-ID the gateway sent.
 */
export const DISCOVER_PATH = '/api/v3/hip/patient/care-context/discover';
export const ON_DISCOVER_PATH = '/api/hiecm/user-initiated-linking/v3/patient/care-context/on-discover';
export const LINK_INIT_PATH = '/api/v3/hip/link/care-context/init';
export const ON_LINK_INIT_PATH = '/api/hiecm/user-initiated-linking/v3/link/care-context/on-init';
export const LINK_CONFIRM_PATH = '/api/v3/hip/link/care-context/confirm';
export const ON_LINK_CONFIRM_PATH = '/api/hiecm/user-initiated-linking/v3/link/care-context/on-confirm';

/**
 * The errors we answer with. The codes could not be checked against NHA's errors/m2.yaml from
 * here (docs/ABDM.md says so); they are kept in this one place to be corrected.
 */
export const LINK_ERRORS = {
  noPatient: { code: 'ABDM-1010', message: 'No patient found with the given details' },
  manyPatients: { code: 'ABDM-1011', message: 'More than one patient matches the given details; a verified identifier is needed' },
  noCareContexts: { code: 'ABDM-1010', message: 'No unlinked records found for this patient' },
  badRequest: { code: 'ABDM-1017', message: 'The link request does not match the discovery' },
  otpUnsent: { code: 'ABDM-1020', message: 'The OTP could not be sent to the patient' },
  noMobile: { code: 'ABDM-1020', message: 'The clinic has no mobile number for this patient to send the OTP to' },
  tooManyOtps: { code: 'ABDM-1100', message: 'Too many OTPs sent to this mobile: try again in 10 minutes' },
  badOtp: { code: 'ABDM-1005', message: 'Invalid OTP' },
  otpExpired: { code: 'ABDM-1007', message: 'The OTP has expired' },
  tooManyTries: { code: 'ABDM-1008', message: 'Too many wrong OTPs: start the link again' },
  unknownLink: { code: 'ABDM-1016', message: 'No such link reference' },
} as const;

export const OTP_LIFE_MS = 10 * 60_000;
/** How long a link init holds its request while the OTP is being sent (a crash mid-send frees it after this). */
const SEND_LEASE_MS = 60_000;
export const OTP_TRIES = 3;

interface Identifier {
  type: string;
  value: string;
}

export interface DiscoverPatient {
  id?: string;
  name?: string;
  gender?: string;
  yearOfBirth?: number;
  verifiedIdentifiers?: Identifier[];
  unverifiedIdentifiers?: Identifier[];
}

export type Match = { ok: true; patient: PatientFacts; matchedBy: string[] } | { ok: false; error: { code: string; message: string } };

const digits = (s: string | null | undefined) => (s ?? '').replace(/\D/g, '');

/**
 * The discovery rule (ABDM's sandbox guide, kiranma72/abdm-docs
 * content/3-milestone2/link-care-context/discovery-link.md): a verified ABHA address or number
 * first; else the verified mobile, then the same gender, a year of birth within 5 years and a
 * phonetically similar name. Exactly one patient, or an error: never a guess between several.
 */
export function matchPatient(patients: readonly PatientFacts[], p: DiscoverPatient): Match {
  const verified = p.verifiedIdentifiers ?? [];
  const address = (p.id ?? verified.find((i) => i.type === 'abhaAddress' || i.type === 'ABHA_ADDRESS')?.value ?? '').toLowerCase();
  const number = digits(verified.find((i) => i.type === 'ABHA_NUMBER')?.value);
  const byAbha = patients.filter((x) => (address && x.abhaAddress?.toLowerCase() === address) || (number.length === 14 && digits(x.abhaNumber) === number));
  if (byAbha.length === 1) {
    const found = byAbha[0]!;
    return { ok: true, patient: found, matchedBy: [address && found.abhaAddress?.toLowerCase() === address ? 'ABHA_ADDRESS' : 'ABHA_NUMBER'] };
  }
  if (byAbha.length > 1) return { ok: false, error: LINK_ERRORS.manyPatients };
  const mobile = verified.find((i) => i.type === 'MOBILE')?.value;
  if (!mobile || !p.name || !p.gender || typeof p.yearOfBirth !== 'number') return { ok: false, error: LINK_ERRORS.noPatient };
  const phone = normalisePhone(mobile);
  const year = p.yearOfBirth;
  const name = p.name;
  const byDemographics = patients.filter(
    (x) => x.mobile !== null && normalisePhone(x.mobile) === phone && x.gender === p.gender && x.yearOfBirth !== null && Math.abs(x.yearOfBirth - year) <= 5 && similarNames(x.name, name),
  );
  if (byDemographics.length === 1) return { ok: true, patient: byDemographics[0]!, matchedBy: ['MOBILE'] };
  return { ok: false, error: byDemographics.length > 1 ? LINK_ERRORS.manyPatients : LINK_ERRORS.noPatient };
}

/** Care contexts as ABDM lists them: one entry per hiType, each with the care contexts of that type. */
export function patientEntries(patient: PatientFacts, contexts: readonly CareContextSummary[]) {
  const types = [...new Set(contexts.flatMap((c) => c.hiTypes))];
  return types.map((hiType) => {
    const of = contexts.filter((c) => c.hiTypes.includes(hiType));
    return { referenceNumber: patient.id, display: patient.name, careContexts: of.map((c) => ({ referenceNumber: c.reference, display: c.display })), hiType, count: of.length };
  });
}

const otpHash = (linkRef: string, otp: string) => createHash('sha256').update(`${linkRef}:${otp}`).digest('hex');

interface Deps {
  clinicId: () => Promise<string | null>;
  now: () => number;
  sendOtp?: OtpSender;
}

// Long by design: the three routes share the helpers that read and answer in this closure.
export function discoveryRoutes(bridge: AbdmBridge, db: ServerDb, deps: Deps): CallbackRoute[] {
  /** Answers the gateway (after our 202), in the background: a failure is in the audit trail. */
  const answer = (path: string, body: Record<string, unknown>) => {
    void bridge.client.post(path, body).catch(() => undefined);
  };

  /** The patient's care contexts not linked yet (nor on their way to be). */
  async function unlinked(clinic: string, patientId: string): Promise<CareContextSummary[]> {
    const all = await listCareContexts(db, clinic, [patientId]);
    if (all.length === 0) return [];
    const taken = await db
      .select({ r: abdmCareContextLinks.reference })
      .from(abdmCareContextLinks)
      .where(and(eq(abdmCareContextLinks.clinicId, clinic), inArray(abdmCareContextLinks.reference, all.map((c) => c.reference)), inArray(abdmCareContextLinks.state, ['sent', 'linked'])));
    const linked = new Set(taken.map((t) => t.r));
    return all.filter((c) => !linked.has(c.reference));
  }

  const transactionOf = (body: Record<string, unknown>, requestId: string) => (typeof body.transactionId === 'string' && body.transactionId ? requestId : null);

  const discover: CallbackRoute = {
    path: DISCOVER_PATH,
    ack: 202,
    kind: 'discover',
    answers: null,
    correlate: transactionOf,
    act: async (body, requestId) => {
      const transactionId = String(body.transactionId);
      const reply = { transactionId, response: { requestId } };
      const clinic = await deps.clinicId();
      const p = (body.patient && typeof body.patient === 'object' ? body.patient : {}) as DiscoverPatient;
      if (clinic) await bindVerifications(db, clinic, deps.now());
      // Matched by ABHA only on an ABHA the server verified for the patient (verified-abha.ts).
      const match = clinic ? matchPatient(await trustedPatients(db, clinic, await loadPatients(db, clinic)), p) : ({ ok: false, error: LINK_ERRORS.noPatient } as const);
      if (!clinic || !match.ok) return answer(ON_DISCOVER_PATH, { ...reply, error: match.ok ? LINK_ERRORS.noPatient : match.error });
      const contexts = await unlinked(clinic, match.patient.id);
      if (contexts.length === 0) return answer(ON_DISCOVER_PATH, { ...reply, error: LINK_ERRORS.noCareContexts });
      const abhaAddress = (p.id ?? match.patient.abhaAddress ?? '').toLowerCase();
      // The OTP goes to the mobile the discovery matched (the patient's on record when matched by ABHA),
      // fixed now: a number changed at a desk in between does not redirect it.
      const otpMobile = match.patient.mobile ? normalisePhone(match.patient.mobile) : null;
      await db.insert(abdmLinkRequests).values({ transactionId, clinicId: clinic, patientId: match.patient.id, abhaAddress, state: 'discovered', otpMobile }).onConflictDoNothing();
      answer(ON_DISCOVER_PATH, { ...reply, patient: patientEntries(match.patient, contexts), matchedBy: match.matchedBy });
    },
  };

  const init: CallbackRoute = {
    path: LINK_INIT_PATH,
    ack: 202,
    kind: 'link-init',
    answers: null,
    correlate: transactionOf,
    act: async (body, requestId) => {
      const transactionId = String(body.transactionId);
      const reply = { transactionId, response: { requestId } };
      const refuse = (error: { code: string; message: string }) => answer(ON_LINK_INIT_PATH, { ...reply, error });
      const [req] = await db.select().from(abdmLinkRequests).where(eq(abdmLinkRequests.transactionId, transactionId));
      const asked = Array.isArray(body.patient) ? (body.patient as Record<string, unknown>[]) : [];
      const refs = [...new Set(asked.flatMap((e) => (Array.isArray(e.careContexts) ? (e.careContexts as Record<string, unknown>[]) : []).map((c) => String(c.referenceNumber))))];
      if (!req || (req.state !== 'discovered' && req.state !== 'otp_sending') || body.abhaAddress !== req.abhaAddress || refs.length === 0 || asked.some((e) => e.referenceNumber !== req.patientId)) return refuse(LINK_ERRORS.badRequest);
      // Only this patient's own records, not linked yet: a reference of anyone else's is refused whole.
      const open = new Set((await unlinked(req.clinicId, req.patientId)).map((c) => c.reference));
      if (refs.some((r) => !open.has(r))) return refuse(LINK_ERRORS.badRequest);
      // A discovery kept before the mobile was recorded with it: the patient's mobile on record.
      const mobile = req.otpMobile ?? (await loadPatient(db, req.clinicId, req.patientId))?.mobile ?? null;
      if (!mobile) return refuse(LINK_ERRORS.noMobile);
      if (!deps.sendOtp) return refuse(LINK_ERRORS.otpUnsent);
      // The request is claimed before any text goes out: of two inits at the same moment only one
      // sends (the other would text the patient a code that can never work, and use up the allowance).
      const mine = and(eq(abdmLinkRequests.transactionId, transactionId), eq(abdmLinkRequests.state, 'otp_sending'));
      const claimed = await db
        .update(abdmLinkRequests)
        .set({ state: 'otp_sending', otpHash: null, otpExpiresAt: new Date(deps.now() + SEND_LEASE_MS) })
        .where(
          and(
            eq(abdmLinkRequests.transactionId, transactionId),
            or(eq(abdmLinkRequests.state, 'discovered'), and(eq(abdmLinkRequests.state, 'otp_sending'), lt(abdmLinkRequests.otpExpiresAt, new Date(deps.now())))),
          ),
        )
        .returning({ id: abdmLinkRequests.transactionId });
      if (claimed.length === 0) return refuse(LINK_ERRORS.badRequest);
      const release = () => db.update(abdmLinkRequests).set({ state: 'discovered', otpExpiresAt: null }).where(mine);
      const sendId = await reserveOtpSend(db, mobile, transactionId, deps.now());
      if (sendId === null) {
        await release();
        return refuse(LINK_ERRORS.tooManyOtps);
      }
      const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const linkRef = randomUUID();
      const [clinicRow] = await db.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, req.clinicId));
      const delivery = await Promise.resolve(deps.sendOtp({ patientId: req.patientId, mobile, abhaAddress: req.abhaAddress, clinicName: clinicRow?.name ?? 'the clinic' }, otp)).catch(() => false as const);
      // Nothing is kept of an OTP that did not go out: the request stays `discovered`, with no OTP to confirm.
      if (!(await settleOtpSend(db, sendId, delivery))) {
        await release();
        return refuse(LINK_ERRORS.otpUnsent);
      }
      const expires = new Date(deps.now() + OTP_LIFE_MS);
      const stored = await db
        .update(abdmLinkRequests)
        .set({ state: 'otp_sent', linkRefNumber: linkRef, careContexts: refs, otpHash: otpHash(linkRef, otp), otpExpiresAt: expires, wrongTries: 0 })
        .where(mine)
        .returning({ id: abdmLinkRequests.transactionId });
      if (stored.length === 0) return refuse(LINK_ERRORS.badRequest);
      answer(ON_LINK_INIT_PATH, {
        ...reply,
        link: { referenceNumber: linkRef, authenticationType: 'DIRECT', meta: { communicationMedium: 'MOBILE', communicationHint: 'OTP', communicationExpiry: expires.toISOString() } },
      });
    },
  };

  const confirm: CallbackRoute = {
    path: LINK_CONFIRM_PATH,
    ack: 202,
    kind: 'link-confirm',
    answers: null,
    correlate: (body, requestId) => {
      const c = body.confirmation;
      return c && typeof c === 'object' && typeof (c as Record<string, unknown>).linkRefNumber === 'string' ? requestId : null;
    },
    act: async (body, requestId) => {
      const c = body.confirmation as Record<string, unknown>;
      const linkRef = String(c.linkRefNumber);
      const reply = { response: { requestId } };
      const refuse = (error: { code: string; message: string }) => answer(ON_LINK_CONFIRM_PATH, { ...reply, error });
      const [req] = await db.select().from(abdmLinkRequests).where(eq(abdmLinkRequests.linkRefNumber, linkRef));
      if (!req || req.state !== 'otp_sent' || !req.otpHash || !req.otpExpiresAt) return refuse(LINK_ERRORS.unknownLink);
      if (req.otpExpiresAt.getTime() < deps.now()) return refuse(LINK_ERRORS.otpExpired);
      // Every try is taken from the allowance in one statement before the OTP is compared, so
      // confirms sent at the same moment cannot share a try (a wrong one is never given back).
      const [took] = await db
        .update(abdmLinkRequests)
        .set({ wrongTries: sql`${abdmLinkRequests.wrongTries} + 1` })
        .where(and(eq(abdmLinkRequests.transactionId, req.transactionId), eq(abdmLinkRequests.state, 'otp_sent'), lt(abdmLinkRequests.wrongTries, OTP_TRIES)))
        .returning({ tries: abdmLinkRequests.wrongTries });
      if (!took) return refuse(LINK_ERRORS.tooManyTries);
      if (typeof c.token !== 'string' || otpHash(linkRef, c.token) !== req.otpHash) {
        if (took.tries >= OTP_TRIES) await db.update(abdmLinkRequests).set({ state: 'refused' }).where(and(eq(abdmLinkRequests.transactionId, req.transactionId), eq(abdmLinkRequests.state, 'otp_sent')));
        return refuse(took.tries >= OTP_TRIES ? LINK_ERRORS.tooManyTries : LINK_ERRORS.badOtp);
      }
      const patient = await loadPatient(db, req.clinicId, req.patientId);
      const refs = new Set(req.careContexts ?? []);
      const contexts = (await listCareContexts(db, req.clinicId, [req.patientId])).filter((cc) => refs.has(cc.reference));
      if (!patient || contexts.length === 0) return refuse(LINK_ERRORS.unknownLink);
      const at = new Date(deps.now());
      const linked = await db.transaction(async (tx) => {
        // The right OTP's try is given back; linked only from otp_sent (a refused request stays refused).
        const done = await tx
          .update(abdmLinkRequests)
          .set({ state: 'linked', wrongTries: sql`${abdmLinkRequests.wrongTries} - 1` })
          .where(and(eq(abdmLinkRequests.transactionId, req.transactionId), eq(abdmLinkRequests.state, 'otp_sent')))
          .returning({ id: abdmLinkRequests.transactionId });
        if (done.length === 0) return false;
        for (const cc of contexts) {
          await tx
            .insert(abdmCareContextLinks)
            .values({ clinicId: req.clinicId, reference: cc.reference, patientId: req.patientId, abhaAddress: req.abhaAddress, via: 'user', state: 'linked', linkedAt: at })
            .onConflictDoUpdate({ target: [abdmCareContextLinks.clinicId, abdmCareContextLinks.reference], set: { state: 'linked', via: 'user', abhaAddress: req.abhaAddress, linkedAt: at, updatedAt: at } });
        }
        return true;
      });
      if (!linked) return refuse(LINK_ERRORS.tooManyTries);
      await syncLinkViews(db, req.clinicId);
      answer(ON_LINK_CONFIRM_PATH, { ...reply, patient: patientEntries(patient, contexts) });
    },
  };

  return [discover, init, confirm];
}
