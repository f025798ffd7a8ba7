import { and, desc, eq, gte, isNull, or } from 'drizzle-orm';
import { abdmProfileShares, patients, type Priority } from '../../db/schema';
import type { Row } from '../../db/write';
import { shownShareStatus, type ProfileShareStatus } from '../../shared/abdm-shares';
import { addDays, ageOn } from '../../shared/clinic-time';
import { ApiFailure, type AuthedContext } from '../core/context';
import { displayName } from './patient-search';
import { findDuplicates } from './patients';
import { checkIn } from './queue';

/**
 * Reception's side of ABDM Scan & Share (docs/ABDM.md): the profiles patients shared by scanning a
 * counter's QR code arrive as rows the clinic's server wrote (table abdm_profile_shares, pulled like
 * any other); the desk finds or registers the patient, checks them in with the token their app
 * shows, and records that progress on the share (status, patient_id, visit_id: all a desk may write).
 */
type Ctx = AuthedContext;
type ShareRow = Row<typeof abdmProfileShares>;

export interface ShareView {
  id: string;
  token: string;
  name: string;
  abhaNumber: string | null;
  abhaAddress: string;
  gender: string;
  /** Age in years from the year (or full date) of birth. */
  age: number;
  yearOfBirth: number;
  /** YYYY-MM-DD when the day and month were shared too. */
  dob: string | null;
  mobile: string | null;
  address: string | null;
  pincode: string | null;
  counterId: string;
  sharedAt: number;
  expiresAt: number;
  /** As shown: a waiting share past its validity is expired. */
  status: ProfileShareStatus;
  patientId: string | null;
  visitId: string | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

function birthDate(r: Pick<ShareRow, 'yearOfBirth' | 'monthOfBirth' | 'dayOfBirth'>): string | null {
  return r.dayOfBirth && r.monthOfBirth ? `${r.yearOfBirth}-${pad(r.monthOfBirth)}-${pad(r.dayOfBirth)}` : null;
}

function view(ctx: Ctx, r: ShareRow): ShareView {
  const dob = birthDate(r);
  const today = ctx.today();
  return {
    id: r.id,
    token: r.token,
    name: r.name,
    abhaNumber: r.abhaNumber,
    abhaAddress: r.abhaAddress,
    gender: r.gender,
    age: ageOn(dob ?? `${r.yearOfBirth}-07-01`, today),
    yearOfBirth: r.yearOfBirth,
    dob,
    mobile: r.mobile,
    address: [r.addressLine, r.district, r.state].filter(Boolean).join(', ') || null,
    pincode: r.pincode,
    counterId: r.counterId,
    sharedAt: r.sharedAt,
    expiresAt: r.expiresAt,
    status: shownShareStatus(r, ctx.now()),
    patientId: r.patientId,
    visitId: r.visitId,
  };
}

/** Today's shares (and yesterday's, for a clinic open past midnight), newest first. */
export function listShares(ctx: Ctx, input: { since?: string | undefined }) {
  const since = input.since ?? addDays(ctx.today(), -1);
  const rows = ctx.db.select().from(abdmProfileShares).where(and(gte(abdmProfileShares.tokenDate, since), isNull(abdmProfileShares.deletedAt))).orderBy(desc(abdmProfileShares.sharedAt)).all();
  return rows.map((r) => view(ctx, r));
}

function requireShare(ctx: Ctx, id: string): ShareRow {
  const r = ctx.db.select().from(abdmProfileShares).where(eq(abdmProfileShares.id, id)).get();
  if (!r || r.deletedAt !== null) throw new ApiFailure('not_found', 'No such shared profile.', { shareId: 'No such shared profile' });
  return r;
}

/** A name of several words as the registration form takes it: the last word is the family name. */
export function splitName(name: string): { givenName: string; familyName: string | null } {
  const words = name.trim().split(/\s+/);
  return words.length > 1 ? { givenName: words.slice(0, -1).join(' '), familyName: words.at(-1)! } : { givenName: words[0] ?? name, familyName: null };
}

/**
 * Patients here who may be the person who shared: the same ABHA number or address first, then the
 * duplicate checks' mobile and name (kept only when the year of birth agrees) and name and date of birth.
 */
export function shareCandidates(ctx: Ctx, input: { shareId: string }) {
  const share = requireShare(ctx, input.shareId);
  const today = ctx.today();
  const byAbha = ctx.db
    .select()
    .from(patients)
    .where(and(isNull(patients.deletedAt), isNull(patients.mergedInto), or(eq(patients.abhaAddress, share.abhaAddress), ...(share.abhaNumber ? [eq(patients.abhaNumber, share.abhaNumber)] : []))))
    .all()
    .map((p) => ({ id: p.id, mrn: p.mrn, name: displayName(p), gender: p.gender, age: ageOn(p.dob, today), dob: p.dob, mobile: p.mobile, abhaNumber: p.abhaNumber, reasons: ['Same ABHA'] }));
  const seen = new Set(byAbha.map((p) => p.id));
  const others = findDuplicates(ctx, { ...splitName(share.name), mobile: share.mobile, dob: birthDate(share) })
    .filter((c) => !seen.has(c.id))
    .filter((c) => !c.reasons.every((r) => r.startsWith('Same mobile')) || c.dob.startsWith(String(share.yearOfBirth)));
  return { share: view(ctx, share), candidates: [...byAbha, ...others] };
}

/**
 * Checks the patient the desk matched or registered in, with the token their app shows when it is
 * still valid today (else the desk's next token), and records it on the share.
 */
export function checkInShare(ctx: Ctx, input: { shareId: string; patientId: string; doctorId?: string | undefined; priority?: Priority | undefined }) {
  const share = requireShare(ctx, input.shareId);
  if (share.status === 'checked_in') throw new ApiFailure('conflict', `${share.name} has already been checked in with token ${share.token}.`, { shareId: 'Already checked in' });
  const valid = shownShareStatus(share, ctx.now()) !== 'expired' && share.tokenDate === ctx.today();
  const result = checkIn(ctx, { patientId: input.patientId, doctorId: input.doctorId, priority: input.priority, ...(valid ? { heldToken: { label: share.token, no: share.tokenNo } } : {}) });
  ctx.write.update(abdmProfileShares, share.id, { status: 'checked_in', patientId: input.patientId, visitId: result.visitId });
  return { ...result, shareId: share.id };
}

/** Records the patient the share was matched with or registered as, before check-in. */
export function linkShare(ctx: Ctx, input: { shareId: string; patientId: string }) {
  const share = requireShare(ctx, input.shareId);
  const patient = ctx.db.select({ id: patients.id }).from(patients).where(eq(patients.id, input.patientId)).get();
  if (!patient) throw new ApiFailure('not_found', 'No such patient.', { patientId: 'No such patient' });
  if (share.status === 'checked_in') return view(ctx, share);
  return view(ctx, ctx.write.update(abdmProfileShares, share.id, { status: 'registered', patientId: input.patientId }));
}
