import type Database from '../../../db/sqlite';
import type { ReportRange } from './range';

/**
 * Top diagnoses: ICD-10 codes by the number of completed consultations that gave them, for visits
 * in the range, named from the ICD-10 list (or as the doctor wrote it when the code is not on this
 * workstation's list: the alphabetically first title written for it in the range). Diagnoses
 * written without a code are counted apart. Read from the per-day sums triggers keep as notes and visits are written
 * or pulled (migration 0026: by the visit's day and code, code '' for uncoded), not from every
 * note's JSON. Amendments made after a consultation was completed are not reflected: the
 * diagnoses are those it was completed with.
 */
export const DIAGNOSES_SQL = `
  SELECT s.code, sum(s.consultations) AS consultations,
         coalesce((SELECT title FROM icd10_codes WHERE code = s.code), min(t.title)) AS title
  FROM report_diagnosis_days s
  LEFT JOIN (
    SELECT code, min(title) AS title FROM report_diagnosis_title_days
    WHERE day BETWEEN @from AND @to AND diagnoses > 0 GROUP BY code
  ) t ON t.code = s.code
  WHERE s.day BETWEEN @from AND @to AND s.code <> ''
  GROUP BY s.code HAVING sum(s.consultations) > 0
  ORDER BY consultations DESC, s.code
  LIMIT @limit`;

export const UNCODED_SQL = `
  SELECT coalesce(sum(consultations), 0) AS consultations, coalesce(sum(diagnoses), 0) AS diagnoses
  FROM report_diagnosis_days
  WHERE day BETWEEN @from AND @to AND code = ''`;

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
