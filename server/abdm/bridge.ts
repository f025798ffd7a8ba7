import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { ServerDb } from '../db/open';
import { FailureLimiter } from '../limiter';
import { markHandled, recordExchange, recordFirstHandling, releaseHandling, sentRequest } from './audit';
import { CallbackVerifier } from './callback-auth';
import type { AbdmConfig } from './config';
import { AbdmGatewayClient, abdmError, type GatewayClientOptions } from './gateway';
import { healthInfoRoutes } from './routes-hi';
import { shareRoutes, type ShareOptions } from './share';

/** HIP-initiated linking, step 1 (link-token.yaml): ask for a link token; the answer comes as a callback. */
export const GENERATE_TOKEN_PATH = '/api/hiecm/v3/token/generate-token';
/** Where the gateway sends it: `<callback_url>/api/v3/hip/token/on-generate-token`. */
export const ON_GENERATE_TOKEN_PATH = '/api/v3/hip/token/on-generate-token';

/** The gateway's callbacks are small; a body past this is refused (413) and not read further. */
export const MAX_CALLBACK_BYTES = 1_000_000;
/**
 * Callbacks anyone can send before any authentication (refused, unmatched, too large) are
 * bounded: at most this many per address, and CALLBACK_FAILURES_IN_ALL from everyone, per minute;
 * past that the endpoint answers 429 and records nothing, so a flood cannot fill abdm_exchanges.
 */
export const CALLBACK_FAILURES_PER_ADDRESS = 20;
export const CALLBACK_FAILURES_IN_ALL = 200;
const CALLBACK_FAILURE_WINDOW_MS = 60_000;
/**
 * A callback claimed longer ago than this and never marked handled was lost mid-way (the server
 * stopped between claiming and acting): the gateway's next copy is acted on. Longer than any act
 * takes (they are a few queries; slow work runs after the answer).
 */
export const CLAIM_STALE_MS = 5 * 60_000;
/** Late callbacks kept for takeArrived: at most this many, each at most this long. */
export const MAX_ARRIVED = 1_000;
export const ARRIVED_TTL_MS = 10 * 60_000;

export interface LinkTokenRequest {
  abhaNumber?: string | null;
  abhaAddress: string;
  name: string;
  /** M, F, O, D, T or U. */
  gender: string;
  yearOfBirth: number;
}

export type LinkTokenResult =
  | { ok: true; requestId: string; abhaAddress: string; linkToken: string }
  | { ok: false; requestId: string; code: string; message: string };

/**
 * A callback the gateway makes to us. `correlate` names the request it answers (the REQUEST-ID we
 * sent, echoed in `response.requestId`); `ack` is the status the specification says to answer.
 */
/** What a route's act leaves to do once the gateway has its answer (null: nothing). */
export type AfterAck = (() => Promise<void>) | null | undefined;

export interface CallbackRoute {
  path: string;
  ack: number;
  kind: string;
  /**
   * The outgoing call it answers: only a request we sent to this path can be answered here. Null
   * for a request the gateway starts (a profile share, consent notify, health-information request,
   * discover, link init/confirm): `correlate` then gives its own key (consent id and status,
   * transaction id, or its REQUEST-ID, the same on the gateway's redelivery), acted on once.
   */
  answers: string | null;
  correlate(body: Record<string, unknown>, requestId: string): string | null;
  /** The refusal's message when `correlate` finds nothing (default: response.requestId is required). */
  correlationMissing?: string;
  /** Why the body cannot be acted on (answered 400), or null. */
  check?(body: Record<string, unknown>): string | null;
  /**
   * Acts once; what it returns runs after the answer has gone (the HIP's own call back to the
   * gateway). `requestId`: the callback's REQUEST-ID header (what an acknowledgement echoes).
   */
  act(body: Record<string, unknown>, correlationId: string, requestId: string): Promise<AfterAck> | Promise<void> | AfterAck;
  /**
   * A repeat of a request already acted on (recorded as a duplicate): what to send again, if
   * anything, after the answer. For requests whose answer the gateway may have missed (Scan &
   * Share's on-share): it must not act again, only repeat what acting decided.
   */
  again?(body: Record<string, unknown>, correlationId: string, requestId: string): Promise<AfterAck>;
}

export interface AbdmBridgeOptions extends Omit<GatewayClientOptions, 'config' | 'db'>, ShareOptions {
  /** How long requestLinkToken waits for the gateway's callback (default 30 s); a later one is still kept. */
  callbackTimeoutMs?: number;
  /**
   * Extension point: every link token that arrives, once, including late ones (a later session
   * stores it against the patient; it is valid for six months).
   */
  onLinkToken?: (result: LinkTokenResult) => void | Promise<void>;
  /** The clinic (sync server `clinics.id`) whose care contexts this HIP serves (health-information transfer). */
  clinicId?: string;
  /** The gateway token's expected `iss`/`aud` on callbacks, when known (docs/ABDM.md "Callback authentication"). */
  callbackIssuer?: string;
  callbackAudience?: string;
  /** Retries of a data push to an HIU's dataPushUrl after the first attempt (default 3). */
  pushRetries?: number;
  /** How old an unhandled claim must be before a later copy of its callback is acted on (CLAIM_STALE_MS). */
  claimStaleMs?: number;
  /** Tests only: an HIU on this machine over plain http (health-info.ts pushUrlProblem). */
  allowLocalPush?: boolean;
}

/**
 * The clinic's ABDM bridge (HIP) on the central server: the gateway client, the callback endpoints
 * the gateway calls (mounted on the sync server's HTTP server through `handle`), and the flows.
 * Only what the plumbing needs so far: the session and the link-token round trip. New callbacks go
 * in `routes`; new outgoing calls use `client.post` and `awaitCallback`.
 */
// Long by design: the waiting requests, the callback routes and the flows share this closure's state.
export function createAbdmBridge(config: AbdmConfig, db: ServerDb, options: AbdmBridgeOptions = {}) {
  const client = new AbdmGatewayClient({ ...options, config, db });
  const basePath = new URL(config.publicBaseUrl).pathname.replace(/\/+$/, '');
  /** Requests waiting for their callback, by the REQUEST-ID we sent. */
  const waiting = new Map<string, (body: Record<string, unknown>) => void>();
  /** Callbacks that came with nobody waiting (early, i.e. before the 202, or after the wait gave up). */
  const arrived = new Map<string, { body: Record<string, unknown>; at: number }>();
  const clock = options.now ?? Date.now;
  const perAddress = new FailureLimiter(CALLBACK_FAILURES_PER_ADDRESS, CALLBACK_FAILURE_WINDOW_MS, options.now);
  const inAll = new FailureLimiter(CALLBACK_FAILURES_IN_ALL, CALLBACK_FAILURE_WINDOW_MS, options.now);
  const verifier = new CallbackVerifier({ gatewayUrl: config.gatewayUrl, cmId: config.cmId, ...(options.callbackIssuer ? { issuer: options.callbackIssuer } : {}), ...(options.callbackAudience ? { audience: options.callbackAudience } : {}) });
  const hi = healthInfoRoutes({ db, client, config, options });
  /** Work started after a callback was answered (see CallbackRoute.act), for settled(). */
  const afterAck = new Set<Promise<void>>();

  /** Waits for the callback answering `requestId`; `cancel` stops waiting (a later one is kept in `arrived`). */
  function awaitCallback(requestId: string, timeoutMs: number): { answer: Promise<Record<string, unknown> | null>; cancel: () => void } {
    let stop: () => void = () => undefined;
    const answer = new Promise<Record<string, unknown> | null>((resolve) => {
      const timer = setTimeout(() => stop(), timeoutMs);
      stop = () => {
        clearTimeout(timer);
        waiting.delete(requestId);
        resolve(null);
      };
      waiting.set(requestId, (body) => {
        clearTimeout(timer);
        waiting.delete(requestId);
        resolve(body);
      });
    });
    return { answer, cancel: () => stop() };
  }

  function deliver(requestId: string, body: Record<string, unknown>) {
    const waiter = waiting.get(requestId);
    if (waiter) return waiter(body);
    // Kept for a late taker, but not for ever and not without bound (the onLinkToken hook has had
    // it already): the oldest go first (a Map iterates in insertion order).
    const t = clock();
    for (const [id, a] of arrived) if (a.at + ARRIVED_TTL_MS <= t || arrived.size >= MAX_ARRIVED) arrived.delete(id);
    arrived.set(requestId, { body, at: t });
  }

  function linkTokenResult(requestId: string, body: Record<string, unknown>): LinkTokenResult {
    const err = abdmError(body);
    if (err) return { ok: false, requestId, ...err };
    if (typeof body.linkToken !== 'string' || !body.linkToken) return { ok: false, requestId, code: 'no_link_token', message: 'The gateway answered without a link token.' };
    return { ok: true, requestId, abhaAddress: typeof body.abhaAddress === 'string' ? body.abhaAddress : '', linkToken: body.linkToken };
  }

  const routes: CallbackRoute[] = [
    {
      path: ON_GENERATE_TOKEN_PATH,
      // "Answer it with 200 OK" (the portal's on-generate-token page; link-token.yaml responses: 200).
      ack: 200,
      kind: 'on-generate-token',
      answers: GENERATE_TOKEN_PATH,
      correlate: (body) => responseRequestId(body),
      act: async (body, correlationId) => {
        deliver(correlationId, body);
        await options.onLinkToken?.(linkTokenResult(correlationId, body));
        return null;
      },
    },
    ...hi.routes,
    ...shareRoutes({ db, client, config, options }),
  ];

  /**
   * Serves a gateway callback if the path is one of ours: true when it answered. Duplicates,
   * late and out-of-order callbacks are all accepted (so the gateway stops resending) but each
   * answer is acted on once, keyed by the request id it answers, in the database.
   */
  // Long by design: one callback's whole path in order (limits, signature, body, correlation, act once, answer), each step refusing early.
  async function handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<boolean> {
    const route = routes.find((r) => `${basePath}${r.path}` === pathname);
    if (!route) return false;
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.method !== 'POST') {
      reply(405, { error: { code: 'ABDM-1015', message: 'Only POST is accepted here' } });
      return true;
    }
    // Whatever we refuse (unsigned callbacks included) or do not recognise is bounded per address
    // and in all, and kept only as its hash and length: anyone can send it.
    const address = `addr:${req.socket.remoteAddress ?? '?'}`;
    const wait = Math.max(perAddress.waitSeconds(address), inAll.waitSeconds('all'));
    if (wait > 0) {
      res.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': String(wait), Connection: 'close' });
      res.end(JSON.stringify({ error: { code: 'ABDM-1015', message: `Too many refused callbacks; wait ${wait} s` } }));
      return true;
    }
    const failed = () => {
      perAddress.fail(address);
      inAll.fail('all');
    };
    const raw = await readBody(req, MAX_CALLBACK_BYTES);
    const requestId = header(req, 'request-id');
    const base = { direction: 'in' as const, method: 'POST', path: route.path, requestId, rawBody: raw ?? '' };
    const refuse = async (message: string, status = 400) => {
      failed();
      await recordExchange(db, { ...base, status, outcome: 'refused', error: message, keep: 'hash' });
      if (status === 413) {
        // The rest of the body is never read: close the connection once the answer is out.
        res.setHeader('Connection', 'close');
        res.on('finish', () => req.destroy());
      }
      reply(status, { error: { code: 'ABDM-1015', message } });
      return true;
    };
    if (raw === null) return refuse(`The body is over ${MAX_CALLBACK_BYTES} bytes`, 413);
    const auth = await verifier.verify(header(req, 'authorization'));
    if (!auth.ok) {
      // Not signed by the gateway: refused before anything else is read from it (hash and length kept).
      failed();
      await recordExchange(db, { ...base, status: 401, outcome: 'refused', error: auth.reason, keep: 'hash' });
      reply(401, { code: '900901', message: 'Invalid Credentials', description: auth.reason });
      return true;
    }
    const body = parseObject(raw);
    if (!body) return refuse('The body is not a JSON object');
    if (!requestId) return refuse('The REQUEST-ID header is required');
    if (!header(req, 'timestamp')) return refuse('The TIMESTAMP header is required');
    const hipId = header(req, 'x-hip-id');
    if (hipId && hipId !== config.hipId) return refuse(`X-HIP-ID ${hipId} is not this facility`);
    // A request the gateway makes of its own names the facility it is for (patient-share.yaml: required).
    if (!hipId && route.answers === null) return refuse('The X-HIP-ID header is required');
    const correlationId = route.correlate(body, requestId);
    if (!correlationId) {
      return refuse(route.correlationMissing ?? (route.answers === null ? 'the body is not this request' : 'response.requestId is required'));
    }
    const problem = route.check?.(body);
    if (problem) return refuse(problem);
    if (route.answers !== null && !waiting.has(correlationId) && !(await sentRequest(db, correlationId, route.answers))) {
      // Not an answer to anything we asked: kept in the trail (hash and length only), never acted on.
      failed();
      await recordExchange(db, { ...base, correlationId, status: route.ack, outcome: 'unmatched', keep: 'hash' });
      reply(route.ack);
      return true;
    }
    const claimed = await recordFirstHandling(db, { ...base, correlationId, status: route.ack, outcome: 'claimed', handledKey: `${route.kind}:${correlationId}` }, options.claimStaleMs ?? CLAIM_STALE_MS);
    let then: AfterAck = null;
    if (claimed !== null) {
      try {
        then = (await route.act(body, correlationId, requestId)) ?? null;
        await markHandled(db, claimed);
      } catch (e) {
        // Not acted on: give the claim back and answer 500, so the gateway's retry is acted on.
        const message = e instanceof Error ? e.message : String(e);
        await releaseHandling(db, claimed, `not acted on: ${message}`);
        reply(500, { error: { code: 'ABDM-1015', message: 'The callback could not be processed; send it again' } });
        return true;
      }
    } else if (route.again) {
      // A failure here only means the gateway's next redelivery is the next chance.
      then = await route.again(body, correlationId, requestId).catch(() => null);
    }
    reply(route.ack);
    if (then) {
      const p = then().catch(() => undefined);
      afterAck.add(p);
      void p.finally(() => afterAck.delete(p));
    }
    return true;
  }

  return {
    client,
    handle,
    awaitCallback,
    /** More callback routes (linking, discovery...: server/abdm/link.ts adds its own). */
    addRoutes(more: CallbackRoute[]): void {
      routes.push(...more);
    },
    /** The callback URL the gateway must be given for this bridge (the bridge URL at ABDM). */
    callbackBaseUrl: config.publicBaseUrl,
    /**
     * Asks the gateway for a link token for a patient and waits for its callback. The REQUEST-ID
     * is registered before the call, so a callback that beats the 202 still finds it.
     */
    async requestLinkToken(patient: LinkTokenRequest, requestId = randomUUID()): Promise<LinkTokenResult> {
      const timeoutMs = options.callbackTimeoutMs ?? 30_000;
      const wait = awaitCallback(requestId, timeoutMs);
      const body = {
        ...(patient.abhaNumber ? { abhaNumber: Number(patient.abhaNumber.replace(/\D/g, '')) } : {}),
        abhaAddress: patient.abhaAddress,
        name: patient.name,
        gender: patient.gender,
        yearOfBirth: patient.yearOfBirth,
      };
      const sent = await client.post(GENERATE_TOKEN_PATH, body, { requestId, headers: { 'X-HIP-ID': config.hipId } });
      if (!sent.ok) {
        wait.cancel();
        return { ok: false, requestId, code: sent.code, message: sent.message };
      }
      const callback = await wait.answer;
      if (!callback) return { ok: false, requestId, code: 'no_callback', message: `ABDM accepted the request but has not answered in ${Math.round(timeoutMs / 1000)} s; the answer is kept when it comes.` };
      return linkTokenResult(requestId, callback);
    },
    /** Waits until the work callbacks started in the background (acknowledgements, transfers) has finished. */
    idle: hi.idle,
    /** Waits for the work started after answering callbacks (the on-share calls) to finish. */
    async settled(): Promise<void> {
      while (afterAck.size > 0) await Promise.all([...afterAck]);
    },
    /** How many late callbacks are kept for takeArrived (bounded by MAX_ARRIVED, each ARRIVED_TTL_MS). */
    get arrivedCount(): number {
      return arrived.size;
    },
    /** A callback that came while nobody waited (e.g. after requestLinkToken gave up), taken once. */
    takeArrived(requestId: string): Record<string, unknown> | null {
      const kept = arrived.get(requestId);
      arrived.delete(requestId);
      return kept && kept.at + ARRIVED_TTL_MS > clock() ? kept.body : null;
    },
  };
}

export type AbdmBridge = ReturnType<typeof createAbdmBridge>;

function responseRequestId(body: Record<string, unknown>): string | null {
  const r = body.response;
  if (!r || typeof r !== 'object') return null;
  const id = (r as Record<string, unknown>).requestId;
  return typeof id === 'string' && id ? id : null;
}

function header(req: http.IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s && s.trim() ? s.trim() : null;
}

function parseObject(raw: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The body as text, or null as soon as it is known to pass `limit` bytes (by its Content-Length,
 * or while reading): the rest is not read (the gateway's callbacks are small; data pushes go elsewhere).
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) return resolve(null);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit) return void chunks.push(c);
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
