import { and, asc, eq, inArray, isNull, lt, notInArray, type SQL } from 'drizzle-orm';
import { appointments, doctorSchedules, patients, users, type Priority, type VisitMode } from '../../db/schema';
import { ApiFailure, type AuthedContext } from '../core/context';
import { formatDay, localTime, minutesOf, timeOf, weekday } from '../../shared/clinic-time';
import { getDoctor, leaveOn } from './doctors';
import { displayName } from './patient-search';
import { requirePatient } from './patients';
import { getWorkstation, nextInSeries } from './workstation';

type Ctx = AuthedContext;

/** Appointments that no longer hold a place in a slot. */
const RELEASED = ['cancelled', 'no-show', 'needs-rebook'] as const;

export interface Slot {
  start: string;
  end: string;
  mode: VisitMode;
  capacity: number;
  booked: number;
  free: number;
  /** The slot has already ended today. */
  past: boolean;
}

export interface DaySlots {
  doctorId: string;
  date: string;
  onLeave: { fromDate: string; toDate: string; reason: string | null } | null;
  slots: Slot[];
}

/** Free places per slot for a doctor and day: the weekly timetable, minus leave, minus bookings. */
export function computeSlots(ctx: Ctx, doctorId: string, date: string): DaySlots {
  getDoctor(ctx, doctorId);
  const leave = leaveOn(ctx, doctorId, date);
  if (leave) return { doctorId, date, onLeave: { fromDate: leave.fromDate, toDate: leave.toDate, reason: leave.reason }, slots: [] };
  const sittings = ctx.db
    .select()
    .from(doctorSchedules)
    .where(and(eq(doctorSchedules.doctorId, doctorId), eq(doctorSchedules.weekday, weekday(date)), isNull(doctorSchedules.deletedAt)))
    .orderBy(asc(doctorSchedules.start))
    .all();
  const bookings = ctx.db
    .select({ start: appointments.start })
    .from(appointments)
    .where(
      and(
        eq(appointments.doctorId, doctorId),
        eq(appointments.date, date),
        isNull(appointments.deletedAt),
        notInArray(appointments.status, [...RELEASED]),
      ),
    )
    .all();
  const count = new Map<string, number>();
  for (const b of bookings) count.set(b.start, (count.get(b.start) ?? 0) + 1);
  const today = ctx.today();
  const nowMinutes = minutesOf(localTime(ctx.now(), ctx.settings.timeZone));
  const slots: Slot[] = [];
  for (const s of sittings) {
    for (let t = minutesOf(s.start); t + s.slotMinutes <= minutesOf(s.end); t += s.slotMinutes) {
      const start = timeOf(t);
      const booked = count.get(start) ?? 0;
      slots.push({
        start,
        end: timeOf(t + s.slotMinutes),
        mode: s.mode,
        capacity: s.maxPerSlot,
        booked,
        free: Math.max(0, s.maxPerSlot - booked),
        past: date < today || (date === today && t + s.slotMinutes <= nowMinutes),
      });
    }
  }
  return { doctorId, date, onLeave: null, slots };
}

function requireFreeSlot(ctx: Ctx, doctorId: string, date: string, start: string): Slot {
  const day = computeSlots(ctx, doctorId, date);
  const doctor = getDoctor(ctx, doctorId).fullName;
  if (day.onLeave) {
    throw new ApiFailure('conflict', `${doctor} is on leave on ${formatDay(date)}${day.onLeave.reason ? ` (${day.onLeave.reason})` : ''}. Choose another day.`, {
      date: 'The doctor is on leave',
    });
  }
  const slot = day.slots.find((s) => s.start === start);
  if (!slot) {
    throw new ApiFailure('invalid_input', `${doctor} has no ${start} slot on ${formatDay(date)}. Choose one of the listed slots.`, {
      start: 'Not one of the doctor’s slots on this day',
    });
  }
  if (slot.past) throw new ApiFailure('conflict', `The ${start} slot on ${formatDay(date)} is already over.`, { start: 'This slot is over' });
  if (slot.free === 0) {
    throw new ApiFailure(
      'conflict',
      `The ${start} slot with ${doctor} on ${formatDay(date)} is full (${slot.booked} of ${slot.capacity} booked). Choose another slot.`,
      { start: 'This slot is full' },
    );
  }
  return slot;
}

export interface BookInput {
  patientId: string;
  doctorId: string;
  date: string;
  start: string;
  priority: Priority;
  reason?: string | null | undefined;
}

function book(ctx: Ctx, input: BookInput, rescheduledFrom: string | null) {
  const patient = requirePatient(ctx, input.patientId);
  const slot = requireFreeSlot(ctx, input.doctorId, input.date, input.start);
  const clash = ctx.db
    .select({ start: appointments.start })
    .from(appointments)
    .where(
      and(
        eq(appointments.patientId, input.patientId),
        eq(appointments.doctorId, input.doctorId),
        eq(appointments.date, input.date),
        isNull(appointments.deletedAt),
        inArray(appointments.status, ['scheduled', 'confirmed']),
      ),
    )
    .get();
  if (clash) {
    throw new ApiFailure('conflict', `${displayName(patient)} already has an appointment at ${clash.start} that day with this doctor.`, {
      start: 'Already booked this day',
    });
  }
  const ref = `${getWorkstation(ctx.db).seriesPrefix}-B${String(nextInSeries(ctx.db, 'booking')).padStart(6, '0')}`;
  const row = ctx.write.insert(appointments, {
    bookingRef: ref,
    patientId: input.patientId,
    doctorId: input.doctorId,
    date: input.date,
    start: slot.start,
    end: slot.end,
    mode: slot.mode,
    priority: input.priority,
    status: 'scheduled',
    reason: input.reason ?? null,
    rescheduledFrom,
    bookedBy: ctx.session?.userId ?? null,
  });
  return row;
}

export function bookAppointment(ctx: Ctx, input: BookInput) {
  return book(ctx, input, null);
}

function requireOpenAppointment(ctx: Ctx, id: string) {
  const appt = ctx.db.select().from(appointments).where(eq(appointments.id, id)).get();
  if (!appt || appt.deletedAt !== null) throw new ApiFailure('not_found', 'No such appointment.', { appointmentId: 'No such appointment' });
  if (appt.status !== 'scheduled' && appt.status !== 'confirmed' && appt.status !== 'needs-rebook') {
    throw new ApiFailure('conflict', `This appointment is already ${appt.status}.`, { appointmentId: `Already ${appt.status}` });
  }
  return appt;
}

/** A new appointment that points back at the old one; the old one is cancelled as rescheduled. */
export function rescheduleAppointment(ctx: Ctx, input: { appointmentId: string; date: string; start: string; reason?: string | null | undefined }) {
  const old = requireOpenAppointment(ctx, input.appointmentId);
  ctx.write.update(appointments, old.id, {
    status: 'cancelled',
    cancelReason: `Rescheduled to ${input.date} ${input.start}${input.reason ? `: ${input.reason}` : ''}`,
    cancelledBy: ctx.session?.userId ?? null,
    cancelledAt: ctx.now(),
  });
  return book(ctx, { patientId: old.patientId, doctorId: old.doctorId, date: input.date, start: input.start, priority: old.priority, reason: old.reason }, old.id);
}

export function cancelAppointment(ctx: Ctx, input: { appointmentId: string; reason: string }) {
  const appt = requireOpenAppointment(ctx, input.appointmentId);
  return ctx.write.update(appointments, appt.id, {
    status: 'cancelled',
    cancelReason: input.reason,
    cancelledBy: ctx.session?.userId ?? null,
    cancelledAt: ctx.now(),
  });
}

export function listAppointments(ctx: Ctx, input: { date: string; doctorId?: string | undefined }) {
  const where = [eq(appointments.date, input.date), isNull(appointments.deletedAt)];
  if (input.doctorId) where.push(eq(appointments.doctorId, input.doctorId));
  return listAppointmentsWhere(ctx, and(...where)!);
}

function listAppointmentsWhere(ctx: Ctx, where: SQL) {
  const rows = ctx.db
    .select({ a: appointments, p: { givenName: patients.givenName, familyName: patients.familyName, mrn: patients.mrn, mobile: patients.mobile }, doctorName: users.fullName })
    .from(appointments)
    .innerJoin(patients, eq(patients.id, appointments.patientId))
    .innerJoin(users, eq(users.id, appointments.doctorId))
    .where(where)
    .orderBy(asc(appointments.date), asc(appointments.start), asc(appointments.createdAt))
    .all();
  return rows.map(({ a, p, doctorName }) => ({
    id: a.id,
    bookingRef: a.bookingRef,
    patientId: a.patientId,
    patientName: displayName(p),
    mrn: p.mrn,
    mobile: p.mobile,
    doctorId: a.doctorId,
    doctorName,
    date: a.date,
    start: a.start,
    end: a.end,
    mode: a.mode,
    priority: a.priority,
    status: a.status,
    reason: a.reason,
    rescheduledFrom: a.rescheduledFrom,
    cancelReason: a.cancelReason,
  }));
}

/** At day end: appointments of days gone by that nobody checked in for become no-shows. */
export function markNoShows(ctx: Ctx, input: { date: string }) {
  if (input.date >= ctx.today()) {
    throw new ApiFailure('invalid_input', 'date: Only days that are over can be closed for no-shows', { date: 'Choose a day before today' });
  }
  const open = ctx.db
    .select({ id: appointments.id })
    .from(appointments)
    .where(and(lt(appointments.date, ctx.today()), eq(appointments.date, input.date), inArray(appointments.status, ['scheduled', 'confirmed']), isNull(appointments.deletedAt)))
    .all();
  for (const a of open) ctx.write.update(appointments, a.id, { status: 'no-show' });
  return { marked: open.length };
}

/**
 * Bookings that lost a slot to another workstation's booking made while both were offline: the
 * patient still expects to be seen, so reception must offer them another slot.
 */
export function needsRebook(ctx: Ctx) {
  return listAppointmentsWhere(ctx, and(eq(appointments.status, 'needs-rebook'), isNull(appointments.deletedAt))!);
}
