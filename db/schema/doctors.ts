import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';
import type { VisitMode } from '../../shared/enums';

export interface Qualification {
  degree: string;
  college: string;
  university: string;
  year: number;
}

/** The professional side of a staff user who holds the doctor role. */
export const doctorProfiles = sqliteTable(
  'doctor_profiles',
  {
    ...syncColumns(),
    userId: text('user_id').notNull(),
    specialization: text('specialization').notNull(),
    qualifications: text('qualifications').notNull(),
    registrationCouncil: text('registration_council').notNull(),
    registrationNumber: text('registration_number').notNull(),
    /** YYYY-MM-DD the council registered the doctor. */
    registrationDate: text('registration_date'),
    /** Degrees with where and when; `qualifications` is their printable summary. */
    qualificationDetails: text('qualification_details', { mode: 'json' }).$type<Qualification[]>().notNull().default([]),
    hprId: text('hpr_id'),
    hprAddress: text('hpr_address'),
    consultationFeePaise: integer('consultation_fee_paise').notNull(),
    followUpFeePaise: integer('follow_up_fee_paise').notNull(),
    followUpWindowDays: integer('follow_up_window_days').notNull(),
    languages: text('languages', { mode: 'json' }).$type<string[]>().notNull().default([]),
  },
  (t) => [uniqueIndex('doctor_profiles_user_uq').on(t.userId)],
);

/** One row per weekly sitting; a doctor may sit twice a day (morning and evening). */
export const doctorSchedules = sqliteTable(
  'doctor_schedules',
  {
    ...syncColumns(),
    doctorId: text('doctor_id').notNull(),
    /** 0 = Sunday ... 6 = Saturday */
    weekday: integer('weekday').notNull(),
    /** HH:MM, 24-hour, clinic local time */
    start: text('start').notNull(),
    end: text('end').notNull(),
    slotMinutes: integer('slot_minutes').notNull(),
    maxPerSlot: integer('max_per_slot').notNull(),
    mode: text('mode').$type<VisitMode>().notNull(),
  },
  (t) => [index('doctor_schedules_doctor_idx').on(t.doctorId, t.weekday)],
);

export const doctorLeaves = sqliteTable(
  'doctor_leaves',
  {
    ...syncColumns(),
    doctorId: text('doctor_id').notNull(),
    /** YYYY-MM-DD, inclusive */
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    reason: text('reason'),
  },
  (t) => [index('doctor_leaves_doctor_idx').on(t.doctorId, t.fromDate)],
);
