import type Database from '../../../db/sqlite';
import { eachDay, type ReportRange } from './range';

/**
 * New vs follow-up visits, per day. A visit is new when the patient had no earlier visit at the
 * clinic (with any doctor, on an earlier day); otherwise it is a follow-up. Visits counted as in
 * the census (not left unseen, not removed), and earlier visits the same way.
 */
export const VISIT_TYPES_SQL = `
  SELECT v.date AS day,
         count(*) AS visits,
         sum(NOT EXISTS (
           SELECT 1 FROM visits p
           WHERE p.patient_id = v.patient_id AND p.date < v.date AND p.deleted_at IS NULL AND p.status <> 'left'
         )) AS newVisits
  FROM visits v
  WHERE v.date BETWEEN @from AND @to AND v.deleted_at IS NULL AND v.status <> 'left'
  GROUP BY v.date`;

interface Row {
  day: string;
  visits: number;
  newVisits: number;
}

export function visitTypesReport(sqlite: Database.Database, range: ReportRange) {
  const rows = new Map(sqlite.prepare<ReportRange, Row>(VISIT_TYPES_SQL).all(range).map((r) => [r.day, r]));
  const byDay = eachDay(range).map((day) => {
    const r = rows.get(day);
    const visits = r?.visits ?? 0;
    const newVisits = r?.newVisits ?? 0;
    return { day, newVisits, followUpVisits: visits - newVisits };
  });
  const newVisits = byDay.reduce((s, d) => s + d.newVisits, 0);
  const followUpVisits = byDay.reduce((s, d) => s + d.followUpVisits, 0);
  return { ...range, newVisits, followUpVisits, byDay };
}
