import { createHash } from 'node:crypto';
import { and, count, eq, gt, lt, ne, sql } from 'drizzle-orm';
import { normalisePhone } from '../../shared/phone';
import type { ServerDb } from '../db/open';
import { abdmOtpSends } from '../db/schema';
import type { SmsResult, SmsSender } from './sms';

/**
 * Sending a user-initiated link's OTP (docs/ABDM.md "The OTP"), bounded per mobile: anyone who
 * knows a patient's mobile, gender, year of birth and name can make the gateway ask us for a
 * discovery and a link init, so without a bound they could have us SMS the patient without end.
 * The count is in PostgreSQL (`abdm_otp_sends`), shared by every server instance and kept over a
 * restart.
 */
export const OTP_SENDS_PER_MOBILE = 3;
export const OTP_SEND_WINDOW_MS = 10 * 60_000;

/** True (or `{ok: true}`) when the OTP went out; an SmsResult says whether a failed one may have. */
export type OtpDelivery = boolean | SmsResult;

/**
 * How the HIP gives the patient the OTP (the spec lets the HIP send it: `authenticationType`
 * DIRECT, medium MOBILE): the production one is `smsOtpSender` over the configured SMS provider.
 */
export type OtpSender = (to: { patientId: string; mobile: string; abhaAddress: string; clinicName: string }, otp: string) => OtpDelivery | Promise<OtpDelivery>;

export function smsOtpSender(sms: SmsSender): OtpSender {
  return (to, otp) => sms.sendLinkOtp(to.mobile, { otp, clinic: sms.settings.clinicName ?? to.clinicName });
}

/** Not the number itself: the table only needs to tell sends to the same mobile apart. */
const mobileKey = (mobile: string) => createHash('sha256').update(`abdm-link-otp:${normalisePhone(mobile)}`).digest('hex');

/**
 * Takes one send from the mobile's allowance, or answers null when it has none left. One mobile at
 * a time (an advisory lock for the transaction), so link inits at the same moment cannot both take
 * the last send.
 */
export async function reserveOtpSend(db: ServerDb, mobile: string, transactionId: string, now: number): Promise<number | null> {
  const key = mobileKey(mobile);
  const since = new Date(now - OTP_SEND_WINDOW_MS);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`);
    await tx.delete(abdmOtpSends).where(and(eq(abdmOtpSends.mobileKey, key), lt(abdmOtpSends.at, since)));
    const [used] = await tx
      .select({ n: count() })
      .from(abdmOtpSends)
      .where(and(eq(abdmOtpSends.mobileKey, key), gt(abdmOtpSends.at, since), ne(abdmOtpSends.outcome, 'refused')));
    if ((used?.n ?? 0) >= OTP_SENDS_PER_MOBILE) return null;
    const [row] = await tx.insert(abdmOtpSends).values({ mobileKey: key, transactionId, outcome: 'sending', at: new Date(now) }).returning({ id: abdmOtpSends.id });
    return row!.id;
  });
}

/**
 * What came of a reserved send. A send the provider refused gives its place back (nothing reached
 * the phone); one that may have gone out keeps it.
 */
export async function settleOtpSend(db: ServerDb, id: number, delivery: OtpDelivery): Promise<boolean> {
  const sent = delivery === true || (typeof delivery === 'object' && delivery.ok);
  const outcome = sent ? 'sent' : typeof delivery === 'object' && !delivery.ok && delivery.delivered === 'no' ? 'refused' : 'unknown';
  await db.update(abdmOtpSends).set({ outcome }).where(eq(abdmOtpSends.id, id));
  return sent;
}
