import { constants, createPublicKey, publicEncrypt, randomUUID, type KeyObject } from 'node:crypto';
import type { AbhaVerifyMethod, DeskAnswer, deskBodies } from '../../shared/abdm-desk';
import type { z } from 'zod';
import type { ServerDb } from '../db/open';
import { recordExchange } from './audit';
import { SANDBOX_ABHA_URL } from './config';
import { abdmError, type AbdmGatewayClient } from './gateway';
import { abhaProfileOf } from './abha-profile';
import { AbhaTxnStore } from './abha-txns';
import { recordVerification } from './verified-abha';

/**
 * ABHA verification by OTP (M1), asked by a reception desk through the server (desk-requests.ts).
 * Follows ABDM's ABHA v3 APIs as NHA publishes them (github.com/nha-in/docs, docs/ABDM.md "M1"):
 * an ABHA number logs in through /profile/login/* and reads /profile/account; an ABHA address
 * through the PHR web login /phr/web/login/abha/* and reads /phr/web/login/profile/abha-profile.
 * The login id and the OTP travel RSA-encrypted with ABDM's published key, with the padding the
 * certificate endpoint names. ABDM's txnId stays on the server (sealed in PostgreSQL, abha-txns.ts,
 * so any instance, or this one after a restart, finishes the transaction) and the user token in
 * this process for one call: the desk gets an opaque reference and, at the end, the profile.
 */
export const ABHA_PATHS = {
  certificate: '/abha/api/v3/profile/public/certificate',
  loginRequestOtp: '/abha/api/v3/profile/login/request/otp',
  loginVerify: '/abha/api/v3/profile/login/verify',
  account: '/abha/api/v3/profile/account',
  phrRequestOtp: '/abha/api/v3/phr/web/login/abha/request/otp',
  phrVerify: '/abha/api/v3/phr/web/login/abha/verify',
  phrProfile: '/abha/api/v3/phr/web/login/profile/abha-profile',
} as const;

/** The only transformation understood; another one named by ABDM is refused, not guessed at. */
export const ABHA_ENCRYPTION = 'RSA/ECB/OAEPWithSHA-1AndMGF1Padding';
/** "OTP will be valid for 10 Minutes only" (ABDM's M1 pages): the transaction is kept that long. */
export const ABHA_TXN_LIFETIME_MS = 10 * 60_000;
/** The public key is re-read after this (a rotation then heals itself). */
const CERT_TTL_MS = 60 * 60_000;

export const EXPIRED_MESSAGE = 'The OTP has expired; ask for a new one.';

type RequestOtp = z.output<(typeof deskBodies)['abha.requestOtp']>;
type VerifyOtp = z.output<(typeof deskBodies)['abha.verifyOtp']>;
export interface Asker {
  userId: string;
  deviceId: string;
  clinicId: string;
}

/** What a verification keeps between its two steps (sealed: abha-txns.ts). */
interface Txn {
  txnId: string;
  flow: 'profile' | 'phr';
  scope: string[];
  method: AbhaVerifyMethod;
}

export type Answer = { ok: true; status: number; body: Record<string, unknown> } | { ok: false; status: number | null; code: string; message: string };

export interface AbhaServiceOptions {
  /** The ABHA service's address (AbdmConfig.abhaUrl). */
  abhaUrl?: string;
  now?: () => number;
  timeoutMs?: number;
}

export class AbhaService {
  /** The transactions of both verification and enrolment (abha-create.ts), in PostgreSQL. */
  readonly txns: AbhaTxnStore;
  private cert: { key: KeyObject; until: number } | null = null;
  readonly now: () => number;
  private readonly baseUrl: string;

  constructor(
    private readonly client: AbdmGatewayClient,
    private readonly db: ServerDb,
    private readonly options: AbhaServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.baseUrl = (options.abhaUrl ?? client.config.abhaUrl ?? SANDBOX_ABHA_URL).replace(/\/+$/, '');
    this.txns = new AbhaTxnStore(db, client.config.clientSecret, this.now);
  }

  /** The consent manager's id, which is also the ABHA address's domain (name@sbx in the sandbox, name@abdm live). */
  get cmId(): string {
    return this.client.config.cmId;
  }

  /** Asks ABDM to send the patient an OTP; the desk gets a reference to the transaction, never its txnId. */
  async requestOtp(asker: Asker, input: RequestOtp): Promise<DeskAnswer> {
    const byNumber = input.by === 'abha-number';
    const verify = input.otpSystem === 'aadhaar' ? 'aadhaar-verify' : 'mobile-verify';
    const scope = [byNumber ? 'abha-login' : 'abha-address-login', verify];
    // "An ABHA number keeps its dashes, NN-NNNN-NNNN-NNNN" (NHA's M1 debug notes).
    const loginId = byNumber ? hyphenated(input.abhaNumber ?? '') : (input.abhaAddress ?? '').toLowerCase();
    const key = await this.publicKey();
    if (!key.ok) return key;
    const body = { scope, loginHint: byNumber ? 'abha-number' : 'abha-address', loginId: encrypt(key.key, loginId), otpSystem: input.otpSystem };
    const answer = await this.call('POST', byNumber ? ABHA_PATHS.loginRequestOtp : ABHA_PATHS.phrRequestOtp, body);
    if (!answer.ok) return refusal(answer);
    const txnId = answer.body.txnId;
    if (typeof txnId !== 'string' || !txnId) return { ok: false, code: 'abdm_answer', message: 'ABDM answered without a transaction id; ask for a new OTP.' };
    const method: AbhaVerifyMethod = `${input.by}-${input.otpSystem === 'aadhaar' ? 'aadhaar' : 'mobile'}-otp`;
    const expiresAt = this.now() + ABHA_TXN_LIFETIME_MS;
    const txnRef = await this.txns.open('verify', asker, 'otp', { txnId, flow: byNumber ? 'profile' : 'phr', scope, method }, expiresAt);
    const message = typeof answer.body.message === 'string' ? answer.body.message : 'OTP sent.';
    return { ok: true, value: { txnRef, message, expiresAt, method } };
  }

  /** Checks the OTP with ABDM and reads the profile with the user token (which is then forgotten). */
  async verifyOtp(asker: Asker, input: VerifyOtp): Promise<DeskAnswer> {
    const key = await this.publicKey();
    if (!key.ok) return key;
    // Takes one of the transaction's tries before ABDM sees the OTP (atomically: abha-txns.ts).
    const claimed = await this.txns.claim<Txn>('verify', asker, input.txnRef, 'otp');
    if (!claimed.ok) return claimed;
    const txn = claimed.state;
    const body = { scope: txn.scope, authData: { authMethods: ['otp'], otp: { txnId: txn.txnId, otpValue: encrypt(key.key, input.otp) } } };
    const answer = await this.call('POST', txn.flow === 'profile' ? ABHA_PATHS.loginVerify : ABHA_PATHS.phrVerify, body);
    if (!answer.ok) {
      const r = refusal(answer);
      // ABDM never judged the OTP (unreachable, another refusal): the try is not counted.
      await (r.code === 'expired' || r.code === 'too_many' ? this.txns.drop(input.txnRef, 'otp') : this.txns.giveBack(input.txnRef, 'otp'));
      return r;
    }
    const token = userToken(answer.body);
    if (answer.body.authResult !== 'success' || !token) {
      // A wrong OTP keeps the try it took.
      const said = typeof answer.body.message === 'string' && answer.body.message ? ` (ABDM: ${answer.body.message})` : '';
      return { ok: false, code: 'wrong_otp', message: `Wrong OTP${said}. Check the digits with the patient and try again.` };
    }
    await this.txns.drop(input.txnRef);
    const profile = await this.call('GET', txn.flow === 'profile' ? ABHA_PATHS.account : ABHA_PATHS.phrProfile, null, { 'X-token': `Bearer ${token}` });
    if (!profile.ok) return refusal(profile);
    const verifiedAt = this.now();
    const verified = abhaProfileOf(profile.body);
    // The server's own record of what it verified, by whom: only this makes the ABHA count for
    // linking and records (verified-abha.ts), once the patient row that claims it syncs.
    await recordVerification(this.db, { clinicId: asker.clinicId, abhaNumber: verified.abhaNumber, abhaAddress: verified.abhaAddress, verifiedAt, verifiedBy: asker.userId, deviceId: asker.deviceId, method: txn.method });
    return { ok: true, value: { method: txn.method, verifiedAt, profile: verified } };
  }

  /** How many OTP verifications are waiting (tests). */
  pending(): Promise<number> {
    return this.txns.pending('verify');
  }

  /** ABDM's key for encrypting login ids and OTPs, with the transformation it names checked. */
  /** (Also used by the enrolment, abha-create.ts.) */
  async publicKey(): Promise<{ ok: true; key: KeyObject } | { ok: false; code: string; message: string }> {
    if (this.cert && this.now() < this.cert.until) return { ok: true, key: this.cert.key };
    const answer = await this.call('GET', ABHA_PATHS.certificate, null);
    if (!answer.ok) return refusal(answer);
    const { publicKey, encryptionAlgorithm } = answer.body;
    if (encryptionAlgorithm !== ABHA_ENCRYPTION) {
      return { ok: false, code: 'abdm_encryption', message: `ABDM asks for encryption "${String(encryptionAlgorithm)}", which this server does not know; nothing was sent.` };
    }
    if (typeof publicKey !== 'string' || !publicKey) return { ok: false, code: 'abdm_answer', message: 'ABDM published no public key.' };
    try {
      // Bare base64 DER (no PEM armour), as the certificate endpoint gives it.
      const key = createPublicKey({ key: Buffer.from(publicKey.replace(/-----[^-]+-----|\s/g, ''), 'base64'), format: 'der', type: 'spki' });
      this.cert = { key, until: this.now() + CERT_TTL_MS };
      return { ok: true, key };
    } catch {
      return { ok: false, code: 'abdm_answer', message: 'ABDM published a public key that cannot be read.' };
    }
  }

  /**
   * One call to the ABHA service, audited in abdm_exchanges (redacted). Not retried on a 5xx or a
   * network failure: a repeated OTP request would send the patient a second OTP and count against
   * the transaction; the desk says so and the person asks again. A 401 (session token refused)
   * gets one new session and the same request again, as for the gateway.
   */
  async call(method: 'GET' | 'POST', path: string, body: unknown, extra: Record<string, string> = {}): Promise<Answer> {
    const requestId = randomUUID();
    let result = await this.attempt(method, path, body, requestId, extra, false);
    if (!result.ok && result.status === 401 && result.code !== 'ABDM-2401') result = await this.attempt(method, path, body, requestId, extra, true);
    return result;
  }

  private async attempt(method: 'GET' | 'POST', path: string, body: unknown, requestId: string, extra: Record<string, string>, renew: boolean): Promise<Answer> {
    if (renew) this.client.forgetSession();
    const token = await this.client.accessToken();
    if (!token.ok) return { ok: false, status: token.status, code: token.code, message: token.message };
    const text = body === null ? '' : JSON.stringify(body);
    let status: number | null = null;
    let raw = '';
    let failure: string | null = null;
    try {
      const res = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          'REQUEST-ID': requestId,
          TIMESTAMP: new Date(this.now()).toISOString(),
          'X-CM-ID': this.client.config.cmId,
          Authorization: `Bearer ${token.token}`,
          ...(body === null ? {} : { 'Content-Type': 'application/json' }),
          ...extra,
        },
        ...(body === null ? {} : { body: text }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      status = res.status;
      raw = await res.text();
    } catch (e) {
      failure = `network: ${(e as Error).message}`;
    }
    const parsed = parseObject(raw);
    const ok = status !== null && status >= 200 && status < 300 && parsed !== null;
    const err = ok ? null : status === null ? { code: 'unreachable', message: `ABDM could not be reached (${failure ?? 'no answer'}); try again.` } : abhaError(status, parsed);
    await recordExchange(this.db, {
      direction: 'out',
      method,
      path,
      requestId,
      attempt: renew ? 2 : 1,
      status,
      outcome: ok ? 'ok' : 'failed',
      rawBody: text,
      error: err ? `${err.code}: ${err.message}` : null,
    });
    if (ok) return { ok: true, status: status!, body: parsed };
    return { ok: false, status, ...err! };
  }
}

/**
 * ABDM's refusal as the reception desk should read it. The four shapes of NHA's M1 debug notes:
 * {error:{code,message}}, {code,message,timestamp}, {<field>: "Invalid …", timestamp} and the API
 * manager's {code: "9009xx", message, description}.
 */
export function abhaError(status: number, body: Record<string, unknown> | null): { code: string; message: string } {
  const coded = abdmError(body);
  if (coded) return coded;
  if (body) {
    const fields = Object.entries(body).filter(([k, v]) => k !== 'timestamp' && typeof v === 'string');
    if (fields.length > 0) return { code: `field:${fields[0]![0]}`, message: fields.map(([k, v]) => `${k}: ${String(v)}`).join('; ') };
  }
  return { code: `HTTP_${status}`, message: `ABDM answered ${status}.` };
}

/** The desk's message for a failed call. */
export function refusal(a: Extract<Answer, { ok: false }>): { ok: false; code: string; message: string } {
  const code = a.code;
  if (code === 'ABDM-1017' || code === 'field:txnId' || /transaction/i.test(a.message) && /invalid|expired/i.test(a.message)) return { ok: false, code: 'expired', message: EXPIRED_MESSAGE };
  if (code === 'ABDM-1100') return { ok: false, code: 'too_many', message: 'Too many OTPs or wrong tries for this patient: ABDM has locked this request. Ask for a new OTP later (ABDM says 30 minutes).' };
  if (code === 'ABDM-1013' || code === 'field:loginId') return { ok: false, code: 'unknown_abha', message: `ABDM does not recognise this ABHA (${a.message}). Check it with the patient's card.` };
  if (code === 'ABDM-1134' || code === 'ABDM-1407') return { ok: false, code: 'deactivated', message: 'This ABHA is deactivated; only the patient can reactivate it.' };
  if (code === 'ABDM-1022') return { ok: false, code: 'too_many', message: 'ABDM says too many requests; wait a minute and try again.' };
  if (code === 'unreachable') return { ok: false, code, message: a.message };
  return { ok: false, code: code.startsWith('field:') ? 'abdm_refused' : code, message: `ABDM refused: ${a.message}` };
}

function userToken(body: Record<string, unknown>): string | null {
  if (typeof body.token === 'string' && body.token) return body.token;
  const tokens = body.tokens;
  if (tokens && typeof tokens === 'object' && typeof (tokens as Record<string, unknown>).token === 'string') return (tokens as Record<string, string>).token ?? null;
  return null;
}

function hyphenated(abhaNumber: string): string {
  const d = abhaNumber.replace(/\D/g, '');
  return `${d.slice(0, 2)}-${d.slice(2, 6)}-${d.slice(6, 10)}-${d.slice(10, 14)}`;
}

/** RSA-OAEP with SHA-1 and MGF1-SHA-1 (Java's RSA/ECB/OAEPWithSHA-1AndMGF1Padding), base64. */
export function encrypt(key: KeyObject, text: string): string {
  return publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(text, 'utf8')).toString('base64');
}

function parseObject(raw: string): Record<string, unknown> | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
