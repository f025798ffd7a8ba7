import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';
import type { Role } from './enums';


export const users = sqliteTable(
  'users',
  {
    ...syncColumns(),
    username: text('username').notNull(),
    fullName: text('full_name').notNull(),
    /** scrypt$N$r$p$salt$hash, never the password itself. */
    passwordHash: text('password_hash').notNull(),
    /** JSON array of Role. */
    roles: text('roles', { mode: 'json' }).$type<Role[]>().notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('users_username_uq').on(t.username)],
);

/**
 * Local-only: sessions belong to this workstation and are never synced. Only a hash of the
 * token is kept so a copied database file does not hand out live sessions.
 */
export const sessions = sqliteTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  createdAt: integer('created_at').notNull(),
  lastSeenAt: integer('last_seen_at').notNull(),
  endedAt: integer('ended_at'),
});
