import { and, desc, eq, inArray, isNull, lte, ne, or } from 'drizzle-orm';
import { MAX_CLOCK_AHEAD_MS } from '../../shared/sync-protocol';
import { createHash, randomBytes } from 'node:crypto';
import { auditLog, sessions, users } from '../../db/schema';
import { ApiFailure, type ServiceContext, type Session } from '../core/context';
import { burnPasswordCheck, hashPassword, verifyPassword } from './passwords';
import { generateSigningKey, unwrapSigningKey, wrapSigningKey } from './signing-keys';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export interface LoginResult {
  token: string;
  user: { id: string; username: string; fullName: string; roles: Session['roles']; mustChangePassword: boolean };
}

/**
 * Audit actions that set a user's password: a reset by an administrator, a first password an
 * administrator gave a new account (staff.temporaryPassword), or the user's own change.
 */
export const PASSWORD_SET_ACTIONS = ['staff.resetPassword', 'staff.temporaryPassword', 'auth.changePassword'] as const;

/** Passwords someone else chose: the person must choose their own before working. */
const CHOSEN_BY_ANOTHER: readonly string[] = ['staff.resetPassword', 'staff.temporaryPassword'];

/**
 * Calls that ask for the user's own password: a wrong one counts towards the lockout wherever it
 * was typed (showing the database's recovery key is as sensitive as a login), and a right one
 * breaks the run of failures like a login does.
 */
export const PASSWORD_ATTEMPT_ACTIONS = [
  'auth.login',
  'auth.changePassword',
  'backups.recoveryKey',
  // An administrator's password typed at the billing counter to approve a discount.
  'billing.approval',
  'billing.createInvoice',
  'billing.updateInvoice',
  'billing.issueInvoice',
] as const;

/**
 * The lock is derived from the audit trail itself: the latest attempts for this account within
 * the lockout window. A success breaks the run of failures, so no counter can drift. Wrong current
 * passwords given to auth.changePassword or backups.recoveryKey, and wrong approval passwords at the
 * billing counter, count as attempts too (a live
 * session must not become a way to guess the password without limit). A password set by an administrator (or by the user)
 * also breaks the run: that is how an administrator lets a locked-out user in before the lock runs
 * out, and since audit rows sync, the reset clears the lock on every workstation.
 */
export function lockedUntil(ctx: Pick<ServiceContext, 'db' | 'now' | 'settings'>, userId: string): number | null {
  const { lockoutAttempts, lockoutMs } = ctx.settings;
  const recent = ctx.db
    .select({ at: auditLog.at, outcome: auditLog.outcome })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityId, userId),
        // An attempt dated in the future counts for nothing: failed logins are the one audit entry
        // an enrolled desk may write in someone's name unsigned, and a few dated 2099 would
        // otherwise outrank every later reset and lock the account for good.
        lte(auditLog.at, ctx.now() + MAX_CLOCK_AHEAD_MS),
        or(
          // Attempts with a password (logins are audited against the 'user').
          and(eq(auditLog.entityType, 'user'), inArray(auditLog.action, [...PASSWORD_ATTEMPT_ACTIONS])),
          // A password written (the router audits the 'users' row it changed); only a success counts.
          and(eq(auditLog.entityType, 'users'), inArray(auditLog.action, [...PASSWORD_SET_ACTIONS]), eq(auditLog.outcome, 'ok')),
        ),
      ),
    )
    // Rows of one workstation in the same millisecond keep their order by id (UUIDv7, monotonic).
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(lockoutAttempts)
    .all();
  if (recent.length < lockoutAttempts || recent.some((r) => r.outcome !== 'failed')) return null;
  const until = recent[0]!.at + lockoutMs;
  return until > ctx.now() ? until : null;
}

/**
 * True when the user's password was last set by an administrator (a reset, or a new account's
 * first password given as temporary): the
 * person must choose their own before working. Derived from the audit trail like the lockout, so
 * it needs no column of its own and follows the reset to every workstation.
 */
export function mustChangePassword(ctx: Pick<ServiceContext, 'db'>, userId: string): boolean {
  const last = ctx.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.entityType, 'users'),
        eq(auditLog.entityId, userId),
        inArray(auditLog.action, [...PASSWORD_SET_ACTIONS]),
        eq(auditLog.outcome, 'ok'),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .get();
  return last !== undefined && CHOSEN_BY_ANOTHER.includes(last.action);
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
  const key = openSigningKey(user, input.password);
  const token = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const mustChange = mustChangePassword(ctx, user.id);
  ctx.db
    .insert(sessions)
    .values({ tokenHash: hashToken(token), userId: user.id, createdAt: now, lastSeenAt: now, passwordStamp: passwordStamp(user.passwordHash), mustChangePassword: mustChange })
    .run();
  const signer = ctx.signing?.open(token, user.id, key);
  if (!user.signPublicKey && signer) {
    // Trust on first use: a user from before signed changes gets a key pair at their first login
    // on this version, registered by their own row's update signed with the new key (docs/SYNC.md).
    ctx.write.withSigner(signer.userId, signer.sign).update(users, user.id, { signPublicKey: key.publicKey, signKeyWrapped: key.wrapped });
  }
  ctx.describe(subject);
  return {
    token,
    user: { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles, mustChangePassword: mustChange },
  };
}

/**
 * The person's signing key, unwrapped with the password that just verified; for a user from
 * before signed changes (no key yet), a fresh pair wrapped under it. A key that does not open with
 * the right password (the row was damaged) cannot sign: only an administrator's reset (a new
 * pair) helps, so say so instead of letting the person write changes the server would refuse.
 */
function openSigningKey(user: typeof users.$inferSelect, password: string) {
  if (!user.signPublicKey || !user.signKeyWrapped) return generateSigningKey(password);
  const key = unwrapSigningKey(user.signKeyWrapped, password);
  if (!key || key.publicKey !== user.signPublicKey) {
    throw new ApiFailure('conflict', 'Your signing key could not be opened. Ask an administrator to reset your password.', undefined, {
      entityType: 'user',
      entityId: user.id,
      userId: user.id,
      username: user.username,
      detail: 'signing key unusable',
    });
  }
  return { ...key, wrapped: user.signKeyWrapped };
}

export function logout(ctx: ServiceContext, token: string): void {
  ctx.signing?.close(token);
  ctx.db
    .update(sessions)
    .set({ endedAt: ctx.now() })
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.endedAt)))
    .run();
  if (ctx.session) ctx.describe({ entityType: 'user', entityId: ctx.session.userId });
}

/** Short digest of a stored password hash, kept with a session (never the hash itself). */
function passwordStamp(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 22);
}

/** Sessions written more often than this are not touched again; keeps reads from becoming writes. */
export const TOUCH_EVERY_MS = 30_000;

export type SessionCheck = { ok: true; session: Session } | { ok: false; reason: string };

/**
 * The session behind a token, or why there is none. `touch: false` checks without counting as
 * activity (the event stream asks on every event; that must not keep an idle desk logged in).
 */
export function resolveSession(ctx: Pick<ServiceContext, 'db' | 'now' | 'settings'>, token: string, opts: { touch?: boolean } = {}): SessionCheck {
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
  // The password changed since this session was opened, perhaps on another workstation (a reset
  // arrives by sync): whoever held the old password is out. Sessions from before stamps had none.
  if (row.session.passwordStamp !== null && row.session.passwordStamp !== passwordStamp(row.user.passwordHash)) {
    ctx.db.update(sessions).set({ endedAt: now }).where(eq(sessions.tokenHash, tokenHash)).run();
    return { ok: false, reason: 'The password of this account was changed. Please log in again.' };
  }
  if (opts.touch !== false && now - row.session.lastSeenAt > TOUCH_EVERY_MS) {
    ctx.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash)).run();
  }
  return {
    ok: true,
    session: {
      userId: row.user.id,
      username: row.user.username,
      fullName: row.user.fullName,
      roles: row.user.roles,
      ...(row.session.mustChangePassword ? { mustChangePassword: true } : {}),
    },
  };
}

/** Ends the user's live sessions (all, or all but the one with `exceptToken`); returns how many. */
export function endSessionsOf(ctx: Pick<ServiceContext, 'db' | 'now'>, userId: string, exceptToken?: string | null): number {
  const where = [eq(sessions.userId, userId), isNull(sessions.endedAt)];
  if (exceptToken) where.push(ne(sessions.tokenHash, hashToken(exceptToken)));
  return ctx.db
    .update(sessions)
    .set({ endedAt: ctx.now() })
    .where(and(...where))
    .run().changes;
}

/**
 * The logged-in user proves it is them with their own password (before something an unattended,
 * logged-in desk must not allow). A wrong one counts towards the lockout like a failed login, as
 * long as the calling action is in PASSWORD_ATTEMPT_ACTIONS. Returns the user's row.
 */
export function confirmOwnPassword(ctx: ServiceContext & { session: Session }, password: string, field: string, wrong: string) {
  const user = ctx.db.select().from(users).where(eq(users.id, ctx.session.userId)).get();
  if (!user || user.deletedAt !== null) throw new ApiFailure('not_found', 'Your account no longer exists.');
  const subject = { entityType: 'user', entityId: user.id };
  const until = lockedUntil(ctx, user.id);
  if (until !== null) {
    const at = new Date(until).toLocaleTimeString('en-IN', { hour: '2-digit', minute: '2-digit' });
    throw new ApiFailure('account_locked', `Too many wrong passwords: this account is locked until ${at}.`, undefined, { ...subject, detail: 'locked' });
  }
  if (!verifyPassword(password, user.passwordHash)) throw new ApiFailure('invalid_credentials', `${wrong}.`, { [field]: wrong }, subject);
  return user;
}

/**
 * A logged-in user changes their own password: the current one must be right (a wrong one counts
 * towards the lockout, like a wrong login), the new one follows the same rules as staff.create and
 * differs from the current. The user's other sessions end; this one goes on.
 */
export function changePassword(
  ctx: ServiceContext & { session: Session },
  input: { currentPassword: string; newPassword: string },
): { changed: true; otherSessionsEnded: number } {
  const user = confirmOwnPassword(ctx, input.currentPassword, 'currentPassword', 'The current password is wrong');
  if (input.newPassword.normalize('NFKC') === input.currentPassword.normalize('NFKC')) {
    throw new ApiFailure('invalid_input', 'newPassword: Choose a password different from the current one', {
      newPassword: 'Choose a password different from the current one',
    });
  }
  const passwordHash = hashPassword(input.newPassword);
  // The same signing key, wrapped under the new password (its public half, registered with the
  // server, does not change); a user without one yet gets a pair, as at login.
  const key = user.signKeyWrapped && user.signPublicKey ? unwrapSigningKey(user.signKeyWrapped, input.currentPassword) : null;
  if (key) {
    ctx.write.update(users, user.id, { passwordHash, signKeyWrapped: wrapSigningKey(key.privateKey, input.newPassword) });
  } else if (!user.signPublicKey) {
    const fresh = generateSigningKey(input.newPassword);
    ctx.write.update(users, user.id, { passwordHash, signPublicKey: fresh.publicKey, signKeyWrapped: fresh.wrapped });
  } else {
    throw new ApiFailure('conflict', 'Your signing key could not be opened. Ask an administrator to reset your password.');
  }
  const otherSessionsEnded = endSessionsOf(ctx, user.id, ctx.token);
  if (ctx.token) {
    // This session goes on, on the new password and free to work.
    ctx.db.update(sessions).set({ passwordStamp: passwordStamp(passwordHash), mustChangePassword: false }).where(eq(sessions.tokenHash, hashToken(ctx.token))).run();
  }
  ctx.describe({ detail: `password changed by the user; ${otherSessionsEnded} other session(s) ended` });
  return { changed: true, otherSessionsEnded };
}
