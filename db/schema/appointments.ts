import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';
import type { AppointmentStatus, Priority, QueueStatus, VisitMode } from '../../shared/enums';

export const appointments = sqliteTable(
  'appointments',
  {
    ...syncColumns(),
    /** Human-readable reference from this device's series. */
    bookingRef: text('booking_ref').notNull(),
    patientId: text('patient_id').notNull(),
    doctorId: text('doctor_id').notNull(),
    /** YYYY-MM-DD and HH:MM, clinic local time */
    date: text('date').notNull(),
    start: text('start').notNull(),
    end: text('end').notNull(),
    mode: text('mode').$type<VisitMode>().notNull(),
    priority: text('priority').$type<Priority>().notNull(),
    status: text('status').$type<AppointmentStatus>().notNull(),
    reason: text('reason'),
    /** The appointment this one replaced, so a reschedule chain can be followed back. */
    rescheduledFrom: text('rescheduled_from'),
    cancelReason: text('cancel_reason'),
    cancelledBy: text('cancelled_by'),
    cancelledAt: integer('cancelled_at'),
    bookedBy: text('booked_by'),
  },
  (t) => [
    uniqueIndex('appointments_booking_ref_uq').on(t.bookingRef),
    index('appointments_doctor_day_idx').on(t.doctorId, t.date, t.start),
    index('appointments_patient_idx').on(t.patientId, t.date),
  ],
);

/** A check-in: the patient's token in a doctor's queue for a day, and the visit it becomes. */
export const visits = sqliteTable(
  'visits',
  {
    ...syncColumns(),
    patientId: text('patient_id').notNull(),
    doctorId: text('doctor_id').notNull(),
    date: text('date').notNull(),
    tokenNo: integer('token_no').notNull(),
    /** What the patient sees: the number, with this workstation's prefix when several issue tokens. */
    tokenLabel: text('token_label').notNull(),
    appointmentId: text('appointment_id'),
    priority: text('priority').$type<Priority>().notNull(),
    status: text('status').$type<QueueStatus>().notNull(),
    checkedInAt: integer('checked_in_at').notNull(),
    calledAt: integer('called_at'),
    finishedAt: integer('finished_at'),
    /** YYYY-MM-DD the doctor wants to see the patient again. */
    followUpDate: text('follow_up_date'),
  },
  (t) => [
    uniqueIndex('visits_token_uq').on(t.doctorId, t.date, t.tokenLabel),
    index('visits_day_idx').on(t.date, t.doctorId, t.status),
    index('visits_patient_idx').on(t.patientId, t.date),
    index('visits_follow_up_idx').on(t.followUpDate),
    // The owner's reports read these columns only, so a year of visits is read from the index alone:
    // the census and new-vs-follow-up by day, and "the patient's earlier (or later) visits".
    index('visits_report_day_idx').on(t.date, t.doctorId, t.status, t.deletedAt, t.patientId),
    index('visits_report_patient_idx').on(t.patientId, t.date, t.status, t.deletedAt),
  ],
);

/** Local counters for this device's human-readable series (MRN, booking reference). Never synced. */
export const numberSeries = sqliteTable('number_series', {
  name: text('name').primaryKey(),
  last: integer('last').notNull(),
});
