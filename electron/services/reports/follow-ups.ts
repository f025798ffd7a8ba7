import type Database from '../../../db/sqlite';
import { addDays, doctorName, staffNames, type ReportRange } from './range';

/**
 * Follow-ups kept vs missed: the follow-ups doctors advised that fell due in the range (the visit's
 * follow-up date, set from the consultation). Kept: the patient came back (a later visit, not left
 * unseen) after the advising visit and no later than the due date plus the grace window. Missed:
 * not back and the window is over (by today). Pending: the window is still open. Each advised visit
 * is looked at once (one CASE: SQLite would run an EXISTS named in three sums three times), its
 * columns read from visits_report_follow_up_idx alone (migration 0026; named, as with a year's
 * statistics SQLite would rather walk visits_token_uq for the doctor order and read every visit).
 */
export const FOLLOW_UPS_SQL = `
  SELECT doctorId, outcome, count(*) AS n
  FROM (
    SELECT a.doctor_id AS doctorId,
           CASE WHEN EXISTS (
                  SELECT 1 FROM visits b
                  WHERE b.patient_id = a.patient_id AND b.date > a.date
                    AND b.date <= date(a.follow_up_date, '+' || @windowDays || ' days')
                    AND b.deleted_at IS NULL AND b.status <> 'left'
                ) THEN 'kept'
                WHEN date(a.follow_up_date, '+' || @windowDays || ' days') < @today THEN 'missed'
                WHEN date(a.follow_up_date, '+' || @windowDays || ' days') >= @today THEN 'pending' END AS outcome
    FROM visits a INDEXED BY visits_report_follow_up_idx
    WHERE a.follow_up_date BETWEEN @from AND @to AND a.deleted_at IS NULL AND a.status <> 'left'
  )
  GROUP BY doctorId, outcome`;

/** Days after the due date a return still counts as the follow-up kept. */
export const DEFAULT_WINDOW_DAYS = 7;

export interface FollowUpQuery extends ReportRange {
  windowDays: number;
  today: string;
}

export function followUpsReport(sqlite: Database.Database, range: ReportRange, today: string, windowDays = DEFAULT_WINDOW_DAYS) {
  const counts = new Map<string, { kept: number; missed: number; pending: number }>();
  const rows = sqlite.prepare<FollowUpQuery, { doctorId: string; outcome: 'kept' | 'missed' | 'pending' | null; n: number }>(FOLLOW_UPS_SQL).all({ ...range, windowDays, today });
  for (const r of rows) {
    const c = counts.get(r.doctorId) ?? counts.set(r.doctorId, { kept: 0, missed: 0, pending: 0 }).get(r.doctorId)!;
    // No outcome: a follow-up date that is no date; its doctor is listed, the visit counted nowhere.
    if (r.outcome !== null) c[r.outcome] += r.n;
  }
  const names = staffNames(sqlite);
  const byDoctor = [...counts.entries()]
    .map(([doctorId, r]) => ({ doctorId, doctorName: doctorName(names, doctorId), advised: r.kept + r.missed + r.pending, kept: r.kept, missed: r.missed, pending: r.pending }))
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
