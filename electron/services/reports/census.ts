import type Database from '../../../db/sqlite';
import { doctorName, eachDay, staffNames, type ReportRange } from './range';

/**
 * OPD census: patients checked in, per day and per doctor. A patient who left without being seen
 * (queue status 'left') is not counted; a visit removed (soft-deleted) is not either.
 */
export const CENSUS_SQL = `
  SELECT date AS day, doctor_id AS doctorId, count(*) AS visits
  FROM visits
  WHERE date BETWEEN @from AND @to AND deleted_at IS NULL AND status <> 'left'
  GROUP BY date, doctor_id`;

interface Row {
  day: string;
  doctorId: string;
  visits: number;
}

export function censusReport(sqlite: Database.Database, range: ReportRange) {
  const rows = sqlite.prepare<ReportRange, Row>(CENSUS_SQL).all(range);
  const names = staffNames(sqlite);
  const perDay = new Map<string, number>(eachDay(range).map((d) => [d, 0]));
  const perDoctor = new Map<string, number>();
  for (const r of rows) {
    perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.visits);
    perDoctor.set(r.doctorId, (perDoctor.get(r.doctorId) ?? 0) + r.visits);
  }
  const byDoctor = [...perDoctor.entries()]
    .map(([doctorId, visits]) => ({ doctorId, doctorName: doctorName(names, doctorId), visits }))
    .sort((a, b) => b.visits - a.visits || a.doctorName.localeCompare(b.doctorName));
  return {
    ...range,
    totalVisits: rows.reduce((s, r) => s + r.visits, 0),
    byDay: [...perDay.entries()].map(([day, visits]) => ({ day, visits })),
    byDoctor,
  };
}
