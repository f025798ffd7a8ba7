import type { DeskAnswer } from '../../shared/abdm-desk';
import type { AbdmConfig } from './config';
import type { AbdmGatewayClient } from './gateway';
import type { SmsSender } from './sms';

/**
 * "Check connection" on the Facility screen (docs/ABDM.md "ABDM settings and connection check"),
 * asked by an administrator over the desk channel: what the server is configured with (from its
 * environment; never the client secret) and whether a gateway session can be had NOW, or why not.
 */

/** The settings a desk may see: everything but the secret. */
export function visibleSettings(config: AbdmConfig) {
  return {
    gatewayUrl: config.gatewayUrl,
    clientId: config.clientId,
    hipId: config.hipId,
    cmId: config.cmId,
    publicBaseUrl: config.publicBaseUrl,
    /** Where ABDM posts a Scan & Share, as an example of the callback addresses. */
    shareCallbackUrl: `${config.publicBaseUrl}/api/v3/hip/patient/share`,
    clinicId: config.clinicId ?? null,
    abhaUrl: config.abhaUrl ?? null,
  };
}

/** Why the gateway could not call this server back, or null: ABDM calls only https addresses. */
function callbackProblem(publicBaseUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(publicBaseUrl);
  } catch {
    return `ABDM_PUBLIC_BASE_URL "${publicBaseUrl}" is not an address.`;
  }
  if (url.protocol !== 'https:') return `The callback address ${publicBaseUrl} is not https: ABDM calls back only https addresses (set ABDM_PUBLIC_BASE_URL).`;
  if (/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(url.hostname)) return `The callback address ${publicBaseUrl} is on this network: ABDM cannot reach it from the internet.`;
  return null;
}

/**
 * Gets a new gateway session now (the kept one is dropped first, so a stale token cannot hide bad
 * credentials) and answers ok, or the reason: bad credentials, gateway unreachable, the gateway's
 * own error; a callback address the gateway cannot use is reported even when the session works.
 */
export async function checkConnection(client: AbdmGatewayClient | null, config: AbdmConfig | null, sms: SmsSender | null = null): Promise<DeskAnswer> {
  // Whether patients linking from their PHR app can get the OTP; the key is never part of it.
  const smsSettings = sms ? { configured: true as const, ...sms.settings } : { configured: false as const };
  const smsProblem = sms ? null : 'No SMS sender is configured (MSG91_AUTH_KEY and the rest): patients cannot link their records from their ABHA app, as the OTP cannot be sent.';
  if (!client || !config) {
    return { ok: true, value: { configured: false, settings: null, sms: smsSettings, session: 'off', problems: ['ABDM is not configured on the clinic server (ABDM_CLIENT_ID is not set).'] } };
  }
  const problems: string[] = [];
  const started = Date.now();
  client.forgetSession();
  const token = await client.accessToken();
  let session: 'ok' | 'bad_credentials' | 'unreachable' | 'gateway_error';
  if (token.ok) session = 'ok';
  else if (token.status === 401 || token.status === 403) {
    session = 'bad_credentials';
    problems.push(`The gateway refused the client id ${config.clientId} and its secret (${token.status}${token.code ? `, ${token.code}` : ''}): check ABDM_CLIENT_ID and ABDM_CLIENT_SECRET.`);
  } else if (token.status === null) {
    session = 'unreachable';
    problems.push(`The gateway ${config.gatewayUrl} could not be reached from the clinic server: ${token.message}`);
  } else {
    session = 'gateway_error';
    problems.push(`The gateway answered the session request with ${token.status}: ${token.code} ${token.message}`);
  }
  const callback = callbackProblem(config.publicBaseUrl);
  if (callback) problems.push(callback);
  if (smsProblem) problems.push(smsProblem);
  return { ok: true, value: { configured: true, settings: visibleSettings(config), sms: smsSettings, session, problems, tookMs: Date.now() - started, checkedAt: Date.now() } };
}
