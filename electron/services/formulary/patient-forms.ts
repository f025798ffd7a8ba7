import { and, desc, eq, isNull } from 'drizzle-orm';
import { consultations, patients, visits } from '../../../db/schema';
import { ageOn } from '../../../shared/clinic-time';
import { ApiFailure, type AuthedContext } from '../../core/context';
import { requireClinicalAccess } from '../consultations';

/* Which formulations suit the patient a drug is being searched for. */

/** 'adult': tablets and capsules first; 'child': syrups, suspensions and drops first; null: no preference. */
export type FormPreference = 'adult' | 'child' | null;

/** A child takes adult forms from 12 years, or earlier once weighed at 40 kg or more (dosed as an adult). */
export const CHILD_UNDER_YEARS = 12;
export const ADULT_FROM_KG = 40;

export function formPreference(ageYears: number | null, weightKg: number | null): FormPreference {
  if (ageYears === null) return null;
  if (ageYears >= CHILD_UNDER_YEARS) return 'adult';
  return weightKg !== null && weightKg >= ADULT_FROM_KG ? 'adult' : 'child';
}

/**
 * The patient of a visit as the drug search needs them: age on the visit's day and the latest
 * recorded weight. Only for someone whose clinical record of that patient is open to them.
 */
export function searchPatientOf(ctx: AuthedContext, visitId: string): { ageYears: number; weightKg: number | null } {
  const visit = ctx.db.select({ patientId: visits.patientId, date: visits.date }).from(visits).where(and(eq(visits.id, visitId), isNull(visits.deletedAt))).get();
  if (!visit) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  requireClinicalAccess(ctx, visit.patientId);
  const patient = ctx.db.select({ dob: patients.dob }).from(patients).where(eq(patients.id, visit.patientId)).get();
  if (!patient) throw new ApiFailure('not_found', 'No such patient.', { visitId: 'No such patient' });
  const notes = ctx.db
    .select({ note: consultations.note })
    .from(consultations)
    .where(and(eq(consultations.patientId, visit.patientId), isNull(consultations.deletedAt)))
    .orderBy(desc(consultations.createdAt))
    .limit(5)
    .all();
  const weight = notes.map((n) => n.note.vitals?.weightKg).find((w): w is number => typeof w === 'number' && w > 0) ?? null;
  return { ageYears: ageOn(patient.dob, visit.date), weightKg: weight };
}
