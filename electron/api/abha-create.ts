import { ABHA_CREATE_OFFLINE_MESSAGE, deskBodies, type AbhaProfile, type AbhaVerifyMethod, type DeskAnswer, type DeskKind } from '../../shared/abdm-desk';
import { askServer, rememberVerification, signedDeskRequest } from '../services/abdm';
import { method, type AuthedContext } from './contract';

/**
 * ABHA creation with the patient's Aadhaar OTP at reception (docs/ABDM.md "M1: ABHA creation").
 * Like verification (abdm.ts), each step asks the clinic's server, which asks ABDM, so each runs
 * as a job. The Aadhaar number goes (signed, over the sync connection) to the server only: on this
 * desk it is in no audit row, job result or log; the audit names its last four digits.
 * When the last step answers `done`, the result carries a `verificationId` that abdm.abhaLink
 * turns into "verified with ABDM (created)" on the saved patient, exactly as a verification.
 */

function audited(ctx: AuthedContext, action: string, detail: string) {
  ctx.afterwards(action, () => ctx.describe({ entityType: 'abha', entityId: null, detail }));
}

/** One step: sign, ask, audit, and turn a finished enrolment into a verification this desk remembers. */
function step(ctx: AuthedContext, kind: DeskKind, body: Record<string, unknown>, what: string) {
  const request = signedDeskRequest(ctx, kind, body);
  const userId = ctx.session.userId;
  return ctx.jobs.start(`abdm.${kind}`, async () => {
    const answer: DeskAnswer = await askServer(ctx.sync, request, ABHA_CREATE_OFFLINE_MESSAGE);
    if (!answer.ok) {
      audited(ctx, 'abdm.abhaCreateFailed', `${what}: ${answer.message}`);
      return { ...answer };
    }
    const v = answer.value;
    if (v.done !== true) {
      audited(ctx, 'abdm.abhaCreateStep', `${what}: ${typeof v.message === 'string' ? v.message : 'done'}`);
      return { ok: true, ...v };
    }
    const profile = v.profile as AbhaProfile;
    const methodUsed = v.method as AbhaVerifyMethod;
    const verificationId = rememberVerification(userId, methodUsed, Number(v.verifiedAt), profile);
    audited(ctx, 'abdm.abhaCreated', `ABHA ${profile.abhaAddress ?? profile.abhaNumber ?? ''} ${methodUsed === 'created' ? 'created' : 'already existed; verified'} with Aadhaar OTP`);
    return { ok: true, done: true, isNew: v.isNew, message: v.message, verificationId, method: methodUsed, profile };
  });
}

export const abhaCreateMethods = {
  /** Step 1: UIDAI sends an OTP to the Aadhaar-linked mobile. Result {ok, txnRef, message} or {ok: false, code, message}. */
  'abdm.abhaCreateOtp': method({
    input: deskBodies['abha.enrolRequestOtp'],
    access: 'abdm.abha',
    mutates: false,
    run: (ctx, input) => step(ctx, 'abha.enrolRequestOtp', input, `ABHA creation OTP for Aadhaar ending ${input.aadhaar.slice(-4)}`),
  }),
  /** Step 2: the Aadhaar OTP, the patient's mobile and their consent. Result: needsMobileOtp, suggestions, or done. */
  'abdm.abhaCreate': method({
    input: deskBodies['abha.enrolByAadhaar'],
    access: 'abdm.abha',
    mutates: false,
    run: (ctx, input) => step(ctx, 'abha.enrolByAadhaar', input, `ABHA creation (consent ${input.consent} given)`),
  }),
  /** Step 3 (a mobile other than Aadhaar's): its OTP. Result: suggestions for the address. */
  'abdm.abhaCreateMobile': method({
    input: deskBodies['abha.enrolVerifyMobile'],
    access: 'abdm.abha',
    mutates: false,
    run: (ctx, input) => step(ctx, 'abha.enrolVerifyMobile', input, 'ABHA creation: mobile OTP'),
  }),
  /** Last step: the ABHA address. Result {ok, done, verificationId, method: 'created', profile}. */
  'abdm.abhaCreateAddress': method({
    input: deskBodies['abha.enrolAddress'],
    access: 'abdm.abha',
    mutates: false,
    run: (ctx, input) => step(ctx, 'abha.enrolAddress', input, `ABHA creation: address ${input.abhaAddress}`),
  }),
};
