import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

/** The ABDM health-information types a care context can hold (NRCeS FHIR IG document types). */
export type AbdmHiType = 'OPConsultation' | 'Prescription' | 'Invoice';
export const ABDM_HI_TYPES: readonly AbdmHiType[] = ['OPConsultation', 'Prescription', 'Invoice'];

/**
 * One ABDM care context per completed visit (docs/ABDM.md "Care contexts"): the FHIR document
 * bundles made when the doctor completed it, keyed by hiType, so the central server (the clinic's
 * HIP) can link it to the patient's ABHA and send it on consent without asking a desk. Made in the
 * completion's own transaction; a bundle, once written, is never changed (an amendment would add a
 * new version: see the docs); a later record of the same visit (its bill) adds a key.
 */
export const abdmCareContexts = sqliteTable(
  'abdm_care_contexts',
  {
    ...syncColumns(),
    patientId: text('patient_id').notNull(),
    visitId: text('visit_id').notNull(),
    /** The doctor whose completion made it. */
    doctorId: text('doctor_id').notNull(),
    /** The care-context reference given to ABDM: the visit id, stable for ever. */
    reference: text('reference').notNull(),
    /** What the patient sees in their PHR app, e.g. "OPD 06 Dec 2026, Dr Meera Rao". */
    display: text('display').notNull(),
    hiTypes: text('hi_types', { mode: 'json' }).$type<AbdmHiType[]>().notNull(),
    bundles: text('bundles', { mode: 'json' }).$type<Partial<Record<AbdmHiType, unknown>>>().notNull(),
  },
  (t) => [uniqueIndex('abdm_care_contexts_visit_uq').on(t.visitId), index('abdm_care_contexts_patient_idx').on(t.patientId)],
);
