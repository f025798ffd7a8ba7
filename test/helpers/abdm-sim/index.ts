/**
 * An ABDM gateway simulator (v3 "hiecm" APIs, docs/ABDM.md): a real HTTP server on loopback that
 * answers the way the published specification says and calls the HIP's callback URL afterwards,
 * asynchronously, like the gateway. Knobs for the faults a bridge must survive: 5xx answers, a
 * dropped answer after the work was done, expired tokens, late, repeated and out-of-order callbacks.
 *
 * Follows (nha-in/docs, catalogue/openapi/.raw/nha-2026-09-01/hiecm/): gateway.yaml
 * `POST /api/hiecm/gateway/v3/sessions` (202 {accessToken, expiresIn, refreshExpiresIn,
 * refreshToken, tokenType}); link-token.yaml `POST /api/hiecm/v3/token/generate-token` (202, then
 * `<callback>/api/v3/hip/token/on-generate-token` with {abhaAddress, linkToken, response:{requestId}}
 * or {error:{code,message}, response:{requestId}}). Error shapes: {error:{code,message}} (400/500),
 * {code,message,description} (401), error codes from errors/m2.yaml.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { simHi } from './hi';
import { createSimSigner } from './jwt';
import { discoverySim } from './discover';
import { linkSim } from './link';
import { shareSim } from './share';
import { abhaSim, type SimAbhaAccount } from './abha';
import type { SimAadhaarPerson } from './abha-enrol';

export interface SimRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  status: number;
}

export interface SimCallback {
  path: string;
  requestId: string;
  body: Record<string, unknown>;
  /** What the HIP answered (null: unreachable). */
  status: number | null;
}

export interface AbdmSimOptions {
  clientId: string;
  clientSecret: string;
  /** expiresIn of issued tokens, seconds (default 1200, as the specification's example). */
  tokenTtlSeconds?: number;
  /** ABHA addresses the simulated consent manager knows (others get ABDM-1051). */
  abhaAddresses?: string[];
  /** Facility ids registered as HIPs (others get ABDM-1035). */
  hipIds?: string[];
  /** ABHA accounts the simulated ABHA service knows (M1 login by OTP, ./abha.ts). */
  abhaAccounts?: SimAbhaAccount[];
  /** People UIDAI knows, for ABHA creation by Aadhaar OTP (./abha-enrol.ts). */
  aadhaarPeople?: SimAadhaarPerson[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ABHA_ADDRESS = /^[a-zA-Z0-9][a-zA-Z0-9_.]+[a-zA-Z0-9]@(abdm|sbx)$/;
const GENDERS = new Set(['M', 'F', 'O', 'D', 'T', 'U']);

// Long by design: one closure holds the simulator's state, its routes and its knobs.
export async function startAbdmSim(options: AbdmSimOptions) {
  const tokens = new Map<string, number>(); // token -> expires at (ms)
  const seenRequestIds = new Set<string>();
  const received: SimRequest[] = [];
  const callbacks: SimCallback[] = [];
  const held: (() => Promise<void>)[] = [];
  const inFlight = new Set<Promise<void>>();
  /** Signs every callback (RS256 bearer); its public key is served at /api/hiecm/gateway/v3/certs. */
  const signer = createSimSigner();
  const knobs = {
    /** Where callbacks go (the HIP's bridge URL, as registered with ABDM). */
    callbackBaseUrl: '',
    /** The next N calls (any path) answer 500 without doing anything. */
    fail5xx: 0,
    /** The next N generate-token calls are processed, then the connection is cut before the answer. */
    dropAfterProcessing: 0,
    /** Wait before each callback. */
    callbackDelayMs: 0,
    /** Each callback is sent this many times (the gateway's redelivery). */
    callbackCopies: 1,
    /** Queue callbacks until releaseHeld() (to deliver them late or out of order). */
    holdCallbacks: false,
  };

  /** Link tokens issued, with the ABHA address each is for. */
  const linkTokens = new Map<string, string>();
  const ctx: SimContext = {
    options,
    knobs,
    seenRequestIds,
    linkTokens,
    answer: (...a) => answer(...a),
    error: (code, message) => error(code, message),
    authProblem: (req) => authProblem(req),
    scheduleCallback: (path, hipId, payload) => scheduleCallback(path, hipId, payload),
    gatewayHeaders: (hipId) => ({ 'Content-Type': 'application/json', 'REQUEST-ID': randomUUID(), TIMESTAMP: new Date().toISOString(), 'X-HIP-ID': hipId, Authorization: `Bearer ${signer.token()}` }),
  };
  // The M2 linking endpoints, each in its own module.
  const link = linkSim(ctx);
  const discovery = discoverySim(ctx);

  const share = shareSim({ answer: (...a) => answer(...a), authProblem: (req) => authProblem(req), error: (c, m) => error(c, m), knobs, token: () => signer.token() });
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => void route(req, res, raw));
  });

  function answer(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, status: number, payload?: unknown) {
    received.push({ method: req.method ?? '', path, headers: req.headers, body, status });
    res.writeHead(status, payload === undefined ? {} : { 'Content-Type': 'application/json' });
    res.end(payload === undefined ? undefined : JSON.stringify(payload));
  }
  const error = (code: string, message: string) => ({ error: { code, message } });

  /** The headers every gateway call must carry; an error answer, or null when they are right. */
  function headerProblem(req: http.IncomingMessage): [number, unknown] | null {
    const requestId = String(req.headers['request-id'] ?? '');
    if (!UUID.test(requestId)) return [400, error('ABDM-2404', 'Invalid Request Id')];
    const ts = String(req.headers.timestamp ?? '');
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(ts) || Number.isNaN(Date.parse(ts))) return [400, error('ABDM-2402', 'Invalid Timestamp')];
    if (!req.headers['x-cm-id']) return [400, error('ABDM-2403', 'Invalid X-CM-ID')];
    return null;
  }

  function authProblem(req: http.IncomingMessage): [number, unknown] | null {
    const auth = String(req.headers.authorization ?? '');
    if (!auth) return [400, error('ABDM-2500', 'Authorization header is missing')];
    const expires = tokens.get(auth.replace(/^Bearer /, ''));
    if (expires === undefined || Date.now() >= expires) {
      return [401, { code: '900901', message: 'Invalid Credentials', description: 'Invalid Credentials. Make sure you have provided the correct security credentials' }];
    }
    return null;
  }

  async function route(req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    let body: unknown = null;
    try {
      body = raw ? (JSON.parse(raw) as unknown) : null;
    } catch {
      return answer(req, res, path, raw, 400, error('ABDM-1006', 'Bad Request, invalid request Body'));
    }
    if (knobs.fail5xx > 0) {
      knobs.fail5xx--;
      return answer(req, res, path, body, 500, error('ABDM-9999: ', 'Unknown exception'));
    }
    const problem = headerProblem(req);
    if (problem) return answer(req, res, path, body, ...problem);
    if (req.method === 'POST' && path === '/api/hiecm/gateway/v3/sessions') return sessions(req, res, path, body);
    if (req.method === 'POST' && path === '/api/hiecm/v3/token/generate-token') return generateToken(req, res, path, body);
    if (req.method === 'GET' && path === '/api/hiecm/gateway/v3/certs') return answer(req, res, path, body, 200, signer.jwks());
    if (hi.handle(req, res, path, body)) return;
    for (const ext of [link, discovery]) if (req.method === 'POST' && ext.handle(req, res, path, body)) return;
    if (share.route(req, res, path, body)) return;
    if (abha.route(req, res, path, body)) return;
    return answer(req, res, path, body, 404, error('ABDM-1001: ', 'No data found'));
  }

  function sessions(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown) {
    const b = (body ?? {}) as Record<string, unknown>;
    if (b.grantType !== 'client_credentials' || typeof b.clientId !== 'string' || typeof b.clientSecret !== 'string') {
      return answer(req, res, path, body, 400, error('ABDM-1015: ', 'Bad Request, invalid response'));
    }
    if (b.clientId !== options.clientId || b.clientSecret !== options.clientSecret) {
      return answer(req, res, path, body, 401, { code: '900901', message: 'Invalid Credentials', description: 'Invalid Credentials. Make sure you have provided the correct security credentials' });
    }
    const ttl = options.tokenTtlSeconds ?? 1200;
    const accessToken = `sim.${randomUUID()}`;
    tokens.set(accessToken, Date.now() + ttl * 1000);
    return answer(req, res, path, body, 202, { accessToken, expiresIn: ttl, refreshExpiresIn: ttl * 1.5, refreshToken: `sim.refresh.${randomUUID()}`, tokenType: 'bearer' });
  }

  function generateToken(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown) {
    const auth = authProblem(req);
    if (auth) return answer(req, res, path, body, ...auth);
    const hipId = String(req.headers['x-hip-id'] ?? '');
    if (!hipId || (options.hipIds && !options.hipIds.includes(hipId))) return answer(req, res, path, body, 400, error('ABDM-1035', 'Invalid HIP ID'));
    const b = (body ?? {}) as Record<string, unknown>;
    const valid =
      typeof b.abhaAddress === 'string' &&
      typeof b.name === 'string' &&
      typeof b.gender === 'string' &&
      GENDERS.has(b.gender) &&
      typeof b.yearOfBirth === 'number' &&
      b.yearOfBirth >= 1900 &&
      b.yearOfBirth <= 2200 &&
      (b.abhaNumber === undefined || b.abhaNumber === null || (typeof b.abhaNumber === 'number' && /^\d{14}$/.test(String(b.abhaNumber))));
    if (!valid) return answer(req, res, path, body, 400, error('ABDM-1006', 'Bad Request, invalid request Body'));
    const requestId = String(req.headers['request-id']);
    if (seenRequestIds.has(requestId)) return answer(req, res, path, body, 400, error('ABDM-1092', 'Duplicate Link token request'));
    seenRequestIds.add(requestId);
    const abhaAddress = b.abhaAddress as string;
    const known = ABHA_ADDRESS.test(abhaAddress) && (!options.abhaAddresses || options.abhaAddresses.includes(abhaAddress));
    const linkToken = `link.${randomUUID()}`;
    if (known) linkTokens.set(linkToken, abhaAddress);
    const payload = known
      ? { abhaAddress, linkToken, response: { requestId } }
      : { ...error('ABDM-1051', 'Invalid ABHA Number or ABHA Address'), response: { requestId } };
    scheduleCallback('/api/v3/hip/token/on-generate-token', hipId, payload);
    if (knobs.dropAfterProcessing > 0) {
      knobs.dropAfterProcessing--;
      received.push({ method: 'POST', path, headers: req.headers, body, status: 0 });
      req.socket.destroy();
      return;
    }
    return answer(req, res, path, body, 202);
  }

  async function sendCallback(path: string, hipId: string, payload: Record<string, unknown>) {
    const requestId = randomUUID();
    let status: number | null = null;
    // A kept-alive connection the HIP closed while idle fails at once (ECONNRESET): the gateway
    // redelivers, here once, under the same REQUEST-ID.
    for (let attempt = 0; attempt < 2 && status === null; attempt++) {
      try {
        const res = await fetch(`${knobs.callbackBaseUrl}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'REQUEST-ID': requestId, TIMESTAMP: new Date().toISOString(), 'X-HIP-ID': hipId, Authorization: `Bearer ${signer.token()}` },
          body: JSON.stringify(payload),
        });
        status = res.status;
        await res.text();
      } catch {
        status = null;
      }
    }
    callbacks.push({ path, requestId, body: payload, status });
  }

  function scheduleCallback(path: string, hipId: string, payload: Record<string, unknown>) {
    const deliver = async () => {
      for (let i = 0; i < knobs.callbackCopies; i++) await sendCallback(path, hipId, payload);
    };
    if (knobs.holdCallbacks) {
      held.push(deliver);
      return;
    }
    // After the 202 has gone: the gateway answers first, then calls back.
    const p = new Promise<void>((r) => setTimeout(r, knobs.callbackDelayMs)).then(deliver);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }

  const hi = simHi({ answer, authProblem, sendCallback });
  const abha = abhaSim(options.abhaAccounts ?? [], answer, authProblem, options.aadhaarPeople ?? []);

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    knobs,
    /** HIP-initiated linking: what was linked (link.ts). */
    link: link.api,
    /** The PHR app's side of discovery and user-initiated linking (discover.ts). */
    discovery: discovery.api,
    /** The ABHA service's state and knobs (OTP, expiry, limits). */
    abha: abha.state,
    /** ABHA creation by Aadhaar OTP: the ABHAs made, the mobile OTP, expiry (abha-enrol.ts). */
    abhaEnrol: abha.enrol,
    received,
    signer,
    /** Consent notify and health-information request, sent to the HIP as the gateway would. */
    notifyConsent: hi.notifyConsent,
    requestHealthInfo: hi.requestHealthInfo,
    share: share.share,
    callbacks,
    /** Every token issued so far stops working (the gateway's 401). */
    expireTokens() {
      for (const t of tokens.keys()) tokens.set(t, 0);
    },
    sessionsIssued: () => tokens.size,
    heldCount: () => held.length,
    /** Sends the held callbacks, in the order asked. */
    async releaseHeld(order: 'fifo' | 'reverse' = 'fifo') {
      const batch = held.splice(0, held.length);
      if (order === 'reverse') batch.reverse();
      for (const deliver of batch) await deliver();
    },
    /** Waits until every scheduled callback has been delivered. */
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type AbdmSim = Awaited<ReturnType<typeof startAbdmSim>>;

/** What the simulator's endpoint modules (link.ts, discover.ts) share with it. */
export interface SimContext {
  options: AbdmSimOptions;
  knobs: { callbackBaseUrl: string; fail5xx: number };
  seenRequestIds: Set<string>;
  linkTokens: Map<string, string>;
  answer(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, status: number, payload?: unknown): void;
  error(code: string, message: string): { error: { code: string; message: string } };
  authProblem(req: http.IncomingMessage): [number, unknown] | null;
  scheduleCallback(path: string, hipId: string, payload: Record<string, unknown>): void;
  /** The headers the gateway sends the HIP on a request of its own. */
  gatewayHeaders(hipId: string): Record<string, string>;
}

export interface SimEndpoint<Api> {
  /** True when it answered this request. */
  handle(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown): boolean;
  api: Api;
}
