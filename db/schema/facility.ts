import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

/** The clinic itself. One row per installation for now; HFR fields arrive with the facility issue. */
export const facility = sqliteTable('facility', {
  ...syncColumns(),
  name: text('name').notNull(),
  address: text('address').notNull(),
  phone: text('phone').notNull(),
});
