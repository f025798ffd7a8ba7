import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, lt, lte, sql } from 'drizzle-orm';
import type { ServerDb } from '../db/open';
import { abdmAbhaTxns } from '../db/schema';

/**
 * ABHA OTP transactions kept in PostgreSQL (table `abdm_abha_txns`, docs/ABDM.md "Transactions"),
 * so that "send OTP" on one server process and "verify OTP" on another (a restart in between, an
 * update, a crash, or two instances behind a balancer) is one transaction for the patient.
 *
 * The rules the in-memory maps had are kept: the desk holds an opaque `txnRef`; only the same
 * person at the same desk of the same clinic can use it (anyone else is told it expired, as if it
 * never existed); it lives ABHA_TXN_LIFETIME_MS; it is deleted when used up or expired.
 * ABDM's txnId (and the working state: the profile, the second mobile) are sealed with AES-256-GCM
 * under a key derived from the ABDM client secret, which every instance holds and the database
 * does not: a copy of the table or a backup gives no live txnId.
 */
export type TxnKind = 'verify' | 'enrol';
export interface TxnAsker {
  userId: string;
  deviceId: string;
  clinicId: string;
}

/** Sends of one step to ABDM a transaction allows (ABDM locks a transaction after 3 wrong OTPs too). */
export const ABHA_TXN_TRIES = 3;

export type Claimed<T> = { ok: true; state: T; stage: string } | { ok: false; code: 'expired' | 'too_many' | 'wrong_step'; message: string };

const EXPIRED = 'The OTP has expired; ask for a new one.';

export class AbhaTxnStore {
  private readonly key: Buffer;

  constructor(
    private readonly db: ServerDb,
    secret: string,
    private readonly now: () => number,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'clinic-abha-txn-v1', 'abdm_abha_txns.sealed', 32));
  }

  /** A new transaction for the asker; expired ones (anyone's) go first. */
  async open(kind: TxnKind, asker: TxnAsker, stage: string, state: unknown, expiresAt: number): Promise<string> {
    await this.sweep();
    const txnRef = randomUUID();
    await this.db.insert(abdmAbhaTxns).values({
      txnRef,
      kind,
      clinicId: asker.clinicId,
      userId: asker.userId,
      deviceId: asker.deviceId,
      stage,
      sealed: this.seal(txnRef, kind, state),
      expiresAt: new Date(expiresAt),
    });
    return txnRef;
  }

  /**
   * Takes one try of the transaction's step for the asker, in one UPDATE: two steps sent at the
   * same moment (two clicks, two desks, two instances) cannot both take the last try. The caller
   * gives it back (`giveBack`) when ABDM never judged the OTP (unreachable, refused for another
   * reason), and deletes the row (`drop`) when the transaction is finished or dead.
   */
  async claim<T>(kind: TxnKind, asker: TxnAsker, txnRef: string, stage: string): Promise<Claimed<T>> {
    const now = new Date(this.now());
    const mine = and(eq(abdmAbhaTxns.txnRef, txnRef), eq(abdmAbhaTxns.kind, kind), eq(abdmAbhaTxns.clinicId, asker.clinicId), eq(abdmAbhaTxns.userId, asker.userId), eq(abdmAbhaTxns.deviceId, asker.deviceId));
    const [taken] = await this.db
      .update(abdmAbhaTxns)
      .set({ tries: sql`${abdmAbhaTxns.tries} + 1` })
      .where(and(mine, eq(abdmAbhaTxns.stage, stage), gt(abdmAbhaTxns.expiresAt, now), lt(abdmAbhaTxns.tries, ABHA_TXN_TRIES)))
      .returning({ sealed: abdmAbhaTxns.sealed, stage: abdmAbhaTxns.stage });
    if (taken) {
      const state = this.unseal(txnRef, kind, taken.sealed) as T | null;
      // Sealed under another secret (the client secret was changed): as good as expired.
      if (state === null) return this.dead(txnRef);
      return { ok: true, state, stage: taken.stage };
    }
    // Why not: another person's or desk's transaction answers like one that never existed.
    const [row] = await this.db.select({ stage: abdmAbhaTxns.stage, tries: abdmAbhaTxns.tries, expiresAt: abdmAbhaTxns.expiresAt }).from(abdmAbhaTxns).where(mine);
    if (!row) return { ok: false, code: 'expired', message: EXPIRED };
    if (row.expiresAt.getTime() <= now.getTime()) return this.dead(txnRef);
    if (row.stage !== stage) return { ok: false, code: 'wrong_step', message: 'This step was already done; go on from where the dialog is.' };
    return { ok: false, code: 'too_many', message: `${ABHA_TXN_TRIES} wrong OTPs for this request: ask for a new OTP.` };
  }

  /**
   * The try was not a judged OTP (ABDM unreachable, another refusal): it does not count. Only while
   * the transaction is still at the step the try was taken for (`stage`): a second click of a step
   * that has meanwhile succeeded gives nothing back to the next step.
   */
  async giveBack(txnRef: string, stage: string): Promise<void> {
    await this.db.update(abdmAbhaTxns).set({ tries: sql`greatest(${abdmAbhaTxns.tries} - 1, 0)` }).where(and(eq(abdmAbhaTxns.txnRef, txnRef), eq(abdmAbhaTxns.stage, stage)));
  }

  /** The step succeeded: the next one starts with its own tries, with what the step learnt. */
  async advance(kind: TxnKind, txnRef: string, stage: string, state: unknown): Promise<void> {
    await this.db.update(abdmAbhaTxns).set({ stage, tries: 0, sealed: this.seal(txnRef, kind, state) }).where(eq(abdmAbhaTxns.txnRef, txnRef));
  }

  /**
   * The transaction is finished or dead. With `stage`, only if it is still at that step: ABDM
   * refusing a second click of a step that has meanwhile succeeded (its txnId moved on) must not
   * end the transaction the first click carried to the next step.
   */
  async drop(txnRef: string, stage?: string): Promise<void> {
    await this.db.delete(abdmAbhaTxns).where(stage === undefined ? eq(abdmAbhaTxns.txnRef, txnRef) : and(eq(abdmAbhaTxns.txnRef, txnRef), eq(abdmAbhaTxns.stage, stage)));
  }

  /** Transactions still alive (tests, status). */
  async pending(kind: TxnKind): Promise<number> {
    const [r] = await this.db.select({ n: sql<number>`count(*)::int` }).from(abdmAbhaTxns).where(and(eq(abdmAbhaTxns.kind, kind), gt(abdmAbhaTxns.expiresAt, new Date(this.now()))));
    return Number(r?.n ?? 0);
  }

  /** Expired transactions are deleted (run at each new one, so the table holds at most ten minutes of them). */
  async sweep(): Promise<void> {
    await this.db.delete(abdmAbhaTxns).where(lte(abdmAbhaTxns.expiresAt, new Date(this.now())));
  }

  private async dead(txnRef: string): Promise<Claimed<never>> {
    await this.drop(txnRef);
    return { ok: false, code: 'expired', message: EXPIRED };
  }

  private seal(txnRef: string, kind: TxnKind, state: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    // Bound to its row: a sealed value copied onto another row does not open there.
    cipher.setAAD(Buffer.from(`${kind}:${txnRef}`, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  private unseal(txnRef: string, kind: TxnKind, sealed: string): unknown {
    try {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(`${kind}:${txnRef}`, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as unknown;
    } catch {
      return null;
    }
  }
}
