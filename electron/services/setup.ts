import { isNull, sql } from 'drizzle-orm';
import { facility, users } from '../../db/schema';
import { ApiFailure, type ServiceContext } from '../core/context';
import { createStaffWithKey, type NewStaff } from './staff';

export interface SetupInput {
  facility: { name: string; address: string; phone: string };
  admin: Omit<NewStaff, 'roles'>;
}

export function isInitialized(ctx: Pick<ServiceContext, 'db'>): boolean {
  const row = ctx.db.select({ n: sql<number>`count(*)` }).from(users).get();
  return (row?.n ?? 0) > 0;
}

/**
 * Whether this workstation is set up; while it is not, how joining a clinic is going (the
 * joining screen has no session to read the job with, and needs no more than this).
 */
export function setupStatus(ctx: Pick<ServiceContext, 'db' | 'jobRunner'>) {
  const f = ctx.db.select({ name: facility.name }).from(facility).where(isNull(facility.deletedAt)).get();
  const initialized = isInitialized(ctx);
  const join = initialized
    ? undefined
    : ctx.jobRunner
        .list()
        .filter((j) => j.view.kind === 'sync.enrol' && j.owner.userId === null)
        .at(-1)?.view;
  return { initialized, facilityName: f?.name ?? null, joining: join ? { status: join.status, message: join.message } : null };
}

/** First run only: the clinic and its first administrator, in one transaction. */
export function initialize(ctx: ServiceContext, input: SetupInput) {
  if (isInitialized(ctx)) {
    throw new ApiFailure('conflict', 'This workstation is already set up. Log in as an administrator instead.');
  }
  ctx.describe({ username: input.admin.username.trim().toLowerCase() });
  const f = ctx.write.insert(facility, input.facility);
  const { member: admin, key } = createStaffWithKey(ctx, { ...input.admin, roles: ['admin'] });
  // The setup is the new administrator's first act: its audit rows are theirs, in their name and
  // signed with their new key, as the rule book accepts an audit entry of a successful action only
  // from the person it names.
  ctx.describe({ userId: admin.id, username: admin.username });
  ctx.signing?.actAs(admin.id, key);
  return { facilityId: f.id, admin };
}
