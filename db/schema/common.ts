import { integer, text } from 'drizzle-orm/sqlite-core';

/**
 * Columns every synced business table carries. Ids are device-made UUIDv7 so rows created
 * offline on different workstations never collide; `hlc` orders concurrent edits for sync.
 */
export const syncColumns = () => ({
  id: text('id').primaryKey(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
  hlc: text('hlc').notNull(),
  deviceId: text('device_id').notNull(),
  deletedAt: integer('deleted_at'),
});
