import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { DayTimings } from '../../shared/facility';
import type { TemperatureUnit } from '../../shared/vitals';
import { syncColumns } from './common';

// Lives in shared/ so the renderer can use it without importing the schema.
export type { DayTimings } from '../../shared/facility';

/**
 * What the ABDM Health Facility Registry asks for, kept as one draft document that can be saved
 * half-filled at any time; `facility.validate` says what is still missing.
 */
export interface FacilityRegistration {
  ownershipCode?: string | null;
  ownershipSubTypeCode?: string | null;
  systemsOfMedicine?: string[];
  facilityTypeCode?: string | null;
  facilitySubTypeCode?: string | null;
  operationalStatus?: string | null;
  specialities?: string[];
  typesOfService?: string[];
  addressLine1?: string | null;
  addressLine2?: string | null;
  stateLgd?: number | null;
  districtLgd?: number | null;
  subDistrictLgd?: number | null;
  region?: 'R' | 'U' | null;
  pincode?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  mobile?: string | null;
  landlineStd?: string | null;
  landline?: string | null;
  email?: string | null;
  website?: string | null;
  timings?: DayTimings[];
  beds?: number | null;
  ventilators?: number | null;
  abdmSoftware?: string | null;
}

/** What prints at the top of prescriptions and receipts. */
export interface Letterhead {
  /** data: URL of a PNG or JPEG, at most 256 KB. */
  logo?: string | null;
  /** e.g. "Mon-Sat 9 am-1 pm, 5-8 pm; Sunday closed" */
  timingsText?: string | null;
  tagline?: string | null;
  gstin?: string | null;
  /** How the clinic reads and shows temperatures (stored in °C either way); °F when not set. */
  temperatureUnit?: TemperatureUnit | null;
}

/** The clinic itself: one row per installation. */
export const facility = sqliteTable('facility', {
  ...syncColumns(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  phone: text('phone').notNull(),
  registration: text('registration', { mode: 'json' }).$type<FacilityRegistration>().notNull().default({}),
  letterhead: text('letterhead', { mode: 'json' }).$type<Letterhead>().notNull().default({}),
  /** 'complete' once every mandatory HFR field passed validation. */
  registrationStatus: text('registration_status').$type<'draft' | 'complete'>().notNull().default('draft'),
  /** The HFR id (IN + 10 characters) once the registry has issued it. */
  hfrId: text('hfr_id'),
});
