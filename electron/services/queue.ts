import { and, asc, eq, gte, inArray, isNull, lte, ne, sql } from 'drizzle-orm';
import { appointments, consultations, patients, users, visits, type Priority, type QueueStatus } from '../../db/schema';
import { ApiFailure, type AuthedContext } from '../core/context';
import { ageOn } from '../../shared/clinic-time';
import { displayName, indexPatient } from './patient-search';
import { requirePatient } from './patients';
import { hasPermission } from '../../shared/permissions';
import { getWorkstation } from './workstation';
import { cachedStatement } from '../../db/cached-statement';

type Ctx = AuthedContext;

export interface CheckInInput {
  patientId: string;
  doctorId?: string | undefined;
  appointmentId?: string | undefined;
  priority?: Priority | undefined;
  /**
   * The token the patient already holds (an ABDM Scan & Share token, "SHARE-3", services/abdm-shares.ts),
   * used instead of the desk's next number. Never from the API.
   */
  heldToken?: { label: string; no: number } | undefined;
}

/**
 * Checks a patient in (with an appointment or as a walk-in) and issues the next token for that
 * doctor today. Tokens count per doctor per day within this workstation's prefix.
 */
export function checkIn(ctx: Ctx, input: CheckInInput) {
  const patient = requirePatient(ctx, input.patientId);
  const today = ctx.today();
  let doctorId = input.doctorId;
  let priority: Priority = input.priority ?? 'regular';
  // Checked in from the patient card (no appointment named): a booking today with this doctor is
  // still this visit's, or it stays 'scheduled' and becomes a no-show at day end.
  const appointmentId = input.appointmentId ?? (doctorId ? bookedToday(ctx, patient.id, doctorId, today) : undefined);
  if (appointmentId) {
    const appt = ctx.db.select().from(appointments).where(eq(appointments.id, appointmentId)).get();
    if (!appt || appt.deletedAt !== null || appt.patientId !== input.patientId) {
      throw new ApiFailure('not_found', 'That appointment is not this patient’s.', { appointmentId: 'Not this patient’s appointment' });
    }
    if (appt.date !== today) throw new ApiFailure('conflict', `That appointment is for ${appt.date}, not today.`, { appointmentId: 'Not today' });
    if (appt.status !== 'scheduled' && appt.status !== 'confirmed') {
      throw new ApiFailure('conflict', `That appointment is already ${appt.status}.`, { appointmentId: `Already ${appt.status}` });
    }
    if (doctorId && doctorId !== appt.doctorId) {
      throw new ApiFailure('invalid_input', 'The appointment is with another doctor.', { doctorId: 'Differs from the appointment' });
    }
    doctorId = appt.doctorId;
    priority = input.priority ?? appt.priority;
    ctx.write.update(appointments, appt.id, { status: 'checked-in' });
  }
  if (!doctorId) throw new ApiFailure('invalid_input', 'doctorId: Choose the doctor', { doctorId: 'Choose the doctor' });
  // Only the name is shown: one query, not getDoctor's four (profile, sittings, leaves); the three
  // reads of a check-in run on statements compiled once (issue #20).
  const doctorRow = cachedStatement(ctx.sqlite, 'SELECT full_name, roles FROM users WHERE id = ?').get(doctorId) as { full_name: string; roles: string } | undefined;
  const doctor = doctorRow ? { fullName: doctorRow.full_name, roles: JSON.parse(doctorRow.roles) as string[] } : undefined;
  if (!doctor || !doctor.roles.includes('doctor')) throw new ApiFailure('not_found', 'No such doctor.', { doctorId: 'No such doctor' });
  const already = cachedStatement(
    ctx.sqlite,
    "SELECT token_label FROM visits WHERE patient_id = ? AND doctor_id = ? AND date = ? AND status IN ('waiting', 'with-doctor') AND deleted_at IS NULL LIMIT 1",
    'pluck',
  ).get(patient.id, doctorId, today) as string | undefined;
  if (already !== undefined) {
    throw new ApiFailure('conflict', `${displayName(patient)} is already in ${doctor.fullName}'s queue with token ${already}.`, {
      patientId: 'Already in this queue',
    });
  }
  const prefix = getWorkstation(ctx.db).tokenPrefix;
  // Tokens count within this desk's prefix ("B-7"); a desk without one numbers plainly ("7").
  const lastNo = (prefix
    ? cachedStatement(ctx.sqlite, 'SELECT max(token_no) FROM visits WHERE doctor_id = ? AND date = ? AND token_label LIKE ?', 'pluck').get(doctorId, today, `${prefix}-%`)
    : cachedStatement(ctx.sqlite, "SELECT max(token_no) FROM visits WHERE doctor_id = ? AND date = ? AND token_label NOT LIKE '%-%'", 'pluck').get(doctorId, today)) as number | null;
  const tokenNo = input.heldToken?.no ?? (lastNo ?? 0) + 1;
  const now = ctx.now();
  const visit = ctx.write.insert(visits, {
    patientId: patient.id,
    doctorId,
    date: today,
    tokenNo,
    tokenLabel: input.heldToken?.label ?? (prefix ? `${prefix}-${tokenNo}` : String(tokenNo)),
    appointmentId: appointmentId ?? null,
    priority,
    status: 'waiting',
    checkedInAt: now,
  });
  const updated = ctx.write.update(patients, patient.id, { lastVisitAt: now });
  indexPatient(ctx.sqlite, updated);
  // language: the token slip speaks the patient's (shared/token-slip.ts).
  return { visitId: visit.id, tokenNo, tokenLabel: visit.tokenLabel, doctorName: doctor.fullName, patientName: displayName(patient), date: today, priority, language: patient.preferredLanguage ?? null };
}

/** The patient's earliest booking today with this doctor not yet checked in, if any. */
function bookedToday(ctx: Ctx, patientId: string, doctorId: string, today: string): string | undefined {
  return ctx.db
    .select({ id: appointments.id })
    .from(appointments)
    .where(
      and(
        eq(appointments.patientId, patientId),
        eq(appointments.doctorId, doctorId),
        eq(appointments.date, today),
        inArray(appointments.status, ['scheduled', 'confirmed']),
        isNull(appointments.deletedAt),
      ),
    )
    .orderBy(asc(appointments.start), asc(appointments.createdAt))
    .get()?.id;
}

const PRIORITY_ORDER: Record<Priority, number> = { emergency: 0, urgent: 1, regular: 2 };
const STATUS_ORDER: Record<QueueStatus, number> = { 'with-doctor': 0, waiting: 1, done: 2, left: 3 };

export function listQueue(ctx: Ctx, input: { date?: string | undefined; doctorId?: string | undefined }) {
  const date = input.date ?? ctx.today();
  const where = [eq(visits.date, date), isNull(visits.deletedAt)];
  if (input.doctorId) where.push(eq(visits.doctorId, input.doctorId));
  const now = ctx.now();
  const rows = ctx.db
    .select({ v: visits, p: { givenName: patients.givenName, familyName: patients.familyName, mrn: patients.mrn, gender: patients.gender, dob: patients.dob }, doctorName: users.fullName })
    .from(visits)
    .innerJoin(patients, eq(patients.id, visits.patientId))
    .innerJoin(users, eq(users.id, visits.doctorId))
    .where(and(...where))
    .all();
  return rows
    .map(({ v, p, doctorName }) => ({
      visitId: v.id,
      tokenNo: v.tokenNo,
      tokenLabel: v.tokenLabel,
      patientId: v.patientId,
      patientName: displayName(p),
      mrn: p.mrn,
      gender: p.gender,
      age: ageOn(p.dob, date),
      doctorId: v.doctorId,
      doctorName,
      priority: v.priority,
      status: v.status,
      appointmentId: v.appointmentId,
      checkedInAt: v.checkedInAt,
      calledAt: v.calledAt,
      finishedAt: v.finishedAt,
      followUpDate: v.followUpDate,
      waitingMinutes: Math.max(0, Math.round(((v.calledAt ?? (v.status === 'waiting' ? now : v.finishedAt ?? now)) - v.checkedInAt) / 60_000)),
    }))
    .sort(
      (a, b) =>
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        (a.status === 'waiting' ? PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] : 0) ||
        a.checkedInAt - b.checkedInAt,
    );
}

const NEXT: Record<QueueStatus, QueueStatus[]> = {
  waiting: ['with-doctor', 'left'],
  'with-doctor': ['done', 'waiting', 'left'],
  done: [],
  left: ['waiting'],
};

/**
 * Reception and administrators run every doctor's queue; a doctor runs their own. Another doctor's
 * patient marked "left" would vanish from that doctor's list without them knowing.
 */
function requireQueueOf(ctx: Ctx, visit: { doctorId: string; tokenLabel: string }) {
  const session = ctx.session;
  if (!session) throw new ApiFailure('unauthenticated', 'Please log in.');
  if (hasPermission(session.roles, 'queue.manageAll') || visit.doctorId === session.userId) return;
  throw new ApiFailure('forbidden', `Token ${visit.tokenLabel} is in another doctor's queue; ask reception to change it.`, { visitId: "Another doctor's patient" });
}

/**
 * What callNext and checkIn refuse, refused here too ("Send in", "Back to waiting"): a doctor sees
 * one patient at a time, and a patient holds one live token per doctor a day.
 */
function requireSameRulesAsCheckIn(ctx: Ctx, v: { id: string; patientId: string; doctorId: string; date: string; tokenLabel: string; status: QueueStatus }, to: QueueStatus) {
  const sameDay = [eq(visits.doctorId, v.doctorId), eq(visits.date, v.date), ne(visits.id, v.id), isNull(visits.deletedAt)];
  if (to === 'with-doctor') {
    const busy = ctx.db.select({ tokenLabel: visits.tokenLabel }).from(visits).where(and(...sameDay, eq(visits.status, 'with-doctor'))).get();
    if (busy) {
      throw new ApiFailure('conflict', `Token ${busy.tokenLabel} is still with the doctor. Complete that visit (or send them back) before sending in token ${v.tokenLabel}.`, {
        status: `Token ${busy.tokenLabel} is with the doctor`,
      });
    }
  }
  if (v.status === 'left' && to === 'waiting') {
    const again = ctx.db
      .select({ tokenLabel: visits.tokenLabel })
      .from(visits)
      .where(and(...sameDay, eq(visits.patientId, v.patientId), inArray(visits.status, ['waiting', 'with-doctor'])))
      .get();
    if (again) {
      throw new ApiFailure('conflict', `This patient was checked in again with token ${again.tokenLabel}; token ${v.tokenLabel} stays left.`, {
        status: `Checked in again as ${again.tokenLabel}`,
      });
    }
  }
}

export function setQueueStatus(ctx: Ctx, input: { visitId: string; status: QueueStatus }) {
  const v = ctx.db.select().from(visits).where(eq(visits.id, input.visitId)).get();
  if (!v || v.deletedAt !== null) throw new ApiFailure('not_found', 'No such queue entry.', { visitId: 'No such queue entry' });
  requireQueueOf(ctx, v);
  if (!NEXT[v.status].includes(input.status)) {
    throw new ApiFailure('conflict', `Token ${v.tokenLabel} is ${v.status}; it cannot become ${input.status}.`, { status: `Not allowed from ${v.status}` });
  }
  requireSameRulesAsCheckIn(ctx, v, input.status);
  const now = ctx.now();
  const patch =
    input.status === 'with-doctor'
      ? { status: input.status, calledAt: now }
      : input.status === 'done' || input.status === 'left'
        ? { status: input.status, finishedAt: now }
        : { status: input.status, calledAt: null, finishedAt: null };
  const row = ctx.write.update(visits, v.id, patch);
  if (v.appointmentId) {
    const apptStatus = { 'with-doctor': 'in-consultation', done: 'completed', waiting: 'checked-in', left: 'checked-in' } as const;
    ctx.write.update(appointments, v.appointmentId, { status: apptStatus[input.status] });
  }
  return { visitId: row.id, status: row.status, tokenLabel: row.tokenLabel };
}

export function setFollowUp(ctx: Ctx, input: { visitId: string; followUpDate: string | null }) {
  const v = ctx.db.select().from(visits).where(eq(visits.id, input.visitId)).get();
  if (!v || v.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  requireQueueOf(ctx, v);
  const signed = ctx.db
    .select({ id: consultations.id })
    .from(consultations)
    .where(and(eq(consultations.visitId, v.id), eq(consultations.status, 'completed'), isNull(consultations.deletedAt)))
    .get();
  if (signed) {
    throw new ApiFailure('conflict', 'The doctor has completed this visit; its follow-up is changed by amending the consultation.', {
      followUpDate: 'Set in the completed consultation',
    });
  }
  if (input.followUpDate !== null && input.followUpDate <= v.date) {
    throw new ApiFailure('invalid_input', 'followUpDate: The follow-up must be after the visit', { followUpDate: 'Must be after the visit day' });
  }
  const row = ctx.write.update(visits, v.id, { followUpDate: input.followUpDate });
  return { visitId: row.id, followUpDate: row.followUpDate };
}

/** Patients a doctor asked to see again between two days, who have not been back since. */
export function followUpsDue(ctx: Ctx, from: string, to: string) {
  const rows = ctx.db
    .select({ v: visits, p: { givenName: patients.givenName, familyName: patients.familyName, mrn: patients.mrn, mobile: patients.mobile }, doctorName: users.fullName })
    .from(visits)
    .innerJoin(patients, eq(patients.id, visits.patientId))
    .innerJoin(users, eq(users.id, visits.doctorId))
    .where(and(gte(visits.followUpDate, from), lte(visits.followUpDate, to), isNull(visits.deletedAt)))
    .orderBy(asc(visits.followUpDate))
    .all();
  return rows
    .filter(({ v }) => {
      const since = ctx.db
        .select({ id: visits.id })
        .from(visits)
        .where(and(eq(visits.patientId, v.patientId), eq(visits.doctorId, v.doctorId), sql`${visits.date} > ${v.date}`, isNull(visits.deletedAt)))
        .get();
      return !since;
    })
    .map(({ v, p, doctorName }) => ({
      visitId: v.id,
      patientId: v.patientId,
      patientName: displayName(p),
      mrn: p.mrn,
      mobile: p.mobile,
      doctorId: v.doctorId,
      doctorName,
      lastVisit: v.date,
      followUpDate: v.followUpDate!,
    }));
}
