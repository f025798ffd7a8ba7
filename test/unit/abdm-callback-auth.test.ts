import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { pushUrlProblem } from '../../server/abdm/health-info';
import { CallbackVerifier, CERTS_PATH } from '../../server/abdm/callback-auth';
import { createSimSigner, type SimSigner } from '../helpers/abdm-sim/jwt';

/**
 * The gateway's key rotation as the verifier sees it, against a real HTTP server publishing a JWKS:
 * a token signed with a new key is accepted once the keys are refetched, but a token naming an
 * unknown kid refetches at most once per 30 s, so forged kids cannot make us hammer the gateway.
 */
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

async function jwksServer(initial: SimSigner) {
  const state = { signers: [initial], fetches: 0 };
  const server = http.createServer((req, res) => {
    if (req.url !== CERTS_PATH) return void res.writeHead(404).end();
    state.fetches++;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: state.signers.flatMap((s) => s.jwks().keys) }));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, state };
}

describe('CallbackVerifier', () => {
  it('follows a key rotation, refetching for an unknown kid at most once per 30 s', async () => {
    const old = createSimSigner();
    const gateway = await jwksServer(old);
    let now = Date.now();
    const verifier = new CallbackVerifier({ gatewayUrl: gateway.url, cmId: 'sbx', now: () => now });
    expect(await verifier.verify(`Bearer ${old.token()}`)).toMatchObject({ ok: true });
    expect(await verifier.verify(`Bearer ${old.token()}`)).toMatchObject({ ok: true });
    expect(gateway.state.fetches).toBe(1);

    // The gateway rotates: the new key appears after our last fetch.
    const rotated = createSimSigner();
    gateway.state.signers = [rotated];
    now += 10_000;
    expect(await verifier.verify(`Bearer ${rotated.token()}`)).toMatchObject({ ok: false, reason: expect.stringContaining(rotated.kid) });
    expect(gateway.state.fetches).toBe(1); // within 30 s of the last fetch: not asked again
    now += 25_000;
    expect(await verifier.verify(`Bearer ${rotated.token()}`)).toMatchObject({ ok: true });
    expect(gateway.state.fetches).toBe(2);
    // The old key is gone from the set: its tokens no longer verify.
    expect(await verifier.verify(`Bearer ${old.token()}`)).toMatchObject({ ok: false });
  });

  it('checks iss and aud only when configured', async () => {
    const signer = createSimSigner();
    const gateway = await jwksServer(signer);
    const strict = new CallbackVerifier({ gatewayUrl: gateway.url, cmId: 'sbx', issuer: 'https://gateway.example/realms/central-registry', audience: 'IN2710001234' });
    expect(await strict.verify(`Bearer ${signer.token({ iss: 'https://gateway.example/realms/central-registry', aud: ['account', 'IN2710001234'] })}`)).toMatchObject({ ok: true });
    expect(await strict.verify(`Bearer ${signer.token({ iss: 'https://elsewhere.example', aud: 'IN2710001234' })}`)).toMatchObject({ ok: false, reason: expect.stringContaining('issuer') });
    expect(await strict.verify(`Bearer ${signer.token({ iss: 'https://gateway.example/realms/central-registry', aud: 'account' })}`)).toMatchObject({ ok: false, reason: expect.stringContaining('not meant for') });
    const lenient = new CallbackVerifier({ gatewayUrl: gateway.url, cmId: 'sbx' });
    expect(await lenient.verify(`Bearer ${signer.token({ iss: 'https://elsewhere.example' })}`)).toMatchObject({ ok: true });
    expect(await lenient.verify(`Bearer ${signer.token({ exp: undefined })}`)).toMatchObject({ ok: false, reason: 'The token has no expiry (exp)' });
  });

  it('refuses another ABDM client’s token signed by the same registry: only the gateway role is the gateway', async () => {
    const signer = createSimSigner();
    const gateway = await jwksServer(signer);
    const verifier = new CallbackVerifier({ gatewayUrl: gateway.url, cmId: 'sbx' });
    // An HIU's (or our own) session token: same signing key, its own client's roles.
    const hiuSession = signer.token({ sub: 'HIU_CITY_HOSPITAL', realm_access: { roles: ['hiu'] }, resource_access: { HIU_CITY_HOSPITAL: { roles: ['hiu'] } } });
    expect(await verifier.verify(`Bearer ${hiuSession}`)).toMatchObject({ ok: false, reason: expect.stringContaining('not the gateway') });
    expect(await verifier.verify(`Bearer ${signer.token({ realm_access: undefined })}`)).toMatchObject({ ok: false });
    expect(await verifier.verify(`Bearer ${signer.token({ realm_access: undefined, resource_access: { 'gateway-client': { roles: ['gateway'] } } })}`)).toMatchObject({ ok: true });
  });
});

describe('an HIU data-push address', () => {
  it('is https and never this network’s own machines (a forged request must not make the server post inside the clinic)', () => {
    expect(pushUrlProblem('https://hiu.example.in/data/push', false)).toBeNull();
    expect(pushUrlProblem('http://hiu.example.in/data/push', false)).toMatch(/https/);
    for (const inside of ['https://127.0.0.1/x', 'https://localhost:8443/x', 'https://10.1.2.3/x', 'https://192.168.1.20/x', 'https://172.20.0.4/x', 'https://169.254.169.254/latest', 'https://[::1]/x', 'https://[fd00::1]/x']) {
      expect(pushUrlProblem(inside, false), inside).toMatch(/this network/);
    }
    expect(pushUrlProblem('not a url', false)).toMatch(/https/);
    expect(pushUrlProblem('http://127.0.0.1:4000/push', true)).toBeNull();
  });
});
