import { eq } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { abdmConsents } from '../db/schema';
import type { CallbackRoute } from './bridge';
import type { HipContext } from './routes-hi';
import { writeConsentView } from './panel-rows';

/**
 * The consent manager tells the HIP of a consent artefact (consent-management-data-flow.yaml,
 * `<callback_url>/api/v3/consent/request/hip/notify`, answered 200): GRANTED with the artefact in
 * `consentDetail`, REVOKED or EXPIRED naming `consentId`.
 */
export const CONSENT_NOTIFY_PATH = '/api/v3/consent/request/hip/notify';
/** The HIP's acknowledgement (same file, `/api/hiecm/consent/v3/request/hip/on-notify`, 202). */
export const CONSENT_ON_NOTIFY_PATH = '/api/hiecm/consent/v3/request/hip/on-notify';

export type ConsentRow = typeof abdmConsents.$inferSelect;
type Obj = Record<string, unknown>;

const STATUSES = new Set(['GRANTED', 'REVOKED', 'EXPIRED', 'DENIED', 'REQUESTED']);

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);
function date(v: unknown): Date | null {
  const s = str(v);
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** consentId and status of a notify body, or null when either is missing. */
function notificationKey(body: Obj): { consentId: string; status: string } | null {
  const n = obj(body.notification);
  const consentId = str(n.consentId) ?? str(obj(n.consentDetail).consentId);
  const status = str(n.status);
  return consentId && status && STATUSES.has(status) ? { consentId, status } : null;
}

/**
 * Stores what a notification says. GRANTED writes the artefact (purpose, HI types, care contexts,
 * date range, dataEraseAt, frequency); REVOKED and EXPIRED only change the status, and a consent
 * once revoked or expired is never granted again by a late or replayed GRANTED. DENIED and
 * REQUESTED are not sent to HIPs (the yaml) and are not stored.
 */
export async function storeConsentNotification(db: ServerDb, body: Obj): Promise<void> {
  const key = notificationKey(body);
  if (!key) return;
  const { consentId, status } = key;
  if (status === 'GRANTED') {
    const detail = obj(obj(body.notification).consentDetail);
    const permission = obj(detail.permission);
    const range = obj(permission.dateRange);
    const careContexts = (Array.isArray(detail.careContexts) ? detail.careContexts : [])
      .map((c) => ({ patientReference: str(obj(c).patientReference) ?? '', careContextReference: str(obj(c).careContextReference) ?? '' }))
      .filter((c) => c.careContextReference);
    const row = {
      consentId,
      status,
      patientAbhaAddress: str(obj(detail.patient).id),
      hipId: str(obj(detail.hip).id),
      hiuId: str(obj(detail.hiu).id),
      purposeCode: str(obj(detail.purpose).code),
      hiTypes: (Array.isArray(detail.hiTypes) ? detail.hiTypes : []).filter((t): t is string => typeof t === 'string'),
      careContexts,
      accessMode: str(permission.accessMode),
      dateFrom: date(range.from),
      dateTo: date(range.to),
      dataEraseAt: date(permission.dataEraseAt),
      frequency: Object.keys(obj(permission.frequency)).length ? obj(permission.frequency) : null,
    };
    await db.insert(abdmConsents).values(row).onConflictDoNothing({ target: abdmConsents.consentId });
    return;
  }
  if (status !== 'REVOKED' && status !== 'EXPIRED') return;
  const changed = await db.update(abdmConsents).set({ status, updatedAt: new Date() }).where(eq(abdmConsents.consentId, consentId)).returning({ id: abdmConsents.consentId });
  // Revoked before we heard of the grant (callbacks out of order): remember it, so a late GRANTED cannot open it.
  if (changed.length === 0) await db.insert(abdmConsents).values({ consentId, status, hiTypes: [], careContexts: [] }).onConflictDoNothing({ target: abdmConsents.consentId });
}

export async function findConsent(db: ServerDb, consentId: string): Promise<ConsentRow | null> {
  const found = await db.select().from(abdmConsents).where(eq(abdmConsents.consentId, consentId)).limit(1);
  return found[0] ?? null;
}

/**
 * The notify callback: stored once per (consent, status) (the bridge's handled key), then
 * acknowledged with on-notify in the background, so the gateway's call is answered at once.
 */
export function consentNotifyRoute(ctx: HipContext): CallbackRoute {
  return {
    path: CONSENT_NOTIFY_PATH,
    ack: 200,
    kind: 'consent-notify',
    answers: null,
    correlationMissing: 'notification.consentId and notification.status (GRANTED, REVOKED, EXPIRED) are required',
    correlate: (body) => {
      const key = notificationKey(body);
      return key ? `${key.consentId}:${key.status}` : null;
    },
    act: async (body, _key, requestId) => {
      await storeConsentNotification(ctx.db, body);
      const key = notificationKey(body);
      if (!key) return;
      await writeConsentView(ctx.db, ctx.options.clinicId ?? ctx.config.clinicId, key.consentId);
      ctx.track(
        ctx.client.post(CONSENT_ON_NOTIFY_PATH, { acknowledgement: { status: 'OK', consentId: key.consentId }, response: { requestId } }),
      );
    },
  };
}
