import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

/**
 * ICD-10 codes: reference data loaded on each workstation (a starter list the app writes itself,
 * then the full list by import). Local, not synced; searched through `icd10_fts`.
 */
export const icd10Codes = sqliteTable('icd10_codes', {
  id: integer('id').primaryKey(),
  code: text('code').notNull().unique(),
  title: text('title').notNull(),
  category: text('category').notNull(),
  chapter: integer('chapter').notNull(),
  /** False for a category heading that has more specific codes under it. */
  billable: integer('billable', { mode: 'boolean' }).notNull(),
  /** Codes from the starter list: the everyday OPD diagnoses, offered first when titles tie. */
  common: integer('common', { mode: 'boolean' }).notNull().default(false),
});

/** The clinic's list of orderable lab tests (seeded with common ones; editable later). */
export const labTests = sqliteTable('lab_tests', {
  ...syncColumns(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  specimen: text('specimen'),
  unit: text('unit'),
  /** Free text as labs print it, e.g. "13.0-17.0" or "< 200". */
  referenceRange: text('reference_range'),
  pricePaise: integer('price_paise').notNull().default(0),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
});
