import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { abdmCareContextLinks, abdmVerifiedAbha, rows } from '../db/schema';
import type { PatientFacts } from './care-contexts';

/**
 * Which ABHA the server trusts for a patient (docs/ABDM.md "Which ABHA the server trusts"). The
 * ABHA on a synced patient row is what reception typed or scanned: anyone at the desk can put
 * another person's ABHA there. The server links care contexts to, discovers by and sends records
 * for an ABHA only when it verified it itself: its own OTP verification (abha.ts) or enrolment
 * (abha-create.ts), bound to the patient whose row the verifier marked with it, or a Scan & Share
 * profile (the gateway told us the ABHA, with the patient's consent) that reception matched or
 * registered as that patient.
 */

export type VerifiedAbhaRow = typeof abdmVerifiedAbha.$inferSelect;

/** A verification waits this long for the patient row that claims it (the desk keeps it an hour). */
export const BIND_WINDOW_MS = 24 * 3600_000;

const digits = (s: string | null | undefined) => (s ?? '').replace(/\D/g, '');
const lower = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();

/** Records an ABHA the server just verified for a person at a desk (not yet any patient's). */
export async function recordVerification(
  db: ServerDb,
  v: { clinicId: string; abhaNumber: string | null; abhaAddress: string | null; verifiedAt: number; verifiedBy: string; deviceId: string; method: string; patientId?: string },
): Promise<void> {
  if (!v.abhaNumber && !v.abhaAddress) return;
  await db.insert(abdmVerifiedAbha).values({
    clinicId: v.clinicId,
    patientId: v.patientId ?? null,
    abhaNumber: v.abhaNumber ? digits(v.abhaNumber) : null,
    abhaAddress: v.abhaAddress ? lower(v.abhaAddress) : null,
    verifiedAt: new Date(v.verifiedAt),
    verifiedBy: v.verifiedBy,
    deviceId: v.deviceId,
    method: v.method,
    boundAt: v.patientId ? new Date(v.verifiedAt) : null,
  });
}

const sameAbha = (v: { abhaNumber: string | null; abhaAddress: string | null }, d: Record<string, unknown>) => {
  const address = lower(typeof d.abha_address === 'string' ? d.abha_address : null);
  const number = digits(typeof d.abha_number === 'string' ? d.abha_number : null);
  return (v.abhaAddress !== null && address === v.abhaAddress) || (v.abhaNumber !== null && number === v.abhaNumber);
};

/**
 * Binds waiting verifications to the patients that claim them, and records Scan & Share profiles
 * reception tied to a patient. A patient row claims a verification when the person who verified
 * signed it with `abha_verified_by` = them, `abha_verified_at` = the exact time the server answered,
 * and the same ABHA (electron/services/abdm.ts linkVerifiedAbha). Each verification binds once.
 */
export async function bindVerifications(db: ServerDb, clinicId: string, now = Date.now()): Promise<void> {
  const waiting = await db
    .select()
    .from(abdmVerifiedAbha)
    .where(and(eq(abdmVerifiedAbha.clinicId, clinicId), isNull(abdmVerifiedAbha.patientId), gte(abdmVerifiedAbha.verifiedAt, new Date(now - BIND_WINDOW_MS))));
  const users = [...new Set(waiting.map((v) => v.verifiedBy).filter((u): u is string => u !== null))];
  if (users.length > 0) {
    const claims = await db
      .select({ rowId: rows.rowId, data: rows.data })
      .from(rows)
      .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'patients'), inArray(sql`${rows.data}->>'abha_verified_by'`, users)))
      .orderBy(rows.rowId);
    for (const v of waiting) {
      const claim = claims.find((c) => c.data.deleted_at == null && c.data.abha_verified_by === v.verifiedBy && Number(c.data.abha_verified_at) === v.verifiedAt.getTime() && sameAbha(v, c.data));
      if (!claim) continue;
      await db.update(abdmVerifiedAbha).set({ patientId: claim.rowId, boundAt: new Date(now) }).where(and(eq(abdmVerifiedAbha.id, v.id), isNull(abdmVerifiedAbha.patientId)));
    }
  }
  const shares = await db
    .select({ rowId: rows.rowId, data: rows.data })
    .from(rows)
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'abdm_profile_shares'), sql`coalesce(${rows.data}->>'patient_id', '') <> ''`, sql`NOT EXISTS (SELECT 1 FROM ${abdmVerifiedAbha} WHERE ${abdmVerifiedAbha.shareId} = ${rows.rowId})`));
  for (const s of shares) {
    const d = s.data;
    const address = typeof d.abha_address === 'string' ? lower(d.abha_address) : null;
    const number = typeof d.abha_number === 'string' && d.abha_number ? digits(d.abha_number) : null;
    if (!address && !number) continue;
    const sharedAt = Number(d.shared_at);
    await db
      .insert(abdmVerifiedAbha)
      .values({ clinicId, patientId: String(d.patient_id), abhaNumber: number, abhaAddress: address, verifiedAt: new Date(Number.isFinite(sharedAt) ? sharedAt : now), verifiedBy: null, deviceId: null, method: 'scan-share', shareId: s.rowId, boundAt: new Date(now) })
      .onConflictDoNothing();
  }
  await rebindMovedShares(db, clinicId, now);
}

/**
 * A share reception tied to the wrong patient and then corrected (patient_id may change, shared/
 * sync-rules-abdm.ts): its binding follows the share (or is withdrawn when the share is untied), and
 * the old patient's pending links for that ABHA fail, so the wrong patient keeps no verified ABHA and
 * the right one can link.
 */
async function rebindMovedShares(db: ServerDb, clinicId: string, now: number): Promise<void> {
  const moved = await db
    .select({ data: rows.data, id: abdmVerifiedAbha.id, boundTo: abdmVerifiedAbha.patientId, abhaAddress: abdmVerifiedAbha.abhaAddress })
    .from(rows)
    .innerJoin(abdmVerifiedAbha, eq(abdmVerifiedAbha.shareId, rows.rowId))
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'abdm_profile_shares'), sql`coalesce(${rows.data}->>'patient_id', '') <> coalesce(${abdmVerifiedAbha.patientId}, '')`));
  for (const m of moved) {
    const to = typeof m.data.patient_id === 'string' && m.data.patient_id ? m.data.patient_id : null;
    await db.transaction(async (tx) => {
      if (to) await tx.update(abdmVerifiedAbha).set({ patientId: to, boundAt: new Date(now) }).where(eq(abdmVerifiedAbha.id, m.id));
      else await tx.delete(abdmVerifiedAbha).where(eq(abdmVerifiedAbha.id, m.id));
      if (m.boundTo && m.abhaAddress) {
        await tx
          .update(abdmCareContextLinks)
          .set({ state: 'failed', lastError: `the Scan & Share profile of ${m.abhaAddress} was moved to another patient at the desk` })
          .where(and(eq(abdmCareContextLinks.clinicId, clinicId), eq(abdmCareContextLinks.patientId, m.boundTo), eq(abdmCareContextLinks.state, 'pending'), sql`lower(${abdmCareContextLinks.abhaAddress}) = ${m.abhaAddress}`));
      }
    });
  }
}

/** The verified ABHAs of some patients, by patient id. */
export async function verifiedFor(db: ServerDb, clinicId: string, patientIds: string[]): Promise<Map<string, VerifiedAbhaRow[]>> {
  const out = new Map<string, VerifiedAbhaRow[]>();
  if (patientIds.length === 0) return out;
  const found = await db.select().from(abdmVerifiedAbha).where(and(eq(abdmVerifiedAbha.clinicId, clinicId), inArray(abdmVerifiedAbha.patientId, patientIds)));
  for (const v of found) out.set(v.patientId!, [...(out.get(v.patientId!) ?? []), v]);
  return out;
}

/**
 * The patient as the server may present them to ABDM: the ABHA address and number kept only when
 * the server verified that very value for this patient; an unverified one is dropped (null).
 */
export function trusted(p: PatientFacts, verified: readonly VerifiedAbhaRow[] | undefined): PatientFacts {
  const vs = verified ?? [];
  const address = p.abhaAddress && vs.some((v) => v.abhaAddress === lower(p.abhaAddress)) ? p.abhaAddress.toLowerCase() : null;
  const number = p.abhaNumber && vs.some((v) => v.abhaNumber !== null && v.abhaNumber === digits(p.abhaNumber)) ? p.abhaNumber : null;
  return { ...p, abhaAddress: address, abhaNumber: number };
}

/** Like `trusted`, for many patients in one query. */
export async function trustedPatients(db: ServerDb, clinicId: string, patients: PatientFacts[]): Promise<PatientFacts[]> {
  const withAbha = patients.filter((p) => p.abhaAddress || p.abhaNumber).map((p) => p.id);
  const verified = await verifiedFor(db, clinicId, withAbha);
  return patients.map((p) => trusted(p, verified.get(p.id)));
}
