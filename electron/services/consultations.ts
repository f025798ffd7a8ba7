import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import {
  appointments,
  consultationAmendments,
  facility,
  consultations,
  labOrders,
  labResults,
  labTests,
  patients,
  users,
  visits,
  type ConsultationNote,
  type Vitals,
} from '../../db/schema';
import type { Row } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { addDays, ageOn } from '../../shared/clinic-time';
import { recordCareContext } from './abdm-care-contexts';
import { forgetPersonalCodes } from './icd10-personal';
import { displayName } from './patient-search';
import { bmiOf, DEFAULT_TEMPERATURE_UNIT, outOfRangeVitals, vitalClashes, vitalWarnings, type NumericVital, type TemperatureUnit } from '../../shared/vitals';

type Ctx = AuthedContext;
type VisitRow = Row<typeof visits>;
type ConsultationRow = Row<typeof consultations>;

export const EMPTY_NOTE: ConsultationNote = {
  vitals: {},
  chiefComplaints: [],
  historyOfPresentIllness: '',
  pastHistory: '',
  examination: '',
  diagnoses: [],
  investigations: '',
  treatmentPlan: '',
  advice: '',
  referral: '',
  followUpDate: null,
};

/**
 * Clinical records are for doctors (and the administrator). A doctor reads the record of a
 * patient they have seen or are seeing; only the visit's own doctor writes its consultation.
 */
export function requireClinicalAccess(ctx: Ctx, patientId: string): void {
  const s = ctx.session;
  if (!s) throw new ApiFailure('unauthenticated', 'Please log in.');
  if (s.roles.includes('admin')) return;
  const seen = ctx.db
    .select({ id: visits.id })
    .from(visits)
    .where(and(eq(visits.patientId, patientId), eq(visits.doctorId, s.userId), isNull(visits.deletedAt)))
    .get();
  if (!seen) {
    throw new ApiFailure('forbidden', 'This patient has no visit with you, so their clinical record is not open to you.');
  }
}

function requireVisit(ctx: Ctx, visitId: string): VisitRow {
  const v = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!v || v.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  return v;
}

function requireOwnVisit(ctx: Ctx, visitId: string): VisitRow {
  const v = requireVisit(ctx, visitId);
  if (v.doctorId !== ctx.session?.userId) {
    throw new ApiFailure('forbidden', 'Only the doctor the patient is checked in with can write this consultation.');
  }
  return v;
}

function consultationOf(ctx: Ctx, visitId: string): ConsultationRow | undefined {
  return ctx.db.select().from(consultations).where(and(eq(consultations.visitId, visitId), isNull(consultations.deletedAt))).get();
}

export function amendmentsOf(ctx: Pick<Ctx, 'db'>, consultationId: string) {
  return ctx.db
    .select({ id: consultationAmendments.id, at: consultationAmendments.createdAt, reason: consultationAmendments.reason, changes: consultationAmendments.changes, authorName: users.fullName })
    .from(consultationAmendments)
    .innerJoin(users, eq(users.id, consultationAmendments.authorId))
    .where(eq(consultationAmendments.consultationId, consultationId))
    .orderBy(asc(consultationAmendments.createdAt))
    .all();
}

/** The note as it stands now: the original with every amendment applied in order. */
export function effectiveNote(original: ConsultationNote, amendments: { changes: Record<string, { after: unknown }> }[]): ConsultationNote {
  const note: Record<string, unknown> = { ...EMPTY_NOTE, ...original };
  for (const a of amendments) for (const [field, change] of Object.entries(a.changes)) note[field] = change.after;
  return note as unknown as ConsultationNote;
}

/** The clinic's temperature unit (facility letterhead settings); °F, as Indian clinics use, when not set. */
export function temperatureUnitOf(ctx: Pick<Ctx, 'db'>): TemperatureUnit {
  const row = ctx.db.select({ letterhead: facility.letterhead }).from(facility).where(isNull(facility.deletedAt)).get();
  return row?.letterhead.temperatureUnit ?? DEFAULT_TEMPERATURE_UNIT;
}

/** A follow-up must be after the visit day. */
function followUpProblem(note: ConsultationNote, visit: VisitRow): string | null {
  return note.followUpDate !== null && note.followUpDate <= visit.date ? 'The follow-up must be after the visit day' : null;
}

/**
 * An amendment is one deliberate change: any impossible value refuses all of it, naming the field.
 * Two readings that clash name the one(s) this amendment changes, not the one recorded before.
 */
function checkNote(ctx: Ctx, note: ConsultationNote, visit: VisitRow, before: ConsultationNote) {
  const unit = temperatureUnitOf(ctx);
  const fields: Record<string, string> = Object.fromEntries(Object.entries(outOfRangeVitals(note.vitals, unit)).map(([k, v]) => [`note.vitals.${k}`, v]));
  for (const clash of vitalClashes(note.vitals)) {
    const changed = clash.fields.filter((k) => (note.vitals[k] ?? null) !== (before.vitals[k] ?? null));
    for (const k of changed.length > 0 ? changed : [clash.blamed]) fields[`note.vitals.${k}`] ??= clash.why(k);
  }
  const followUp = followUpProblem(note, visit);
  if (followUp) fields['note.followUpDate'] = followUp;
  if (Object.keys(fields).length > 0) {
    const [k, v] = Object.entries(fields)[0]!;
    throw new ApiFailure('invalid_input', `${k}: ${v}`, fields);
  }
  return vitalWarnings(note.vitals, unit);
}

/**
 * Autosave keeps what can be kept: an impossible field keeps its last saved value (or none) and is
 * reported, while everything else in the note is saved, so one mistyped pulse loses no diagnosis.
 * Every typed value not saved is in `rejected`, with why.
 */
function keepPossible(note: ConsultationNote, saved: ConsultationNote, visit: VisitRow, unit: TemperatureUnit) {
  const rejected: Record<string, string> = {};
  const vitals: Vitals = { ...note.vitals };
  for (const [key, why] of Object.entries(outOfRangeVitals(note.vitals, unit)) as [NumericVital, string][]) {
    vitals[key] = saved.vitals[key] ?? null;
    rejected[`note.vitals.${key}`] = why;
  }
  // Two readings that clash (a new systolic of 70 against the saved diastolic of 80): the one changed
  // in this save is the suspect, so it keeps its saved value and is named; the saved one stands.
  // Both changed: both are named and both keep their saved values, which agreed when saved.
  for (const clash of vitalClashes(vitals)) {
    const changed = clash.fields.filter((k) => (vitals[k] ?? null) !== (saved.vitals[k] ?? null));
    for (const k of changed) rejected[`note.vitals.${k}`] = clash.why(k);
    for (const k of changed) vitals[k] = saved.vitals[k] ?? null;
  }
  const followUp = followUpProblem(note, visit);
  if (followUp) rejected['note.followUpDate'] = followUp;
  return { note: { ...note, vitals, followUpDate: followUp ? saved.followUpDate : note.followUpDate }, rejected };
}

function labsOf(ctx: Ctx, visitId: string) {
  const orders = ctx.db
    .select({ o: labOrders, t: { name: labTests.name, code: labTests.code, unit: labTests.unit, referenceRange: labTests.referenceRange } })
    .from(labOrders)
    .innerJoin(labTests, eq(labTests.id, labOrders.testId))
    .where(and(eq(labOrders.visitId, visitId), isNull(labOrders.deletedAt)))
    .orderBy(asc(labOrders.createdAt))
    .all();
  const results = orders.length
    ? ctx.db.select().from(labResults).where(inArray(labResults.orderId, orders.map((o) => o.o.id))).orderBy(desc(labResults.resultedAt)).all()
    : [];
  return orders.map(({ o, t }) => {
    const r = results.find((x) => x.orderId === o.id);
    return {
      orderId: o.id,
      testCode: t.code,
      testName: t.name,
      status: o.status,
      result: r ? { value: r.value, unit: r.unit ?? t.unit, referenceRange: r.referenceRange ?? t.referenceRange, abnormal: r.abnormal, resultedAt: r.resultedAt } : null,
    };
  });
}

/** Everything the doctor's screen needs for one visit. Reading it is audited. */
export function getConsultation(ctx: Ctx, visitId: string) {
  const visit = requireVisit(ctx, visitId);
  requireClinicalAccess(ctx, visit.patientId);
  const patient = ctx.db.select().from(patients).where(eq(patients.id, visit.patientId)).get()!;
  const row = consultationOf(ctx, visitId);
  const amendments = row ? amendmentsOf(ctx, row.id) : [];
  const original = row ? { ...EMPTY_NOTE, ...row.note } : EMPTY_NOTE;
  const note = effectiveNote(original, amendments);
  ctx.describe({ entityType: 'consultations', entityId: row?.id ?? visitId, detail: `patient ${patient.mrn}` });
  return {
    visit: { id: visit.id, date: visit.date, tokenLabel: visit.tokenLabel, status: visit.status, doctorId: visit.doctorId },
    patient: {
      id: patient.id,
      name: displayName(patient),
      mrn: patient.mrn,
      gender: patient.gender,
      age: ageOn(patient.dob, visit.date),
      allergies: patient.allergies,
      noKnownAllergies: patient.noKnownAllergies,
      chronicConditions: patient.chronicConditions,
      currentMedications: patient.currentMedications,
    },
    consultation: row ? { id: row.id, status: row.status, completedAt: row.completedAt, updatedAt: row.updatedAt, bmi: bmiOf(note.vitals) } : null,
    original,
    note,
    amendments,
    labs: labsOf(ctx, visitId),
    temperatureUnit: temperatureUnitOf(ctx),
    warnings: vitalWarnings(note.vitals, temperatureUnitOf(ctx)),
  };
}

/** Parts of the note replace what was there; vitals merge field by field (null clears one). */
function mergeNote(base: ConsultationNote, patch: Partial<ConsultationNote>): ConsultationNote {
  const merged = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) merged[k] = v;
  if (patch.vitals) merged.vitals = { ...base.vitals, ...patch.vitals };
  return merged as unknown as ConsultationNote;
}

/** "Review in N days" as a date. */
export function reviewIn(visitDate: string, days: number): string {
  return addDays(visitDate, days);
}

/** Autosave: a draft is created or updated with whatever the doctor has typed so far. */
export function saveConsultation(ctx: Ctx, input: { visitId: string; note: Partial<ConsultationNote>; reviewInDays?: number | undefined }) {
  const visit = requireOwnVisit(ctx, input.visitId);
  const existing = consultationOf(ctx, input.visitId);
  if (existing?.status === 'completed') {
    throw new ApiFailure('conflict', 'This consultation is completed and locked. Changes are made as an amendment.', { visitId: 'Completed: amend instead' });
  }
  const patch = input.reviewInDays !== undefined ? { ...input.note, followUpDate: reviewIn(visit.date, input.reviewInDays) } : input.note;
  // The follow-up can also be set from the queue (queue.setFollowUp): the visit holds the current
  // one, so a save that does not touch it keeps it rather than writing back an older value.
  const base = { ...(existing ? { ...EMPTY_NOTE, ...existing.note } : EMPTY_NOTE), followUpDate: visit.followUpDate };
  const unit = temperatureUnitOf(ctx);
  const { note, rejected } = keepPossible(mergeNote(base, patch), base, visit, unit);
  const warnings = vitalWarnings(note.vitals, unit);
  const bmi = bmiOf(note.vitals);
  const row = existing
    ? ctx.write.update(consultations, existing.id, { note, bmi })
    : ctx.write.insert(consultations, { visitId: visit.id, patientId: visit.patientId, doctorId: visit.doctorId, status: 'draft', note, bmi, completedAt: null });
  if (visit.followUpDate !== note.followUpDate) ctx.write.update(visits, visit.id, { followUpDate: note.followUpDate });
  if (patch.diagnoses) forgetPersonalCodes(ctx.sqlite, visit.doctorId);
  // `rejected`: the fields not saved, by path, each with why (the rest of the note was saved).
  return { consultationId: row.id, status: row.status, savedAt: row.updatedAt, bmi, followUpDate: note.followUpDate, warnings, rejected };
}

/** Signs the visit off: the note is locked, the patient leaves the queue as done. */
export function completeConsultation(ctx: Ctx, input: { visitId: string }) {
  const visit = requireOwnVisit(ctx, input.visitId);
  const existing = consultationOf(ctx, input.visitId);
  if (!existing) throw new ApiFailure('conflict', 'Nothing has been recorded for this visit yet.', { visitId: 'Nothing recorded yet' });
  if (existing.status === 'completed') throw new ApiFailure('conflict', 'This consultation is already completed.', { visitId: 'Already completed' });
  // A follow-up set from the queue (queue.setFollowUp) after the last autosave is on the visit only:
  // the locked note must carry it, as an amendment would be needed to add it later.
  const note = { ...EMPTY_NOTE, ...existing.note, followUpDate: visit.followUpDate };
  if (note.chiefComplaints.length === 0 && note.diagnoses.length === 0) {
    throw new ApiFailure('invalid_input', 'note.diagnoses: Record at least a complaint or a diagnosis before completing', {
      'note.diagnoses': 'Record at least a complaint or a diagnosis',
    });
  }
  const now = ctx.now();
  const followUpChanged = (existing.note.followUpDate ?? null) !== note.followUpDate;
  ctx.write.update(consultations, existing.id, followUpChanged ? { status: 'completed', completedAt: now, note } : { status: 'completed', completedAt: now });
  if (visit.status !== 'done') ctx.write.update(visits, visit.id, { status: 'done', finishedAt: now, calledAt: visit.calledAt ?? now });
  if (visit.appointmentId) ctx.write.update(appointments, visit.appointmentId, { status: 'completed' });
  // Its ABDM care context (FHIR records for the patient's PHR), in this same transaction.
  recordCareContext(ctx, visit.id);
  return { consultationId: existing.id, status: 'completed' as const, completedAt: now, followUpDate: note.followUpDate };
}

/** A change to a locked consultation, recorded beside the original, never over it. */
export function amendConsultation(ctx: Ctx, input: { visitId: string; note: Partial<ConsultationNote>; reason: string }) {
  const visit = requireOwnVisit(ctx, input.visitId);
  const row = consultationOf(ctx, input.visitId);
  if (!row || row.status !== 'completed') {
    throw new ApiFailure('conflict', 'Only a completed consultation is amended; a draft is simply edited.', { visitId: 'Not completed' });
  }
  const current = effectiveNote({ ...EMPTY_NOTE, ...row.note }, amendmentsOf(ctx, row.id));
  const next = mergeNote(current, input.note);
  checkNote(ctx, next, visit, current);
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const key of Object.keys(input.note) as (keyof ConsultationNote)[]) {
    if (JSON.stringify(current[key]) !== JSON.stringify(next[key])) changes[key] = { before: current[key], after: next[key] };
  }
  if (Object.keys(changes).length === 0) throw new ApiFailure('invalid_input', 'note: Nothing was changed', { note: 'Nothing was changed' });
  const amendment = ctx.write.insert(consultationAmendments, { consultationId: row.id, authorId: ctx.session.userId, reason: input.reason, changes });
  if (changes.followUpDate) ctx.write.update(visits, visit.id, { followUpDate: next.followUpDate });
  if (changes.diagnoses) forgetPersonalCodes(ctx.sqlite, visit.doctorId);
  return { amendmentId: amendment.id, changes, at: amendment.createdAt };
}

/** The doctor's own queue for today, and "call next". */
export function callNext(ctx: Ctx) {
  const doctorId = ctx.session.userId;
  const today = ctx.today();
  const busy = ctx.db
    .select({ tokenLabel: visits.tokenLabel })
    .from(visits)
    .where(and(eq(visits.doctorId, doctorId), eq(visits.date, today), eq(visits.status, 'with-doctor'), isNull(visits.deletedAt)))
    .get();
  if (busy) {
    throw new ApiFailure('conflict', `Token ${busy.tokenLabel} is still with you. Complete the visit (or send them back) before calling the next patient.`);
  }
  const waiting = ctx.db
    .select()
    .from(visits)
    .where(and(eq(visits.doctorId, doctorId), eq(visits.date, today), eq(visits.status, 'waiting'), isNull(visits.deletedAt)))
    .all();
  const order = { emergency: 0, urgent: 1, regular: 2 } as const;
  const next = waiting.sort((a, b) => order[a.priority] - order[b.priority] || a.checkedInAt - b.checkedInAt)[0];
  if (!next) throw new ApiFailure('not_found', 'Nobody is waiting for you right now.');
  ctx.write.update(visits, next.id, { status: 'with-doctor', calledAt: ctx.now() });
  if (next.appointmentId) ctx.write.update(appointments, next.appointmentId, { status: 'in-consultation' });
  return { visitId: next.id, tokenLabel: next.tokenLabel, patientId: next.patientId };
}

/** The note of a visit as it stands now (amendments applied), or an empty one. */
export function currentNoteOf(ctx: Pick<Ctx, 'db'>, visitId: string): ConsultationNote {
  const row = ctx.db.select().from(consultations).where(and(eq(consultations.visitId, visitId), isNull(consultations.deletedAt))).get();
  return row ? effectiveNote({ ...EMPTY_NOTE, ...row.note }, amendmentsOf(ctx, row.id)) : EMPTY_NOTE;
}
