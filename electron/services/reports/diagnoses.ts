import type Database from '../../../db/sqlite';
import type { ReportRange } from './range';

/**
 * Top diagnoses: ICD-10 codes by the number of completed consultations that gave them, for visits
 * in the range, named from the ICD-10 list (or as the doctor wrote it when the code is not on this
 * workstation's list). Diagnoses written without a code are counted apart. CROSS JOIN keeps the
 * order visits-then-consultations: a month reads a month of notes, never every note of the year. Amendments made after a
 * consultation was completed are not reflected: the diagnoses are those it was completed with.
 */
export const DIAGNOSES_SQL = `
  SELECT x.code, count(DISTINCT x.consultation) AS consultations,
         coalesce((SELECT title FROM icd10_codes WHERE code = x.code), min(x.title)) AS title
  FROM (
    SELECT c.id AS consultation, upper(trim(json_extract(d.value, '$.code'))) AS code, json_extract(d.value, '$.title') AS title
    FROM visits v
    CROSS JOIN consultations c ON c.visit_id = v.id AND c.deleted_at IS NULL AND c.status = 'completed',
         json_each(c.note, '$.diagnoses') d
    WHERE v.date BETWEEN @from AND @to AND v.deleted_at IS NULL
  ) x
  WHERE x.code IS NOT NULL AND x.code <> ''
  GROUP BY x.code
  ORDER BY consultations DESC, x.code
  LIMIT @limit`;

export const UNCODED_SQL = `
  SELECT count(DISTINCT c.id) AS consultations, count(*) AS diagnoses
  FROM visits v
  CROSS JOIN consultations c ON c.visit_id = v.id AND c.deleted_at IS NULL AND c.status = 'completed',
       json_each(c.note, '$.diagnoses') d
  WHERE v.date BETWEEN @from AND @to AND v.deleted_at IS NULL
    AND coalesce(trim(json_extract(d.value, '$.code')), '') = ''`;

export const DEFAULT_TOP = 20;

export function diagnosesReport(sqlite: Database.Database, range: ReportRange, limit = DEFAULT_TOP) {
  const top = sqlite.prepare<ReportRange & { limit: number }, { code: string; consultations: number; title: string }>(DIAGNOSES_SQL).all({ ...range, limit });
  const uncoded = sqlite.prepare<ReportRange, { consultations: number; diagnoses: number }>(UNCODED_SQL).get(range);
  return {
    ...range,
    top: top.map((d) => ({ code: d.code, title: d.title, consultations: d.consultations })),
    uncoded: { diagnoses: uncoded?.diagnoses ?? 0, consultations: uncoded?.consultations ?? 0 },
  };
}
