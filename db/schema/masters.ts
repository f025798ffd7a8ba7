import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Registry value sets (ownership, facility types, specialities, systems of medicine, councils...)
 * as data, not code: seeded with a starter set and replaceable by import when the registry's
 * masters change. Local reference data on each workstation; not synced.
 */
export const valueSets = sqliteTable(
  'value_sets',
  {
    setName: text('set_name').notNull(),
    code: text('code').notNull(),
    label: text('label').notNull(),
    /** For dependent lists: the code in the parent set this value belongs under. */
    parentCode: text('parent_code'),
    sort: integer('sort').notNull().default(0),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [primaryKey({ columns: [t.setName, t.code] }), index('value_sets_parent_idx').on(t.setName, t.parentCode)],
);

/** Local Government Directory codes: states, districts, sub-districts. */
export const lgdStates = sqliteTable('lgd_states', {
  code: integer('code').primaryKey(),
  name: text('name').notNull(),
});

export const lgdDistricts = sqliteTable(
  'lgd_districts',
  {
    code: integer('code').primaryKey(),
    name: text('name').notNull(),
    stateCode: integer('state_code').notNull(),
  },
  (t) => [index('lgd_districts_state_idx').on(t.stateCode, t.name)],
);

export const lgdSubdistricts = sqliteTable(
  'lgd_subdistricts',
  {
    code: integer('code').primaryKey(),
    name: text('name').notNull(),
    districtCode: integer('district_code').notNull(),
    stateCode: integer('state_code').notNull(),
  },
  (t) => [index('lgd_subdistricts_district_idx').on(t.districtCode, t.name)],
);

/** India Post offices by pincode, for "fill from pincode" (loaded by import where available). */
export const pincodeOffices = sqliteTable(
  'pincode_offices',
  {
    id: integer('id').primaryKey(),
    pincode: text('pincode').notNull(),
    officeName: text('office_name').notNull(),
    district: text('district'),
    state: text('state'),
    latitude: real('latitude'),
    longitude: real('longitude'),
  },
  (t) => [index('pincode_offices_pincode_idx').on(t.pincode)],
);
