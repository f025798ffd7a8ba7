import { and, eq, isNull, ne } from 'drizzle-orm';
import { signKeyId } from '../db/sign-key-id';
import { changeSigningBytes, changeSigningText } from '../shared/change-signing';
import { parseHlc } from '../shared/hlc';
import type { Change } from '../shared/sync-protocol';
import type { ServerDb } from './db/open';
import { userKeys } from './db/schema';
import { rawEd25519Key, usableSigningKey, verifyEd25519 } from './ed25519';
import { firstKeyRefusal } from './signer-trust';
import { VerifyPool, type VerifyJob } from './verify-pool';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];
type KeyRow = { keyId: string; publicKey: string; retiredAt: Date | null };
/** The server's current copy of a users row (the push's batch reads it like any row). */
type UserRow = { data: Record<string, unknown> } | null;

/** Raw public keys (null: not an Ed25519 key), by their base64 SPKI (the same key in any clinic is the same entry). */
const MAX_CACHED_KEYS = 10_000;

/** One pool per process, however many stores (tests start many servers): its workers are unref'd. */
let pool: VerifyPool | undefined;
const sharedPool = () => (pool ??= new VerifyPool());

/** Signatures per message to a worker: small enough that applying starts early, large enough to amortise a message. */
const CHUNK = 50;

/** A signature already checked for a change object, and the key it was checked with. */
type Verified = { publicKey: string; ok: boolean };

/**
 * The second proof of every change (docs/SYNC.md "Signed changes"): the device's credential says
 * the change comes from an enrolled desk; the signature says the person it names made it. Runs in
 * the push's transaction before the table rules (store.ts validate), so a rule is only ever judged
 * for the person who really signed.
 */
export class ChangeSignatures {
  private readonly imported = new Map<string, Buffer | null>();
  /** Each push's keys by user, read once per user and kept current as the push registers keys. */
  private readonly batches = new WeakMap<object, Map<string, KeyRow[]>>();
  /** Key ids by public key (a hash each), as imported keys are cached. */
  private readonly keyIds = new Map<string, string>();
  /**
   * Signatures checked ahead of the apply loop (handOut), by the change object a push parsed:
   * verifyWith takes the answer when it is for the same key, and verifies itself otherwise.
   */
  private readonly verified = new WeakMap<Change, Verified>();
  /** The workers' answer a change waits for (its chunk's), until it is in `verified`. */
  private readonly answering = new WeakMap<Change, Promise<void>>();

  constructor(
    private readonly now: () => number,
    private readonly pool: VerifyPool = sharedPool(),
  ) {}

  /**
   * Starts verifying a push's signatures in the pool's workers, with every key the push could be
   * checked against: the signers' keys the server holds (`held`, read by the caller with what it
   * reads anyway) and the keys the push's own users rows carry. check() waits for each change's
   * answer (a worker that fails gives none: check() then verifies on this thread). Only the crypto
   * moves: which key must have signed, and whether that is acceptable, is still decided change by
   * change in check().
   */
  handOut(changes: readonly Change[], held: readonly string[]): void {
    // Changes already handed out (a push checked ahead of its turn) are not checked twice.
    const signed = changes.filter((c) => c.userId !== null && c.sig && c.keyId && !this.answering.has(c) && !this.verified.has(c));
    if (!this.pool.worthIt(signed.length)) return;
    const byKeyId = new Map<string, string>();
    for (const publicKey of [...held, ...changes.map(carriedKey).filter((k): k is string => k !== null)]) byKeyId.set(this.keyIdOf(publicKey), publicKey);
    const jobs: VerifyJob[] = [];
    const whose: Change[] = [];
    for (const c of signed) {
      const publicKey = byKeyId.get(c.keyId!);
      if (!publicKey) continue;
      jobs.push({ publicKey, text: changeSigningText(c), sig: c.sig! });
      whose.push(c);
    }
    if (!this.pool.worthIt(jobs.length)) return;
    for (const { start, answers } of this.pool.inChunks(jobs, CHUNK)) {
      const settled = answers.then(
        (out) => out.forEach((ok, i) => this.verified.set(whose[start + i]!, { publicKey: jobs[start + i]!.publicKey, ok: ok === 1 })),
        () => undefined,
      );
      for (let i = start; i < start + CHUNK && i < jobs.length; i++) this.answering.set(whose[i]!, settled);
    }
  }

  /**
   * The keys of a push's signers as its opening statement read them under the lock (store.ts
   * openBatch), so check() reads none itself: every user in `userIds` gets a list, empty when the
   * server holds no key for them.
   */
  primeKeys(batch: object, userIds: readonly string[], found: readonly (KeyRow & { userId: string })[]) {
    const byUser = new Map<string, KeyRow[]>();
    for (const id of userIds) byUser.set(id, []);
    for (const k of found) byUser.get(k.userId)?.push({ keyId: k.keyId, publicKey: k.publicKey, retiredAt: k.retiredAt });
    this.batches.set(batch, byUser);
  }

  /** The keys by user as a push's batch holds them now (read, then registered by it). */
  keysIn(batch: object): ReadonlyMap<string, readonly KeyRow[]> {
    return this.batches.get(batch) ?? new Map();
  }

  /**
   * Why a change's signature is not acceptable, or null. `batch` is the push's own state object
   * (its key cache lives and dies with it); `user` reads the signer's row through the batch.
   */
  async check(tx: Tx, clinicId: string, change: Change, batch: object, user: (userId: string) => UserRow | Promise<UserRow>, deviceId: string): Promise<string | null> {
    // A key that is not a point of the curve's main subgroup is never registered, whoever sends it:
    // under a key of small order some signatures verify for every message (server/ed25519.ts).
    const newKey = carriedKey(change);
    if (newKey !== null && !usableSigningKey(newKey)) return 'sign_public_key is not a usable Ed25519 public key';
    // Unsigned device-level changes (first-run setup, failed logins) keep the table rules' own test.
    if (change.userId === null) return null;
    const found = user(change.userId);
    const row = found instanceof Promise ? await found : found;
    // validate() refuses a change by someone the server does not know, with that reason.
    if (!row) return null;
    const who = typeof row.data.username === 'string' ? row.data.username : 'its user';
    let wallMs: number;
    try {
      wallMs = parseHlc(change.hlc).wallMs;
    } catch {
      return 'the change has no valid clock stamp';
    }
    const keys = await this.keysOf(tx, clinicId, change.userId, batch);
    await this.answering.get(change);
    const carried = change.rowId === change.userId ? carriedKey(change) : null;
    if (keys.length === 0) {
      // Trust on first use: a user from before signed changes registers their first key with their
      // own row's update, signed by that key, from a workstation they are known to have worked on
      // (server/signer-trust.ts). Every user made by this version has a key from the start, and
      // every workstation allowed to push signs (app.ts hello), so nothing unsigned names them.
      if (carried !== null) return (await firstKeyRefusal(tx, clinicId, change.userId, deviceId, who)) ?? this.verifyWith(change, carried, who);
      return change.sig ? `not signed by ${who}: the server holds no signing key for them` : `not signed by ${who}: they have no signing key yet (they get one when they log in on an updated workstation)`;
    }
    if (!change.sig || !change.keyId) return `not signed by ${who}`;
    const key = keys.find((k) => k.keyId === change.keyId);
    if (!key) return `not signed by ${who}`;
    // A key retired by a password reset still verifies what was stamped before the reset reached
    // the server: work queued on an offline desk under the old password is not lost. (A stamp is
    // the desk's claim; an enrolled desk holding the old key could back-date one, which is what
    // revoking that desk is for.)
    if (key.retiredAt !== null && wallMs >= key.retiredAt.getTime()) return `signed with ${who}'s old key, replaced when the password was reset`;
    const problem = this.verifyWith(change, key.publicKey, who);
    if (problem) return problem;
    // Only an administrator (a reset) replaces a key a user already has: a user's own change may
    // carry only a key that is already theirs.
    if (carried !== null && !keys.some((k) => k.publicKey === carried && k.retiredAt === null)) return `only an administrator can replace ${who}'s signing key`;
    return null;
  }

  /**
   * After an applied `users` change that carries a public key which won the merge: the key is
   * registered for that user and their other keys are retired now (an administrator's reset).
   */
  async register(tx: Tx, clinicId: string, change: Change, merged: Record<string, unknown>, batch: object, deviceId: string): Promise<void> {
    const publicKey = change.columns.sign_public_key;
    if (typeof publicKey !== 'string' || merged.sign_public_key !== publicKey) return;
    const keys = await this.keysOf(tx, clinicId, change.rowId, batch);
    const keyId = signKeyId(publicKey);
    const known = keys.find((k) => k.keyId === keyId);
    if (known && known.retiredAt === null) return;
    const now = new Date(this.now());
    await tx
      .update(userKeys)
      .set({ retiredAt: now })
      .where(and(eq(userKeys.clinicId, clinicId), eq(userKeys.userId, change.rowId), ne(userKeys.keyId, keyId), isNull(userKeys.retiredAt)));
    await tx
      .insert(userKeys)
      .values({ clinicId, userId: change.rowId, keyId, publicKey, registeredAt: now, registeredByDevice: deviceId, firstUse: keys.length === 0 && change.userId === change.rowId })
      .onConflictDoUpdate({ target: [userKeys.clinicId, userKeys.userId, userKeys.keyId], set: { retiredAt: null } });
    for (const k of keys) if (k.keyId !== keyId && k.retiredAt === null) k.retiredAt = now;
    if (known) known.retiredAt = null;
    else keys.push({ keyId, publicKey, retiredAt: null });
  }

  private verifyWith(change: Change, publicKey: string, who: string): string | null {
    if (!change.sig || !change.keyId) return `not signed by ${who}`;
    if (change.keyId !== this.keyIdOf(publicKey)) return `not signed by ${who}`;
    const pre = this.verified.get(change);
    // (verifyWith is synchronous: check() has already waited for the workers' answer, if any.)
    if (pre && pre.publicKey === publicKey) return pre.ok ? null : 'signature does not match';
    let key = this.imported.get(publicKey);
    if (key === undefined) {
      if (this.imported.size >= MAX_CACHED_KEYS) this.imported.clear();
      key = rawEd25519Key(publicKey);
      this.imported.set(publicKey, key);
    }
    return key !== null && verifyEd25519(key, changeSigningBytes(change), Buffer.from(change.sig, 'base64')) ? null : 'signature does not match';
  }

  private keyIdOf(publicKey: string): string {
    let id = this.keyIds.get(publicKey);
    if (id === undefined) {
      if (this.keyIds.size >= MAX_CACHED_KEYS) this.keyIds.clear();
      id = signKeyId(publicKey);
      this.keyIds.set(publicKey, id);
    }
    return id;
  }

  private async keysOf(tx: Tx, clinicId: string, userId: string, batch: object): Promise<KeyRow[]> {
    let byUser = this.batches.get(batch);
    if (!byUser) {
      byUser = new Map<string, KeyRow[]>();
      this.batches.set(batch, byUser);
    }
    let keys = byUser.get(userId);
    if (!keys) {
      keys = await tx
        .select({ keyId: userKeys.keyId, publicKey: userKeys.publicKey, retiredAt: userKeys.retiredAt })
        .from(userKeys)
        .where(and(eq(userKeys.clinicId, clinicId), eq(userKeys.userId, userId)));
      byUser.set(userId, keys);
    }
    return keys;
  }
}

/** The public key a users change carries (a key registered or replaced), or null. */
function carriedKey(change: Change): string | null {
  return change.table === 'users' && typeof change.columns.sign_public_key === 'string' ? change.columns.sign_public_key : null;
}
