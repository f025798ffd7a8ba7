import { z } from 'zod';
import { deskBodies, type AbhaProfile, type AbhaVerifyMethod } from '../../shared/abdm-desk';
import { askServer, linkVerifiedAbha, rememberVerification, signedDeskRequest } from '../services/abdm';
import { method, type AuthedContext } from './contract';
import { id } from './fields';

/**
 * ABHA verification by OTP at reception (docs/ABDM.md "M1"). Each step asks the clinic's server
 * (which asks ABDM), so it runs as a job: the call answers at once with the job, the screen waits
 * for it (jobs.get / the progress event). Every outcome, success or failure, is an audit row; the
 * OTP itself is never written anywhere on the desk.
 */

/** Audits the end of a step in its own transaction, as the person who asked. */
function audited(ctx: AuthedContext, action: string, detail: string) {
  ctx.afterwards(action, () => ctx.describe({ entityType: 'abha', entityId: null, detail }));
}

export const abdmMethods = {
  /** Asks ABDM (through the server) to send the patient an OTP. Result: {ok, txnRef, message} or {ok: false, code, message}. */
  'abdm.abhaRequestOtp': method({
    input: deskBodies['abha.requestOtp'],
    access: 'abdm.abha',
    mutates: false,
    run: (ctx, input) => {
      const request = signedDeskRequest(ctx, 'abha.requestOtp', input);
      const who = input.by === 'abha-number' ? `ABHA number ending ${(input.abhaNumber ?? '').slice(-4)}` : `ABHA address ${input.abhaAddress ?? ''}`;
      return ctx.jobs.start('abdm.abhaRequestOtp', async () => {
        const answer = await askServer(ctx.sync, request);
        audited(ctx, answer.ok ? 'abdm.abhaOtpRequested' : 'abdm.abhaOtpRefused', answer.ok ? `OTP requested for ${who} (${input.otpSystem})` : `OTP not sent for ${who}: ${answer.message}`);
        return answer.ok ? { ok: true, ...answer.value } : { ...answer };
      });
    },
  }),
  /**
   * The OTP the patient read out. Result: {ok, verificationId, method, profile} (the profile fills
   * the form; verificationId marks the saved patient verified, abdm.abhaLink) or {ok: false, code, message}.
   */
  'abdm.abhaVerifyOtp': method({
    input: deskBodies['abha.verifyOtp'],
    access: 'abdm.abha',
    mutates: false,
    run: (ctx, input) => {
      const request = signedDeskRequest(ctx, 'abha.verifyOtp', input);
      const userId = ctx.session.userId;
      return ctx.jobs.start('abdm.abhaVerifyOtp', async () => {
        const answer = await askServer(ctx.sync, request);
        if (!answer.ok) {
          audited(ctx, 'abdm.abhaVerifyFailed', `ABHA not verified: ${answer.message}`);
          return { ...answer };
        }
        const profile = answer.value.profile as AbhaProfile;
        const methodUsed = answer.value.method as AbhaVerifyMethod;
        const verificationId = rememberVerification(userId, methodUsed, Number(answer.value.verifiedAt), profile);
        audited(ctx, 'abdm.abhaVerified', `ABHA ${profile.abhaAddress ?? profile.abhaNumber ?? ''} verified with ABDM (${methodUsed})`);
        return { ok: true, verificationId, method: methodUsed, profile };
      });
    },
  }),
  /** Marks a saved patient's ABHA as verified with ABDM, from a verification made on this desk. */
  'abdm.abhaLink': method({
    input: z.object({ patientId: id('Patient'), verificationId: id('Verification') }),
    access: 'abdm.abha',
    mutates: true,
    run: (ctx, input) => linkVerifiedAbha(ctx, input.patientId, input.verificationId),
  }),
};
