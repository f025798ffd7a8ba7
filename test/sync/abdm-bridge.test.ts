import { asc, gt, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { CALLBACK_FAILURES_PER_ADDRESS, createAbdmBridge, GENERATE_TOKEN_PATH, ON_GENERATE_TOKEN_PATH, type AbdmBridgeOptions, type LinkTokenResult } from '../../server/abdm/bridge';
import type { AbdmConfig } from '../../server/abdm/config';
import { SESSIONS_PATH } from '../../server/abdm/gateway';
import { createSyncServer } from '../../server/app';
import { openServerDb, type OpenedServerDb } from '../../server/db/open';
import { abdmExchanges } from '../../server/db/schema';
import { startAbdmSim, type AbdmSim } from '../helpers/abdm-sim';
import { ADMIN_TOKEN, waitFor } from '../helpers/sync';

/**
 * The central server as the clinic's ABDM bridge, against the gateway simulator: both are real
 * HTTP servers on loopback, the bridge mounted on the sync server (PGlite) the way server/index.ts
 * mounts it, the simulator calling the sync server's callback URL.
 */
const CLIENT_ID = 'SBX_0000412';
const CLIENT_SECRET = 'c1ient-s3cret-never-logged';
const HIP_ID = 'IN2710001234';
const SITA = { abhaAddress: 'sita.devi@sbx', abhaNumber: '91-1234-5678-9012', name: 'Sita Devi', gender: 'F', yearOfBirth: 1988 };

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});
// One in-memory PGlite database for the file (migrated once; a data folder from tempDir would be
// removed under it after the first test).
let database: OpenedServerDb;
beforeAll(async () => {
  database = await openServerDb({});
}, 120_000);
afterAll(async () => {
  await database.close();
});

async function setup(options: AbdmBridgeOptions & { tokenTtlSeconds?: number } = {}) {
  const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, hipIds: [HIP_ID], abhaAddresses: [SITA.abhaAddress, 'ravi.kumar@sbx'], ...(options.tokenTtlSeconds ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}) });
  cleanups.push(() => sim.close());
  // Each test reads only the rows it made.
  const [{ last } = { last: 0 }] = await database.db.select({ last: sql<number>`coalesce(max(${abdmExchanges.id}), 0)::int` }).from(abdmExchanges);
  const config: AbdmConfig = { gatewayUrl: sim.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, cmId: 'sbx', hipId: HIP_ID, publicBaseUrl: 'https://clinic.example.in/abdm' };
  const tokens: LinkTokenResult[] = [];
  const bridge = createAbdmBridge(config, database.db, { backoffMs: 10, sleep: (ms) => new Promise((r) => setTimeout(r, ms)), onLinkToken: (t) => void tokens.push(t), ...options });
  const server = createSyncServer({ database, adminToken: ADMIN_TOKEN, abdm: bridge });
  const port = await server.listen(0);
  cleanups.push(() => server.close());
  // The public base URL's path (/abdm) prefixes the callback paths, as behind the clinic's proxy.
  sim.knobs.callbackBaseUrl = `http://127.0.0.1:${port}/abdm`;
  const exchanges = () => database.db.select().from(abdmExchanges).where(gt(abdmExchanges.id, last)).orderBy(asc(abdmExchanges.id));
  return { sim, bridge, tokens, exchanges, port };
}

const calls = (sim: AbdmSim, path: string) => sim.received.filter((r) => r.path === path);

describe('ABDM bridge against the gateway simulator', () => {
  it('gets a session token once, reuses it, and gets a new one when the gateway stops taking it', async () => {
    const { sim, bridge } = await setup();
    const first = await bridge.requestLinkToken(SITA);
    expect(first).toMatchObject({ ok: true, abhaAddress: SITA.abhaAddress });
    expect(first.ok && first.linkToken).toMatch(/^link\./);
    expect((await bridge.requestLinkToken({ ...SITA, abhaAddress: 'ravi.kumar@sbx', name: 'Ravi Kumar', gender: 'M' })).ok).toBe(true);
    expect(calls(sim, SESSIONS_PATH)).toHaveLength(1);
    const session = calls(sim, SESSIONS_PATH)[0]!;
    expect(session.status).toBe(202);
    expect(session.body).toEqual({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, grantType: 'client_credentials' });
    expect(session.headers['x-cm-id']).toBe('sbx');

    sim.expireTokens();
    const third = await bridge.requestLinkToken(SITA);
    expect(third.ok).toBe(true);
    expect(calls(sim, SESSIONS_PATH)).toHaveLength(2);
    // The refused call and its repeat after the new session: one request, one REQUEST-ID.
    const tokenCalls = calls(sim, GENERATE_TOKEN_PATH).filter((r) => r.headers['request-id'] === third.requestId);
    expect(tokenCalls.map((r) => r.status)).toEqual([401, 202]);
    expect(tokenCalls[0]!.headers.authorization).not.toBe(tokenCalls[1]!.headers.authorization);
  });

  it('gets a new session before the token expires, without a refused call', async () => {
    let now = Date.now();
    const { sim, bridge } = await setup({ now: () => now, tokenTtlSeconds: 1200 });
    expect((await bridge.requestLinkToken(SITA)).ok).toBe(true);
    now += 1150_000; // within the last minute of the token's 20
    expect((await bridge.requestLinkToken(SITA)).ok).toBe(true);
    expect(calls(sim, SESSIONS_PATH)).toHaveLength(2);
    expect(calls(sim, GENERATE_TOKEN_PATH).map((r) => r.status)).toEqual([202, 202]);
  });

  it('retries a 5xx with the same REQUEST-ID and a fresh TIMESTAMP, and audits each attempt', async () => {
    const { sim, bridge, exchanges } = await setup();
    await bridge.client.accessToken();
    sim.knobs.fail5xx = 2;
    const result = await bridge.requestLinkToken(SITA);
    expect(result.ok).toBe(true);
    const attempts = calls(sim, GENERATE_TOKEN_PATH);
    expect(attempts.map((a) => a.status)).toEqual([500, 500, 202]);
    expect(new Set(attempts.map((a) => a.headers['request-id']))).toEqual(new Set([result.requestId]));
    for (const a of attempts) {
      expect(a.headers['x-cm-id']).toBe('sbx');
      expect(a.headers['x-hip-id']).toBe(HIP_ID);
      expect(Date.parse(String(a.headers.timestamp))).toBeGreaterThan(0);
    }
    const out = (await exchanges()).filter((e) => e.direction === 'out' && e.requestId === result.requestId);
    expect(out.map((e) => [e.attempt, e.status, e.outcome])).toEqual([
      [1, 500, 'retrying'],
      [2, 500, 'retrying'],
      [3, 202, 'ok'],
    ]);
    expect(out[0]!.error).toBe('ABDM-9999: Unknown exception');
  });

  it('treats "duplicate request" on a retry as accepted when the first answer was lost after the gateway acted', async () => {
    const { sim, bridge, tokens } = await setup();
    sim.knobs.dropAfterProcessing = 1;
    const result = await bridge.requestLinkToken(SITA);
    expect(result.ok).toBe(true);
    expect(calls(sim, GENERATE_TOKEN_PATH).map((a) => a.status)).toEqual([0, 400]);
    await sim.idle();
    expect(tokens).toHaveLength(1);
  });

  it('gives up after the retries with a clear error, and refuses nothing it should not', async () => {
    const { sim, bridge } = await setup({ retries: 2 });
    await bridge.client.accessToken();
    sim.knobs.fail5xx = 5;
    const result = await bridge.requestLinkToken(SITA);
    expect(result).toMatchObject({ ok: false, code: 'ABDM-9999', message: 'Unknown exception' });
    expect(calls(sim, GENERATE_TOKEN_PATH)).toHaveLength(3);
    // A wrong body is not retried: the gateway's 400 comes back as it is.
    const bad = await bridge.requestLinkToken({ ...SITA, gender: 'female' });
    expect(bad).toMatchObject({ ok: false, code: 'ABDM-1006' });
    expect(calls(sim, GENERATE_TOKEN_PATH)).toHaveLength(3 + 2 + 1);
  });

  it('acts once on a callback the gateway sends three times', async () => {
    const { sim, bridge, tokens, exchanges } = await setup();
    sim.knobs.callbackCopies = 3;
    const result = await bridge.requestLinkToken(SITA);
    expect(result.ok).toBe(true);
    await sim.idle();
    expect(sim.callbacks.map((c) => c.status)).toEqual([200, 200, 200]);
    expect(tokens).toEqual([result]);
    const inbound = (await exchanges()).filter((e) => e.direction === 'in' && e.correlationId === result.requestId);
    expect(inbound.map((e) => e.outcome)).toEqual(['handled', 'duplicate', 'duplicate']);
    expect(inbound.every((e) => e.path === ON_GENERATE_TOKEN_PATH && e.status === 200)).toBe(true);
  });

  it('keeps a callback that comes after the wait gave up, once, and hands it over', async () => {
    const { sim, bridge, tokens } = await setup({ callbackTimeoutMs: 150 });
    sim.knobs.holdCallbacks = true;
    sim.knobs.callbackCopies = 2;
    const result = await bridge.requestLinkToken(SITA);
    expect(result).toMatchObject({ ok: false, code: 'no_callback' });
    expect(tokens).toHaveLength(0);
    await sim.releaseHeld();
    await waitFor(() => tokens.length === 1, 'the late link token');
    expect(tokens[0]).toMatchObject({ ok: true, requestId: result.requestId, abhaAddress: SITA.abhaAddress });
    expect(bridge.takeArrived(result.requestId)).toMatchObject({ response: { requestId: result.requestId } });
    expect(bridge.takeArrived(result.requestId)).toBeNull();
    expect(tokens).toHaveLength(1);
  });

  it('matches callbacks that come in the opposite order to their requests', async () => {
    const { sim, bridge } = await setup();
    await bridge.client.accessToken();
    sim.knobs.holdCallbacks = true;
    const sita = bridge.requestLinkToken(SITA);
    const ravi = bridge.requestLinkToken({ abhaAddress: 'ravi.kumar@sbx', name: 'Ravi Kumar', gender: 'M', yearOfBirth: 1979 });
    const unknown = bridge.requestLinkToken({ abhaAddress: 'nobody.here@sbx', name: 'No Body', gender: 'U', yearOfBirth: 2000 });
    await waitFor(() => sim.heldCount() === 3, 'three requests at the gateway');
    await sim.releaseHeld('reverse');
    expect(await sita).toMatchObject({ ok: true, abhaAddress: SITA.abhaAddress });
    expect(await ravi).toMatchObject({ ok: true, abhaAddress: 'ravi.kumar@sbx' });
    // The gateway's refusal, in the callback's error shape, reaches the caller as a value.
    expect(await unknown).toMatchObject({ ok: false, code: 'ABDM-1051', message: 'Invalid ABHA Number or ABHA Address' });
  });

  it('never acts on a callback answering a request it did not send, and refuses a malformed one in ABDM error shape', async () => {
    const { sim, bridge, tokens, exchanges, port } = await setup();
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`http://127.0.0.1:${port}/abdm${ON_GENERATE_TOKEN_PATH}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    // Signed with the gateway's key (the checks after the signature's are what this test is about).
    const headers = { 'REQUEST-ID': crypto.randomUUID(), TIMESTAMP: new Date().toISOString(), 'X-HIP-ID': HIP_ID, Authorization: `Bearer ${sim.signer.token()}` };
    const forged = await post(headers, { abhaAddress: SITA.abhaAddress, linkToken: 'forged', response: { requestId: crypto.randomUUID() } });
    expect(forged.status).toBe(200);
    expect(tokens).toHaveLength(0);
    const noCorrelation = await post(headers, { abhaAddress: SITA.abhaAddress, linkToken: 'x' });
    expect(noCorrelation.status).toBe(400);
    expect(await noCorrelation.json()).toEqual({ error: { code: 'ABDM-1015', message: 'response.requestId is required' } });
    const otherHip = await post({ ...headers, 'X-HIP-ID': 'IN0000000000' }, { response: { requestId: crypto.randomUUID() } });
    expect(otherHip.status).toBe(400);
    expect((await exchanges()).map((e) => e.outcome)).toEqual(['unmatched', 'refused', 'refused']);
    expect(bridge.takeArrived(headers['REQUEST-ID'])).toBeNull();
  });

  it('audits every exchange both ways with secrets, tokens and link tokens redacted', async () => {
    const { sim, bridge, exchanges } = await setup();
    sim.knobs.fail5xx = 1;
    const result = await bridge.requestLinkToken(SITA);
    expect(result.ok).toBe(true);
    await sim.idle();
    const rows = await exchanges();
    expect(rows.map((r) => [r.direction, r.path, r.outcome])).toEqual([
      ['out', SESSIONS_PATH, 'retrying'],
      ['out', SESSIONS_PATH, 'ok'],
      ['out', GENERATE_TOKEN_PATH, 'ok'],
      ['in', ON_GENERATE_TOKEN_PATH, 'handled'],
    ]);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(CLIENT_SECRET);
    expect(everything).not.toContain(result.ok ? result.linkToken : 'unreachable');
    expect(everything).not.toMatch(/sim\.[0-9a-f-]{36}/); // no session token
    expect(JSON.parse(rows[1]!.redactedBody!)).toEqual({ clientId: CLIENT_ID, clientSecret: '[redacted]', grantType: 'client_credentials' });
    expect(JSON.parse(rows[3]!.redactedBody!)).toEqual({ abhaAddress: SITA.abhaAddress, linkToken: '[redacted]', response: { requestId: result.requestId } });
    // The session body is the client secret in a short fixed text: its hash would let anyone check a guess.
    expect(rows.filter((r) => r.path === SESSIONS_PATH).map((r) => r.bodySha256)).toEqual([null, null]);
    expect(rows.filter((r) => r.path !== SESSIONS_PATH).every((r) => /^[0-9a-f]{64}$/.test(r.bodySha256 ?? ''))).toBe(true);
    expect(rows[3]!.requestId).toBe(sim.callbacks[0]!.requestId);
  });

  it('reports wrong client credentials as a value without retrying them', async () => {
    const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    cleanups.push(() => sim.close());
    const bridge = createAbdmBridge({ gatewayUrl: sim.url, clientId: CLIENT_ID, clientSecret: 'wrong', cmId: 'sbx', hipId: HIP_ID, publicBaseUrl: 'https://clinic.example.in' }, database.db, { backoffMs: 1 });
    expect(await bridge.requestLinkToken(SITA)).toMatchObject({ ok: false, code: '900901', message: expect.stringContaining('Invalid Credentials') });
    expect(calls(sim, SESSIONS_PATH)).toHaveLength(1);
    expect(calls(sim, GENERATE_TOKEN_PATH)).toHaveLength(0);
  });

  it('keeps a flood of unsigned callbacks as hashes only, refused with 401, and stops recording them past the limit', async () => {
    const { tokens, exchanges, port } = await setup();
    const filler = 'x'.repeat(50_000);
    const statuses: number[] = [];
    for (let i = 0; i < CALLBACK_FAILURES_PER_ADDRESS + 10; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/abdm${ON_GENERATE_TOKEN_PATH}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'REQUEST-ID': crypto.randomUUID(), TIMESTAMP: new Date().toISOString() },
        body: JSON.stringify({ abhaAddress: 'someone@sbx', linkToken: 'forged', filler, response: { requestId: crypto.randomUUID() } }),
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, CALLBACK_FAILURES_PER_ADDRESS).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(CALLBACK_FAILURES_PER_ADDRESS).every((s) => s === 429)).toBe(true);
    const rows = await exchanges();
    expect(rows).toHaveLength(CALLBACK_FAILURES_PER_ADDRESS);
    expect(rows.every((r) => r.outcome === 'refused' && r.status === 401 && /^[0-9a-f]{64}$/.test(r.bodySha256 ?? ''))).toBe(true);
    // No body, only its length.
    expect(JSON.stringify(rows)).not.toContain('someone@sbx');
    expect(JSON.parse(rows[0]!.redactedBody!)).toEqual({ notKept: expect.stringMatching(/^\d+ bytes$/) });
    expect(tokens).toHaveLength(0);
  });

  it('answers 413 to a callback over 1 MB without reading the rest of it, and stores none of it', async () => {
    const { exchanges, port } = await setup();
    // Chunked, so only reading tells the size; the client never ends the body.
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/abdm${ON_GENERATE_TOKEN_PATH}`, headers: { 'Content-Type': 'application/json', 'REQUEST-ID': crypto.randomUUID(), TIMESTAMP: new Date().toISOString() } });
      const timer = setTimeout(() => reject(new Error('no answer while the body was still coming')), 5_000);
      req.on('response', (res) => {
        clearTimeout(timer);
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', () => undefined);
      req.write(`{"filler": "${'y'.repeat(1_500_000)}`);
    });
    expect(status).toBe(413);
    const rows = await exchanges();
    expect(rows.map((r) => [r.outcome, r.status, r.redactedBody])).toEqual([['refused', 413, null]]);
  });

  it('acts on the gateway\'s retry when acting on the first copy failed', async () => {
    let fails = 1;
    const tokens: LinkTokenResult[] = [];
    const { sim, bridge, exchanges } = await setup({
      onLinkToken: (t) => {
        if (fails-- > 0) throw new Error('the patient store is busy');
        tokens.push(t);
      },
    });
    sim.knobs.callbackCopies = 2;
    const result = await bridge.requestLinkToken(SITA);
    expect(result.ok).toBe(true);
    await sim.idle();
    expect(sim.callbacks.map((c) => c.status)).toEqual([500, 200]);
    expect(tokens).toEqual([result]);
    const inbound = (await exchanges()).filter((e) => e.direction === 'in');
    expect(inbound.map((e) => e.outcome)).toEqual(['failed', 'handled']);
  });

  it('matches a callback only to a request of its own kind, not to a session request', async () => {
    const { sim, bridge, tokens, exchanges, port } = await setup();
    await bridge.client.accessToken();
    const session = (await exchanges()).find((e) => e.path === SESSIONS_PATH)!;
    const res = await fetch(`http://127.0.0.1:${port}/abdm${ON_GENERATE_TOKEN_PATH}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'REQUEST-ID': crypto.randomUUID(), TIMESTAMP: new Date().toISOString(), Authorization: `Bearer ${sim.signer.token()}` },
      body: JSON.stringify({ abhaAddress: SITA.abhaAddress, linkToken: 'forged', response: { requestId: session.requestId } }),
    });
    expect(res.status).toBe(200);
    expect(tokens).toHaveLength(0);
    expect((await exchanges()).filter((e) => e.direction === 'in').map((e) => e.outcome)).toEqual(['unmatched']);
  });

  it('acts on a later copy of a callback whose claim was never handled (the server stopped mid-way), but not on one another worker claimed just now', async () => {
    const { sim, bridge, tokens, exchanges } = await setup({ callbackTimeoutMs: 150 });
    sim.knobs.holdCallbacks = true;
    const lost = await bridge.requestLinkToken(SITA);
    const busy = await bridge.requestLinkToken({ ...SITA, abhaAddress: 'ravi.kumar@sbx', name: 'Ravi Kumar', gender: 'M' });
    expect([lost.ok, busy.ok]).toEqual([false, false]);
    // What a server that died between claiming and acting leaves behind (ten minutes ago), and a
    // claim another instance made a moment ago and is still acting on.
    const claim = (requestId: string, at: Date) => ({ direction: 'in' as const, method: 'POST', path: ON_GENERATE_TOKEN_PATH, requestId: crypto.randomUUID(), correlationId: requestId, status: 200, outcome: 'claimed', handledKey: `on-generate-token:${requestId}`, at });
    await database.db.insert(abdmExchanges).values([claim(lost.requestId, new Date(Date.now() - 10 * 60_000)), claim(busy.requestId, new Date())]);
    await sim.releaseHeld();
    await sim.idle();
    await waitFor(() => tokens.length === 1, 'the lost callback acted on');
    expect(tokens.map((t) => t.requestId)).toEqual([lost.requestId]);
    const inbound = (await exchanges()).filter((e) => e.direction === 'in');
    const of = (id: string) => inbound.filter((e) => e.correlationId === id).map((e) => e.outcome);
    expect(of(lost.requestId)).toEqual(['abandoned', 'handled']);
    expect(of(busy.requestId)).toEqual(['claimed', 'duplicate']);
  });

  it('keeps late callbacks for a while only, and at most a bounded number', async () => {
    let now = Date.now();
    const { sim, bridge } = await setup({ callbackTimeoutMs: 100, now: () => now });
    sim.knobs.holdCallbacks = true;
    const first = await bridge.requestLinkToken(SITA);
    await sim.releaseHeld();
    await waitFor(() => bridge.arrivedCount === 1, 'the late callback kept');
    // Eleven minutes on, nobody took it: it is gone when the next one comes, and not handed out.
    now += 11 * 60_000;
    const second = await bridge.requestLinkToken({ ...SITA, abhaAddress: 'ravi.kumar@sbx', name: 'Ravi Kumar', gender: 'M' });
    await sim.releaseHeld();
    await waitFor(() => bridge.takeArrived(second.requestId) !== null, 'the second late callback');
    expect(bridge.takeArrived(first.requestId)).toBeNull();
    expect(bridge.arrivedCount).toBe(0);
  });
});
