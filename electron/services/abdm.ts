import { v4 as uuidv4 } from 'uuid';
import {
  ABHA_OFFLINE_MESSAGE,
  DESK_REQUEST_EVENT,
  deskRequestSigningText,
  type AbhaProfile,
  type AbhaVerifyMethod,
  type DeskAnswer,
  type DeskKind,
  type DeskRequest,
} from '../../shared/abdm-desk';
import { patients } from '../../db/schema';
import { ApiFailure, type AuthedContext, type SyncControl } from '../core/context';
import { requirePatient } from './patients';

/**
 * The desk's side of ABDM requests (docs/ABDM.md "Desk requests"): this workstation never calls
 * ABDM; it asks the clinic's server over its sync connection, each request signed by the person
 * at the desk. Offline, the answer is ABHA_OFFLINE_MESSAGE and nothing else is held up.
 */

/** A request signed now by the call's person, for this workstation. */
export function signedDeskRequest(ctx: AuthedContext, kind: DeskKind, body: Record<string, unknown>): DeskRequest {
  const unsigned = { id: uuidv4(), kind, body, userId: ctx.session.userId, at: ctx.now() };
  const signed = ctx.signBytes?.(new TextEncoder().encode(deskRequestSigningText(unsigned, ctx.deviceId))) ?? null;
  if (!signed) throw new ApiFailure('unauthenticated', 'Please log in again: your signing key is not open on this workstation.');
  return { ...unsigned, ...signed };
}

/** Sends a signed request; offline (or no answer) is an answer too, with the plain message. */
export async function askServer(sync: SyncControl, request: DeskRequest, offlineMessage = ABHA_OFFLINE_MESSAGE): Promise<DeskAnswer> {
  const reply = sync.ask ? await sync.ask(DESK_REQUEST_EVENT, request) : null;
  if (reply && typeof reply === 'object' && 'ok' in reply) return reply as DeskAnswer;
  return { ok: false, code: 'offline', message: offlineMessage };
}

interface Verification {
  userId: string;
  abhaNumber: string | null;
  abhaAddress: string | null;
  method: AbhaVerifyMethod;
  verifiedAt: number;
}

/**
 * Verifications the server confirmed on this workstation, by an id handed to the desk: a patient
 * is marked "verified with ABDM" only with one of these (the person who verified, within the
 * hour), so the mark cannot be typed in. In memory only: a restart means verifying again.
 */
const verifications = new Map<string, Verification>();
const VERIFICATION_TTL_MS = 60 * 60_000;

export function rememberVerification(userId: string, method: AbhaVerifyMethod, verifiedAt: number, profile: AbhaProfile): string {
  const id = uuidv4();
  for (const [k, v] of verifications) if (v.verifiedAt + VERIFICATION_TTL_MS < verifiedAt) verifications.delete(k);
  verifications.set(id, { userId, abhaNumber: profile.abhaNumber, abhaAddress: profile.abhaAddress, method, verifiedAt });
  return id;
}

/**
 * Marks a patient's ABHA as verified with ABDM (the ABHA number and address become the verified
 * ones; the rest of the form was the receptionist's to confirm). Signed by the person who verified.
 */
export function linkVerifiedAbha(ctx: AuthedContext, patientId: string, verificationId: string) {
  const v = verifications.get(verificationId);
  if (!v || v.userId !== ctx.session.userId || ctx.now() > v.verifiedAt + VERIFICATION_TTL_MS) {
    throw new ApiFailure('conflict', 'This ABHA verification is no longer open here: verify again.', { verificationId: 'Verify again' });
  }
  const before = requirePatient(ctx, patientId);
  const row = ctx.write.update(patients, patientId, {
    abhaNumber: v.abhaNumber ?? before.abhaNumber,
    abhaAddress: v.abhaAddress ?? before.abhaAddress,
    abhaVerifiedAt: v.verifiedAt,
    abhaVerifiedBy: ctx.session.userId,
    abhaVerifyMethod: v.method,
  });
  verifications.delete(verificationId);
  ctx.describe({ entityType: 'patients', entityId: patientId, detail: `ABHA verified with ABDM (${v.method})` });
  return { patientId, abhaNumber: row.abhaNumber, abhaAddress: row.abhaAddress, abhaVerifiedAt: row.abhaVerifiedAt, abhaVerifyMethod: row.abhaVerifyMethod };
}
