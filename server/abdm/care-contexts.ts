import { and, eq, inArray, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { alias } from 'drizzle-orm/pg-core';
import { abdmCareContextLinks, clinics, rows } from '../db/schema';

/**
 * The care contexts the desks made (synced table `abdm_care_contexts`, one per completed visit,
 * docs/ABDM.md "Care contexts") and the patients they belong to, read from the server's merged
 * `rows`: the HIP's linking, discovery and health-information transfer read them here.
 */

export const CARE_CONTEXTS_TABLE = 'abdm_care_contexts';

/**
 * The clinic whose records this HIP serves: the configured one (ABDM_CLINIC_ID), else the server's
 * only clinic; null when several clinics share the server and none is named (nothing is served then).
 */
export async function servedClinic(db: ServerDb, configured?: string): Promise<string | null> {
  if (configured) return configured;
  const found = await db.select({ id: clinics.id }).from(clinics).limit(2);
  return found.length === 1 ? found[0]!.id : null;
}

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
  return found.filter((r) => r.data.deleted_at == null && r.data.merged_into == null).map((r) => patientFacts(r.rowId, r.data));
}

/** One care context by its reference (the visit id), with its bundles; null when there is none. */
export async function loadCareContext(db: ServerDb, clinicId: string, reference: string): Promise<CareContext | null> {
  const [found] = await db
    .select({ data: rows.data })
    .from(rows)
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, CARE_CONTEXTS_TABLE), sql`${rows.data}->>'reference' = ${reference}`, sql`${rows.data}->>'deleted_at' IS NULL`))
    .limit(1);
  const d = found?.data;
  if (!d) return null;
  const patientId = String(d.patient_id);
  const patient = await loadPatient(db, clinicId, patientId);
  const bundles = d.bundles && typeof d.bundles === 'object' && !Array.isArray(d.bundles) ? (d.bundles as Record<string, unknown>) : {};
  return {
    patientId,
    ...(patient?.abhaAddress ? { abhaAddress: patient.abhaAddress } : {}),
    hiTypes: hiTypesOf(d.hi_types),
    bundles,
  };
}

const hiTypesOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((t): t is string => typeof t === 'string') : []);

/** Every live care context of the clinic, or of some patients, without the bundles (which are not read). */
export async function listCareContexts(db: ServerDb, clinicId: string, patientIds?: string[]): Promise<CareContextSummary[]> {
  if (patientIds?.length === 0) return [];
  const found = await db
    .select({
      reference: sql<string>`${rows.data}->>'reference'`,
      patientId: sql<string>`${rows.data}->>'patient_id'`,
      display: sql<string | null>`${rows.data}->>'display'`,
      hiTypes: sql<unknown>`${rows.data}->'hi_types'`,
    })
    .from(rows)
    .where(
      and(
        eq(rows.clinicId, clinicId),
        eq(rows.tableName, CARE_CONTEXTS_TABLE),
        sql`${rows.data}->>'deleted_at' IS NULL`,
        patientIds ? inArray(sql`${rows.data}->>'patient_id'`, patientIds) : undefined,
      ),
    );
  return found.map((r) => ({ reference: r.reference, patientId: r.patientId, display: r.display ?? r.reference, hiTypes: hiTypesOf(r.hiTypes) }));
}

/**
 * Care contexts with no link row yet whose patient has an ABHA address: what HIP-initiated linking
 * has to start on. One query, so a sweep after every push stays cheap however many visits are linked.
 */
export async function careContextsToLink(db: ServerDb, clinicId: string): Promise<{ reference: string; patientId: string; abhaAddress: string }[]> {
  const p = alias(rows, 'p');
  return db
    .select({ reference: sql<string>`${rows.data}->>'reference'`, patientId: p.rowId, abhaAddress: sql<string>`${p.data}->>'abha_address'` })
    .from(rows)
    .innerJoin(p, and(eq(p.clinicId, rows.clinicId), eq(p.tableName, 'patients'), eq(p.rowId, sql`${rows.data}->>'patient_id'`)))
    .where(
      and(
        eq(rows.clinicId, clinicId),
        eq(rows.tableName, CARE_CONTEXTS_TABLE),
        sql`${rows.data}->>'deleted_at' IS NULL`,
        sql`coalesce(${p.data}->>'abha_address', '') <> ''`,
        sql`NOT EXISTS (SELECT 1 FROM ${abdmCareContextLinks} WHERE ${abdmCareContextLinks.clinicId} = ${rows.clinicId} AND ${abdmCareContextLinks.reference} = ${rows.data}->>'reference')`,
      ),
    );
}
