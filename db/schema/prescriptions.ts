import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

export { DRUG_SCHEDULES } from '../../shared/enums';
import { DRUG_SCHEDULES } from '../../shared/enums';

/**
 * The formulary. Rows from an import get an id derived from the source and its code, so every
 * workstation that imports the same list holds the same rows and sync does not double them.
 */
export const drugs = sqliteTable(
  'drugs',
  {
    ...syncColumns(),
    genericName: text('generic_name').notNull(),
    brandNames: text('brand_names', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** tablet, capsule, syrup, suspension, injection, ointment, cream, gel, drops, inhaler, ... */
    form: text('form').notNull(),
    /** As printed: "500 mg", "125 mg/5 ml", "1%". */
    strength: text('strength'),
    route: text('route').notNull(),
    defaultDose: text('default_dose'),
    /** Indian shorthand, e.g. "1-0-1" */
    defaultFrequency: text('default_frequency'),
    defaultDurationDays: integer('default_duration_days'),
    /** Drugs and Cosmetics Rules schedule: H, H1, X (or G); null when over the counter. */
    schedule: text('schedule').$type<(typeof DRUG_SCHEDULES)[number]>(),
    /** Pharmacological classes for allergy checks, e.g. ["penicillin", "beta-lactam"]. */
    classes: text('classes', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** Where the row came from: 'starter', 'janaushadhi', 'clinic'. */
    source: text('source').notNull(),
    sourceCode: text('source_code'),
    mrpPaise: integer('mrp_paise'),
    /** What one MRP buys, as the source says it ("10's", "100 ml"); the billing unit is one pack. */
    packSize: text('pack_size'),
    hsnCode: text('hsn_code'),
    /** GST rate in basis points (500 = 5%). */
    gstRateBp: integer('gst_rate_bp'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('drugs_source_code_uq').on(t.source, t.sourceCode), index('drugs_generic_idx').on(t.genericName)],
);

export type { PrescriptionItem, Timing } from '../../shared/clinical';
import type { PrescriptionItem } from '../../shared/clinical';

/**
 * One prescription per visit. Editable until printed; printing locks it and every reprint is
 * stamped DUPLICATE. Items live in the row so a prescription is saved and locked as one piece.
 */
export const prescriptions = sqliteTable(
  'prescriptions',
  {
    ...syncColumns(),
    visitId: text('visit_id').notNull(),
    patientId: text('patient_id').notNull(),
    doctorId: text('doctor_id').notNull(),
    /** Per-device series, e.g. "A/RX/000123". */
    rxNumber: text('rx_number').notNull(),
    status: text('status').$type<'draft' | 'printed'>().notNull(),
    items: text('items', { mode: 'json' }).$type<PrescriptionItem[]>().notNull().default([]),
    advice: text('advice'),
    adviceHi: text('advice_hi'),
    diet: text('diet'),
    investigations: text('investigations'),
    followUpDate: text('follow_up_date'),
    /** When it was first printed (and so locked), and how many prints since. */
    printedAt: integer('printed_at'),
    printCount: integer('print_count').notNull().default(0),
    /** Hash of the printed content, carried in the QR code for verification. */
    contentHash: text('content_hash'),
  },
  (t) => [
    uniqueIndex('prescriptions_visit_uq').on(t.visitId),
    uniqueIndex('prescriptions_rx_uq').on(t.rxNumber),
    index('prescriptions_patient_idx').on(t.patientId, t.createdAt),
  ],
);

/** A doctor's favourite drugs with their usual dose, and item sets per diagnosis. */
export const prescriptionFavourites = sqliteTable(
  'prescription_favourites',
  {
    ...syncColumns(),
    doctorId: text('doctor_id').notNull(),
    /** 'drug': one item; 'diagnosis': the items usually prescribed for an ICD-10 code. */
    kind: text('kind').$type<'drug' | 'diagnosis'>().notNull(),
    /** The drug id or the ICD-10 code. */
    key: text('key').notNull(),
    name: text('name').notNull(),
    items: text('items', { mode: 'json' }).$type<PrescriptionItem[]>().notNull(),
  },
  (t) => [index('prescription_favourites_doctor_idx').on(t.doctorId, t.kind, t.key)],
);
