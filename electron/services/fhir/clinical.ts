import { asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/open';
import { consultationAmendments, consultations, doctorProfiles, facility, users, type ConsultationNote, type Diagnosis } from '../../../db/schema';
import { EMPTY_NOTE, effectiveNote } from '../consultations';
import { ICD10, PROFILE, type ClinicCard, type DoctorCard, type Json, type Resource } from '../fhir';

/* Clinical pieces the PrescriptionRecord and the OPConsultRecord share. */

const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

/** The visit's consultation and its note as it stands now (with amendments); null when there is none. */
export function consultationOf(db: Db, visitId: string): { row: typeof consultations.$inferSelect; note: ConsultationNote } | null {
  const c = db.select().from(consultations).where(eq(consultations.visitId, visitId)).get();
  if (!c || c.deletedAt !== null) return null;
  const amendments = db
    .select({ changes: consultationAmendments.changes })
    .from(consultationAmendments)
    .where(eq(consultationAmendments.consultationId, c.id))
    .orderBy(asc(consultationAmendments.createdAt))
    .all();
  return { row: c, note: effectiveNote({ ...EMPTY_NOTE, ...c.note }, amendments) };
}

/** The diagnoses of the visit as the note stands now (with amendments). */
export function diagnosesOf(db: Db, visitId: string): Diagnosis[] {
  const note = consultationOf(db, visitId)?.note;
  return (note?.diagnoses ?? []).filter((d) => d.title.trim() !== '' || (d.code ?? '').trim() !== '');
}

/** The doctor as the documents name them: name, registration, HPR ID. */
export function doctorCard(db: Db, userId: string): DoctorCard {
  const u = db.select({ fullName: users.fullName }).from(users).where(eq(users.id, userId)).get();
  const p = db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, userId)).get();
  return {
    name: u?.fullName ?? '',
    registrationNumber: p?.registrationNumber ?? null,
    registrationCouncil: p?.registrationCouncil ?? null,
    qualifications: p?.qualifications ?? null,
    hprId: p?.hprId ?? null,
  };
}

export function clinicCard(db: Db): ClinicCard {
  const f = db.select().from(facility).where(isNull(facility.deletedAt)).get();
  return { name: f?.name ?? '', address: f?.address ?? '', phone: f?.phone ?? '', hfrId: f?.hfrId ?? null, gstin: f?.letterhead.gstin?.trim() || null };
}

/**
 * A diagnosis as a Condition (NRCeS Condition: code 1..1, codings only ICD-10 or SNOMED CT):
 * ICD-10 where the doctor picked a code, else text only.
 */
export function diagnosisCondition(d: Diagnosis, r: { id: string; patient: Json; encounter?: Json; recordedDate: string }): Resource {
  const code = d.code?.trim() ?? '';
  const title = d.title.trim() || code;
  return {
    resourceType: 'Condition',
    id: r.id,
    meta: { profile: [`${PROFILE}/Condition`] },
    clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: 'active', display: 'Active' }] },
    category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }] }],
    code: code ? { coding: [{ system: ICD10, code, display: title }], text: title } : { text: title },
    subject: r.patient,
    ...(r.encounter ? { encounter: r.encounter } : {}),
    recordedDate: r.recordedDate,
    ...(d.note?.trim() ? { note: [{ text: d.note.trim() }] } : {}),
  };
}
