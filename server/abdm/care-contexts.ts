import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { rows } from '../db/schema';

/**
 * The care contexts the desks made (synced table `abdm_care_contexts`, one per completed visit,
 * docs/ABDM.md "Care contexts") and the patients they belong to, read from the server's merged
 * `rows`: the HIP's linking, discovery and health-information transfer read them here.
 */

export const CARE_CONTEXTS_TABLE = 'abdm_care_contexts';

export interface CareContext {
  patientId: string;
  /** The patient's ABHA address as the desks last synced it; absent when they have none. */
  abhaAddress?: string;
  hiTypes: string[];
  /** FHIR document bundles by hiType ("OPConsultation", "Prescription", "Invoice"). */
  bundles: Record<string, unknown>;
}

export interface CareContextSummary {
  reference: string;
  patientId: string;
  display: string;
  hiTypes: string[];
}

/** A patient as discovery and linking need them (from the synced `patients` row). */
export interface PatientFacts {
  id: string;
  name: string;
  /** ABDM's gender code: M, F or O. */
  gender: 'M' | 'F' | 'O';
  yearOfBirth: number | null;
  mobile: string | null;
  abhaNumber: string | null;
  abhaAddress: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export function patientFacts(id: string, d: Record<string, unknown>): PatientFacts {
  const dob = text(d.dob);
  const year = dob ? Number(dob.slice(0, 4)) : NaN;
  return {
    id,
    name: [text(d.given_name), text(d.family_name)].filter(Boolean).join(' '),
    gender: d.gender === 'male' ? 'M' : d.gender === 'female' ? 'F' : 'O',
    yearOfBirth: Number.isInteger(year) ? year : null,
    mobile: text(d.mobile),
    abhaNumber: text(d.abha_number),
    abhaAddress: text(d.abha_address),
  };
}

async function rowData(db: ServerDb, clinicId: string, table: string, rowId: string): Promise<Record<string, unknown> | null> {
  const [r] = await db
    .select({ data: rows.data })
    .from(rows)
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, table), eq(rows.rowId, rowId)));
  if (!r || r.data.deleted_at != null) return null;
  return r.data;
}

export async function loadPatient(db: ServerDb, clinicId: string, patientId: string): Promise<PatientFacts | null> {
  const d = await rowData(db, clinicId, 'patients', patientId);
  return d ? patientFacts(patientId, d) : null;
}

/** Every live patient of the clinic (discovery's candidates). */
export async function loadPatients(db: ServerDb, clinicId: string): Promise<PatientFacts[]> {
  const found = await db.select({ rowId: rows.rowId, data: rows.data }).from(rows).where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'patients')));
  return found.filter((r) => r.data.deleted_at == null).map((r) => patientFacts(r.rowId, r.data));
}

/** One care context by its reference (the visit id), with its bundles; null when there is none. */
export async function loadCareContext(db: ServerDb, clinicId: string, reference: string): Promise<CareContext | null> {
  const [d] = await careContextRows(db, clinicId, { reference });
  if (!d) return null;
  const patientId = String(d.patient_id);
  const patient = await loadPatient(db, clinicId, patientId);
  const bundles = d.bundles && typeof d.bundles === 'object' && !Array.isArray(d.bundles) ? (d.bundles as Record<string, unknown>) : {};
  return {
    patientId,
    ...(patient?.abhaAddress ? { abhaAddress: patient.abhaAddress } : {}),
    hiTypes: hiTypesOf(d),
    bundles,
  };
}

/** The live care-context rows of a clinic: all, one by reference, or some patients'. */
async function careContextRows(db: ServerDb, clinicId: string, which: { reference?: string; patientIds?: string[] } = {}): Promise<Record<string, unknown>[]> {
  if (which.patientIds?.length === 0) return [];
  const found = await db
    .select({ data: rows.data })
    .from(rows)
    .where(
      and(
        eq(rows.clinicId, clinicId),
        eq(rows.tableName, CARE_CONTEXTS_TABLE),
        which.reference !== undefined ? sql`${rows.data}->>'reference' = ${which.reference}` : undefined,
        which.patientIds ? inArray(sql`${rows.data}->>'patient_id'`, which.patientIds) : undefined,
      ),
    );
  return found.map((r) => r.data).filter((d) => d.deleted_at == null);
}

const hiTypesOf = (d: Record<string, unknown>): string[] => (Array.isArray(d.hi_types) ? d.hi_types.filter((t): t is string => typeof t === 'string') : []);

/** Every care context of the clinic, or of some patients, without the bundles. */
export async function listCareContexts(db: ServerDb, clinicId: string, patientIds?: string[]): Promise<CareContextSummary[]> {
  return (await careContextRows(db, clinicId, patientIds ? { patientIds } : {})).map((d) => ({
    reference: String(d.reference),
    patientId: String(d.patient_id),
    display: typeof d.display === 'string' ? d.display : String(d.reference),
    hiTypes: hiTypesOf(d),
  }));
}
