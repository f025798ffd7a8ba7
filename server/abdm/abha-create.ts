import type { z } from 'zod';
import { ABHA_ENROL_CONSENT_CODE, ABHA_ENROL_CONSENT_VERSION, type AbhaProfile, type AbhaVerifyMethod, type DeskAnswer, type deskBodies } from '../../shared/abdm-desk';
import type { ServerDb } from '../db/open';
import { ABHA_TXN_LIFETIME_MS, encrypt, refusal, type AbhaService, type Answer, type Asker } from './abha';
import { abhaProfileOf } from './abha-profile';
import { recordVerification } from './verified-abha';

/**
 * ABHA creation (enrolment) by Aadhaar OTP at reception (M1), asked by a desk through the server
 * (desk-requests.ts) like verification (abha.ts, whose session, certificate and audited calls it
 * uses). Follows NHA's ABHA v3 enrolment journey `m1-create-aadhaar-otp` (github.com/nha-in/docs,
 * docs/ABDM.md "M1: ABHA creation"):
 *
 * 1. POST /enrollment/request/otp {txnId: "", scope: ["abha-enrol"], loginHint: "aadhaar", loginId: enc(aadhaar), otpSystem: "aadhaar"}
 * 2. POST /enrollment/enrol/byAadhaar {authData: {authMethods: ["otp"], otp: {txnId, otpValue: enc(otp), mobile}}, consent: {code, version}}
 *    -> {txnId, tokens, ABHAProfile, isNew}; isNew false: the person already had an ABHA (returned, not made again)
 * 3. when ABHAProfile.mobile is not the mobile given: POST /enrollment/request/otp {txnId, scope: ["abha-enrol", "mobile-verify"],
 *    loginHint: "mobile", loginId: enc(mobile), otpSystem: "abdm"}, then POST /enrollment/auth/byAbdm {scope, authData: {otp: {txnId, otpValue}}}
 * 4. GET /enrollment/enrol/suggestion (header TRANSACTION_ID) -> {abhaAddressList}; POST /enrollment/enrol/abha-address
 *    {txnId, abhaAddress, preferred: 1} -> {txnId, healthIdNumber, preferredAbhaAddress}
 *
 * The Aadhaar number is encrypted for ABDM at once and kept nowhere, not even in memory past the
 * call (the transaction keeps only its last four digits, for the desk's audit line). ABDM's txnId
 * stays on the server, sealed in PostgreSQL with the step's state (abha-txns.ts), and its tokens
 * are dropped; the desk gets an opaque reference, usable by the same person at the same desk.
 */
export const ENROL_PATHS = {
  requestOtp: '/abha/api/v3/enrollment/request/otp',
  byAadhaar: '/abha/api/v3/enrollment/enrol/byAadhaar',
  byAbdm: '/abha/api/v3/enrollment/auth/byAbdm',
  suggestion: '/abha/api/v3/enrollment/enrol/suggestion',
  abhaAddress: '/abha/api/v3/enrollment/enrol/abha-address',
} as const;

type Body<K extends keyof typeof deskBodies> = z.output<(typeof deskBodies)[K]>;

/** What an enrolment keeps between its steps (sealed in PostgreSQL: abha-txns.ts); never the Aadhaar number. */
interface EnrolTxn {
  txnId: string;
  aadhaarLast4: string;
  profile: AbhaProfile | null;
  /** The mobile given for the ABHA when it is not Aadhaar's, until its own OTP proves it. */
  mobile?: string;
}

type Stage = 'aadhaar-otp' | 'mobile-otp' | 'address';

export class AbhaEnrolment {
  constructor(
    private readonly abha: AbhaService,
    private readonly db: ServerDb,
  ) {}

  private get txns() {
    return this.abha.txns;
  }

  async requestOtp(asker: Asker, input: Body<'abha.enrolRequestOtp'>): Promise<DeskAnswer> {
    const key = await this.abha.publicKey();
    if (!key.ok) return key;
    const body = { txnId: '', scope: ['abha-enrol'], loginHint: 'aadhaar', loginId: encrypt(key.key, input.aadhaar), otpSystem: 'aadhaar' };
    const answer = await this.abha.call('POST', ENROL_PATHS.requestOtp, body);
    if (!answer.ok) return enrolRefusal(answer);
    const txnId = answer.body.txnId;
    if (typeof txnId !== 'string' || !txnId) return { ok: false, code: 'abdm_answer', message: 'ABDM answered without a transaction id; ask for a new OTP.' };
    const expiresAt = this.abha.now() + ABHA_TXN_LIFETIME_MS;
    const txnRef = await this.txns.open('enrol', asker, 'aadhaar-otp', { txnId, aadhaarLast4: input.aadhaar.slice(-4), profile: null }, expiresAt);
    const message = typeof answer.body.message === 'string' ? answer.body.message : 'OTP sent to the mobile linked to Aadhaar.';
    return { ok: true, value: { txnRef, message, expiresAt, aadhaarLast4: input.aadhaar.slice(-4) } };
  }

  /** The Aadhaar OTP: makes the ABHA (or finds the one the person has). */
  async enrol(asker: Asker, input: Body<'abha.enrolByAadhaar'>): Promise<DeskAnswer> {
    const key = await this.abha.publicKey();
    if (!key.ok) return key;
    const claimed = await this.open(asker, input.txnRef, 'aadhaar-otp');
    if (!claimed.ok) return claimed;
    const txn = claimed.state;
    const body = {
      authData: { authMethods: ['otp'], otp: { txnId: txn.txnId, otpValue: encrypt(key.key, input.otp), mobile: input.mobile } },
      consent: { code: ABHA_ENROL_CONSENT_CODE, version: ABHA_ENROL_CONSENT_VERSION },
    };
    const answer = await this.abha.call('POST', ENROL_PATHS.byAadhaar, body);
    if (!answer.ok) return this.failed(input.txnRef, answer, 'aadhaar-otp');
    const raw = answer.body.ABHAProfile;
    if (!raw || typeof raw !== 'object') {
      await this.txns.giveBack(input.txnRef, 'aadhaar-otp');
      return { ok: false, code: 'abdm_answer', message: 'ABDM answered without the ABHA profile; try again.' };
    }
    const profile = abhaProfileOf(raw as Record<string, unknown>);
    if (typeof answer.body.txnId === 'string' && answer.body.txnId) txn.txnId = answer.body.txnId;
    txn.profile = profile;
    if (answer.body.isNew === false) {
      // Already enrolled: ABDM returns that ABHA, and the Aadhaar OTP proved the person holds it.
      await this.txns.drop(input.txnRef);
      return this.finish(asker, profile, 'aadhaar-otp-existing', { isNew: false, message: 'This patient already has an ABHA (shown below); no new one was made.' });
    }
    // ABDM puts the mobile on the ABHA only when it is Aadhaar's; another one must be proven by its own OTP.
    if (profile.mobile !== input.mobile) {
      const otp = await this.abha.call('POST', ENROL_PATHS.requestOtp, { txnId: txn.txnId, scope: ['abha-enrol', 'mobile-verify'], loginHint: 'mobile', loginId: encrypt(key.key, input.mobile), otpSystem: 'abdm' });
      if (!otp.ok) {
        // What ABDM answered to the Aadhaar OTP is kept with the step, as the process kept it before.
        await this.txns.advance('enrol', input.txnRef, 'aadhaar-otp', txn);
        return this.failed(input.txnRef, otp, 'aadhaar-otp');
      }
      if (typeof otp.body.txnId === 'string' && otp.body.txnId) txn.txnId = otp.body.txnId;
      txn.mobile = input.mobile;
      await this.txns.advance('enrol', input.txnRef, 'mobile-otp', txn);
      const message = typeof otp.body.message === 'string' ? otp.body.message : `OTP sent to ${input.mobile}.`;
      return { ok: true, value: { isNew: true, needsMobileOtp: true, message, profile } };
    }
    return this.suggest(input.txnRef, txn, { isNew: true, needsMobileOtp: false, message: 'ABHA number created.' });
  }

  /** The OTP sent to a mobile that is not Aadhaar's. */
  async verifyMobile(asker: Asker, input: Body<'abha.enrolVerifyMobile'>): Promise<DeskAnswer> {
    const key = await this.abha.publicKey();
    if (!key.ok) return key;
    const claimed = await this.open(asker, input.txnRef, 'mobile-otp');
    if (!claimed.ok) return claimed;
    const txn = claimed.state;
    const answer = await this.abha.call('POST', ENROL_PATHS.byAbdm, { scope: ['abha-enrol', 'mobile-verify'], authData: { authMethods: ['otp'], otp: { txnId: txn.txnId, otpValue: encrypt(key.key, input.otp) } } });
    if (!answer.ok) return this.failed(input.txnRef, answer, 'mobile-otp');
    if (answer.body.authResult !== 'success') {
      // A wrong OTP keeps the try it took.
      const said = typeof answer.body.message === 'string' && answer.body.message ? ` (ABDM: ${answer.body.message})` : '';
      return { ok: false, code: 'wrong_otp', message: `Wrong mobile OTP${said}. Check the digits with the patient and try again.` };
    }
    if (typeof answer.body.txnId === 'string' && answer.body.txnId) txn.txnId = answer.body.txnId;
    // Proven by its OTP, it is the ABHA's mobile: "Use these details" puts it in the form like the rest.
    if (txn.mobile) txn.profile = { ...txn.profile!, mobile: txn.mobile };
    return this.suggest(input.txnRef, txn, { isNew: true, needsMobileOtp: false, message: 'Mobile verified.' });
  }

  /** The ABHA address chosen: the last step, after which the ABHA counts as verified by this server. */
  async chooseAddress(asker: Asker, input: Body<'abha.enrolAddress'>): Promise<DeskAnswer> {
    const claimed = await this.open(asker, input.txnRef, 'address');
    if (!claimed.ok) return claimed;
    const txn = claimed.state;
    const abhaAddress = input.abhaAddress.toLowerCase().replace(/@(abdm|sbx)$/, '');
    const answer = await this.abha.call('POST', ENROL_PATHS.abhaAddress, { txnId: txn.txnId, abhaAddress, preferred: 1 });
    if (!answer.ok) {
      const r = enrolRefusal(answer);
      if (r.code === 'expired' || r.code === 'too_many' || r.code === 'unreachable') return this.failed(input.txnRef, answer, 'address');
      // Taken or not allowed: the same transaction takes another choice, and the refusal costs no try.
      await this.txns.giveBack(input.txnRef, 'address');
      return { ok: false, code: 'address_refused', message: `ABDM refused this ABHA address: ${answer.message}. Choose another.` };
    }
    const preferred = typeof answer.body.preferredAbhaAddress === 'string' ? answer.body.preferredAbhaAddress.toLowerCase() : null;
    const number = typeof answer.body.healthIdNumber === 'string' ? answer.body.healthIdNumber.replace(/\D/g, '') : null;
    await this.txns.drop(input.txnRef);
    const profile: AbhaProfile = { ...txn.profile!, abhaAddress: preferred ?? txn.profile!.abhaAddress, abhaNumber: number && number.length === 14 ? number : txn.profile!.abhaNumber };
    return this.finish(asker, profile, 'created', { isNew: true, message: 'ABHA created.' });
  }

  /** Enrolments waiting (tests). */
  pending(): Promise<number> {
    return this.txns.pending('enrol');
  }

  /** The server's record that it verified this ABHA (verified-abha.ts): linking and records trust only these. */
  private async finish(asker: Asker, profile: AbhaProfile, method: AbhaVerifyMethod, extra: Record<string, unknown>): Promise<DeskAnswer> {
    const verifiedAt = this.abha.now();
    await recordVerification(this.db, { clinicId: asker.clinicId, abhaNumber: profile.abhaNumber, abhaAddress: profile.abhaAddress, verifiedAt, verifiedBy: asker.userId, deviceId: asker.deviceId, method });
    return { ok: true, value: { ...extra, done: true, method, verifiedAt, profile } };
  }

  private async suggest(txnRef: string, txn: EnrolTxn, extra: Record<string, unknown>): Promise<DeskAnswer> {
    await this.txns.advance('enrol', txnRef, 'address', txn);
    const answer = await this.abha.call('GET', ENROL_PATHS.suggestion, null, { TRANSACTION_ID: txn.txnId });
    // Suggestions are a help: without them reception types an address.
    const list = answer.ok && Array.isArray(answer.body.abhaAddressList) ? answer.body.abhaAddressList.filter((a): a is string => typeof a === 'string').slice(0, 10) : [];
    return { ok: true, value: { ...extra, txnRef, suggestions: list, addressDomain: this.abha.cmId, profile: txn.profile } };
  }

  /**
   * The transaction a step names, if it is this person's at this desk, alive and at that step,
   * with one of the step's tries taken (abha-txns.ts); another person's or desk's answers like one
   * that never existed.
   */
  private open(asker: Asker, txnRef: string, stage: Stage) {
    return this.txns.claim<EnrolTxn>('enrol', asker, txnRef, stage);
  }

  /** ABDM refused the step: a dead transaction goes, a wrong OTP keeps its try, anything else gives it back. */
  private async failed(txnRef: string, answer: Extract<Answer, { ok: false }>, stage: Stage): Promise<DeskAnswer> {
    const r = enrolRefusal(answer);
    if (r.code === 'expired' || r.code === 'too_many') await this.txns.drop(txnRef, stage);
    else if (r.code !== 'wrong_otp') await this.txns.giveBack(txnRef, stage);
    return r;
  }
}

/**
 * UIDAI's refusals come through ABDM as ABDM-1204 "UIDAI Error code : <n> : <words>" (NHA's M1
 * debug notes); the words say whether the OTP or the Aadhaar number was wrong.
 */
function enrolRefusal(a: Extract<Answer, { ok: false }>): { ok: false; code: string; message: string } {
  if (/otp/i.test(a.message) && /invalid|incorrect|wrong|mismatch/i.test(a.message)) return { ok: false, code: 'wrong_otp', message: `Wrong OTP (ABDM: ${a.message}). Check the digits with the patient and try again.` };
  if (/aadhaar/i.test(a.message) && /invalid|not found|does not exist/i.test(a.message)) return { ok: false, code: 'aadhaar_invalid', message: `Aadhaar number: UIDAI does not know this number (ABDM: ${a.message}). Check it on the card.` };
  return refusal(a);
}
