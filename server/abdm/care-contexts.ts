/**
 * STUB (helper "hi"): the real module belongs to the care-context linking work (helper "link"),
 * which creates the synced table abdm_care_contexts. Same file, same signature: the merge keeps
 * theirs. Reads the server's copy of the row (table `rows`, table_name 'abdm_care_contexts') whose
 * data has reference, patient_id, hi_types and bundles.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { rows } from '../db/schema';

export interface CareContext {
  patientId: string;
  abhaAddress?: string;
  hiTypes: string[];
  /** FHIR bundles by id (or by HI type), each sent as one entry. */
  bundles: Record<string, object>;
}

export async function loadCareContext(db: ServerDb, clinicId: string, reference: string): Promise<CareContext | null> {
  const found = await db
    .select({ data: rows.data })
    .from(rows)
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'abdm_care_contexts'), sql`${rows.data}->>'reference' = ${reference}`))
    .limit(1);
  const data = found[0]?.data;
  if (!data || typeof data.patient_id !== 'string') return null;
  const hiTypes = parseJson(data.hi_types);
  const bundles = parseJson(data.bundles);
  return {
    patientId: data.patient_id,
    ...(typeof data.abha_address === 'string' && data.abha_address ? { abhaAddress: data.abha_address } : {}),
    hiTypes: Array.isArray(hiTypes) ? hiTypes.filter((t): t is string => typeof t === 'string') : [],
    bundles: bundles && typeof bundles === 'object' && !Array.isArray(bundles) ? (bundles as Record<string, object>) : {},
  };
}

/** Synced columns holding JSON arrive as text (SQLite) or already parsed. */
function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return null;
  }
}
