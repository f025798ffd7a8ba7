import type Database from 'better-sqlite3';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/open';
import { drugs } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { type DrugSchedule, type DrugView, toDrugView } from './drugs';
import type { FormPreference } from './patient-forms';

/* Search: drugs by generic or brand prefix, words in any order. */

/** Raw row as SQLite returns it (JSON columns as text). */
interface RawDrug {
  id: string;
  generic_name: string;
  brand_names: string;
  form: string;
  strength: string | null;
  route: string;
  default_dose: string | null;
  default_frequency: string | null;
  default_duration_days: number | null;
  schedule: DrugSchedule | null;
  classes: string;
  source: string;
  mrp_paise: number | null;
  pack_size: string | null;
  active: number;
}

function rawToView(r: RawDrug): DrugView {
  return {
    id: r.id,
    genericName: r.generic_name,
    brandNames: JSON.parse(r.brand_names) as string[],
    form: r.form,
    strength: r.strength,
    route: r.route,
    defaults: { dose: r.default_dose, frequency: r.default_frequency, durationDays: r.default_duration_days },
    schedule: r.schedule,
    classes: JSON.parse(r.classes) as string[],
    source: r.source,
    mrpPaise: r.mrp_paise,
    packSize: r.pack_size,
    active: r.active === 1,
  };
}

/** Forms an adult swallows whole, and the liquids children are given. */
const SOLID = `(lower(d.form) LIKE '%tablet%' OR lower(d.form) LIKE '%capsule%')`;
const LIQUID = `(lower(d.form) LIKE '%syrup%' OR lower(d.form) LIKE '%suspension%' OR lower(d.form) LIKE '%drops%' OR lower(d.form) LIKE '%solution%')`;

/**
 * Drugs as the doctor types: every word must be the start of a word of the generic or a brand name,
 * or of the form ("tab", "syr") or a number of the strength ("500"), in any order, and at least one
 * word must match a name. Exact generic (or brand) names come first, then the starter list and the
 * clinic's own drugs before imported ones, then shorter names; within one generic, the forms that
 * suit the patient (an adult's tablets and capsules, a child's syrups, suspensions and drops).
 */
export function searchDrugs(sqlite: Database.Database, query: string, limit: number, prefer: FormPreference = null): DrugView[] {
  const words = query.toLowerCase().match(/[\p{L}]+|\d+(?:\.\d+)?/gu) ?? [];
  if (words.length === 0) return [];
  const unique = [...new Set(words)].slice(0, 8);
  const params: Record<string, string | number> = { limit, prefer: prefer ?? '' };
  const conditions: string[] = [];
  unique.forEach((w, i) => {
    params[`n${i}`] = `"${w}"*`;
    params[`w${i}`] = w;
    conditions.push(
      `(m.rowid IN (SELECT rowid FROM drugs_fts WHERE drugs_fts MATCH @n${i})
        OR (' ' || lower(d.form)) LIKE '% ' || @w${i} || '%'
        OR (' ' || replace(replace(replace(lower(coalesce(d.strength, '')), '/', ' '), '+', ' '), '(', ' ')) LIKE '% ' || @w${i} || '%')`,
    );
  });
  params.any = unique.map((w) => `"${w}"*`).join(' OR ');
  params.exact = words.filter((w) => /^\p{L}/u.test(w)).join(' ');
  const rows = sqlite
    .prepare(
      `SELECT d.* FROM drugs d JOIN drugs_fts_map m ON m.drug_id = d.id
       WHERE d.deleted_at IS NULL AND d.active = 1
         AND m.rowid IN (SELECT rowid FROM drugs_fts WHERE drugs_fts MATCH @any)
         AND ${conditions.join(' AND ')}
       ORDER BY
         CASE WHEN lower(replace(d.generic_name, ' + ', ' ')) = @exact
                OR EXISTS (SELECT 1 FROM json_each(d.brand_names) b WHERE lower(b.value) = @exact) THEN 0 ELSE 1 END,
         CASE d.source WHEN 'janaushadhi' THEN 1 ELSE 0 END,
         length(d.generic_name), d.generic_name,
         CASE @prefer WHEN 'adult' THEN (CASE WHEN ${SOLID} THEN 0 WHEN ${LIQUID} THEN 2 ELSE 1 END)
                      WHEN 'child' THEN (CASE WHEN ${LIQUID} THEN 0 WHEN ${SOLID} THEN 2 ELSE 1 END)
                      ELSE 0 END,
         d.form, CAST(d.strength AS REAL), d.strength, d.id
       LIMIT @limit`,
    )
    .all(params) as RawDrug[];
  return rows.map(rawToView);
}

export function getDrug(db: Db, id: string): DrugView {
  const row = db.select().from(drugs).where(and(eq(drugs.id, id), isNull(drugs.deletedAt))).get();
  if (!row) throw new ApiFailure('not_found', 'There is no such drug in the formulary.', undefined, { entityType: 'drugs', entityId: id });
  return toDrugView(row);
}
