import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { abdmCareContextLinks, abdmLinkTokens } from '../db/schema';
import type { AbdmBridge, CallbackRoute } from './bridge';
import { careContextsToLink, listCareContexts, servedClinic, loadPatient, type CareContextSummary, type PatientFacts } from './care-contexts';
import { abdmError } from './gateway';
import { discoveryRoutes, type OtpSender } from './discover';
import { syncLinkViews, syncUnverifiedViews } from './panel-rows';
import { bindVerifications, trusted, verifiedFor } from './verified-abha';

/** HIP-initiated linking, step 2 (ABDM v3 hiecm M2): link care contexts with the patient's link token. */
export const LINK_CARECONTEXT_PATH = '/api/hiecm/hip/v3/link/carecontext';
/** Its answer: `<callback_url>/api/v3/link/on_carecontext`. */
export const ON_CARECONTEXT_PATH = '/api/v3/link/on_carecontext';

/** A link token is valid six months (link-token.yaml); we stop using one a day early. */
export const LINK_TOKEN_LIFE_MS = 182 * 24 * 3600_000 - 24 * 3600_000;

/** Tries of one care context before it is left `failed` (about a day, with the waits doubling to an hour). */
export const MAX_ATTEMPTS = 30;

export interface AbdmLinkerOptions {
  /** The clinic this HIP is (its care contexts are linked); default: the server's only clinic. */
  clinicId?: string;
  now?: () => number;
  /** The wait before the first retry after the gateway could not be reached; doubled, at most an hour (default 60 s). */
  retryMs?: number;
  /** How often pending links are swept without a push (default 60 s). */
  sweepEveryMs?: number;
  /** How the HIP gives the patient the OTP of a user-initiated link (`smsOtpSender`, link-otp.ts); without it link init is refused. */
  sendOtp?: OtpSender;
}

/** The body of link/carecontext: one `patient` entry per hiType, each naming the care context. */
export function linkBody(patient: PatientFacts, abhaAddress: string, cc: CareContextSummary) {
  return {
    ...(patient.abhaNumber ? { abhaNumber: patient.abhaNumber } : {}),
    abhaAddress,
    patient: cc.hiTypes.map((hiType) => ({
      referenceNumber: patient.id,
      display: patient.name,
      careContexts: [{ referenceNumber: cc.reference, display: cc.display }],
      hiType,
      count: 1,
    })),
  };
}

/**
 * HIP-initiated linking on the central server (docs/ABDM.md "Linking"): every care context a desk
 * synced, for a patient with an ABHA address, is linked once. A sweep (at start, after each push,
 * and every minute) records new care contexts as `pending`, gets the patient's link token (kept
 * six months) and sends link/carecontext; a gateway that cannot be reached leaves it pending for a
 * later sweep, under the same REQUEST-ID; on_carecontext marks it linked. Also mounts discovery and
 * user-initiated linking (discover.ts) on the bridge.
 */
// Long by design: the sweep's steps share this closure's state (the one sweep at a time, the timer).
export function createAbdmLinker(bridge: AbdmBridge, db: ServerDb, options: AbdmLinkerOptions = {}) {
  const now = options.now ?? Date.now;
  const retryMs = options.retryMs ?? 60_000;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  const clinicId = () => servedClinic(db, options.clinicId);

  /** New care contexts of patients with an ABHA address become pending links (once: the key is the reference). */
  async function enqueue(clinic: string): Promise<void> {
    const candidates = await careContextsToLink(db, clinic);
    const verified = await verifiedFor(db, clinic, [...new Set(candidates.map((c) => c.patientId))]);
    const waiting: { reference: string; patientId: string; abhaAddress: string }[] = [];
    for (const cc of candidates) {
      // Only to an ABHA the server verified for this patient, never one merely typed at the desk
      // (nor one the desk marked verified before the server kept its own record): the panel says why.
      if (!verified.get(cc.patientId)?.some((v) => v.abhaAddress === cc.abhaAddress.trim().toLowerCase())) {
        waiting.push(cc);
        continue;
      }
      await db
        .insert(abdmCareContextLinks)
        .values({ clinicId: clinic, reference: cc.reference, patientId: cc.patientId, abhaAddress: cc.abhaAddress.trim().toLowerCase(), via: 'hip', state: 'pending', requestId: randomUUID(), nextAttemptAt: new Date(now()) })
        .onConflictDoNothing();
    }
    await syncUnverifiedViews(db, clinic, waiting);
  }

  /** The patient's link token: the kept one while valid, else a new one from the gateway (kept). */
  async function linkToken(clinic: string, patient: PatientFacts, abhaAddress: string): Promise<{ ok: true; token: string } | { ok: false; retry: boolean; error: string }> {
    const [kept] = await db.select().from(abdmLinkTokens).where(and(eq(abdmLinkTokens.clinicId, clinic), eq(abdmLinkTokens.abhaAddress, abhaAddress)));
    if (kept && kept.expiresAt.getTime() > now()) return { ok: true, token: kept.linkToken };
    if (patient.yearOfBirth === null) return { ok: false, retry: false, error: 'the patient has no year of birth, which the link token request needs' };
    const got = await bridge.requestLinkToken({ abhaNumber: patient.abhaNumber, abhaAddress, name: patient.name, gender: patient.gender, yearOfBirth: patient.yearOfBirth });
    // ABDM-1051: the gateway knows no such ABHA (fix the patient's ABHA at the desk); anything else may pass.
    if (!got.ok) return { ok: false, retry: got.code !== 'ABDM-1051', error: `${got.code}: ${got.message}` };
    const values = { clinicId: clinic, abhaAddress, linkToken: got.linkToken, expiresAt: new Date(now() + LINK_TOKEN_LIFE_MS) };
    await db.insert(abdmLinkTokens).values(values).onConflictDoUpdate({ target: [abdmLinkTokens.clinicId, abdmLinkTokens.abhaAddress], set: { linkToken: values.linkToken, expiresAt: values.expiresAt, createdAt: new Date(now()) } });
    return { ok: true, token: got.linkToken };
  }

  async function later(clinic: string, reference: string, attempts: number, error: string): Promise<void> {
    if (attempts >= MAX_ATTEMPTS) return failed(clinic, reference, attempts, error);
    const wait = Math.min(3600_000, retryMs * 2 ** Math.max(0, attempts - 1));
    await db
      .update(abdmCareContextLinks)
      .set({ state: 'pending', attempts, lastError: error, nextAttemptAt: new Date(now() + wait), updatedAt: new Date(now()) })
      .where(and(eq(abdmCareContextLinks.clinicId, clinic), eq(abdmCareContextLinks.reference, reference)));
  }

  async function failed(clinic: string, reference: string, attempts: number, error: string): Promise<void> {
    await db
      .update(abdmCareContextLinks)
      .set({ state: 'failed', attempts, lastError: error, updatedAt: new Date(now()) })
      .where(and(eq(abdmCareContextLinks.clinicId, clinic), eq(abdmCareContextLinks.reference, reference)));
  }

  async function linkOne(clinic: string, link: typeof abdmCareContextLinks.$inferSelect): Promise<void> {
    const attempts = link.attempts + 1;
    const row = await loadPatient(db, clinic, link.patientId);
    const patient = row ? trusted(row, (await verifiedFor(db, clinic, [row.id])).get(row.id)) : null;
    const cc = (await listCareContexts(db, clinic, [link.patientId])).find((c) => c.reference === link.reference);
    if (!patient || !cc) return failed(clinic, link.reference, attempts, 'the patient or the care context is no longer on the server');
    // The desk changed the patient's ABHA since: the server never verified the new one for them.
    if (patient.abhaAddress !== link.abhaAddress) return failed(clinic, link.reference, attempts, `the patient's ABHA address is no longer ${link.abhaAddress}, which this server verified`);
    const token = await linkToken(clinic, patient, link.abhaAddress);
    if (!token.ok) return token.retry ? later(clinic, link.reference, attempts, token.error) : failed(clinic, link.reference, attempts, token.error);
    const requestId = link.requestId ?? randomUUID();
    // Expected before it is sent: an on_carecontext that beats the 202 (and the audit row) is still ours.
    const expecting = bridge.awaitCallback(requestId, 120_000);
    const sent = await bridge.client.post(LINK_CARECONTEXT_PATH, linkBody(patient, link.abhaAddress, cc), {
      requestId,
      headers: { 'X-HIP-ID': bridge.client.config.hipId, 'X-LINK-TOKEN': token.token },
    });
    expecting.cancel();
    if (sent.ok) {
      await db
        .update(abdmCareContextLinks)
        .set({ state: 'sent', attempts, requestId, lastError: null, updatedAt: new Date(now()) })
        .where(and(eq(abdmCareContextLinks.clinicId, clinic), eq(abdmCareContextLinks.reference, link.reference), eq(abdmCareContextLinks.state, 'pending')));
      return;
    }
    const error = `${sent.code}: ${sent.message}`;
    if (sent.status === null || sent.status >= 500) return later(clinic, link.reference, attempts, error);
    // Refused (4xx): the token may have been withdrawn; forget it so the next try gets a new one, once.
    await db.delete(abdmLinkTokens).where(and(eq(abdmLinkTokens.clinicId, clinic), eq(abdmLinkTokens.abhaAddress, link.abhaAddress)));
    return attempts < 2 ? later(clinic, link.reference, attempts, error) : failed(clinic, link.reference, attempts, error);
  }

  async function sweepOnce(): Promise<void> {
    const clinic = await clinicId();
    if (!clinic) return;
    await bindVerifications(db, clinic, now());
    await enqueue(clinic);
    const due = await db
      .select()
      .from(abdmCareContextLinks)
      .where(
        and(
          eq(abdmCareContextLinks.clinicId, clinic),
          eq(abdmCareContextLinks.state, 'pending'),
          or(isNull(abdmCareContextLinks.nextAttemptAt), lte(abdmCareContextLinks.nextAttemptAt, new Date(now()))),
        ),
      )
      .orderBy(asc(abdmCareContextLinks.createdAt));
    for (const link of due) await linkOne(clinic, link);
    await syncLinkViews(db, clinic);
  }

  /** One sweep at a time; a poke during one runs another after it. */
  function sweep(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await sweepOnce();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const onCarecontext: CallbackRoute = {
    path: ON_CARECONTEXT_PATH,
    ack: 202,
    kind: 'on-carecontext',
    answers: LINK_CARECONTEXT_PATH,
    correlate: (body) => {
      const r = body.response;
      const id = r && typeof r === 'object' ? (r as Record<string, unknown>).requestId : null;
      return typeof id === 'string' && id ? id : null;
    },
    act: async (body, requestId) => {
      const err = abdmError(body);
      await db
        .update(abdmCareContextLinks)
        .set(err ? { state: 'failed', lastError: `${err.code}: ${err.message}`, updatedAt: new Date(now()) } : { state: 'linked', lastError: null, linkedAt: new Date(now()), updatedAt: new Date(now()) })
        .where(and(eq(abdmCareContextLinks.requestId, requestId), sql`${abdmCareContextLinks.state} <> 'linked'`));
      await syncLinkViews(db, await clinicId());
    },
  };
  bridge.addRoutes([onCarecontext, ...discoveryRoutes(bridge, db, { clinicId, now, ...(options.sendOtp ? { sendOtp: options.sendOtp } : {}) })]);

  return {
    sweep,
    /** A push was applied: look for new care contexts now (without waiting for it). */
    poke(): void {
      void sweep().catch(() => undefined);
    },
    /** Sweeps now and every `sweepEveryMs`. */
    start(): void {
      this.poke();
      timer ??= setInterval(() => this.poke(), options.sweepEveryMs ?? 60_000);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
    /** The link state of a clinic's care contexts (for the desk's ABDM panel, later). */
    links(clinic: string) {
      return db.select().from(abdmCareContextLinks).where(eq(abdmCareContextLinks.clinicId, clinic));
    },
  };
}

export type AbdmLinker = ReturnType<typeof createAbdmLinker>;
