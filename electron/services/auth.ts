import { and, desc, eq, isNull } from 'drizzle-orm';
import { createHash, randomBytes } from 'node:crypto';
import { auditLog, sessions, users } from '../../db/schema';
import { ApiFailure, type ServiceContext, type Session } from '../api/contract';
import { burnPasswordCheck, verifyPassword } from './passwords';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface LoginResult {
  token: string;
  user: { id: string; username: string; fullName: string; roles: Session['roles'] };
}

/**
 * The lock is derived from the audit trail itself: the latest attempts for this account within
 * the lockout window. A success breaks the run of failures, so no counter can drift.
 */
export function lockedUntil(ctx: Pick<ServiceContext, 'db' | 'now' | 'settings'>, userId: string): number | null {
  const { lockoutAttempts, lockoutMs } = ctx.settings;
  const recent = ctx.db
    .select({ at: auditLog.at, outcome: auditLog.outcome })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'user'), eq(auditLog.entityId, userId), eq(auditLog.action, 'auth.login')))
    .orderBy(desc(auditLog.at))
    .limit(lockoutAttempts)
    .all();
  if (recent.length < lockoutAttempts || recent.some((r) => r.outcome !== 'failed')) return null;
  const until = recent[0]!.at + lockoutMs;
  return until > ctx.now() ? until : null;
}

export function login(ctx: ServiceContext, input: { username: string; password: string }): LoginResult {
  const username = normaliseUsername(input.username);
  const user = ctx.db.select().from(users).where(eq(users.username, username)).get();
  if (!user || user.deletedAt !== null) {
    burnPasswordCheck(input.password);
    throw new ApiFailure('invalid_credentials', 'Wrong username or password.', undefined, { username });
  }
  const subject = { entityType: 'user', entityId: user.id, userId: user.id, username };
  const until = lockedUntil(ctx, user.id);
  if (until !== null) {
    const at = new Date(until).toLocaleTimeString('en-IN', { hour: '2-digit', minute: '2-digit' });
    throw new ApiFailure(
      'account_locked',
      `Too many wrong passwords: this account is locked until ${at}. Ask an administrator if you need in sooner.`,
      undefined,
      { ...subject, detail: 'locked' },
    );
  }
  if (!verifyPassword(input.password, user.passwordHash)) {
    throw new ApiFailure('invalid_credentials', 'Wrong username or password.', undefined, subject);
  }
  if (!user.active) {
    throw new ApiFailure('forbidden', 'This account has been deactivated. Ask an administrator.', undefined, {
      ...subject,
      detail: 'inactive',
    });
  }
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  ctx.db.insert(sessions).values({ tokenHash: hashToken(token), userId: user.id, createdAt: now, lastSeenAt: now }).run();
  ctx.describe(subject);
  return { token, user: { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles } };
}

export function logout(ctx: ServiceContext, token: string): void {
  ctx.db
    .update(sessions)
    .set({ endedAt: ctx.now() })
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.endedAt)))
    .run();
  if (ctx.session) ctx.describe({ entityType: 'user', entityId: ctx.session.userId });
}

/** Sessions written more often than this are not touched again; keeps reads from becoming writes. */
const TOUCH_EVERY_MS = 30_000;

export type SessionCheck = { ok: true; session: Session } | { ok: false; reason: string };

export function resolveSession(ctx: Pick<ServiceContext, 'db' | 'now' | 'settings'>, token: string): SessionCheck {
  const tokenHash = hashToken(token);
  const row = ctx.db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .get();
  if (!row || row.session.endedAt !== null) return { ok: false, reason: 'Please log in.' };
  const now = ctx.now();
  if (now - row.session.lastSeenAt > ctx.settings.sessionIdleMs) {
    ctx.db.update(sessions).set({ endedAt: now }).where(eq(sessions.tokenHash, tokenHash)).run();
    return { ok: false, reason: 'Your session timed out. Please log in again.' };
  }
  if (!row.user.active || row.user.deletedAt !== null) {
    return { ok: false, reason: 'This account has been deactivated.' };
  }
  if (now - row.session.lastSeenAt > TOUCH_EVERY_MS) {
    ctx.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash)).run();
  }
  return {
    ok: true,
    session: { userId: row.user.id, username: row.user.username, fullName: row.user.fullName, roles: row.user.roles },
  };
}

export function endSessionsOf(ctx: Pick<ServiceContext, 'db' | 'now'>, userId: string): void {
  ctx.db
    .update(sessions)
    .set({ endedAt: ctx.now() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)))
    .run();
}
