import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { localDate } from '../../shared/clinic-time';
import { SHARE_TOKEN_TTL_SECONDS, shareTokenLabel } from '../../shared/abdm-shares';
import { clinicTimeZone } from '../clinic-devices';
import type { ServerDb } from '../db/open';
import { abdmShareAnswers, clinics, rows } from '../db/schema';
import { ServerRows, type ServerRowsTx } from '../server-rows';
import type { CallbackRoute } from './bridge';
import type { AbdmConfig } from './config';
import type { AbdmGatewayClient } from './gateway';

/**
 * ABDM Scan & Share (patient-share.yaml in nha-in/docs, catalogue/openapi/.raw/nha-2026-09-01/hiecm/;
 * the portal's "Profile share callback" page, catalogue/generated/hiecm/callbacks/p2-profile-share-callback.md):
 * a patient scans the counter's QR code in their ABHA / PHR app, the gateway posts their profile
 * here, we answer 200, then call on-share with a token number their app shows.
 */
export const SHARE_PATH = '/api/v3/hip/patient/share';
export const ON_SHARE_PATH = '/api/hiecm/patient-share/v3/on-share';
export const SHARES_TABLE = 'abdm_profile_shares';

export interface ShareOptions {
  /** The clinic whose desks get the shares; by default the server's only clinic. */
  clinicId?: string;
  now?: () => number;
}

/** A profile share as the gateway sends it, checked. */
export interface SharedProfile {
  counterId: string;
  abhaNumber: string | null;
  abhaAddress: string;
  name: string;
  gender: string;
  dayOfBirth: number | null;
  monthOfBirth: number | null;
  yearOfBirth: number;
  mobile: string | null;
  address: { line: string | null; district: string | null; state: string | null; pincode: string | null };
}

// The patterns of patient-share.yaml, as published.
const COUNTER = /^[a-zA-Z0-9 ](?:[a-zA-Z0-9.\-_ ]{0,248}[a-zA-Z0-9 ])?$/;
const ABHA_ADDRESS = /^[a-zA-Z0-9][a-zA-Z0-9_.\-!]+[a-zA-Z0-9]@(abdm|sbx)$/;
const ABHA_NUMBER = /^(\d+-?){13}\d$/;
const GENDERS = ['M', 'F', 'O', 'D', 'T', 'U'];

const obj = (v: unknown): Record<string, unknown> | null => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);
const whole = (v: unknown, min: number, max: number): number | null => {
  const s = text(v);
  if (s === null || !/^\d+$/.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
};

/** The profile, or why the body is not a profile share we can act on (naming the field). */
export function parseShare(body: Record<string, unknown>, hipId: string): SharedProfile | string {
  if (body.intent !== 'PROFILE_SHARE') return `intent must be PROFILE_SHARE, not ${JSON.stringify(body.intent ?? null)}`;
  const meta = obj(body.metaData);
  if (!meta) return 'metaData is required';
  if (meta.hipId !== hipId) return `metaData.hipId ${JSON.stringify(meta.hipId ?? null)} is not this facility`;
  const counterId = text(meta.context);
  if (!counterId || !COUNTER.test(counterId)) return 'metaData.context (the counter) is missing or not a counter id';
  const p = obj(obj(body.profile)?.patient);
  if (!p) return 'profile.patient is required';
  const abhaAddress = text(p.abhaAddress);
  if (!abhaAddress || !ABHA_ADDRESS.test(abhaAddress)) return 'profile.patient.abhaAddress is missing or not an ABHA address';
  const abhaNumber = text(p.abhaNumber);
  if (abhaNumber && !ABHA_NUMBER.test(abhaNumber)) return 'profile.patient.abhaNumber is not a 14-digit ABHA number';
  const name = text(p.name);
  if (!name || name.length > 200) return 'profile.patient.name is required';
  const gender = text(p.gender);
  if (!gender || !GENDERS.includes(gender)) return `profile.patient.gender must be one of ${GENDERS.join(', ')}`;
  const yearOfBirth = whole(p.yearOfBirth, 1900, 2200);
  if (yearOfBirth === null) return 'profile.patient.yearOfBirth must be a year from 1900 to 2200';
  const dayOfBirth = p.dayOfBirth == null || p.dayOfBirth === '' ? null : whole(p.dayOfBirth, 1, 31);
  if (p.dayOfBirth != null && p.dayOfBirth !== '' && dayOfBirth === null) return 'profile.patient.dayOfBirth must be 1 to 31';
  const monthOfBirth = p.monthOfBirth == null || p.monthOfBirth === '' ? null : whole(p.monthOfBirth, 1, 12);
  if (p.monthOfBirth != null && p.monthOfBirth !== '' && monthOfBirth === null) return 'profile.patient.monthOfBirth must be 1 to 12';
  const phone = text(p.phoneNumber);
  const mobile = phone ? phone.replace(/\D/g, '').slice(-10) : null;
  if (phone && mobile?.length !== 10) return 'profile.patient.phoneNumber is not a 10-digit mobile number';
  const a = obj(p.address) ?? {};
  return {
    counterId,
    abhaNumber: abhaNumber ? abhaNumber.replace(/\D/g, '').replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4') : null,
    abhaAddress,
    name,
    gender,
    dayOfBirth,
    monthOfBirth,
    yearOfBirth,
    mobile,
    address: { line: text(a.line), district: text(a.district), state: text(a.state), pincode: text(a.pincode) },
  };
}

/** How long after its token's expiry a share's answer is kept for a redelivery. */
const ANSWER_KEPT_MS = 24 * 3600_000;

/** The token a share got: new, or the one the same ABHA address still holds at that counter. */
export interface IssuedToken {
  rowId: string;
  token: string;
  expiresAt: number;
  reused: boolean;
}

/**
 * Issues the token for a share inside a server-rows transaction (under the clinic's lock): the same
 * ABHA address at the same counter still waiting within the token's validity gets its token again;
 * anyone else the next number of the clinic-day's series, stored with the profile as a new row.
 * Numbers are never reused (the next is one past the day's highest, expired ones included) and
 * never lost (the row and the number are one write).
 */
export async function issueShareToken(w: ServerRowsTx, clinicId: string, requestId: string, share: SharedProfile): Promise<IssuedToken> {
  const field = (name: string) => sql`${rows.data}->>${name}`;
  const ofShares = and(eq(rows.clinicId, clinicId), eq(rows.tableName, SHARES_TABLE));
  const [held] = await w.tx
    .select({ rowId: rows.rowId, data: rows.data })
    .from(rows)
    .where(and(ofShares, sql`${field('abha_address')} = ${share.abhaAddress}`, sql`${field('counter_id')} = ${share.counterId}`, sql`${field('status')} = 'waiting'`, sql`(${field('expires_at')})::bigint > ${w.now}`))
    .orderBy(desc(rows.seq))
    .limit(1);
  if (held) {
    const reused = { rowId: held.rowId, token: String(held.data.token), expiresAt: Number(held.data.expires_at), reused: true };
    await keepAnswer(w, clinicId, requestId, reused);
    return reused;
  }
  const tokenDate = localDate(w.now, await clinicTimeZone(w.tx, clinicId));
  const [last] = await w.tx
    .select({ n: sql<number | null>`max((${field('token_no')})::int)` })
    .from(rows)
    .where(and(ofShares, sql`${field('token_date')} = ${tokenDate}`));
  const tokenNo = Number(last?.n ?? 0) + 1;
  const rowId = uuidv7();
  const expiresAt = w.now + SHARE_TOKEN_TTL_SECONDS * 1000;
  const token = shareTokenLabel(tokenNo);
  await w.write(SHARES_TABLE, rowId, {
    request_id: requestId,
    abha_number: share.abhaNumber,
    abha_address: share.abhaAddress,
    name: share.name,
    gender: share.gender,
    day_of_birth: share.dayOfBirth,
    month_of_birth: share.monthOfBirth,
    year_of_birth: share.yearOfBirth,
    mobile: share.mobile,
    address_line: share.address.line,
    district: share.address.district,
    state: share.address.state,
    pincode: share.address.pincode,
    counter_id: share.counterId,
    token_date: tokenDate,
    token_no: tokenNo,
    token,
    shared_at: w.now,
    expires_at: expiresAt,
    status: 'waiting',
    patient_id: null,
    visit_id: null,
  });
  const issued = { rowId, token, expiresAt, reused: false };
  await keepAnswer(w, clinicId, requestId, issued);
  return issued;
}

/** The token this share was given, in the same transaction, for answering its redelivery. */
async function keepAnswer(w: ServerRowsTx, clinicId: string, requestId: string, issued: IssuedToken): Promise<void> {
  // The gateway's redeliveries come within minutes: a day after its token ran out an answer is not needed.
  await w.tx.delete(abdmShareAnswers).where(lt(abdmShareAnswers.expiresAt, new Date(w.now - ANSWER_KEPT_MS)));
  await w.tx.insert(abdmShareAnswers).values({ requestId, clinicId, rowId: issued.rowId, token: issued.token, expiresAt: new Date(issued.expiresAt) }).onConflictDoNothing();
}

/** The clinic the shares go to: the configured one, else the server's only clinic. */
async function clinicOf(db: ServerDb, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const found = await db.select({ id: clinics.id }).from(clinics).limit(2);
  if (found.length !== 1) throw new Error(found.length === 0 ? 'no clinic on this server yet' : 'several clinics on this server: set the bridge clinicId');
  return found[0]!.id;
}

/**
 * The share callback's route for the bridge's table (server/abdm/bridge.ts). Acted on once per
 * REQUEST-ID (the bridge's handled_key), so the gateway's redelivery of a share issues no second
 * token; the on-share call goes after our 200, through the gateway client (retried, audited).
 * The gateway redelivers a share when it did not get the on-share: a redelivery whose on-share
 * was never accepted (and is not being sent by this process now) is answered again with the token
 * kept in `abdm_share_answers`; one already answered is not answered twice.
 */
export function shareRoutes(deps: { db: ServerDb; client: AbdmGatewayClient; config: AbdmConfig; options: ShareOptions }): CallbackRoute[] {
  const serverRows = new ServerRows(deps.db, deps.options.now);
  const now = deps.options.now ?? Date.now;
  /** Shares whose on-share this process is sending now (a redelivery then waits for that one). */
  const sending = new Set<string>();
  const answer = (requestId: string, share: SharedProfile, token: string, expiresAt: number) => async () => {
    sending.add(requestId);
    try {
      const expiry = Math.max(0, Math.round((expiresAt - now()) / 1000));
      const sent = await deps.client.post(ON_SHARE_PATH, {
        acknowledgement: { status: 'SUCCESS', abhaAddress: share.abhaAddress, profile: { context: share.counterId, tokenNumber: token, expiry } },
        response: { requestId },
      });
      if (sent.ok) await deps.db.update(abdmShareAnswers).set({ answeredAt: new Date(now()) }).where(eq(abdmShareAnswers.requestId, requestId));
    } finally {
      sending.delete(requestId);
    }
  };
  return [
    {
      path: SHARE_PATH,
      // "Answer with 200, then send the on-share call" (p2-profile-share-callback.md; patient-share.yaml responses: 200).
      ack: 200,
      kind: 'patient-share',
      answers: null,
      correlate: (_body, requestId) => requestId,
      check: (body) => {
        const parsed = parseShare(body, deps.config.hipId);
        return typeof parsed === 'string' ? parsed : null;
      },
      act: async (body, requestId) => {
        const share = parseShare(body, deps.config.hipId);
        if (typeof share === 'string') throw new Error(share);
        const clinicId = await clinicOf(deps.db, deps.options.clinicId ?? deps.config.clinicId);
        const issued = await serverRows.within(clinicId, (w) => issueShareToken(w, clinicId, requestId, share));
        return answer(requestId, share, issued.token, issued.expiresAt);
      },
      // The same token again, never a new number or a second row; its expiry counts down from the first answer.
      again: async (body, requestId) => {
        const share = parseShare(body, deps.config.hipId);
        if (typeof share === 'string' || sending.has(requestId)) return null;
        const [kept] = await deps.db.select().from(abdmShareAnswers).where(eq(abdmShareAnswers.requestId, requestId));
        if (!kept || kept.answeredAt) return null;
        // Only a true copy: the same person at the same counter as the share the token was given to.
        const [row] = await deps.db.select({ data: rows.data }).from(rows).where(and(eq(rows.clinicId, kept.clinicId), eq(rows.tableName, SHARES_TABLE), eq(rows.rowId, kept.rowId)));
        if (row?.data.abha_address !== share.abhaAddress || row.data.counter_id !== share.counterId) return null;
        return answer(requestId, share, kept.token, kept.expiresAt.getTime());
      },
    },
  ];
}
