import { createPublicKey, randomUUID, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * The gateway's public keys: `GET /api/hiecm/gateway/v3/certs` (gateway.yaml, tag abdm-gateway,
 * "Get Gateway JWKS Certificates"), a JWKS `{"keys": [{kty: "RSA", kid, alg: "RS256", use: "sig", n, e}]}`.
 */
export const CERTS_PATH = '/api/hiecm/gateway/v3/certs';

/** How long fetched keys are trusted before they are fetched again. */
const KEYS_TTL_MS = 60 * 60 * 1000;
/** A token naming a key we do not have refetches the keys, at most this often (a forged kid cannot make us hammer the gateway). */
const MIN_REFETCH_MS = 30_000;
/** Clock difference tolerated on exp/nbf/iat. */
const LEEWAY_S = 60;

/** The central registry's role of the gateway's own client (Project Eka consent-manager's ServiceRole GATEWAY). */
export const GATEWAY_ROLE = 'gateway';

/** Every role a Keycloak-style token names: realm roles, each client's roles, or a plain `roles` list. */
function rolesOf(claims: Record<string, unknown>): string[] {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string') : []);
  const realm = claims.realm_access;
  const resource = claims.resource_access;
  const out = [...list(claims.roles)];
  if (realm && typeof realm === 'object') out.push(...list((realm as { roles?: unknown }).roles));
  if (resource && typeof resource === 'object') for (const r of Object.values(resource)) if (r && typeof r === 'object') out.push(...list((r as { roles?: unknown }).roles));
  return out;
}

export type CallbackAuthResult = { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string };

export interface CallbackVerifierOptions {
  gatewayUrl: string;
  cmId: string;
  /** When set, the token's `iss` must equal it (the gateway's issuer is not documented per environment). */
  issuer?: string;
  /** When set, the token's `aud` must be or contain it. */
  audience?: string;
  /**
   * The role the token must carry (default "gateway"): every ABDM participant's session token is
   * signed by the same central registry, so a signature alone says "some ABDM client", not "the
   * gateway". Read from `realm_access.roles`, `resource_access.<client>.roles` or `roles`.
   */
  role?: string;
  now?: () => number;
  fetch?: typeof fetch;
}

interface KeySet {
  byKid: Map<string, KeyObject>;
  fetchedAt: number;
}

/**
 * Verifies the bearer JWT the gateway puts on its callbacks (RS256 as its JWKS example says; RS512,
 * which its own session tokens use per gateway.yaml's example, is accepted too) with
 * node:crypto: signature, `exp` (required), `nbf` and `iat` (when present), and `iss`/`aud` when
 * configured. Keys are cached for an hour; a token naming an unknown `kid` refetches them, at most
 * once per 30 s; one fetch at a time.
 */
export class CallbackVerifier {
  private keys: KeySet | null = null;
  private fetching: Promise<KeySet | null> | null = null;
  private lastFetchAt = -Infinity;
  private readonly now: () => number;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: CallbackVerifierOptions) {
    this.now = options.now ?? Date.now;
    this.fetchImpl = options.fetch ?? fetch;
  }

  async verify(authorization: string | null | undefined): Promise<CallbackAuthResult> {
    const match = /^Bearer\s+([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(authorization?.trim() ?? '');
    if (!match) return { ok: false, reason: authorization ? 'The Authorization header is not a bearer JWT' : 'The Authorization header is missing' };
    const [, headerPart = '', payloadPart = '', signaturePart = ''] = match;
    const header = parseSegment(headerPart);
    const claims = parseSegment(payloadPart);
    if (!header || !claims) return { ok: false, reason: 'The bearer token is not a JWT' };
    const hash = header.alg === 'RS256' ? 'RSA-SHA256' : header.alg === 'RS512' ? 'RSA-SHA512' : null;
    if (!hash) return { ok: false, reason: `The token's algorithm ${String(header.alg)} is not RS256 or RS512` };
    const kid = typeof header.kid === 'string' ? header.kid : '';
    const key = await this.keyFor(kid);
    if (!key) return { ok: false, reason: `No gateway key ${kid ? `"${kid}"` : '(no kid)'} is published at ${CERTS_PATH}` };
    const signed = verify(hash, Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signaturePart, 'base64url'));
    if (!signed) return { ok: false, reason: 'The token signature does not verify with the gateway key' };
    return this.checkClaims(claims);
  }

  private checkClaims(claims: Record<string, unknown>): CallbackAuthResult {
    const nowS = this.now() / 1000;
    if (typeof claims.exp !== 'number') return { ok: false, reason: 'The token has no expiry (exp)' };
    if (claims.exp + LEEWAY_S <= nowS) return { ok: false, reason: 'The token has expired' };
    if (typeof claims.nbf === 'number' && claims.nbf - LEEWAY_S > nowS) return { ok: false, reason: 'The token is not valid yet (nbf)' };
    if (typeof claims.iat === 'number' && claims.iat - LEEWAY_S > nowS) return { ok: false, reason: 'The token was issued in the future (iat)' };
    if (this.options.issuer && claims.iss !== this.options.issuer) return { ok: false, reason: `The token's issuer ${String(claims.iss)} is not the gateway's` };
    if (this.options.audience) {
      const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (!aud.includes(this.options.audience)) return { ok: false, reason: `The token is not meant for ${this.options.audience}` };
    }
    const role = this.options.role ?? GATEWAY_ROLE;
    if (!rolesOf(claims).includes(role)) return { ok: false, reason: `The token is not the gateway's (no "${role}" role): another ABDM client's token` };
    return { ok: true, claims };
  }

  /** The key with this kid: from the cache, or after a (rate-limited) fetch when it is stale or lacks the kid. */
  private async keyFor(kid: string): Promise<KeyObject | null> {
    const fresh = this.keys && this.now() - this.keys.fetchedAt < KEYS_TTL_MS;
    const cached = this.keys?.byKid.get(kid) ?? null;
    if (fresh && cached) return cached;
    if (fresh && this.now() - this.lastFetchAt < MIN_REFETCH_MS) return null;
    const keys = await this.refetch();
    return keys?.byKid.get(kid) ?? (fresh ? null : cached);
  }

  private refetch(): Promise<KeySet | null> {
    if (!this.fetching) {
      this.lastFetchAt = this.now();
      this.fetching = this.fetchKeys().finally(() => {
        this.fetching = null;
      });
    }
    return this.fetching;
  }

  private async fetchKeys(): Promise<KeySet | null> {
    try {
      const res = await this.fetchImpl(`${this.options.gatewayUrl}${CERTS_PATH}`, {
        headers: { 'REQUEST-ID': randomUUID(), TIMESTAMP: new Date(this.now()).toISOString(), 'X-CM-ID': this.options.cmId },
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) return this.keys;
      const body = (await res.json()) as { keys?: unknown };
      const byKid = new Map<string, KeyObject>();
      for (const jwk of Array.isArray(body.keys) ? body.keys : []) {
        const k = jwk as JsonWebKey & { kid?: unknown; use?: unknown; alg?: unknown };
        if (k.kty !== 'RSA' || (k.use !== undefined && k.use !== 'sig')) continue;
        try {
          byKid.set(typeof k.kid === 'string' ? k.kid : '', createPublicKey({ key: { kty: 'RSA', n: k.n, e: k.e }, format: 'jwk' }));
        } catch {
          // A malformed key is skipped; the others still work.
        }
      }
      this.keys = { byKid, fetchedAt: this.now() };
      return this.keys;
    } catch {
      // The gateway unreachable: keep what we had (a callback with a known kid still verifies).
      return this.keys;
    }
  }
}

function parseSegment(segment: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
