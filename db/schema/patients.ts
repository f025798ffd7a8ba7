import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';
import type { ALLERGY_TYPES, BloodGroup, Gender, MARITAL_STATUSES, SEVERITIES } from '../../shared/enums';
import type { LanguageCode } from '../../shared/languages';

export interface Allergy {
  type: (typeof ALLERGY_TYPES)[number];
  substance: string;
  severity: (typeof SEVERITIES)[number];
}
export interface EmergencyContact {
  name: string;
  phone: string;
  relation: string;
}
export interface Insurance {
  provider: string;
  policyNumber: string;
  /** YYYY-MM-DD */
  expiry: string | null;
}

export const patients = sqliteTable(
  'patients',
  {
    ...syncColumns(),
    /** Human-readable patient number from this device's series; never a key. */
    mrn: text('mrn').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name'),
    gender: text('gender').$type<Gender>().notNull(),
    /** YYYY-MM-DD; when only an age was given it is estimated (1 July of the birth year). */
    dob: text('dob').notNull(),
    dobEstimated: integer('dob_estimated', { mode: 'boolean' }).notNull().default(false),
    mobile: text('mobile'),
    alternatePhone: text('alternate_phone'),
    email: text('email'),
    addressLine1: text('address_line1'),
    addressLine2: text('address_line2'),
    city: text('city'),
    district: text('district'),
    state: text('state'),
    pincode: text('pincode'),
    bloodGroup: text('blood_group').$type<BloodGroup>(),
    allergies: text('allergies', { mode: 'json' }).$type<Allergy[]>().notNull().default([]),
    /** Asked and has none: prints "No known allergies" (an empty list alone means nobody asked). */
    noKnownAllergies: integer('no_known_allergies', { mode: 'boolean' }).notNull().default(false),
    chronicConditions: text('chronic_conditions', { mode: 'json' }).$type<string[]>().notNull().default([]),
    currentMedications: text('current_medications', { mode: 'json' }).$type<string[]>().notNull().default([]),
    emergencyContact: text('emergency_contact', { mode: 'json' }).$type<EmergencyContact>(),
    insurance: text('insurance', { mode: 'json' }).$type<Insurance>(),
    maritalStatus: text('marital_status').$type<(typeof MARITAL_STATUSES)[number]>(),
    occupation: text('occupation'),
    /** What the prescription and the token slip are printed in; null: not asked, the clinic's language. */
    preferredLanguage: text('preferred_language').$type<LanguageCode>(),
    consent: integer('consent', { mode: 'boolean' }).notNull().default(false),
    /** YYYY-MM-DD the patient consented to their data being stored. */
    consentDate: text('consent_date'),
    /** 14 digits, stored without dashes. */
    abhaNumber: text('abha_number'),
    abhaAddress: text('abha_address'),
    /**
     * When the ABHA number/address above were verified with ABDM by OTP (electron/services/abdm.ts),
     * by whom (a users id, the signer of the change) and how (shared/abdm-desk.ts ABHA_VERIFY_METHODS).
     * Null: not verified (typed, or read from the card's QR). Cleared when either ABHA field changes.
     */
    abhaVerifiedAt: integer('abha_verified_at'),
    abhaVerifiedBy: text('abha_verified_by'),
    abhaVerifyMethod: text('abha_verify_method'),
    /** Ids of records the receptionist was warned about and registered anyway. */
    duplicateOverride: text('duplicate_override', { mode: 'json' }).$type<string[]>(),
    mergedInto: text('merged_into'),
    lastVisitAt: integer('last_visit_at'),
  },
  (t) => [
    uniqueIndex('patients_mrn_uq').on(t.mrn),
    index('patients_mobile_idx').on(t.mobile),
    index('patients_abha_number_idx').on(t.abhaNumber),
    index('patients_abha_address_idx').on(t.abhaAddress),
    index('patients_dob_idx').on(t.dob),
  ],
);

/**
 * Local search index, rebuilt from `patients` and never synced. `rank` grows each time a patient
 * registers or visits, so ordering by it puts recent visitors first; it is also the rowid of the
 * patient's row in the `patient_fts` full-text table (see the hand-written migration).
 */
export const patientSearch = sqliteTable(
  'patient_search',
  {
    rank: integer('rank').primaryKey(),
    patientId: text('patient_id').notNull(),
    /** Mobile digits reversed, so "last 4 digits" is a prefix range on an index. */
    mobileRev: text('mobile_rev'),
  },
  (t) => [uniqueIndex('patient_search_patient_uq').on(t.patientId), index('patient_search_mobile_rev_idx').on(t.mobileRev)],
);
