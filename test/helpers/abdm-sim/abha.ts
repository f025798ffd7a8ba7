/**
 * The ABHA service's M1 login endpoints in the ABDM simulator (registered by one line in index.ts),
 * as NHA publishes them (github.com/nha-in/docs: the M1 build skill's journeys
 * m1-login-abha-number-mobile-otp, m1-login-abha-number-aadhaar-otp, m1-login-abha-address-*,
 * the certificate page m1-get-public-certificate.md, and the M1 debug notes' error shapes):
 *
 * - GET /abha/api/v3/profile/public/certificate -> {publicKey (bare base64 DER), encryptionAlgorithm}
 * - POST /abha/api/v3/profile/login/request/otp, /abha/api/v3/phr/web/login/abha/request/otp
 *   {scope, loginHint, loginId (encrypted), otpSystem} -> {txnId, message}
 * - POST /abha/api/v3/profile/login/verify, /abha/api/v3/phr/web/login/abha/verify
 *   {scope, authData:{authMethods:["otp"], otp:{txnId, otpValue (encrypted)}}} -> token(s)
 * - GET /abha/api/v3/profile/account, /abha/api/v3/phr/web/login/profile/abha-profile with X-token
 *
 * A fixed RSA key pair (one per test process) is published and used to DECRYPT what arrives, with
 * OAEP/SHA-1 as the certificate names: a value encrypted any other way is refused, as ABDM does.
 */
import { constants, generateKeyPairSync, privateDecrypt, randomUUID, type KeyObject } from 'node:crypto';
import type http from 'node:http';
import { enrolSim, type SimAadhaarPerson } from './abha-enrol';

export interface SimAbhaAccount {
  /** Hyphenated, as ABDM writes it: 91-1234-5678-9012. */
  abhaNumber: string;
  abhaAddress: string;
  firstName: string;
  middleName?: string;
  lastName: string;
  gender: 'M' | 'F' | 'O';
  dayOfBirth: string;
  monthOfBirth: string;
  yearOfBirth: string;
  mobile: string;
  address: string;
  districtName: string;
  stateName: string;
  pincode: string;
}

/** Sita Devi's ABHA as the simulator holds it: the account the ABDM tests verify, link and share. */
export const SITA_ABHA: SimAbhaAccount = {
  abhaNumber: '91-1234-5678-9012',
  abhaAddress: 'sita.devi@sbx',
  firstName: 'Sita',
  lastName: 'Devi',
  gender: 'F',
  dayOfBirth: '14',
  monthOfBirth: '11',
  yearOfBirth: '1988',
  mobile: '9876504321',
  address: '12 MG Road, Kothrud',
  districtName: 'PUNE',
  stateName: 'MAHARASHTRA',
  pincode: '411038',
};

type Answer = (req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, status: number, payload?: unknown) => void;
type Problem = (req: http.IncomingMessage) => [number, unknown] | null;

let keys: { publicKey: KeyObject; privateKey: KeyObject } | null = null;
/** One key pair per test process (2048 bits: ABDM's is 4096, which takes seconds to make). */
function simKeys() {
  return (keys ??= generateKeyPairSync('rsa', { modulusLength: 2048 }));
}

const ENCRYPTION = 'RSA/ECB/OAEPWithSHA-1AndMGF1Padding';
const SCOPES = new Set(['abha-login,mobile-verify', 'abha-login,aadhaar-verify', 'abha-address-login,mobile-verify', 'abha-address-login,aadhaar-verify']);
const stamp = () => new Date().toISOString().replace('T', ' ').slice(0, 19);
const err = (code: string, message: string) => ({ error: { code, message } });

interface Txn {
  account: SimAbhaAccount;
  scope: string;
  flow: 'profile' | 'phr';
  expiresAt: number;
  wrong: number;
}

// Long by design: one closure holds the M1 state (accounts, transactions, user tokens) and its routes.
export function abhaSim(accounts: SimAbhaAccount[], answer: Answer, authProblem: Problem, people: SimAadhaarPerson[] = []) {
  const txns = new Map<string, Txn>();
  const userTokens = new Map<string, { account: SimAbhaAccount; flow: 'profile' | 'phr' }>();
  const sends = new Map<string, number>();
  const state = {
    /** The OTP every request "sends". */
    otp: '123456',
    otpTtlMs: 10 * 60_000,
    /** Wrong OTPs a transaction takes before ABDM-1100. */
    maxWrong: 3,
    /** OTP requests per account before ABDM-1100 ("You have requested multiple OTPs"). */
    maxSends: 5,
    /** Every plaintext the simulator decrypted (login ids and OTPs), for assertions. */
    decrypted: [] as string[],
    /** Expires every open transaction now. */
    expireAll() {
      for (const t of txns.values()) t.expiresAt = 0;
    },
  };

  const decrypt = (value: unknown): string | null => {
    if (typeof value !== 'string') return null;
    try {
      const text = privateDecrypt({ key: simKeys().privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(value, 'base64')).toString('utf8');
      state.decrypted.push(text);
      return text;
    } catch {
      return null;
    }
  };

  const enrol = enrolSim({ accounts, people, answer, decrypt, state });

  function requestOtp(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: Record<string, unknown>, flow: 'profile' | 'phr') {
    const scope = Array.isArray(body.scope) ? body.scope.join(',') : '';
    const hint = flow === 'profile' ? 'abha-number' : 'abha-address';
    if (!SCOPES.has(scope) || (flow === 'profile') !== scope.startsWith('abha-login,')) return answer(req, res, path, body, 400, { scope: 'Invalid Scope', timestamp: stamp() });
    if (body.loginHint !== hint) return answer(req, res, path, body, 400, { loginHint: 'Invalid Login Hint', timestamp: stamp() });
    const otpSystem = scope.endsWith('aadhaar-verify') ? 'aadhaar' : 'abdm';
    if (body.otpSystem !== otpSystem) return answer(req, res, path, body, 400, { otpSystem: 'Invalid OTP System', timestamp: stamp() });
    const loginId = decrypt(body.loginId);
    if (loginId === null) return answer(req, res, path, body, 400, { loginId: 'Invalid LoginId', timestamp: stamp() });
    if (flow === 'profile' && !/^\d{2}-\d{4}-\d{4}-\d{4}$/.test(loginId)) return answer(req, res, path, body, 400, { loginId: 'LoginId is invalid', timestamp: stamp() });
    const account = accounts.find((a) => (flow === 'profile' ? a.abhaNumber === loginId : a.abhaAddress === loginId));
    if (!account) return answer(req, res, path, body, 400, err('ABDM-1013', flow === 'profile' ? 'Invalid ABHA Number' : 'Invalid ABHA Address'));
    const sent = (sends.get(account.abhaNumber) ?? 0) + 1;
    sends.set(account.abhaNumber, sent);
    if (sent > state.maxSends) return answer(req, res, path, body, 400, err('ABDM-1100', 'You have requested multiple OTPs Or Exceeded maximum number of attempts for OTP match in this transaction. Please try again in 30 minutes.'));
    const txnId = randomUUID();
    txns.set(txnId, { account, scope, flow, expiresAt: Date.now() + state.otpTtlMs, wrong: 0 });
    const ending = account.mobile.slice(-4);
    return answer(req, res, path, body, 200, { txnId, message: `OTP sent to ${otpSystem === 'aadhaar' ? 'Aadhaar registered mobile' : 'mobile'} number ending with ******${ending}` });
  }

  function verify(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: Record<string, unknown>, flow: 'profile' | 'phr') {
    const scope = Array.isArray(body.scope) ? body.scope.join(',') : '';
    const authData = (body.authData ?? {}) as { authMethods?: unknown; otp?: { txnId?: unknown; otpValue?: unknown } };
    if (!Array.isArray(authData.authMethods) || authData.authMethods.join() !== 'otp' || !authData.otp) return answer(req, res, path, body, 400, { authData: 'Invalid Auth Data', timestamp: stamp() });
    const txn = typeof authData.otp.txnId === 'string' ? txns.get(authData.otp.txnId) : undefined;
    if (!txn || txn.flow !== flow || Date.now() >= txn.expiresAt) return answer(req, res, path, body, 400, { txnId: 'Invalid Transaction Id', timestamp: stamp() });
    if (txn.scope !== scope) return answer(req, res, path, body, 400, { scope: 'Invalid Scope', timestamp: stamp() });
    const otp = decrypt(authData.otp.otpValue);
    if (otp === null || !/^\d{6}$/.test(otp)) return answer(req, res, path, body, 400, { otpValue: 'Invalid OTP Value', timestamp: stamp() });
    if (otp !== state.otp) {
      txn.wrong++;
      if (txn.wrong >= state.maxWrong) {
        txns.delete(String(authData.otp.txnId));
        return answer(req, res, path, body, 400, err('ABDM-1100', 'You have requested multiple OTPs Or Exceeded maximum number of attempts for OTP match in this transaction. Please try again in 30 minutes.'));
      }
      return answer(req, res, path, body, 200, { txnId: authData.otp.txnId, authResult: 'failed', message: 'Entered OTP is incorrect. Kindly re-enter valid OTP.', accounts: [] });
    }
    txns.delete(String(authData.otp.txnId));
    const token = `sim.user.${randomUUID()}`;
    userTokens.set(token, { account: txn.account, flow });
    const tokens = { token, expiresIn: 1800, refreshToken: `sim.refresh.${randomUUID()}`, refreshExpiresIn: 1296000 };
    if (flow === 'profile') {
      const a = txn.account;
      return answer(req, res, path, body, 200, { txnId: authData.otp.txnId, authResult: 'success', message: 'OTP verified successfully', ...tokens, accounts: [{ ABHANumber: a.abhaNumber, preferredAbhaAddress: a.abhaAddress, name: fullName(a), status: 'ACTIVE' }] });
    }
    return answer(req, res, path, body, 200, { message: 'OTP verified successfully', authResult: 'success', users: [{ abhaAddress: txn.account.abhaAddress, fullName: fullName(txn.account) }], tokens });
  }

  function profile(req: http.IncomingMessage, res: http.ServerResponse, path: string, flow: 'profile' | 'phr') {
    const held = userTokens.get(String(req.headers['x-token'] ?? '').replace(/^Bearer /, ''));
    if (!held || held.flow !== flow) return answer(req, res, path, null, 401, err('ABDM-2401', 'Invalid X-Token'));
    const a = held.account;
    const common = { firstName: a.firstName, middleName: a.middleName ?? '', lastName: a.lastName, dayOfBirth: a.dayOfBirth, monthOfBirth: a.monthOfBirth, yearOfBirth: a.yearOfBirth, gender: a.gender, mobile: a.mobile, address: a.address, stateName: a.stateName, districtName: a.districtName, status: 'ACTIVE' };
    if (flow === 'profile') return answer(req, res, path, null, 200, { ABHANumber: a.abhaNumber, preferredAbhaAddress: a.abhaAddress, name: fullName(a), ...common, pincode: a.pincode, kycVerified: true });
    return answer(req, res, path, null, 200, { abhaAddress: a.abhaAddress, fullName: fullName(a), abhaNumber: a.abhaNumber, ...common, pinCode: a.pincode, kycStatus: 'VERIFIED' });
  }

  /** Serves an ABHA path; false when the path is not one of these. */
  function route(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown): boolean {
    if (!path.startsWith('/abha/api/v3/')) return false;
    const auth = authProblem(req);
    if (auth) {
      answer(req, res, path, body, ...auth);
      return true;
    }
    const b = (body ?? {}) as Record<string, unknown>;
    const get = req.method === 'GET';
    if (get && path === '/abha/api/v3/profile/public/certificate') {
      const publicKey = simKeys().publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
      answer(req, res, path, body, 200, { publicKey, encryptionAlgorithm: ENCRYPTION });
    } else if (!get && path === '/abha/api/v3/profile/login/request/otp') requestOtp(req, res, path, b, 'profile');
    else if (!get && path === '/abha/api/v3/phr/web/login/abha/request/otp') requestOtp(req, res, path, b, 'phr');
    else if (!get && path === '/abha/api/v3/profile/login/verify') verify(req, res, path, b, 'profile');
    else if (!get && path === '/abha/api/v3/phr/web/login/abha/verify') verify(req, res, path, b, 'phr');
    else if (get && path === '/abha/api/v3/profile/account') profile(req, res, path, 'profile');
    else if (get && path === '/abha/api/v3/phr/web/login/profile/abha-profile') profile(req, res, path, 'phr');
    else return enrol.route(req, res, path, b);
    return true;
  }

  return { route, state, enrol: enrol.api };
}

function fullName(a: SimAbhaAccount): string {
  return [a.firstName, a.middleName, a.lastName].filter(Boolean).join(' ');
}
