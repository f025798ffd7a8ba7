import { z } from 'zod';
import { canonicalJson } from './change-signing';

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

/** How an ABHA was verified (patients.abha_verify_method). */
export const ABHA_VERIFY_METHODS = ['abha-number-mobile-otp', 'abha-number-aadhaar-otp', 'abha-address-mobile-otp', 'abha-address-aadhaar-otp'] as const;
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
