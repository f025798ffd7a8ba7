import type Database from '../../../db/sqlite';

/* What every report is asked for, and the names it shows. */

/** Days as YYYY-MM-DD in the clinic's zone, both ends included. */
export interface ReportRange {
  from: string;
  to: string;
}

/** The longest range a report covers: a year and a day, so a leap year fits. */
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** Days from `from` to `to`, both included (1 for a single day). */
export function daysIn(range: ReportRange): number {
  return Math.round((dayMs(range.to) - dayMs(range.from)) / DAY_MS) + 1;
}

/** Every day of the range, so a chart shows quiet days as zero rather than skipping them. */
export function eachDay(range: ReportRange): string[] {
  const out: string[] = [];
  for (let t = dayMs(range.from); t <= dayMs(range.to); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export function addDays(day: string, days: number): string {
  return new Date(dayMs(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Staff names by user id (doctors and whoever else a report names); a deleted user keeps their name. */
export function staffNames(sqlite: Database.Database): Map<string, string> {
  const rows = sqlite.prepare<[], { id: string; name: string }>('SELECT id, full_name AS name FROM users').all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A report line for a doctor: the name, or what the bill or visit had instead. */
export function doctorName(names: Map<string, string>, id: string | null): string {
  if (id === null || id === '') return '(no doctor)';
  return names.get(id) ?? '(unknown doctor)';
}
