import type Database from '../../../db/sqlite';
import { addDays, doctorName, staffNames, type ReportRange } from './range';

/**
 * Follow-ups kept vs missed: the follow-ups doctors advised that fell due in the range (the visit's
 * follow-up date, set from the consultation). Kept: the patient came back (a later visit, not left
 * unseen) after the advising visit and no later than the due date plus the grace window. Missed:
 * not back and the window is over (by today). Pending: the window is still open.
 */
export const FOLLOW_UPS_SQL = `
  SELECT doctorId,
         sum(kept) AS kept,
         sum(NOT kept AND windowEnd < @today) AS missed,
         sum(NOT kept AND windowEnd >= @today) AS pending
  FROM (
    SELECT a.doctor_id AS doctorId, date(a.follow_up_date, '+' || @windowDays || ' days') AS windowEnd,
           EXISTS (
             SELECT 1 FROM visits b
             WHERE b.patient_id = a.patient_id AND b.date > a.date
               AND b.date <= date(a.follow_up_date, '+' || @windowDays || ' days')
               AND b.deleted_at IS NULL AND b.status <> 'left'
           ) AS kept
    FROM visits a
    WHERE a.follow_up_date BETWEEN @from AND @to AND a.deleted_at IS NULL AND a.status <> 'left'
  )
  GROUP BY doctorId`;

/** Days after the due date a return still counts as the follow-up kept. */
export const DEFAULT_WINDOW_DAYS = 7;

export interface FollowUpQuery extends ReportRange {
  windowDays: number;
  today: string;
}

export function followUpsReport(sqlite: Database.Database, range: ReportRange, today: string, windowDays = DEFAULT_WINDOW_DAYS) {
  const rows = sqlite
    .prepare<FollowUpQuery, { doctorId: string; kept: number; missed: number; pending: number }>(FOLLOW_UPS_SQL)
    .all({ ...range, windowDays, today });
  const names = staffNames(sqlite);
  const byDoctor = rows
    .map((r) => ({ doctorId: r.doctorId, doctorName: doctorName(names, r.doctorId), advised: r.kept + r.missed + r.pending, kept: r.kept, missed: r.missed, pending: r.pending }))
    .sort((a, b) => b.advised - a.advised || a.doctorName.localeCompare(b.doctorName));
  const sum = (k: 'advised' | 'kept' | 'missed' | 'pending') => byDoctor.reduce((s, d) => s + d[k], 0);
  return {
    ...range,
    windowDays,
    /** The last day a follow-up due at the end of the range may still be kept. */
    windowEndsOn: addDays(range.to, windowDays),
    advised: sum('advised'),
    kept: sum('kept'),
    missed: sum('missed'),
    pending: sum('pending'),
    byDoctor,
  };
}
