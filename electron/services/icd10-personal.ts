import type Database from '../../db/sqlite';

/**
 * The diagnoses a doctor uses: the ICD-10 codes of their favourite prescription sets and of their
 * consultations in the last 90 days, most used first. The diagnosis picker offers these before
 * anything else that matches what was typed.
 */

export interface PersonalCode {
  code: string;
  title: string;
  billable: boolean;
}

/** Days of consultations that count as "recent". */
export const RECENT_DAYS = 90;
/** Reading a doctor's 90 days of notes costs a scan of their JSON: kept for a minute between keystrokes. */
const CACHE_MS = 60_000;

const SQL = `
  WITH used AS (
    SELECT json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code') AS code, count(*) AS uses, max(c.updated_at) AS last_used
    FROM visits v
    JOIN consultations c ON c.visit_id = v.id AND c.deleted_at IS NULL
    JOIN json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
    -- A malformed note (a diagnosis that is not an object, e.g. pulled from a faulty desk) is skipped, not an error.
    WHERE d.type = 'object' AND v.date >= @since AND v.doctor_id = @doctorId AND v.deleted_at IS NULL
      AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code') IS NOT NULL
    GROUP BY 1
  ),
  favourite AS (
    SELECT DISTINCT upper(key) AS code FROM prescription_favourites
    WHERE doctor_id = @doctorId AND kind = 'diagnosis' AND deleted_at IS NULL
  )
  SELECT i.code, i.title, i.billable,
         (SELECT 1 FROM favourite f WHERE f.code = i.code) AS fav, coalesce(u.uses, 0) AS uses, coalesce(u.last_used, 0) AS last_used
  FROM icd10_codes i
  LEFT JOIN used u ON u.code = i.code
  WHERE i.code IN (SELECT code FROM used UNION SELECT code FROM favourite)
  ORDER BY fav DESC, uses DESC, last_used DESC, i.code`;

interface Cached {
  key: string;
  at: number;
  codes: PersonalCode[];
}

const cache = new WeakMap<Database.Database, Map<string, Cached>>();

/** The doctor's favourite and recent codes (favourites first, then by use), from `since` (an ISO day). */
export function personalCodes(sqlite: Database.Database, doctorId: string, since: string, now: number): PersonalCode[] {
  let byDoctor = cache.get(sqlite);
  if (!byDoctor) cache.set(sqlite, (byDoctor = new Map<string, Cached>()));
  const hit = byDoctor.get(doctorId);
  if (hit && hit.key === since && now - hit.at < CACHE_MS) return hit.codes;
  const rows = sqlite.prepare(SQL).all({ doctorId, since }) as { code: string; title: string; billable: number }[];
  const codes = rows.map((r) => ({ code: r.code, title: r.title, billable: r.billable === 1 }));
  byDoctor.set(doctorId, { key: since, at: now, codes });
  return codes;
}

/** A consultation or favourite was written: the doctor's list is read again on the next search. */
export function forgetPersonalCodes(sqlite: Database.Database, doctorId: string): void {
  cache.get(sqlite)?.delete(doctorId);
}
