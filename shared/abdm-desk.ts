import { z } from 'zod';
import { canonicalJson } from './change-signing';
import { aadhaarProblem } from './verhoeff';

/**
 * The desk -> server channel for ABDM (docs/ABDM.md "Desk requests"): workstations never talk to
 * ABDM; they ask the clinic's server over their sync connection (socket.io event DESK_REQUEST_EVENT)
 * and the server asks ABDM. The device is proven by its hello; the PERSON asking is proven by a
 * signature with their own key (as for synced changes, shared/change-signing.ts) over a fresh,
 * single-use request bound to this workstation. Pure: both ends and the tests share it.
 */
export const DESK_REQUEST_EVENT = 'abdm';
/** Bumped if the signed fields change; old signatures then stop verifying on purpose. */
export const DESK_REQUEST_DOMAIN = 'clinic-abdm-request-v1';
/** A request signed longer ago than this (or this far in the future) is refused as stale. */
export const DESK_REQUEST_MAX_AGE_MS = 2 * 60_000;
/** What the desk says when it cannot reach the server: nothing else is blocked. */
export const ABHA_OFFLINE_MESSAGE = 'ABHA verification needs the connection to the clinic server; register now and verify later.';
/** The same for ABHA creation. */
export const ABHA_CREATE_OFFLINE_MESSAGE = 'Creating an ABHA needs the connection to the clinic server; register the patient now and create the ABHA later from their record.';

/** The consent ABDM's enrolment records ({"code": "abha-enrollment", "version": "1.4"}). */
export const ABHA_ENROL_CONSENT_CODE = 'abha-enrollment';
export const ABHA_ENROL_CONSENT_VERSION = '1.4';
/**
 * What the patient agrees to before an ABHA is made with their Aadhaar: the substance of ABDM's
 * enrolment consent (the ABHA app's "I, hereby declare..." text, consent version 1.4), read out
 * or shown to them and ticked by reception.
 */
export const ABHA_ENROL_CONSENT_TEXT = [
  'I am voluntarily sharing my Aadhaar number and demographic information issued by UIDAI with the National Health Authority (NHA) for the sole purpose of creating my Ayushman Bharat Health Account (ABHA) number.',
  'I authorise NHA to use my Aadhaar number for authentication with UIDAI (Aadhaar OTP) and to use my demographic details (name, gender, date of birth, address, mobile, photo) from it for my ABHA.',
  'I understand my ABHA number may be used and shared for delivering healthcare services, and that I can choose to share or not share my health records through it.',
  'I consent to this clinic creating my ABHA through ABDM; the clinic does not keep my Aadhaar number.',
] as const;

/** How an ABHA was verified (patients.abha_verify_method). */
export const ABHA_VERIFY_METHODS = [
  'abha-number-mobile-otp',
  'abha-number-aadhaar-otp',
  'abha-address-mobile-otp',
  'abha-address-aadhaar-otp',
  /** Created here at reception with the patient's Aadhaar OTP (ABHA enrolment). */
  'created',
  /** Enrolment by Aadhaar OTP found the patient already had an ABHA: that one, proven by the same OTP. */
  'aadhaar-otp-existing',
] as const;
export type AbhaVerifyMethod = (typeof ABHA_VERIFY_METHODS)[number];

/** 14 digits, with or without the 2-4-4-4 hyphens. */
const abhaNumber = z.string().regex(/^\d{2}-?\d{4}-?\d{4}-?\d{4}$/, 'An ABHA number has 14 digits (91-1234-5678-9012)');
const abhaAddress = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.]{2,30}@(abdm|sbx)$/, 'An ABHA address looks like name@abdm');

/** What each kind of request carries (the body the person signs). */
export const deskBodies = {
  /** Asks ABDM to send an OTP to the patient (mobile linked to the ABHA, or Aadhaar-linked mobile). */
  'abha.requestOtp': z
    .object({
      by: z.enum(['abha-number', 'abha-address']),
      /** With by: 'abha-number'. */
      abhaNumber: abhaNumber.optional(),
      /** With by: 'abha-address'. */
      abhaAddress: abhaAddress.optional(),
      otpSystem: z.enum(['abdm', 'aadhaar']),
    })
    .refine((b) => (b.by === 'abha-number' ? b.abhaNumber !== undefined : b.abhaAddress !== undefined), {
      error: 'Enter the ABHA number or the ABHA address the patient gives',
      path: ['abhaNumber'],
    }),
  /** The OTP the patient read out, for the server-side transaction `txnRef` names. */
  'abha.verifyOtp': z.object({ txnRef: z.uuid('Ask for an OTP first'), otp: z.string().regex(/^\d{6}$/, 'The OTP has 6 digits') }),
  /**
   * ABHA creation (enrolment) by Aadhaar OTP, step 1: UIDAI sends an OTP to the mobile linked to
   * this Aadhaar. The number is checked here (12 digits, Verhoeff) and never kept by either end.
   */
  'abha.enrolRequestOtp': z.object({
    aadhaar: z
      .string()
      .superRefine((v, ctx) => {
        const problem = aadhaarProblem(v);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .transform((v) => v.replace(/[\s-]/g, '')),
  }),
  /**
   * Step 2: the Aadhaar OTP, the mobile the patient wants on the ABHA, and the patient's consent
   * (ABDM's text, ABHA_ENROL_CONSENT, shown and ticked at the desk).
   */
  'abha.enrolByAadhaar': z.object({
    txnRef: z.uuid('Ask for an OTP first'),
    otp: z.string().regex(/^\d{6}$/, 'The Aadhaar OTP has 6 digits'),
    mobile: z.string().regex(/^[6-9]\d{9}$/, 'Mobile number: 10 digits starting with 6, 7, 8 or 9'),
    consent: z.literal(ABHA_ENROL_CONSENT_VERSION, 'The patient’s consent must be read out and ticked'),
  }),
  /** Step 3, only when the mobile given is not the one Aadhaar has: the OTP ABDM sent to it. */
  'abha.enrolVerifyMobile': z.object({ txnRef: z.uuid('Ask for an OTP first'), otp: z.string().regex(/^\d{6}$/, 'The mobile OTP has 6 digits') }),
  /** Last step: the ABHA address chosen from ABDM's suggestions or typed (the part before @). */
  'abha.enrolAddress': z.object({
    txnRef: z.uuid('Ask for an OTP first'),
    abhaAddress: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.]{2,30}(@(abdm|sbx))?$/, 'ABHA address: 3 to 31 letters, digits, dots or underscores (sita.devi)'),
  }),
  /** Whether the server can reach ABDM (configured and a session obtainable). */
  'abdm.status': z.object({}),
  /** The server's ABDM settings (no secret) and a fresh gateway session now, or why not (administrators). */
  'abdm.check': z.object({}),
} as const;
export type DeskKind = keyof typeof deskBodies;
export const DESK_KINDS = Object.keys(deskBodies) as [DeskKind, ...DeskKind[]];

export const deskRequest = z.object({
  /** Single use: the server refuses an id it has seen. */
  id: z.uuid(),
  kind: z.enum(DESK_KINDS),
  body: z.record(z.string(), z.unknown()),
  userId: z.string().min(1),
  /** When the person signed it, ms since the epoch (the desk's clock). */
  at: z.number().int().nonnegative(),
  keyId: z.string().min(1),
  sig: z.string().min(1),
});
export type DeskRequest = z.infer<typeof deskRequest>;

export type DeskAnswer = { ok: true; value: Record<string, unknown> } | { ok: false; code: string; message: string };

/** What the person signs: the request bound to the workstation that sends it (a copy sent from another desk fails). */
export function deskRequestSigningText(r: Omit<DeskRequest, 'keyId' | 'sig'>, deviceId: string): string {
  return canonicalJson([DESK_REQUEST_DOMAIN, r.id, deviceId, r.userId, r.at, r.kind, r.body]);
}

/** A verified ABHA profile, as the server hands it to the desk (only what the registration form uses). */
export interface AbhaProfile {
  /** 14 digits, no hyphens; null when the ABHA address has no number linked. */
  abhaNumber: string | null;
  abhaAddress: string | null;
  givenName: string;
  familyName: string | null;
  /** The form's values: M, F or O. */
  gender: 'M' | 'F' | 'O' | null;
  /** YYYY-MM-DD when ABDM gives day, month and year; else null (see yearOfBirth). */
  dob: string | null;
  yearOfBirth: number | null;
  mobile: string | null;
  address: string | null;
  district: string | null;
  state: string | null;
  pincode: string | null;
}
