import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import { users, type Role } from '../../db/schema';
import { ApiFailure, type ServiceContext, type Session } from '../core/context';
import { endSessionsOf, normaliseUsername } from './auth';
import { hashPassword } from './passwords';
import { generateSigningKey, type SigningKey } from './signing-keys';

export interface NewStaff {
  username: string;
  fullName: string;
  password: string;
  roles: Role[];
  /** The password is for the first login only: the person then chooses their own (the Staff screen's default). */
  temporaryPassword?: boolean | undefined;
}

export interface StaffMember {
  id: string;
  username: string;
  fullName: string;
  roles: Role[];
  active: boolean;
  createdAt: number;
}

const publicColumns = {
  id: users.id,
  username: users.username,
  fullName: users.fullName,
  roles: users.roles,
  active: users.active,
  createdAt: users.createdAt,
};

export function createStaff(ctx: ServiceContext, input: NewStaff): StaffMember & { mustChangePassword: boolean } {
  const { member } = createStaffWithKey(ctx, input);
  // An audit row on the account is what asks for a new password at login, on every workstation (services/auth.ts).
  if (input.temporaryPassword) ctx.alsoAudit('staff.temporaryPassword', { entityType: 'users', entityId: member.id, detail: `first password for ${member.username} is temporary: they choose their own at first login` });
  return { ...member, mustChangePassword: input.temporaryPassword === true };
}

/** createStaff, also handing back the new person's signing key (setup signs as the first administrator). */
export function createStaffWithKey(ctx: ServiceContext, input: NewStaff): { member: StaffMember; key: SigningKey } {
  const username = normaliseUsername(input.username);
  const taken = ctx.db.select({ id: users.id }).from(users).where(eq(users.username, username)).get();
  if (taken) {
    throw new ApiFailure('conflict', `The username "${username}" is already taken.`, {
      username: 'This username is already taken',
    });
  }
  const roles = [...new Set(input.roles)];
  // The person's signing key is made with their account and wrapped under its first password; the
  // server registers its public half from this insert (docs/SYNC.md "Signed changes").
  const key = generateSigningKey(input.password);
  const row = ctx.write.insert(users, {
    username,
    fullName: input.fullName.trim(),
    passwordHash: hashPassword(input.password),
    roles,
    active: true,
    signPublicKey: key.publicKey,
    signKeyWrapped: key.wrapped,
  });
  return { member: { id: row.id, username: row.username, fullName: row.fullName, roles: row.roles, active: row.active, createdAt: row.createdAt }, key };
}

export function listStaff(ctx: Pick<ServiceContext, 'db'>): StaffMember[] {
  return ctx.db.select(publicColumns).from(users).where(isNull(users.deletedAt)).orderBy(asc(users.fullName)).all();
}

export function setActive(ctx: ServiceContext, input: { userId: string; active: boolean }): StaffMember {
  const user = ctx.db.select(publicColumns).from(users).where(eq(users.id, input.userId)).get();
  if (!user) throw new ApiFailure('not_found', 'No such staff member.', { userId: 'No such staff member' });
  if (!input.active) {
    if (ctx.session?.userId === input.userId) {
      throw new ApiFailure('conflict', 'You cannot deactivate your own account.', { userId: 'This is your own account' });
    }
    if (user.roles.includes('admin') && countOtherActiveAdmins(ctx, input.userId) === 0) {
      throw new ApiFailure('conflict', 'At least one administrator must stay active.', {
        userId: 'This is the last active administrator',
      });
    }
  }
  const row = ctx.write.update(users, input.userId, { active: input.active });
  if (!input.active) endSessionsOf(ctx, input.userId);
  return { ...user, active: row.active };
}

function countOtherActiveAdmins(ctx: Pick<ServiceContext, 'db'>, exceptId: string): number {
  const rows = ctx.db
    .select({ roles: users.roles })
    .from(users)
    .where(and(eq(users.active, true), isNull(users.deletedAt), ne(users.id, exceptId)))
    .all();
  return rows.filter((r) => r.roles.includes('admin')).length;
}

/**
 * Sets a new password chosen by an administrator (scrypt, like every password). The person's
 * sessions end, so whoever was using the old password is out. The audit row this write leaves
 * (action staff.resetPassword on the users row, the hash redacted) is what clears a lockout and
 * what asks the person to choose their own password at the next login (see services/auth.ts).
 */
export function resetPassword(
  ctx: ServiceContext & { session: Session },
  input: { userId: string; newPassword: string },
): StaffMember & { sessionsEnded: number; mustChangePassword: true } {
  const user = ctx.db.select({ ...publicColumns, deletedAt: users.deletedAt }).from(users).where(eq(users.id, input.userId)).get();
  if (!user || user.deletedAt !== null) throw new ApiFailure('not_found', 'No such staff member.', { userId: 'No such staff member' });
  if (user.id === ctx.session.userId) {
    // Resetting would end the administrator's own session and ask them to change it again.
    throw new ApiFailure('conflict', 'Use "Change my password" for your own account.', { userId: 'This is your own account' });
  }
  // The administrator cannot open the old signing key (it is wrapped under a password they do not
  // know): a new pair, registered by this change, signed by the administrator; the server retires
  // the old key (changes stamped before the reset still verify with it).
  const key = generateSigningKey(input.newPassword);
  ctx.write.update(users, user.id, { passwordHash: hashPassword(input.newPassword), signPublicKey: key.publicKey, signKeyWrapped: key.wrapped });
  const sessionsEnded = endSessionsOf(ctx, user.id);
  ctx.describe({ detail: `password reset for ${user.username}; ${sessionsEnded} session(s) ended; lockout cleared; must change at next login` });
  const { deletedAt: _deleted, ...member } = user;
  return { ...member, sessionsEnded, mustChangePassword: true };
}

/**
 * A new username for a staff member: how an administrator settles a username two desks handed out
 * offline (the desk that lost renamed its row "ravi.2"), or a held-up sync (a pulled user whose
 * username a row here holds). Sessions stay open; the person logs in with the new name next time.
 */
export function renameStaff(ctx: ServiceContext, input: { userId: string; username: string }): StaffMember {
  const user = ctx.db.select({ ...publicColumns, deletedAt: users.deletedAt }).from(users).where(eq(users.id, input.userId)).get();
  if (!user || user.deletedAt !== null) throw new ApiFailure('not_found', 'No such staff member.', { userId: 'No such staff member' });
  const username = normaliseUsername(input.username);
  if (username === user.username) return { id: user.id, username, fullName: user.fullName, roles: user.roles, active: user.active, createdAt: user.createdAt };
  const taken = ctx.db.select({ id: users.id }).from(users).where(eq(users.username, username)).get();
  if (taken) throw new ApiFailure('conflict', `The username "${username}" is already taken.`, { username: 'This username is already taken' });
  ctx.write.update(users, user.id, { username });
  ctx.describe({ detail: `username ${user.username} -> ${username}` });
  return { id: user.id, username, fullName: user.fullName, roles: user.roles, active: user.active, createdAt: user.createdAt };
}
