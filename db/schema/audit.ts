import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';
import type { AuditOutcome } from '../../shared/enums';


/** Insert-only. Nothing updates or deletes an audit row; the database refuses it (see triggers). */
export const auditLog = sqliteTable(
  'audit_log',
  {
    ...syncColumns(),
    at: integer('at').notNull(),
    userId: text('user_id'),
    username: text('username'),
    action: text('action').notNull(),
    outcome: text('outcome').$type<AuditOutcome>().notNull(),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    oldValues: text('old_values', { mode: 'json' }).$type<Record<string, unknown>>(),
    newValues: text('new_values', { mode: 'json' }).$type<Record<string, unknown>>(),
    detail: text('detail'),
  },
  (t) => [
    index('audit_at_idx').on(t.at),
    index('audit_entity_idx').on(t.entityType, t.entityId, t.at),
    index('audit_user_idx').on(t.userId, t.at),
    // By name too: failed logins of unknown names have no user id.
    index('audit_username_idx').on(t.username, t.at),
    index('audit_action_idx').on(t.action, t.at),
  ],
);
