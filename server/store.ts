import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { ROLES, type Role } from '../shared/enums';
import type { Signer } from '../shared/sync-rules';
import { checkSyncedChange } from '../db/sync-row-schemas';
import { clinicChecksums } from './checksums';
import { nextPrefix } from './series';
import { HybridClock, parseHlc } from '../shared/hlc';
import { MAX_CLOCK_AHEAD_MS, type Change, type ChangeResult, type PulledRow, type UniqueConflict } from '../shared/sync-protocol';
import { SYNCED_TABLES } from '../db/sync-tables';
import type { ServerDb } from './db/open';
import { replayed, rowKey, writeBatch, type PushBatch, type RowState, type WrittenRow } from './push-batch';
import { RowCache } from './row-cache';
import { unpackStamps } from './field-stamps';
import { opening, type Opening, type OpeningRead } from './push-open';
import { PushMemory } from './push-memory';
import type { Settled } from './push-queue';
import { ClaimBook } from './unique-claims';
import { appliedChanges, clinics, devices, enrolmentCodes, rows } from './db/schema';
import { holdSlot } from './slot-holds';
import { ChangeSignatures } from './signatures';
import { issuedTwiceNotice } from './issued-twice';
import { followMerges, type MergeDeps } from './patient-merges';
import { relatedRowsProblem } from './related-rows';
import { businessDateWarning, carriesBusinessDate, clinicTimeZone, REVOCATIONS, revokeNamedDevice } from './clinic-devices';

type Tx = Parameters<Parameters<ServerDb['transaction']>[0]>[0];
type Device = typeof devices.$inferSelect;
/** A desk's push as applyPushes takes it: the desk as authenticateForPush found it, and its changes. */
export type Push = { device: Device; changes: Change[] };

const hash = (s: string) => createHash('sha256').update(s).digest('hex');

/** A change by someone the server does not know (yet): answered, never recorded, sent again later. */
const UNKNOWN_SIGNER = 'the user who made the change is not known to the server (yet)';

export class ServerError extends Error {
  constructor(
    readonly code: 'bad_credential' | 'unknown_device' | 'revoked' | 'invalid' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

/** The central store: enrolment, applying pushed changes exactly once, pulls by cursor, checksums. */
export class SyncStore {
  private readonly clock: HybridClock;
  private readonly signatures: ChangeSignatures;
  private readonly memory = new PushMemory<Device>();
  /** Rows as last read or written, checked by seq under the lock before use (row-cache.ts). */
  private readonly rowCache = new RowCache();
  private readonly depsOf = new WeakMap<PushBatch, Map<string, MergeDeps>>();

  constructor(
    private readonly db: ServerDb,
    private readonly now: () => number = Date.now,
  ) {
    this.clock = new HybridClock('server', now);
    this.signatures = new ChangeSignatures(now);
  }

  async createClinic(name: string): Promise<string> {
    const id = uuidv7();
    await this.db.insert(clinics).values({ id, name });
    return id;
  }

  /** A one-time code for enrolling a workstation; only its hash is kept. */
  async createEnrolmentCode(clinicId: string, deviceName: string, ttlMs = 3600_000): Promise<string> {
    const clinic = await this.db.select().from(clinics).where(eq(clinics.id, clinicId));
    if (clinic.length === 0) throw new ServerError('not_found', 'No such clinic');
    const code = randomBytes(6).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, 'X').slice(0, 8);
    await this.db.insert(enrolmentCodes).values({ codeHash: hash(code), clinicId, deviceName, expiresAt: new Date(this.now() + ttlMs) });
    return code;
  }

  /**
   * Trades a one-time code for a long-lived device credential and a series prefix: the one the desk
   * asks to keep (it numbered patients or bills in it before it was enrolled) when no other desk of
   * the clinic has it, else the next free one.
   */
  async enrol(code: string, deviceId: string, keep?: string): Promise<{ clinicId: string; credential: string; seriesPrefix: string; deviceName: string }> {
    return this.db.transaction(async (tx) => {
      // The code's row locked: two desks posting one code at the same moment cannot both use it.
      const [entry] = await tx.select().from(enrolmentCodes).where(eq(enrolmentCodes.codeHash, hash(code.trim().toUpperCase()))).for('update');
      if (!entry || entry.usedByDevice || entry.expiresAt.getTime() < this.now()) {
        throw new ServerError('bad_credential', 'This enrolment code is not valid (wrong, used or expired). Ask for a new one.');
      }
      // Under the clinic's lock (as its pushes): two desks enrolling at once cannot take one letter,
      // and one desk posting two codes at once is told it is enrolled rather than failing.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${entry.clinicId}))`);
      const existing = await tx.select().from(devices).where(eq(devices.id, deviceId));
      if (existing.length > 0) throw new ServerError('invalid', 'This workstation is already enrolled.');
      const taken = new Set((await tx.select({ p: devices.seriesPrefix }).from(devices).where(eq(devices.clinicId, entry.clinicId))).map((d) => d.p));
      const seriesPrefix = keep !== undefined && /^[A-Z0-9]{1,4}$/.test(keep) && !taken.has(keep) ? keep : nextPrefix(taken);
      const credential = randomBytes(32).toString('base64url');
      await tx.insert(devices).values({ id: deviceId, clinicId: entry.clinicId, name: entry.deviceName, credentialHash: hash(credential), seriesPrefix });
      await tx.update(enrolmentCodes).set({ usedByDevice: deviceId }).where(eq(enrolmentCodes.codeHash, entry.codeHash));
      return { clinicId: entry.clinicId, credential, seriesPrefix, deviceName: entry.deviceName };
    });
  }

  async authenticate(deviceId: string, clinicId: string, credential: string, appVersion?: string): Promise<Device> {
    const [device] = await this.db.select().from(devices).where(eq(devices.id, deviceId));
    if (!device || device.clinicId !== clinicId) throw new ServerError('unknown_device', 'This workstation is not enrolled with the server.');
    if (device.revokedAt) throw new ServerError('revoked', 'This workstation has been removed from the clinic.');
    const a = Buffer.from(device.credentialHash);
    const b = Buffer.from(hash(credential));
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new ServerError('bad_credential', 'The workstation credential is not valid.');
    this.memory.remember(device);
    await this.db.update(devices).set({ lastSeenAt: new Date(this.now()), ...(appVersion ? { appVersion } : {}) }).where(eq(devices.id, deviceId));
    return device;
  }

  /** A device already authenticated on this connection, checked again (it may have been revoked since). */
  async authenticateKnown(deviceId: string, clinicId: string): Promise<Device> {
    const [device] = await this.db.select().from(devices).where(eq(devices.id, deviceId));
    if (!device || device.clinicId !== clinicId) throw new ServerError('unknown_device', 'This workstation is not enrolled with the server.');
    if (device.revokedAt) throw new ServerError('revoked', 'This workstation has been removed from the clinic.');
    return device;
  }

  async cursorOf(clinicId: string): Promise<number> {
    const [r] = await this.db.select({ max: sql<string | null>`max(${rows.seq})` }).from(rows).where(eq(rows.clinicId, clinicId));
    return Number(r?.max ?? 0);
  }

  /**
   * Before a push waits for its turn: its desk and its signers' keys, from what this instance last
   * read of them (push-memory.ts), else read in one statement (the desk checked again, as
   * authenticateKnown: it may have been revoked since its hello). With the keys, the push's
   * signatures start being checked in the worker threads while it waits: the crypto needs no lock.
   * Whether the desk is still enrolled is read again under the lock (push-open.ts), and whether
   * each key is still the right one too (signatures.ts check, which verifies again itself if a
   * key changed meanwhile).
   */
  async authenticateForPush(deviceId: string, clinicId: string, changes: readonly Change[]): Promise<Device> {
    const signers = [...new Set(changes.flatMap((c) => (c.userId ? [c.userId] : [])))];
    const known = this.memory.device(deviceId);
    const held = known && known.clinicId === clinicId ? this.memory.heldKeys(clinicId, signers) : null;
    if (known && held) {
      this.signatures.handOut(changes, held);
      return known;
    }
    const [found] = await this.db
      .select({
        device: devices,
        keys: sql<string[] | null>`(SELECT json_agg(public_key) FROM user_keys WHERE clinic_id = ${devices.clinicId} AND user_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(signers)}::jsonb)))`,
      })
      .from(devices)
      .where(eq(devices.id, deviceId));
    const device = found?.device;
    if (!device || device.clinicId !== clinicId) throw new ServerError('unknown_device', 'This workstation is not enrolled with the server.');
    if (device.revokedAt) throw new ServerError('revoked', 'This workstation has been removed from the clinic.');
    this.memory.remember(device);
    this.signatures.handOut(changes, found.keys ?? []);
    return device;
  }

  /**
   * Applies a push in one transaction under the clinic's lock. Each change id is recorded with its
   * outcome in the same transaction, so a replay (after a lost ack, in any order) changes nothing
   * and gets the same answer. Changes the server can never accept are recorded as rejected. What
   * the batch reads (change ids, rows, authors) is read once after the lock and kept in memory as
   * it applies; the merged rows and outcomes are written in one statement at the end, each row
   * once (a statement per change used to limit the apply rate). A booking's slot hold still costs
   * statements of its own.
   */
  async applyPush(device: Device, changes: Change[]): Promise<ChangeResult[]> {
    const [outcome] = await this.applyPushes([{ device, changes }]);
    if (!outcome!.ok) throw outcome!.error;
    return outcome!.value;
  }

  /**
   * Pushes of one clinic's desks applied together (server/push-queue.ts): one transaction, one
   * opening read and one closing write for all, each push judged as if it came alone after the
   * ones before it (with its own desk, and only its own changes applied ahead of their turn). What
   * a push costs PostgreSQL and the main thread whatever its size (planning the two statements,
   * the lock, the commit) is then paid once per group. A desk no longer enrolled has its push
   * refused; the others go on. Throws only when the whole transaction fails.
   */
  async applyPushes(pushes: readonly Push[]): Promise<Settled<ChangeResult[]>[]> {
    const clinicId = pushes[0]!.device.clinicId;
    if (pushes.some((p) => p.device.clinicId !== clinicId)) throw new Error('pushes of one clinic only are applied together');
    const all = pushes.flatMap((p) => p.changes);
    const open = opening(pushes.map((p) => p.device.id), clinicId, all, this.rowCache);
    const finals = new Map<string, RowState>();
    let written: WrittenRow[] = [];
    const outcomes = await this.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${clinicId}))`);
      // (Both drivers, pg and PGlite, answer an execute with its rows as objects.)
      const opened: unknown = await tx.execute(open.sql);
      const read = (opened as { rows: OpeningRead[] }).rows[0]!;
      const batch = await this.openBatch(tx, clinicId, all, open, read);
      const outcomes: Settled<ChangeResult[]>[] = [];
      for (const { device, changes } of pushes) {
        // A desk revoked by a push before its own in this turn is refused, as if that push had committed first.
        const state = batch.revoked.has(device.id) ? 'revoked' : read.devices[device.id];
        if (state !== 'enrolled') {
          // (Revoked through another instance, say: its next pushes are refused before their turn.)
          this.memory.forget(device.id);
          outcomes.push({ ok: false, error: new ServerError(state === 'revoked' ? 'revoked' : 'unknown_device', state === 'revoked' ? 'This workstation has been removed from the clinic.' : 'This workstation is not enrolled with the server.') });
          continue;
        }
        batch.changes = changes;
        batch.early.clear();
        const results: ChangeResult[] = [];
        for (const change of changes) results.push(this.takeEarly(batch, change.id) ?? (await this.applyOne(tx, device, change, batch)));
        outcomes.push({ ok: true, value: results });
      }
      // The keys as this turn leaves them (registered ones included), for the next pushes' hand-out.
      this.memory.rememberKeys(clinicId, this.signatures.keysIn(batch));
      for (const { table, rowId, state } of batch.dirty.values()) finals.set(rowKey(table, rowId), state);
      written = await writeBatch(tx, clinicId, batch);
      return outcomes;
    });
    // Committed: the rows as written, at the seq each took.
    for (const [table, rowId, seq] of written) {
      const key = rowKey(table, rowId);
      this.rowCache.keep(clinicId, key, seq, finals.get(key) ?? null);
    }
    return outcomes;
  }

  /** The pushes' state from their opening read (server/push-open.ts). */
  private async openBatch(tx: Tx, clinicId: string, changes: Change[], open: Opening, read: OpeningRead): Promise<PushBatch> {
    // Signatures not handed to the workers before the turn (a caller that skipped authenticateForPush) go now.
    this.signatures.handOut(changes, read.keys.map((k) => k.p));
    const claims = await ClaimBook.open(tx, clinicId, changes, { backfilled: read.backfilled, holders: read.claims });
    const batch: PushBatch = { seen: new Map(), rows: new Map(), stored: new Map(), records: [], dirty: new Map(), hasUsers: null, claims, changes, early: new Map(), revoked: new Set() };
    for (const r of read.seen) batch.seen.set(r.i, { status: r.s, reason: r.r, hlc: r.h, warning: r.w, conflict: r.c });
    for (const r of read.rows) {
      const key = rowKey(r.t, r.r);
      if (r.c) {
        const held = open.held.get(key);
        // (Only a seq taken from `held` can match: opening() kept every entry it named.)
        if (!held) throw new Error(`the row cache gave no row for ${r.t} ${r.r}`);
        batch.rows.set(key, held.state);
      } else {
        const state = { data: r.d!, fieldHlc: unpackStamps(r.d!, r.f!), hlc: r.h };
        batch.rows.set(key, state);
        // Committed by whoever wrote it (this statement's snapshot), so kept whatever this turn does.
        this.rowCache.keep(clinicId, key, r.s, state, true);
      }
    }
    for (const key of open.wanted.keys()) if (!batch.rows.has(key)) batch.rows.set(key, null);
    for (const [key, state] of batch.rows) batch.stored.set(key, state);
    this.signatures.primeKeys(batch, open.signers, read.keys.map((k) => ({ userId: k.u, keyId: k.k, publicKey: k.p, retiredAt: k.x === null ? null : new Date(k.x) })));
    return batch;
  }

  /**
   * The server's current version of a row: from the batch when it was read or written there. A row
   * the batch wrote is always in it, so a miss cannot overlook an unwritten row.
   */
  private async currentRow(tx: Tx, clinicId: string, batch: PushBatch, table: string, rowId: string): Promise<RowState | null> {
    const key = rowKey(table, rowId);
    const cached = batch.rows.get(key);
    if (cached !== undefined) return cached;
    const [r] = await tx
      .select({ data: rows.data, fieldHlc: rows.fieldHlc, hlc: rows.hlc })
      .from(rows)
      .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, table), eq(rows.rowId, rowId)));
    const state = r ? { ...r, fieldHlc: unpackStamps(r.data, r.fieldHlc) } : null;
    batch.rows.set(key, state);
    batch.stored.set(key, state);
    return state;
  }

  /**
   * A row the batch already holds (null: known not to exist), else undefined: the hot path reads
   * it without an await (a promise per lookup, several per change, was a good part of the garbage).
   */
  private rowNow(batch: PushBatch, table: string, rowId: string): RowState | null | undefined {
    return batch.rows.get(rowKey(table, rowId));
  }

  private async applyOne(tx: Tx, device: Device, change: Change, batch: PushBatch): Promise<ChangeResult> {
    const seen = batch.seen.get(change.id);
    if (seen) return replayed(change.id, seen);
    const unsigned = await this.signatures.check(tx, device.clinicId, change, batch, (id) => {
      const held = this.rowNow(batch, 'users', id);
      return held !== undefined ? held : this.currentRow(tx, device.clinicId, batch, 'users', id);
    }, device.id);
    const problem = unsigned ?? (await this.validate(tx, device, change, batch));
    if (problem === UNKNOWN_SIGNER) {
      // Not recorded: the person may be on their way (an account made offline whose insert lost a
      // uniqueness race and comes again renamed). The desk keeps the change and sends it again.
      return { id: change.id, status: 'rejected', reason: problem, retry: true };
    }
    const twice = problem && !unsigned ? issuedTwiceNotice(change, (await this.currentRow(tx, device.clinicId, batch, change.table, change.rowId))?.data ?? null) : null;
    if (twice) {
      // Nothing to write: the bill's number was decided by the desk that issued it first.
      this.record(batch, device, change, 'applied', change.hlc, 'issued twice while offline', false, { warning: twice });
      return { id: change.id, status: 'applied', hlc: change.hlc, warning: twice };
    }
    if (problem) {
      this.record(batch, device, change, 'rejected', change.hlc, problem);
      return { id: change.id, status: 'rejected', reason: problem };
    }
    // A clock far ahead would win every later edit: the server gives such a change its own time.
    // Ledger rows are never merged, so their stamp decides nothing; they keep the device's stamp,
    // because the device cannot re-stamp its own insert-only copy and the copies must stay equal.
    const spec = SYNCED_TABLES[change.table]!;
    const { hlc, restamped } = this.stampOf(change.hlc, spec.kind === 'lww');
    // The row's own stamp column takes the stamp it is merged with (copied only when that differs).
    const columns = 'hlc' in change.columns && change.columns.hlc !== hlc ? { ...change.columns, hlc } : change.columns;
    const held = this.rowNow(batch, change.table, change.rowId);
    const existing = held !== undefined ? held : await this.currentRow(tx, device.clinicId, batch, change.table, change.rowId);
    if (!existing && change.op !== 'insert') {
      // An edit of a row whose insert never arrived (refused, or a build that never sent it) would
      // leave a partial row here that no device could hold: refuse it instead, visibly.
      const reason = `the ${change.table} row it changes is not on the server`;
      this.record(batch, device, change, 'rejected', change.hlc, reason);
      return { id: change.id, status: 'rejected', reason };
    }
    if (spec.kind === 'ledger' && existing) {
      // Ledger rows are written once; a second insert of the same row is the same money, not more.
      this.record(batch, device, change, 'applied', hlc, 'already present', restamped);
      return { id: change.id, status: 'applied', hlc };
    }
    const data: Record<string, unknown> = { ...(existing?.data ?? {}) };
    const fieldHlc: Record<string, string> = { ...(existing?.fieldHlc ?? {}) };
    for (const col of Object.keys(columns)) {
      const current = fieldHlc[col];
      if (current === undefined || hlc > current) {
        data[col] = columns[col];
        fieldHlc[col] = hlc;
      }
    }
    const taken = await batch.claims.claim(change.table, change.rowId, existing?.data ?? null, data, (t, id) => batch.rows.get(rowKey(t, id))?.data);
    if (taken) {
      this.record(batch, device, change, 'rejected', change.hlc, taken.reason, false, { conflict: taken.conflict });
      return { id: change.id, status: 'rejected', reason: taken.reason, conflict: taken.conflict };
    }
    const rowHlc = existing && existing.hlc > hlc ? existing.hlc : hlc;
    this.setRow(batch, change.table, change.rowId, { data, fieldHlc, hlc: rowHlc });
    if (change.table === 'users') await this.signatures.register(tx, device.clinicId, change, data, batch, device.id);
    if (change.table === 'appointments') await holdSlot({ tx, clinicId: device.clinicId, batch, tick: () => this.clock.tick(), now: this.now, setRow: (t, id, state) => this.setRow(batch, t, id, state) }, change.rowId, data, fieldHlc);
    if (change.table === REVOCATIONS) {
      await revokeNamedDevice(tx, device.clinicId, columns, new Date(this.now()));
      if (typeof change.columns.revoked_device_id === 'string') {
        batch.revoked.add(change.columns.revoked_device_id);
        this.memory.forget(change.columns.revoked_device_id);
      }
    }
    const moved = await followMerges(this.mergeDeps(tx, device, batch), change.table, change.rowId, columns, !existing);
    const warning = [await this.dateWarning(tx, device.clinicId, batch, change), moved].filter(Boolean).join(' ') || null;
    this.record(batch, device, change, 'applied', hlc, null, restamped, { warning });
    return { id: change.id, status: 'applied', hlc, ...(warning ? { warning } : {}) };
  }

  /** A change's outcome: written with the turn (applied_changes) and answered again to a replay. */
  private record(batch: PushBatch, device: Device, change: Change, status: 'applied' | 'rejected', hlc: string, reason: string | null, restamped = false, flags: { warning?: string | null; conflict?: UniqueConflict | null } = {}) {
    const warning = flags.warning ?? null;
    const conflict = flags.conflict ?? null;
    batch.records.push({ changeId: change.id, clinicId: device.clinicId, deviceId: device.id, tableName: change.table, rowId: change.rowId, status, reason, hlc, restamped, warning, conflict });
    batch.seen.set(change.id, { status, reason, hlc, warning, conflict });
  }

  /** The stamp a change is merged with: its own, or the server's time for an edit from a clock far ahead. */
  private stampOf(hlc: string, mergeable: boolean): { hlc: string; restamped: boolean } {
    if (parseHlc(hlc).wallMs <= this.now() + MAX_CLOCK_AHEAD_MS) {
      this.clock.receive(hlc);
      return { hlc, restamped: false };
    }
    return mergeable ? { hlc: this.clock.tick(), restamped: true } : { hlc, restamped: false };
  }

  /** A business date after the server's own date (a desk clock ahead): flagged, never refused. */
  private async dateWarning(tx: Tx, clinicId: string, batch: PushBatch, change: Change): Promise<string | null> {
    if (!carriesBusinessDate(change)) return null;
    batch.timeZone ??= await clinicTimeZone(tx, clinicId);
    return businessDateWarning(change, this.now(), batch.timeZone);
  }

  /** What server/patient-merges.ts needs of this push (once per turn and desk: tsx names each closure). */
  private mergeDeps(tx: Tx, device: Device, batch: PushBatch): MergeDeps {
    const byDesk = this.depsOf.get(batch) ?? this.depsOf.set(batch, new Map()).get(batch)!;
    const built = byDesk.get(device.id);
    if (built) return built;
    const clinicId = device.clinicId;
    const deps: MergeDeps = {
      tx,
      clinicId,
      batch,
      row: (t, id) => this.currentRow(tx, clinicId, batch, t, id),
      set: (t, id, state) => this.setRow(batch, t, id, state),
      now: this.now,
      applyEarly: async (change) => {
        batch.early.set(change.id, await this.applyOne(tx, device, change, batch));
      },
    };
    byDesk.set(device.id, deps);
    return deps;
  }

  /** The outcome of a change already applied ahead of its turn, once. */
  private takeEarly(batch: PushBatch, changeId: string): ChangeResult | undefined {
    const result = batch.early.get(changeId);
    batch.early.delete(changeId);
    return result;
  }

  /** A row's merged version, kept in the batch until writeRows. */
  private setRow(batch: PushBatch, table: string, rowId: string, state: RowState) {
    const key = rowKey(table, rowId);
    batch.rows.set(key, state);
    // Moved to the end: a row takes its cursor value in the order of its last change.
    batch.dirty.delete(key);
    batch.dirty.set(key, { table, rowId, state });
    if (table === 'users') batch.hasUsers = true;
  }

  /** Why a change can never be applied, or null. */
  private async validate(tx: Tx, device: Device, change: Change, batch: PushBatch): Promise<string | null> {
    if (!SYNCED_TABLES[change.table]) return `${change.table} is not a synced table`;
    try {
      parseHlc(change.hlc);
    } catch {
      return 'the change has no valid clock stamp';
    }
    if ('id' in change.columns && change.columns.id !== change.rowId) return 'the row id does not match the change';
    return this.judge(tx, device, change, batch);
  }

  /** The rule book's verdict (shared/sync-rules.ts), with the signer's roles and the row as it stands here. */
  private async judge(tx: Tx, device: Device, change: Change, batch: PushBatch): Promise<string | null> {
    const clinicId = device.clinicId;
    let signer: Signer | null = null;
    if (change.userId !== null) {
      const held = this.rowNow(batch, 'users', change.userId);
      const user = held !== undefined ? held : await this.currentRow(tx, clinicId, batch, 'users', change.userId);
      if (!user) return UNKNOWN_SIGNER;
      // A deactivated (or deleted) account signs nothing after that happened; what it did before,
      // queued on a desk that was offline, still counts (judged by the stamps the server holds).
      for (const [column, gone] of [['active', user.data.active === false], ['deleted_at', user.data.deleted_at != null]] as const) {
        const since = user.fieldHlc[column];
        if (gone && since !== undefined && change.hlc > since) return `${typeof user.data.username === 'string' ? user.data.username : 'this user'}'s account was ${column === 'active' ? 'deactivated' : 'removed'} before this change was made`;
      }
      const roles = user.data.roles;
      signer = { id: change.userId, roles: Array.isArray(roles) ? roles.filter((r): r is Role => (ROLES as readonly unknown[]).includes(r)) : [] };
    }
    const held = this.rowNow(batch, change.table, change.rowId);
    const current = held !== undefined ? held : await this.currentRow(tx, clinicId, batch, change.table, change.rowId);
    const bootstrap = signer === null && (change.table === 'users' || change.table === 'facility') && !(await this.hasUsers(tx, clinicId, batch));
    const before = current?.data ?? null;
    // An edit of a row the server does not have is refused later, with its own reason.
    if (!before && change.op !== 'insert' && SYNCED_TABLES[change.table]!.kind === 'lww') return null;
    // An "insert" over a row the server has is judged as the edit it would be once merged: it must
    // not pass an issued invoice's or another doctor's row off as new (the rule book keys on op).
    const op = before && change.op === 'insert' && SYNCED_TABLES[change.table]!.kind === 'lww' ? 'update' : change.op;
    // The pushing desk, as enrolled: columns naming a desk or a series must name this one.
    const verdict = checkSyncedChange({ table: change.table, rowId: change.rowId, op, columns: change.columns, before, signer, bootstrap, device: { id: device.id, seriesPrefix: device.seriesPrefix } });
    // What the rule book cannot see from one row: a patient move needs its merge, a certificate its visit.
    return verdict ?? (await relatedRowsProblem(this.mergeDeps(tx, device, batch), { table: change.table, rowId: change.rowId, op, columns: change.columns, before, signer }));
  }

  private async hasUsers(tx: Tx, clinicId: string, batch: PushBatch): Promise<boolean> {
    if (batch.hasUsers === null) {
      const [u] = await tx.select({ id: rows.rowId }).from(rows).where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, 'users'))).limit(1);
      batch.hasUsers = u !== undefined;
    }
    return batch.hasUsers;
  }

  /** Rows changed after a cursor, in cursor order; optionally one table only (a resync). */
  async pull(clinicId: string, cursor: number, limit: number, table?: string): Promise<{ rows: PulledRow[]; nextCursor: number; hasMore: boolean }> {
    const where = [eq(rows.clinicId, clinicId), gt(rows.seq, cursor)];
    if (table) where.push(eq(rows.tableName, table));
    const found = await this.db.select().from(rows).where(and(...where)).orderBy(asc(rows.seq)).limit(limit + 1);
    const page = found.slice(0, limit);
    return {
      rows: page.map((r) => ({ table: r.tableName, rowId: r.rowId, data: r.data, fieldHlc: unpackStamps(r.data, r.fieldHlc), seq: r.seq })),
      nextCursor: page.at(-1)?.seq ?? cursor,
      hasMore: found.length > limit,
    };
  }

  /** Fingerprints of every synced table of a clinic (server/checksums.ts). */
  checksums(clinicId: string): Promise<Record<string, { count: number; hash: string }>> {
    return clinicChecksums(this.db, clinicId);
  }

  async rejectedChanges(clinicId: string) {
    return this.db
      .select()
      .from(appliedChanges)
      .where(and(eq(appliedChanges.clinicId, clinicId), eq(appliedChanges.status, 'rejected')));
  }

  async deviceCount(): Promise<number> {
    const [r] = await this.db.select({ n: sql<number>`count(*)::int` }).from(devices).where(isNull(devices.revokedAt));
    return r?.n ?? 0;
  }
}
