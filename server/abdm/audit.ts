import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { abdmExchanges } from '../db/schema';

/**
 * Keys whose values never reach the audit trail: credentials, session and link tokens, OTPs,
 * encryption keys and nonces, and the (encrypted) health data itself. Matched on the key name,
 * case-insensitively, at any depth.
 */
const SECRET_KEY = /secret|password|otp|token|authorization|private|keyvalue|nonce|content|encrypted|checksum/i;
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

export type ExchangeOutcome = 'ok' | 'retrying' | 'failed' | 'handled' | 'duplicate' | 'unmatched' | 'refused';

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
  error?: string | null;
  handledKey?: string | null;
}

function row(r: ExchangeRecord) {
  return {
    direction: r.direction,
    method: r.method,
    path: r.path,
    requestId: r.requestId,
    correlationId: r.correlationId ?? null,
    attempt: r.attempt ?? 1,
    status: r.status,
    outcome: r.outcome,
    redactedBody: redactedJson(r.rawBody),
    bodySha256: sha256(r.rawBody),
    error: r.error ?? null,
    handledKey: r.handledKey ?? null,
  };
}

export async function recordExchange(db: ServerDb, r: ExchangeRecord): Promise<void> {
  await db.insert(abdmExchanges).values(row(r));
}

/**
 * Records an incoming callback and claims its handled key in one statement: true when this is the
 * first time (act on it), false for a repeat (recorded as a duplicate, not acted on).
 */
export async function recordFirstHandling(db: ServerDb, r: ExchangeRecord & { handledKey: string }): Promise<boolean> {
  const claimed = await db.insert(abdmExchanges).values(row(r)).onConflictDoNothing({ target: abdmExchanges.handledKey }).returning({ id: abdmExchanges.id });
  if (claimed.length > 0) return true;
  await recordExchange(db, { ...r, outcome: 'duplicate', handledKey: null });
  return false;
}

/** Whether we sent a request with this REQUEST-ID (so a callback answering it is ours). */
export async function sentRequest(db: ServerDb, requestId: string): Promise<boolean> {
  const rows = await db.select({ id: abdmExchanges.id }).from(abdmExchanges).where(and(eq(abdmExchanges.direction, 'out'), eq(abdmExchanges.requestId, requestId))).limit(1);
  return rows.length > 0;
}
