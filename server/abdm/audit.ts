import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { abdmExchanges } from '../db/schema';

/**
 * Keys whose values never reach the audit trail: credentials, session and link tokens, OTPs,
 * encryption keys and nonces, the (encrypted) health data itself, and Aadhaar numbers, login ids
 * (even encrypted) and photos from enrolment. Matched on the key name,
 * case-insensitively, at any depth.
 */
const SECRET_KEY = /secret|password|otp|token|txnid|authorization|private|keyvalue|nonce|content|encrypted|checksum|aadhaar|loginid|photo/i;
export const REDACTED = '[redacted]';

export function redact(value: unknown, key = ''): unknown {
  if (key && SECRET_KEY.test(key) && value !== null && value !== undefined) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}

/** The redacted JSON of a body as sent or received (text that is not JSON is kept only as its hash). */
export function redactedJson(raw: string): string | null {
  if (!raw) return null;
  try {
    return JSON.stringify(redact(JSON.parse(raw) as unknown));
  } catch {
    return JSON.stringify({ unparsed: `${raw.length} characters, not JSON` });
  }
}

export function sha256(raw: string): string | null {
  return raw ? createHash('sha256').update(raw).digest('hex') : null;
}

export type ExchangeOutcome = 'ok' | 'retrying' | 'failed' | 'claimed' | 'handled' | 'abandoned' | 'duplicate' | 'unmatched' | 'refused';

export interface ExchangeRecord {
  direction: 'out' | 'in';
  method: string;
  path: string;
  requestId: string | null;
  correlationId?: string | null;
  attempt?: number;
  status: number | null;
  outcome: ExchangeOutcome;
  /** The exact body text (hashed, and stored redacted). */
  rawBody: string;
  /**
   * How much of the body the row keeps: `all` (redacted JSON and hash, the default), `hash` (hash
   * and length only: callbacks we refused or did not match, which anyone can send before any
   * authentication), or `redacted` (redacted JSON, no hash: the session request, whose short
   * fixed body holds the client secret, so its hash would let anyone check a guess of the secret).
   */
  keep?: 'all' | 'hash' | 'redacted';
  error?: string | null;
  handledKey?: string | null;
}

function row(r: ExchangeRecord) {
  const keep = r.keep ?? 'all';
  const length = r.rawBody ? JSON.stringify({ notKept: `${Buffer.byteLength(r.rawBody)} bytes` }) : null;
  return {
    direction: r.direction,
    method: r.method,
    path: r.path,
    requestId: r.requestId,
    correlationId: r.correlationId ?? null,
    attempt: r.attempt ?? 1,
    status: r.status,
    outcome: r.outcome,
    redactedBody: keep === 'hash' ? length : redactedJson(r.rawBody),
    bodySha256: keep === 'redacted' ? null : sha256(r.rawBody),
    error: r.error ?? null,
    handledKey: r.handledKey ?? null,
  };
}

export async function recordExchange(db: ServerDb, r: ExchangeRecord): Promise<void> {
  await db.insert(abdmExchanges).values(row(r));
}

/**
 * Records an incoming callback and claims its handled key in one statement, as `claimed` (with the
 * row's time): its id when this copy is to be acted on, null for a repeat (recorded as a duplicate).
 * The claim becomes `handled` only once the act has committed (markHandled). A claim older than
 * `staleMs` that never became handled was lost (the process died between claiming and acting):
 * it is taken over atomically (the old row `abandoned`, its key moved to this copy), so the
 * gateway's retry is acted on rather than dropped as a duplicate.
 */
export async function recordFirstHandling(db: ServerDb, r: ExchangeRecord & { handledKey: string }, staleMs: number, now = Date.now()): Promise<number | null> {
  const claim = () => db.insert(abdmExchanges).values(row({ ...r, outcome: 'claimed' })).onConflictDoNothing({ target: abdmExchanges.handledKey }).returning({ id: abdmExchanges.id });
  const claimed = await claim();
  if (claimed[0]) return claimed[0].id;
  const abandoned = await db
    .update(abdmExchanges)
    .set({ handledKey: null, outcome: 'abandoned', error: 'claimed but never handled (the server stopped mid-way); acted on a later copy' })
    .where(and(eq(abdmExchanges.handledKey, r.handledKey), eq(abdmExchanges.outcome, 'claimed'), lt(abdmExchanges.at, new Date(now - staleMs))))
    .returning({ id: abdmExchanges.id });
  if (abandoned[0]) {
    const again = await claim();
    if (again[0]) return again[0].id;
  }
  await recordExchange(db, { ...r, outcome: 'duplicate', handledKey: null });
  return null;
}

/** The claimed callback has been acted on (its act committed): from now on a repeat is a duplicate for ever. */
export async function markHandled(db: ServerDb, id: number): Promise<void> {
  await db.update(abdmExchanges).set({ outcome: 'handled' }).where(eq(abdmExchanges.id, id));
}

/**
 * Gives a claimed handled key back when acting on the callback failed, so the gateway's retry of
 * it is acted on instead of being recorded as a duplicate; the row stays, as `failed`.
 */
export async function releaseHandling(db: ServerDb, id: number, error: string): Promise<void> {
  await db.update(abdmExchanges).set({ handledKey: null, outcome: 'failed', status: 500, error }).where(eq(abdmExchanges.id, id));
}

/** Whether we sent a request to `path` with this REQUEST-ID (so a callback answering it is ours). */
export async function sentRequest(db: ServerDb, requestId: string, path: string): Promise<boolean> {
  const rows = await db
    .select({ id: abdmExchanges.id })
    .from(abdmExchanges)
    .where(and(eq(abdmExchanges.direction, 'out'), eq(abdmExchanges.requestId, requestId), eq(abdmExchanges.path, path)))
    .limit(1);
  return rows.length > 0;
}
