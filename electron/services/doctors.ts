import { and, asc, eq, gte, isNull, lte } from 'drizzle-orm';
import { doctorLeaves, doctorProfiles, doctorSchedules, users, type Qualification, type VisitMode } from '../../db/schema';
import type { Row } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { minutesOf } from '../../shared/clinic-time';
import { valueSet } from './masters';

type Ctx = AuthedContext;

export interface Sitting {
  weekday: number;
  start: string;
  end: string;
  slotMinutes: number;
  maxPerSlot: number;
  mode: VisitMode;
}

export interface DoctorInput {
  userId: string;
  specialization: string;
  /** Printable summary; derived from the degrees when left empty. */
  qualifications?: string | undefined;
  registrationCouncil: string;
  registrationNumber: string;
  registrationDate?: string | null | undefined;
  qualificationDetails?: Qualification[] | undefined;
  hprId?: string | null | undefined;
  hprAddress?: string | null | undefined;
  consultationFeePaise: number;
  followUpFeePaise: number;
  followUpWindowDays: number;
  languages?: string[] | undefined;
  /** The whole weekly timetable; replaces the previous one. */
  schedule: Sitting[];
}

function checkSchedule(schedule: Sitting[]): void {
  const fields: Record<string, string> = {};
  schedule.forEach((s, i) => {
    const start = minutesOf(s.start);
    const end = minutesOf(s.end);
    if (end <= start) fields[`schedule.${i}.end`] = 'End must be after start';
    else if (end - start < s.slotMinutes) fields[`schedule.${i}.slotMinutes`] = 'The sitting is shorter than one slot';
    schedule.forEach((o, j) => {
      if (j <= i || o.weekday !== s.weekday) return;
      if (minutesOf(o.start) < end && start < minutesOf(o.end)) fields[`schedule.${j}.start`] = 'Overlaps another sitting on the same day';
    });
  });
  if (Object.keys(fields).length > 0) {
    const [k, v] = Object.entries(fields)[0]!;
    throw new ApiFailure('invalid_input', `${k}: ${v}`, fields);
  }
}

/** Degrees and the council registration cannot be dated after today (a typo such as 2062 for 2006). */
function checkDates(ctx: Ctx, input: Pick<DoctorInput, 'registrationDate' | 'qualificationDetails'>): void {
  const today = ctx.today();
  const fields: Record<string, string> = {};
  if (input.registrationDate && input.registrationDate > today) fields.registrationDate = 'The registration date cannot be in the future';
  input.qualificationDetails?.forEach((q, i) => {
    if (q.year > Number(today.slice(0, 4))) fields[`qualificationDetails.${i}.year`] = 'The year cannot be after this year';
  });
  if (Object.keys(fields).length > 0) {
    const [k, v] = Object.entries(fields)[0]!;
    throw new ApiFailure('invalid_input', `${k}: ${v}`, fields);
  }
}

/** The council as its registry name, from a code ("MMC") or the name itself; unknown ones are refused. */
function councilLabel(ctx: Ctx, council: string): string {
  const wanted = council.trim().toLowerCase();
  const match = valueSet(ctx.db, 'registration_council').find((c) => c.code.toLowerCase() === wanted || c.label.toLowerCase() === wanted);
  if (!match) {
    throw new ApiFailure('invalid_input', `registrationCouncil: "${council}" is not a medical council on the list`, {
      registrationCouncil: 'Choose a council from the list',
    });
  }
  return match.label;
}

function qualificationsText(input: Pick<DoctorInput, 'qualifications' | 'qualificationDetails'>): string {
  const text = input.qualifications?.trim();
  if (text) return text;
  const degrees = (input.qualificationDetails ?? []).map((q) => q.degree);
  if (degrees.length === 0) {
    throw new ApiFailure('invalid_input', 'qualifications: Enter the qualifications (or at least one degree)', { qualifications: 'Enter the qualifications' });
  }
  return degrees.join(', ');
}

export function upsertDoctor(ctx: Ctx, input: DoctorInput) {
  const user = ctx.db.select().from(users).where(eq(users.id, input.userId)).get();
  if (!user || user.deletedAt !== null) throw new ApiFailure('not_found', 'No such staff member.', { userId: 'No such staff member' });
  if (!user.roles.includes('doctor')) {
    throw new ApiFailure('invalid_input', `${user.fullName} does not have the doctor role. Add it on the Staff screen first.`, {
      userId: 'This staff member is not a doctor',
    });
  }
  checkSchedule(input.schedule);
  checkDates(ctx, input);
  const { schedule, userId, ...rest } = input;
  const profile = { ...rest, registrationCouncil: councilLabel(ctx, input.registrationCouncil), qualifications: qualificationsText(input) };
  const existing = ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, userId)).get();
  const row = existing
    ? ctx.write.update(doctorProfiles, existing.id, profile)
    : ctx.write.insert(doctorProfiles, { ...profile, userId });

  // Replace the timetable: keep sittings that are unchanged, tombstone the rest, add the new ones.
  const current = ctx.db.select().from(doctorSchedules).where(and(eq(doctorSchedules.doctorId, userId), isNull(doctorSchedules.deletedAt))).all();
  const same = (a: Sitting, b: Sitting) =>
    a.weekday === b.weekday && a.start === b.start && a.end === b.end && a.slotMinutes === b.slotMinutes && a.maxPerSlot === b.maxPerSlot && a.mode === b.mode;
  const kept = new Set<string>();
  for (const sitting of schedule) {
    const match = current.find((c) => !kept.has(c.id) && same(c, sitting));
    if (match) kept.add(match.id);
    else ctx.write.insert(doctorSchedules, { ...sitting, doctorId: userId });
  }
  for (const c of current) if (!kept.has(c.id)) ctx.write.remove(doctorSchedules, c.id);
  return getDoctor(ctx, userId, row);
}

export interface DoctorView {
  userId: string;
  fullName: string;
  active: boolean;
  profile: Omit<Row<typeof doctorProfiles>, 'hlc' | 'deviceId' | 'deletedAt'> | null;
  schedule: (Sitting & { id: string })[];
  leaves: { id: string; fromDate: string; toDate: string; reason: string | null }[];
}

export function getDoctor(ctx: Pick<Ctx, 'db' | 'today'>, userId: string, profileRow?: Row<typeof doctorProfiles>): DoctorView {
  const user = ctx.db.select().from(users).where(eq(users.id, userId)).get();
  if (!user || !user.roles.includes('doctor')) throw new ApiFailure('not_found', 'No such doctor.', { doctorId: 'No such doctor' });
  const profile = profileRow ?? ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, userId)).get() ?? null;
  const schedule = ctx.db
    .select({
      id: doctorSchedules.id,
      weekday: doctorSchedules.weekday,
      start: doctorSchedules.start,
      end: doctorSchedules.end,
      slotMinutes: doctorSchedules.slotMinutes,
      maxPerSlot: doctorSchedules.maxPerSlot,
      mode: doctorSchedules.mode,
    })
    .from(doctorSchedules)
    .where(and(eq(doctorSchedules.doctorId, userId), isNull(doctorSchedules.deletedAt)))
    .orderBy(asc(doctorSchedules.weekday), asc(doctorSchedules.start))
    .all();
  const leaves = ctx.db
    .select({ id: doctorLeaves.id, fromDate: doctorLeaves.fromDate, toDate: doctorLeaves.toDate, reason: doctorLeaves.reason })
    .from(doctorLeaves)
    .where(and(eq(doctorLeaves.doctorId, userId), isNull(doctorLeaves.deletedAt), gte(doctorLeaves.toDate, ctx.today())))
    .orderBy(asc(doctorLeaves.fromDate))
    .all();
  let view: DoctorView['profile'] = null;
  if (profile) {
    const { hlc: _h, deviceId: _d, deletedAt: _x, ...rest } = profile;
    view = rest;
  }
  return { userId, fullName: user.fullName, active: user.active, profile: view, schedule, leaves };
}

/** Every active staff member with the doctor role, with or without a profile yet. */
export function listDoctors(ctx: Pick<Ctx, 'db' | 'today'>): DoctorView[] {
  return ctx.db
    .select({ id: users.id, roles: users.roles, active: users.active })
    .from(users)
    .where(isNull(users.deletedAt))
    .orderBy(asc(users.fullName))
    .all()
    .filter((u) => u.roles.includes('doctor') && u.active)
    .map((u) => getDoctor(ctx, u.id));
}

export function addLeave(ctx: Ctx, input: { doctorId: string; fromDate: string; toDate: string; reason?: string | null | undefined }) {
  getDoctor(ctx, input.doctorId);
  if (input.toDate < input.fromDate) {
    throw new ApiFailure('invalid_input', 'toDate: The leave must end on or after its first day', { toDate: 'Must be on or after the first day' });
  }
  const row = ctx.write.insert(doctorLeaves, { doctorId: input.doctorId, fromDate: input.fromDate, toDate: input.toDate, reason: input.reason ?? null });
  return { id: row.id, fromDate: row.fromDate, toDate: row.toDate, reason: row.reason };
}

export function removeLeave(ctx: Ctx, leaveId: string) {
  const row = ctx.db.select().from(doctorLeaves).where(eq(doctorLeaves.id, leaveId)).get();
  if (!row || row.deletedAt !== null) throw new ApiFailure('not_found', 'No such leave.', { leaveId: 'No such leave' });
  ctx.write.remove(doctorLeaves, leaveId);
  return { removed: true };
}

export function leaveOn(ctx: Pick<Ctx, 'db'>, doctorId: string, date: string) {
  return (
    ctx.db
      .select()
      .from(doctorLeaves)
      .where(and(eq(doctorLeaves.doctorId, doctorId), isNull(doctorLeaves.deletedAt), lte(doctorLeaves.fromDate, date), gte(doctorLeaves.toDate, date)))
      .get() ?? null
  );
}
