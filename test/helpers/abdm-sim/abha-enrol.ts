/**
 * ABHA creation (enrolment) by Aadhaar OTP in the ABDM simulator, as NHA publishes it
 * (github.com/nha-in/docs: the M1 skill's journey `m1-create-aadhaar-otp` in
 * plugins/abdm-integrators-assistant/skills/abdm-m1/references/scaffold.md, ABHAProfile's fields
 * from catalogue/openapi/.raw/nha-2026-09-01/abha/abha-api-v3.yaml):
 *
 * - POST /abha/api/v3/enrollment/request/otp {txnId, scope: ["abha-enrol"], loginHint: "aadhaar", loginId: enc, otpSystem: "aadhaar"}
 *   and, for a mobile that is not Aadhaar's, {txnId, scope: ["abha-enrol", "mobile-verify"], loginHint: "mobile", loginId: enc, otpSystem: "abdm"}
 * - POST /abha/api/v3/enrollment/enrol/byAadhaar {authData: {authMethods: ["otp"], otp: {txnId, otpValue: enc, mobile}}, consent: {code, version}}
 *   -> {message, txnId, tokens, ABHAProfile, isNew}
 * - POST /abha/api/v3/enrollment/auth/byAbdm {scope, authData: {authMethods: ["otp"], otp: {txnId, otpValue: enc}}} -> {txnId, authResult, accounts}
 * - GET /abha/api/v3/enrollment/enrol/suggestion (TRANSACTION_ID header) -> {txnId, abhaAddressList}
 * - POST /abha/api/v3/enrollment/enrol/abha-address {txnId, abhaAddress, preferred} -> {txnId, healthIdNumber, preferredAbhaAddress}
 *
 * UIDAI's refusals (wrong Aadhaar OTP, unknown Aadhaar number) come as ABDM-1204 "UIDAI Error
 * code : <n> : …"; which UIDAI numbers the sandbox gives is not published, these are the simulator's.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { SimAbhaAccount } from './abha';

/** A person UIDAI knows, with (optionally) the ABHA they already have. */
export interface SimAadhaarPerson {
  aadhaar: string;
  /** The mobile linked to the Aadhaar (where UIDAI sends the OTP). */
  mobile: string;
  firstName: string;
  lastName: string;
  gender: 'M' | 'F' | 'O';
  /** dd-mm-yyyy, as ABHAProfile.dob. */
  dob: string;
  address: string;
  districtName: string;
  stateName: string;
  pincode: string;
  /** Set when this person already has an ABHA (byAadhaar then answers isNew: false). */
  abha?: SimAbhaAccount;
}

type Answer = (req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, status: number, payload?: unknown) => void;
interface EnrolTxn {
  person: SimAadhaarPerson;
  stage: 'aadhaar-otp' | 'mobile-pending' | 'mobile-otp' | 'address';
  expiresAt: number;
  wrong: number;
  mobile: string;
  account?: SimAbhaAccount;
}

const stamp = () => new Date().toISOString().replace('T', ' ').slice(0, 19);
const err = (code: string, message: string) => ({ error: { code, message } });
const LOCKED = 'You have requested multiple OTPs Or Exceeded maximum number of attempts for OTP match in this transaction. Please try again in 30 minutes.';

/** 14 digits starting 91 whose last is the Luhn check digit (what real ABHA numbers pass). */
function newAbhaNumber(): string {
  const body = `91${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  const n = body + String((10 - (sum % 10)) % 10);
  return `${n.slice(0, 2)}-${n.slice(2, 6)}-${n.slice(6, 10)}-${n.slice(10)}`;
}

// Long by design: one closure holds the enrolment state and its five routes.
export function enrolSim(ctx: { accounts: SimAbhaAccount[]; people: SimAadhaarPerson[]; answer: Answer; decrypt: (v: unknown) => string | null; state: { otp: string; otpTtlMs: number; maxWrong: number } }) {
  const { accounts, people, answer, decrypt, state } = ctx;
  const txns = new Map<string, EnrolTxn>();
  const api = {
    /** The mobile OTP (for a mobile that is not Aadhaar's). */
    mobileOtp: '654321',
    /** ABHAs made, in order. */
    created: [] as SimAbhaAccount[],
    expireAll() {
      for (const t of txns.values()) t.expiresAt = 0;
    },
  };
  const live = (id: unknown) => {
    const t = typeof id === 'string' ? txns.get(id) : undefined;
    return t && Date.now() < t.expiresAt ? t : undefined;
  };

  function requestOtp(req: http.IncomingMessage, res: http.ServerResponse, path: string, b: Record<string, unknown>) {
    const scope = Array.isArray(b.scope) ? b.scope.join(',') : '';
    if (typeof b.txnId !== 'string') return answer(req, res, path, b, 400, { txnId: 'Invalid Transaction Id', timestamp: stamp() });
    if (scope === 'abha-enrol') {
      if (b.loginHint !== 'aadhaar') return answer(req, res, path, b, 400, { loginHint: 'Invalid Login Hint', timestamp: stamp() });
      if (b.otpSystem !== 'aadhaar') return answer(req, res, path, b, 400, { otpSystem: 'Invalid OTP System', timestamp: stamp() });
      const aadhaar = decrypt(b.loginId);
      if (aadhaar === null || !/^\d{12}$/.test(aadhaar)) return answer(req, res, path, b, 400, { loginId: 'Invalid LoginId', timestamp: stamp() });
      const person = people.find((p) => p.aadhaar === aadhaar);
      if (!person) return answer(req, res, path, b, 400, err('ABDM-1204', 'UIDAI Error code : 998 : Invalid Aadhaar Number'));
      const txnId = randomUUID();
      txns.set(txnId, { person, stage: 'aadhaar-otp', expiresAt: Date.now() + state.otpTtlMs, wrong: 0, mobile: '' });
      return answer(req, res, path, b, 200, { txnId, message: `OTP sent to Aadhaar registered mobile number ending with ******${person.mobile.slice(-4)}` });
    }
    if (scope === 'abha-enrol,mobile-verify') {
      const txn = live(b.txnId);
      if (!txn || txn.stage !== 'mobile-pending') return answer(req, res, path, b, 400, { txnId: 'Invalid Transaction Id', timestamp: stamp() });
      if (b.loginHint !== 'mobile') return answer(req, res, path, b, 400, { loginHint: 'Invalid Login Hint', timestamp: stamp() });
      if (b.otpSystem !== 'abdm') return answer(req, res, path, b, 400, { otpSystem: 'Invalid OTP System', timestamp: stamp() });
      if (decrypt(b.loginId) !== txn.mobile) return answer(req, res, path, b, 400, { loginId: 'Invalid LoginId', timestamp: stamp() });
      txn.stage = 'mobile-otp';
      return answer(req, res, path, b, 200, { txnId: b.txnId, message: `OTP sent to mobile number ending with ******${txn.mobile.slice(-4)}` });
    }
    return answer(req, res, path, b, 400, { scope: 'Invalid Scope', timestamp: stamp() });
  }

  function byAadhaar(req: http.IncomingMessage, res: http.ServerResponse, path: string, b: Record<string, unknown>) {
    const authData = (b.authData ?? {}) as { authMethods?: unknown; otp?: { txnId?: unknown; otpValue?: unknown; mobile?: unknown } };
    const consent = (b.consent ?? {}) as { code?: unknown; version?: unknown };
    if (!Array.isArray(authData.authMethods) || authData.authMethods.join() !== 'otp' || !authData.otp) return answer(req, res, path, b, 400, { authData: 'Invalid Auth Data', timestamp: stamp() });
    if (consent.code !== 'abha-enrollment' || typeof consent.version !== 'string') return answer(req, res, path, b, 400, { consent: 'Invalid Consent', timestamp: stamp() });
    const txn = live(authData.otp.txnId);
    if (!txn || txn.stage !== 'aadhaar-otp') return answer(req, res, path, b, 400, { txnId: 'Invalid Transaction Id', timestamp: stamp() });
    const mobile = authData.otp.mobile;
    if (typeof mobile !== 'string' || !/^\d{10}$/.test(mobile)) return answer(req, res, path, b, 400, { mobile: 'Invalid Mobile Number', timestamp: stamp() });
    const otp = decrypt(authData.otp.otpValue);
    if (otp === null || !/^\d{6}$/.test(otp)) return answer(req, res, path, b, 400, { otpValue: 'Invalid OTP Value', timestamp: stamp() });
    if (otp !== state.otp) {
      if (++txn.wrong >= state.maxWrong) {
        txns.delete(String(authData.otp.txnId));
        return answer(req, res, path, b, 400, err('ABDM-1100', LOCKED));
      }
      return answer(req, res, path, b, 400, err('ABDM-1204', 'UIDAI Error code : 400 : Invalid Aadhaar OTP value.'));
    }
    const p = txn.person;
    const tokens = { token: `sim.enrol.${randomUUID()}`, expiresIn: 1800, refreshToken: `sim.refresh.${randomUUID()}`, refreshExpiresIn: 1296000 };
    const [d, m, y] = p.dob.split('-');
    const base = { firstName: p.firstName, middleName: '', lastName: p.lastName, dob: p.dob, gender: p.gender, photo: 'aGVsbG8=', address: p.address, districtCode: '521', stateCode: '27', pinCode: p.pincode, abhaType: 'STANDARD', stateName: p.stateName, districtName: p.districtName, abhaStatus: 'ACTIVE' };
    if (p.abha) {
      txns.delete(String(authData.otp.txnId));
      const a = p.abha;
      return answer(req, res, path, b, 200, { message: 'This account already exist', txnId: authData.otp.txnId, tokens, ABHAProfile: { ...base, mobile: a.mobile, phrAddress: [a.abhaAddress], ABHANumber: a.abhaNumber }, isNew: false });
    }
    const same = mobile === p.mobile;
    const account: SimAbhaAccount = { abhaNumber: newAbhaNumber(), abhaAddress: '', firstName: p.firstName, lastName: p.lastName, gender: p.gender, dayOfBirth: d!, monthOfBirth: m!, yearOfBirth: y!, mobile: same ? mobile : '', address: p.address, districtName: p.districtName, stateName: p.stateName, pincode: p.pincode };
    p.abha = account;
    accounts.push(account);
    api.created.push(account);
    Object.assign(txn, { stage: same ? 'address' : 'mobile-pending', mobile, account });
    return answer(req, res, path, b, 200, { message: 'Account created successfully', txnId: authData.otp.txnId, tokens, ABHAProfile: { ...base, mobile: same ? mobile : null, phrAddress: [], ABHANumber: account.abhaNumber }, isNew: true });
  }

  function byAbdm(req: http.IncomingMessage, res: http.ServerResponse, path: string, b: Record<string, unknown>) {
    const authData = (b.authData ?? {}) as { authMethods?: unknown; otp?: { txnId?: unknown; otpValue?: unknown } };
    if ((Array.isArray(b.scope) ? b.scope.join(',') : '') !== 'abha-enrol,mobile-verify') return answer(req, res, path, b, 400, { scope: 'Invalid Scope', timestamp: stamp() });
    const txn = live(authData.otp?.txnId);
    if (!txn || txn.stage !== 'mobile-otp') return answer(req, res, path, b, 400, { txnId: 'Invalid Transaction Id', timestamp: stamp() });
    const otp = decrypt(authData.otp?.otpValue);
    if (otp !== api.mobileOtp) return answer(req, res, path, b, 200, { txnId: authData.otp?.txnId, authResult: 'failed', message: 'Entered OTP is incorrect. Kindly re-enter valid OTP.', accounts: [] });
    txn.stage = 'address';
    txn.account!.mobile = txn.mobile;
    return answer(req, res, path, b, 200, { message: 'OTP verified successfully', txnId: authData.otp?.txnId, authResult: 'success', accounts: [{ ABHANumber: txn.account!.abhaNumber }] });
  }

  const taken = (name: string) => accounts.some((a) => a.abhaAddress.replace(/@.*$/, '') === name);

  function suggestion(req: http.IncomingMessage, res: http.ServerResponse, path: string) {
    const txnId = String(req.headers['transaction_id'] ?? req.headers['transaction-id'] ?? '');
    const txn = live(txnId);
    if (!txn || txn.stage !== 'address') return answer(req, res, path, null, 400, { txnId: 'Invalid Transaction Id', timestamp: stamp() });
    const f = txn.person.firstName.toLowerCase();
    const l = txn.person.lastName.toLowerCase();
    const y = txn.person.dob.slice(-4);
    const list = [`${f}.${l}`, `${f}${l}${y}`, `${f}_${l}`, `${l}.${f}${y.slice(-2)}`].filter((n) => !taken(n));
    return answer(req, res, path, null, 200, { txnId, abhaAddressList: list });
  }

  function abhaAddress(req: http.IncomingMessage, res: http.ServerResponse, path: string, b: Record<string, unknown>) {
    const txn = live(b.txnId);
    if (!txn || txn.stage !== 'address') return answer(req, res, path, b, 400, { txnId: 'Invalid Transaction Id', timestamp: stamp() });
    const name = typeof b.abhaAddress === 'string' ? b.abhaAddress : '';
    if (!/^[a-z0-9][a-z0-9._]{2,30}$/.test(name)) return answer(req, res, path, b, 400, { abhaAddress: 'Invalid ABHA Address', timestamp: stamp() });
    if (taken(name)) return answer(req, res, path, b, 400, err('ABDM-1114', 'ABHA Address already exists'));
    txns.delete(String(b.txnId));
    txn.account!.abhaAddress = `${name}@sbx`;
    return answer(req, res, path, b, 200, { txnId: b.txnId, healthIdNumber: txn.account!.abhaNumber, preferredAbhaAddress: `${name}@sbx` });
  }

  /** Serves an enrolment path (auth already checked); false when it is not one. */
  function route(req: http.IncomingMessage, res: http.ServerResponse, path: string, b: Record<string, unknown>): boolean {
    const get = req.method === 'GET';
    if (!get && path === '/abha/api/v3/enrollment/request/otp') requestOtp(req, res, path, b);
    else if (!get && path === '/abha/api/v3/enrollment/enrol/byAadhaar') byAadhaar(req, res, path, b);
    else if (!get && path === '/abha/api/v3/enrollment/auth/byAbdm') byAbdm(req, res, path, b);
    else if (get && path === '/abha/api/v3/enrollment/enrol/suggestion') suggestion(req, res, path);
    else if (!get && path === '/abha/api/v3/enrollment/enrol/abha-address') abhaAddress(req, res, path, b);
    else return false;
    return true;
  }
  return { route, api };
}
