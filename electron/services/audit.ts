import { and, desc, eq, gte, lt, lte, or, type SQL } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { connectionOf, type Db } from '../../db/open';
import { insertChange } from '../../db/change-log-insert';
import { auditLog, type AuditOutcome } from '../../db/schema';
import type { ServiceContext } from '../core/context';
import { normaliseUsername } from './auth';
import { changeSigningBytes } from '../../shared/change-signing';
import type { ChangeSigner } from './signing-keys';

/** Column names whose values never reach the audit trail. */
const SECRET = /password|token|secret|key_wrapped/i;

export function redact(values: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!values) return null;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, SECRET.test(k) ? '[redacted]' : v]));
}

export interface AuditEntry {
  at: number;
  userId: string | null;
  username: string | null;
  action: string;
  outcome: AuditOutcome;
  entityType?: string | null;
  entityId?: string | null;
  oldValues?: Record<string, unknown> | null;
  newValues?: Record<string, unknown> | null;
  detail?: string | null;
}

export interface AuditWriterDeps {
  db: Db;
  deviceId: string;
  tick: () => string;
  /**
   * Who signs the row's change: the session's user. Absent or null: an unsigned device-level
   * change (first-run setup, a failed login), whatever `entry.userId` names (that is data: for a
   * failed login it is the account someone tried).
   */
  signer?: ChangeSigner | null;
}

/**
 * Appends audit rows. They are synced like any insert-only ledger, so each goes to the outbox too;
 * they do not go through the Writer because auditing must not itself be audited.
 */
export function appendAudit(deps: AuditWriterDeps, entry: AuditEntry): void {
  const hlc = deps.tick();
  const id = uuidv7();
  const row = {
    id,
    createdAt: entry.at,
    updatedAt: entry.at,
    hlc,
    deviceId: deps.deviceId,
    deletedAt: null,
    at: entry.at,
    userId: entry.userId,
    username: entry.username,
    action: entry.action.slice(0, 100),
    outcome: entry.outcome,
    entityType: entry.entityType ?? null,
    entityId: entry.entityId ?? null,
    oldValues: redact(entry.oldValues ?? null),
    newValues: redact(entry.newValues ?? null),
    detail: entry.detail?.slice(0, 2000) ?? null,
  };
  // Raw, with a statement compiled once per connection: every call writes at least one of these.
  const sqlite = connectionOf(deps.db);
  if (!sqlite) deps.db.insert(auditLog).values(row).run();
  else sqlite
    .prepare(
      `INSERT INTO audit_log (id, created_at, updated_at, hlc, device_id, deleted_at, at, user_id, username, action, outcome, entity_type, entity_id, old_values, new_values, detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      row.id, row.createdAt, row.updatedAt, row.hlc, row.deviceId, row.deletedAt, row.at, row.userId, row.username, row.action, row.outcome,
      row.entityType, row.entityId, row.oldValues === null ? null : JSON.stringify(row.oldValues), row.newValues === null ? null : JSON.stringify(row.newValues), row.detail,
    );
  const change = {
    id: uuidv7(),
    table: 'audit_log',
    rowId: id,
    op: 'insert' as const,
    columns: {
      id,
      created_at: row.createdAt,
      updated_at: row.updatedAt,
      hlc,
      device_id: row.deviceId,
      deleted_at: null,
      at: row.at,
      user_id: row.userId,
      username: row.username,
      action: row.action,
      outcome: row.outcome,
      entity_type: row.entityType,
      entity_id: row.entityId,
      old_values: row.oldValues,
      new_values: row.newValues,
      detail: row.detail,
    },
    hlc,
    userId: deps.signer?.userId ?? null,
  };
  const signed = deps.signer ? deps.signer.sign(changeSigningBytes(change)) : null;
  insertChange(deps.db, { ...change, sig: signed?.sig ?? null, keyId: signed?.keyId ?? null });
}

export interface AuditFilter {
  from?: number | undefined;
  to?: number | undefined;
  userId?: string | undefined;
  /** Matched whole and case-insensitively (logins are case-insensitive too). */
  username?: string | undefined;
  action?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  outcome?: AuditOutcome | undefined;
  /** Keyset paging: rows older than this `at` (with `beforeId`: older than that row, same-millisecond rows included). */
  before?: number | undefined;
  beforeId?: string | undefined;
  limit: number;
}

export function listAudit(ctx: Pick<ServiceContext, 'db'>, f: AuditFilter) {
  const where: SQL[] = [];
  if (f.from !== undefined) where.push(gte(auditLog.at, f.from));
  if (f.to !== undefined) where.push(lte(auditLog.at, f.to));
  if (f.before !== undefined) {
    // Rows share a millisecond (a write and its audit, a burst of imports): the id breaks the tie,
    // in the same order as the listing, so a page boundary never skips one.
    const older = f.beforeId !== undefined ? or(lt(auditLog.at, f.before), and(eq(auditLog.at, f.before), lt(auditLog.id, f.beforeId))) : lt(auditLog.at, f.before);
    if (older) where.push(older);
  }
  if (f.userId) where.push(eq(auditLog.userId, f.userId));
  // Usernames are stored as logins normalise them, so the index on username answers this.
  if (f.username) where.push(eq(auditLog.username, normaliseUsername(f.username)));
  if (f.action) where.push(eq(auditLog.action, f.action));
  if (f.entityType) where.push(eq(auditLog.entityType, f.entityType));
  if (f.entityId) where.push(eq(auditLog.entityId, f.entityId));
  if (f.outcome) where.push(eq(auditLog.outcome, f.outcome));
  const rows = ctx.db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      userId: auditLog.userId,
      username: auditLog.username,
      action: auditLog.action,
      outcome: auditLog.outcome,
      entityType: auditLog.entityType,
      entityId: auditLog.entityId,
      oldValues: auditLog.oldValues,
      newValues: auditLog.newValues,
      detail: auditLog.detail,
      deviceId: auditLog.deviceId,
    })
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(f.limit + 1)
    .all();
  const hasMore = rows.length > f.limit;
  return { rows: rows.slice(0, f.limit), hasMore };
}
