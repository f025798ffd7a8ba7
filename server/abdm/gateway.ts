import { randomUUID } from 'node:crypto';
import type { ServerDb } from '../db/open';
import { recordExchange } from './audit';
import type { AbdmConfig } from './config';

/** The gateway's session endpoint (ABDM v3, gateway.yaml "abdm-sessions"). */
export const SESSIONS_PATH = '/api/hiecm/gateway/v3/sessions';

/** A call's answer, or why there is none: errors are values (docs/ABDM.md "Errors"). */
export type GatewayResult =
  | { ok: true; requestId: string; status: number; body: unknown }
  | { ok: false; requestId: string; status: number | null; code: string; message: string };

export interface GatewayClientOptions {
  config: AbdmConfig;
  db: ServerDb;
  now?: () => number;
  /** Further attempts after a 5xx or a network failure (default 4). */
  retries?: number;
  /** The first wait before a retry; doubled each time (default 500 ms). */
  backoffMs?: number;
  /** Per attempt (default 15 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * "Duplicate ... request" / "request with this request id already exists" (errors/m2.yaml): on a
 * RETRY these mean the earlier attempt got through (its answer was lost), so the call succeeded.
 */
const ALREADY_ACCEPTED = new Set(['ABDM-1064', 'ABDM-1087', 'ABDM-1090', 'ABDM-1091', 'ABDM-1092', 'ABDM-1093', 'ABDM-1094', 'ABDM-1095', 'ABDM-1103', 'ABDM-1104', 'ABDM-1105']);

interface Session {
  token: string;
  expiresAt: number;
  /** When to get a new one: before expiry, by a fifth of its life (at most a minute). */
  refreshAt: number;
}

/** ABDM's error shapes (gateway.yaml): {error:{code,message}}, {code,message,description}, or nothing. */
export function abdmError(body: unknown): { code: string; message: string } | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Record<string, unknown>;
  const inner = b.error && typeof b.error === 'object' ? (b.error as Record<string, unknown>) : b;
  if (typeof inner.code !== 'string' && typeof inner.code !== 'number') return null;
  // A code may come as "ABDM-1015: " (with a separator): keep the code itself.
  const code = String(inner.code).replace(/[:\s]+$/, '');
  const message = [inner.message, b.description].filter((m): m is string => typeof m === 'string' && m.length > 0).join(': ');
  return { code, message: message || 'no message' };
}

/**
 * The HIP's client of the ABDM gateway (v3, docs/ABDM.md): gets a session token from the client id
 * and secret, keeps it in memory only and gets a new one before it expires (or when the gateway
 * says 401), sends REQUEST-ID / TIMESTAMP / X-CM-ID on every call, retries 5xx answers and network
 * failures with exponential backoff under the SAME REQUEST-ID (so the gateway can tell a retry from
 * a new request), and records every attempt in abdm_exchanges with secrets redacted.
 */
export class AbdmGatewayClient {
  private session: Session | null = null;
  private sessionInFlight: Promise<Session | GatewayResult> | null = null;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: GatewayClientOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get config(): AbdmConfig {
    return this.options.config;
  }

  /** Drops the token (the next call gets a new one). */
  forgetSession(): void {
    this.session = null;
  }

  /** A valid access token, or the failure that prevented getting one. */
  async accessToken(): Promise<{ ok: true; token: string } | Extract<GatewayResult, { ok: false }>> {
    const s = this.session;
    if (s && this.now() < s.refreshAt) return { ok: true, token: s.token };
    // Callers at the same moment share one session request.
    this.sessionInFlight ??= this.newSession().finally(() => {
      this.sessionInFlight = null;
    });
    const got = await this.sessionInFlight;
    if ('token' in got) return { ok: true, token: got.token };
    return got.ok ? { ok: false, requestId: got.requestId, status: got.status, code: 'bad_session', message: 'The gateway answered the session request without an access token.' } : got;
  }

  private async newSession(): Promise<Session | GatewayResult> {
    const { clientId, clientSecret } = this.options.config;
    const result = await this.send('POST', SESSIONS_PATH, { clientId, clientSecret, grantType: 'client_credentials' }, randomUUID(), {});
    if (!result.ok) return result;
    const b = (result.body ?? {}) as { accessToken?: unknown; expiresIn?: unknown };
    if (typeof b.accessToken !== 'string' || !b.accessToken) return result;
    const lifeMs = (typeof b.expiresIn === 'number' && b.expiresIn > 0 ? b.expiresIn : 60) * 1000;
    const now = this.now();
    this.session = { token: b.accessToken, expiresAt: now + lifeMs, refreshAt: now + lifeMs - Math.min(60_000, lifeMs / 5) };
    return this.session;
  }

  /**
   * POSTs a JSON body to a gateway path with the session token. `requestId` defaults to a new UUID;
   * pass one to make a call idempotent across restarts (e.g. kept with the work it belongs to).
   */
  async post(path: string, body: unknown, options: { requestId?: string; headers?: Record<string, string> } = {}): Promise<GatewayResult> {
    const requestId = options.requestId ?? randomUUID();
    let token = await this.accessToken();
    if (!token.ok) return { ...token, requestId };
    let result = await this.send('POST', path, body, requestId, { ...options.headers, Authorization: `Bearer ${token.token}` });
    if (!result.ok && result.status === 401) {
      // The gateway no longer takes the token (expired early, revoked, clocks apart): one new
      // session, then the same request again, under the same REQUEST-ID.
      this.forgetSession();
      token = await this.accessToken();
      if (!token.ok) return { ...token, requestId };
      result = await this.send('POST', path, body, requestId, { ...options.headers, Authorization: `Bearer ${token.token}` });
    }
    return result;
  }

  /** One logical call: attempts until an answer that is not a 5xx, or out of retries. */
  private async send(method: string, path: string, body: unknown, requestId: string, headers: Record<string, string>): Promise<GatewayResult> {
    const retries = this.options.retries ?? 4;
    const backoff = this.options.backoffMs ?? 500;
    const text = JSON.stringify(body);
    let last: GatewayResult = { ok: false, requestId, status: null, code: 'unreachable', message: 'not sent' };
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      last = await this.attempt(method, path, text, requestId, headers, attempt, attempt <= retries);
      const retryable = !last.ok && (last.status === null || last.status >= 500);
      if (!retryable) return last;
      if (attempt <= retries) await this.sleep(backoff * 2 ** (attempt - 1));
    }
    return last;
  }

  private async attempt(method: string, path: string, text: string, requestId: string, headers: Record<string, string>, attempt: number, mayRetry: boolean): Promise<GatewayResult> {
    const { gatewayUrl, cmId } = this.options.config;
    let status: number | null = null;
    let answer = '';
    let failure: string | null = null;
    try {
      const res = await fetch(`${gatewayUrl}${path}`, {
        method,
        headers: {
          'Content-Type': 'application/json',
          'REQUEST-ID': requestId,
          // A fresh TIMESTAMP per attempt: the gateway refuses stale ones (ABDM-1016); the
          // REQUEST-ID is what stays the same.
          TIMESTAMP: new Date(this.now()).toISOString(),
          'X-CM-ID': cmId,
          ...headers,
        },
        body: text,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      status = res.status;
      answer = await res.text();
    } catch (e) {
      failure = `network: ${(e as Error).message}`;
    }
    const parsed = parseJson(answer);
    const refusal = status !== null && status >= 200 && status < 300 ? null : abdmError(parsed);
    const acceptedBefore = attempt > 1 && status !== null && status < 500 && refusal !== null && ALREADY_ACCEPTED.has(refusal.code);
    const ok = acceptedBefore || (status !== null && status >= 200 && status < 300);
    const retrying = !ok && mayRetry && (status === null || status >= 500);
    const err = ok ? null : refusal;
    await recordExchange(this.options.db, {
      direction: 'out',
      method,
      path,
      requestId,
      attempt,
      status,
      outcome: ok ? 'ok' : retrying ? 'retrying' : 'failed',
      rawBody: text,
      keep: path === SESSIONS_PATH ? 'redacted' : 'all',
      error: acceptedBefore ? `${refusal.code}: an earlier attempt of this REQUEST-ID got through` : (failure ?? (err ? `${err.code}: ${err.message}` : ok ? null : `HTTP ${status}`)),
    });
    if (ok) return { ok: true, requestId, status: status!, body: parsed };
    if (status === null) return { ok: false, requestId, status, code: 'unreachable', message: `The ABDM gateway could not be reached (${failure}).` };
    return { ok: false, requestId, status, code: err?.code ?? `HTTP_${status}`, message: err?.message ?? `The ABDM gateway answered ${status}.` };
  }
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
