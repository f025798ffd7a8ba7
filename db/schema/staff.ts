import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';
import type { Role } from '../../shared/enums';


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
    /** Ed25519 public key (base64 SPKI DER) the server verifies this person's changes with; null for users from before signing. */
    signPublicKey: text('sign_public_key'),
    /** The private half wrapped under the password (services/signing-keys.ts), unwrapped at login. */
    signKeyWrapped: text('sign_key_wrapped'),
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
  /**
   * A digest of the password hash the session was opened with: when the password changes (here,
   * or on another workstation and synced), sessions opened with the old one end.
   */
  passwordStamp: text('password_stamp'),
  /** Opened on a password an administrator set: only choosing a new one is allowed. */
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
});
